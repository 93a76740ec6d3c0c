#pragma once

// Light and dark themes. Qt 6.4 has no colour-scheme API, so "System" reads the palette the
// platform gave the application at start (the lightness of its Window colour) and picks the
// Fusion light or dark palette to match; Light and Dark force one. Custom colours (status
// lights, the filter's error text, the alert banner) come from here so they stay readable in
// both.

#include <QColor>
#include <QPalette>
#include <QString>

namespace hd {

class Theme
{
public:
    enum class Mode { System, Light, Dark };

    // Applies the mode to the whole application (Fusion style, a matching palette).
    static void apply(Mode mode);
    // The mode the user chose last (QSettings "ui/theme"; System when none), applied.
    static void applySaved();
    // Applies the mode and keeps it as the user's choice.
    static void applyAndSave(Mode mode);
    static Mode mode();
    // True when the application's current palette is dark.
    static bool isDark();
    // True when the platform's own palette (as captured before the first apply()) is dark.
    static bool systemIsDark();

    static QPalette lightPalette();
    static QPalette darkPalette();

    static QString modeName(Mode mode); // "system", "light", "dark" (QSettings value)
    static Mode modeFromName(const QString &name);

    // Colours that read well on the current palette.
    static QColor errorText();
    static QColor warningBackground();
    static QColor warningText();
    static QColor criticalBackground();
    static QColor criticalText();
};

} // namespace hd
