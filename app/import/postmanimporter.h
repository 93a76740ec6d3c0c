#pragma once

// Postman collection v2.1 (v2.0 reads the same), with an optional Postman environment file,
// → a proposed workspace change (docs/import.md). Folders become endpoint id prefixes;
// variables resolve environment file first, then the innermost folder, then the collection;
// a URL that starts with {{variable}} makes that variable's value an environment. Auth
// (bearer, apikey, basic, oauth2 client credentials) at request, folder or collection level
// becomes credentials by secret name; the values go to the keychain, never the workspace.

#include "importresult.h"

#include <QByteArray>

namespace hd {

ImportResult importPostman(const QByteArray &collection,
                           const QString &origin = QStringLiteral("postman"),
                           const QByteArray &environment = {},
                           const QString &environmentOrigin = QStringLiteral("environment"));

} // namespace hd
