#pragma once

// Colours and the look of the console's charts. Response classes have fixed colours from the
// Okabe–Ito palette (distinguishable with the common colour-vision deficiencies), so a class
// means the same colour on every chart and in every theme; only the chart furniture
// (background, text, grid) follows the widget palette, light or dark.

#include "responseclass.h"
#include "timebucket.h"

#include <QColor>
#include <QPalette>

QT_BEGIN_NAMESPACE
class QChart;
QT_END_NAMESPACE

namespace hd {

class ChartStyle
{
public:
    static bool isDark(const QPalette &palette);
    static QColor classColor(ResponseClass c, bool dark);
    // Colour n of a cycle for per-credential lines (headroom, tokens) and latency percentiles.
    static QColor lineColor(int n, bool dark);
    static QColor sloColor(bool dark);
    // Phases of a request, stacked: the connection's phases in blues, the server's time
    // (first byte) in orange — the band people look for — and the transfer in green.
    static QColor phaseColor(Phase p, bool dark);
    // Background, title, axis labels and grid lines, legend text from the palette.
    static void apply(QChart *chart, const QPalette &palette);
};

} // namespace hd
