#pragma once

// Colours and labels the HTML and PDF reports share, so both tell the same story.

#include <QString>

#include <array>

namespace hd::reportstyle {

struct Rgb
{
    int r, g, b;
    QString hex() const
    {
        return QStringLiteral("#%1%2%3")
            .arg(r, 2, 16, QLatin1Char('0'))
            .arg(g, 2, 16, QLatin1Char('0'))
            .arg(b, 2, 16, QLatin1Char('0'));
    }
};

// Indexed by Outcome: success, client_error, server_error, business_error, connection_error.
inline constexpr std::array<Rgb, 5> OutcomeColors
    = {Rgb{76, 175, 80}, Rgb{255, 167, 38}, Rgb{229, 57, 53}, Rgb{142, 68, 173}, Rgb{84, 110, 122}};
inline constexpr Rgb Accent{33, 97, 140};
inline constexpr Rgb Muted{110, 110, 110};
inline constexpr Rgb Grid{220, 220, 220};

} // namespace hd::reportstyle
