#pragma once

// HAR 1.2 (a browser's "Save all as HAR", or our own bundles' requests.har) → a proposed
// workspace change (docs/import.md). Each distinct request — method and URL without query
// values — becomes one endpoint candidate; GETs that got a 2xx/3xx answer are selected.
// Static assets, CORS preflights and browser-only headers are left out; cookies are session
// state and never imported; Authorization and API-key headers become credentials.

#include "importresult.h"

#include <QByteArray>

namespace hd {

ImportResult importHar(const QByteArray &text, const QString &origin = QStringLiteral("har"));

} // namespace hd
