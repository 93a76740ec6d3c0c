#pragma once

// report.pdf: the bundle's summary laid out on A4 pages with PdfWriter — header, timeline
// chart, failures by category, top failing endpoints, then every selected failure with its
// request, response, identifiers, retry history, advice and token and rate-limit state.

#include "bundlesummary.h"

#include <QByteArray>

namespace hd {

class PdfReport
{
public:
    static QByteArray render(const BundleSummary &summary);
};

} // namespace hd
