#pragma once

// The report's two charts drawn with QPainter for the PDF (the HTML report draws the same data
// as inline SVG, ReportBuilder): events over time stacked by outcome, and failures by category.
// Same geometry, colours (reportstyle) and labels as the SVG, so both reports tell one story.
// Images, because a QTextDocument flows images, not vector drawings; they are drawn at a
// multiple of their layout size so they stay sharp when printed.

#include "bundlesummary.h"

#include <QImage>

namespace hd::reportcharts {

// Layout size in chart units (the SVG's viewBox): 900 wide.
QSize timelineSize();
QSize categoriesSize(const BundleSummary &s);

QImage timeline(const BundleSummary &s, qreal scale);
QImage categories(const BundleSummary &s, qreal scale);

} // namespace hd::reportcharts
