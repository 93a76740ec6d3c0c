#pragma once

// curl command lines → a proposed workspace change (docs/import.md). Reads what vendor docs
// and our own support bundles write (-X, -H, -d/--data*/--json, -u, --url, -G, quoting,
// continuations, several commands). Secret values (-u user:pass, Authorization, API-key
// headers and query parameters) become credentials whose values are returned for the
// keychain; $VARIABLES and <PLACEHOLDERS> name the secret instead.

#include "importresult.h"

#include <QByteArray>

namespace hd {

ImportResult importCurl(const QByteArray &text, const QString &origin = QStringLiteral("curl"));

} // namespace hd
