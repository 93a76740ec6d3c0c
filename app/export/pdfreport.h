#pragma once

// report.pdf: the bundle's summary on A4 pages, laid out by QtGui's text engine from the same
// HTML as report.html (ReportBuilder, with the charts as images, ReportCharts) and written by
// QPdfWriter. Real fonts with fallback, embedded as subsets: an error message in Japanese,
// Chinese or Russian — common from exchanges — prints as it came. Each page has a footer
// "page N of M". Headless: it needs a QGuiApplication, on the offscreen platform if there is no
// display (hdeck export creates one; the console has one).

#include "bundlesummary.h"

#include <QByteArray>

namespace hd {

class PdfReport
{
public:
    // The PDF, or an empty array when this process has no QGuiApplication (nothing can lay out
    // text without one); the bundle then says why it has no report.pdf.
    static QByteArray render(const BundleSummary &summary);
    static bool available();
};

} // namespace hd
