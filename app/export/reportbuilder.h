#pragma once

// report.html: the bundle's summary as one self-contained HTML page (inline CSS, inline SVG
// charts, no scripts, nothing fetched), readable offline in any browser.

#include "bundlesummary.h"

#include <QByteArray>

namespace hd {

class ReportBuilder
{
public:
    // What the page is for. A browser: charts as inline SVG, sizes in CSS pixels (report.html).
    // The PDF renderer (PdfReport, QTextDocument): charts as the image resources
    // "chart:timeline" and "chart:categories" laid out chartWidth device pixels wide, sizes in
    // points — the same words, tables and order, so both reports say the same thing.
    struct Target
    {
        bool pdf = false;
        int chartWidth = 0;
    };
    static QByteArray html(const BundleSummary &summary, const Target &target);
    static QByteArray html(const BundleSummary &summary) { return html(summary, Target{}); }
    static QString timelineSvg(const BundleSummary &summary);
    static QString categorySvg(const BundleSummary &summary);
};

} // namespace hd
