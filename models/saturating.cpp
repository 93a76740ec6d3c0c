#include "saturating.h"

#include <QString>

#include <cmath>
#include <limits>

namespace hd {

namespace {
// 2^63 exactly; every double strictly below it (and at or above -2^63) converts without UB.
constexpr double TwoPow63 = 9223372036854775808.0;
} // namespace

std::optional<qint64> checkedToInt64(double value)
{
    if (!std::isfinite(value) || value >= TwoPow63 || value < -TwoPow63)
        return std::nullopt;
    return static_cast<qint64>(value);
}

qint64 saturatingToInt64(double value)
{
    if (std::isnan(value))
        return 0;
    if (value >= TwoPow63)
        return std::numeric_limits<qint64>::max();
    if (value < -TwoPow63)
        return std::numeric_limits<qint64>::min();
    return static_cast<qint64>(value);
}

qint64 secondsToMs(double seconds, qint64 maxMs)
{
    maxMs = std::max<qint64>(0, maxMs);
    if (std::isnan(seconds) || seconds <= 0)
        return 0;
    // Compare in the double domain before converting: seconds * 1000 may be inf.
    const double ms = std::round(seconds * 1000.0);
    if (!(ms < double(maxMs)))
        return maxMs;
    return std::min(maxMs, static_cast<qint64>(ms));
}

qint64 secondsToMs(qint64 seconds, qint64 maxMs)
{
    maxMs = std::max<qint64>(0, maxMs);
    if (seconds <= 0)
        return 0;
    if (seconds > maxMs / 1000)
        return maxMs;
    return std::min(maxMs, seconds * 1000);
}

qint64 saturatingAdd(qint64 a, qint64 b)
{
    qint64 r = 0;
    if (__builtin_add_overflow(a, b, &r))
        return b > 0 ? std::numeric_limits<qint64>::max() : std::numeric_limits<qint64>::min();
    return r;
}

qint64 saturatingMul(qint64 a, qint64 b)
{
    qint64 r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        return (a < 0) != (b < 0) ? std::numeric_limits<qint64>::min()
                                  : std::numeric_limits<qint64>::max();
    return r;
}

ClampedSeconds clampSeconds(double seconds, double maxS)
{
    if (std::isnan(seconds) || seconds < 0)
        return {0, true};
    if (seconds > maxS)
        return {maxS, true};
    return {seconds, false};
}

QString secondsText(double seconds)
{
    if (std::isnan(seconds))
        return QStringLiteral("NaN");
    // Integral values up to 10^15 print in full; others in the shortest round-trip form.
    if (std::isfinite(seconds) && std::abs(seconds) < 1e15 && seconds == std::floor(seconds))
        return QString::number(static_cast<qint64>(seconds));
    return QString::number(seconds, 'g', 6);
}

} // namespace hd
