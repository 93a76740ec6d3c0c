#pragma once

// report.html: the bundle's summary as one self-contained HTML page (inline CSS, inline SVG
// charts, no scripts, nothing fetched), readable offline in any browser.

#include "bundlesummary.h"

#include <QByteArray>

namespace hd {

class ReportBuilder
{
public:
    static QByteArray html(const BundleSummary &summary);
    static QString timelineSvg(const BundleSummary &summary);
    static QString categorySvg(const BundleSummary &summary);
};

} // namespace hd
