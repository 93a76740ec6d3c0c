#pragma once

// OpenAPI 3.0/3.1 and Swagger 2.0 (JSON or YAML) → a proposed workspace change
// (docs/import.md): servers become environments, operations endpoints (GET/HEAD operations
// without required parameters are selected, the rest listed), security schemes credentials
// by secret name. Local $refs are followed (with a hop limit, so cycles end); others are
// skipped with a reason.

#include "importresult.h"

#include <QByteArray>

namespace hd {

ImportResult importOpenApi(const QByteArray &text,
                           const QString &origin = QStringLiteral("openapi"));

} // namespace hd
