#pragma once

// Conversions of untrusted numbers that cannot go wrong: a double that is NaN, infinite or too
// large for a qint64 is undefined behaviour when cast, and "now + ms" can overflow. Every server
// number that becomes a duration goes through these.

#include "resourcelimits.h"

#include <QString>
#include <QtGlobal>

#include <optional>

namespace hd {

// The double as a qint64 if it is finite and in range (truncated toward zero), else nullopt.
std::optional<qint64> checkedToInt64(double value);
// The double as a qint64, saturating: NaN → 0, below/above range → the qint64 min/max.
qint64 saturatingToInt64(double value);

// Seconds (possibly fractional) to whole milliseconds, rounded to nearest and clamped to
// [0, maxMs]: NaN and negatives become 0, +inf and huge values maxMs.
qint64 secondsToMs(double seconds, qint64 maxMs = limits::MaxDurationMs);
// Same for integral seconds.
qint64 secondsToMs(qint64 seconds, qint64 maxMs = limits::MaxDurationMs);

// a + b and a * b, saturating at the qint64 range instead of overflowing.
qint64 saturatingAdd(qint64 a, qint64 b);
qint64 saturatingMul(qint64 a, qint64 b);

// A duration in seconds clamped to [0, maxS]; `clamped` says whether the value had to change
// (NaN and negatives count as clamped to 0).
struct ClampedSeconds
{
    double seconds = 0;
    bool clamped = false;
};
ClampedSeconds clampSeconds(double seconds, double maxS);

// Short human form of a number of seconds for notes: "315360000", "1e+300", "2.5".
QString secondsText(double seconds);

} // namespace hd
