#pragma once

// environment.json: app, Qt and OS versions and a summary of the workspace (environments,
// credentials by method and client id, endpoints) — names of secrets at most, never values;
// URLs, headers and bodies go through the redactor.

#include "redactor.h"
#include "workspace.h"

#include <QByteArray>

#include <optional>

namespace hd {

class EnvironmentInfo
{
public:
    static QByteArray json(const std::optional<Workspace> &workspace, const Redactor &redactor,
                           qint64 createdMs);
};

} // namespace hd
