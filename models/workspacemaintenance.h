#pragma once

// The "maintenance" and "slos" members of a workspace (docs/calendars.md, docs/slo.md), kept
// apart from the loader's main file. Read after environments, endpoints and streams: a scope
// that names none of them (nor "*") is a warning, not an error, so deleting an environment in
// the console's editor never makes the file unloadable. Internal to models/.

#include "workspace.h"
#include "workspacereader.h"

namespace hd::workspacejson {

// Bounds: a workspace is edited by people; these only stop a hostile file.
inline constexpr std::size_t MaxMaintenanceWindows = 500;
inline constexpr std::size_t MaxSlos = 200;

// Reads /maintenance into ws.maintenance; throws Invalid.
void readMaintenance(const Reader &root, Workspace &ws, QStringList &warnings);
// Reads /slos into ws.slos; throws Invalid.
void readSlos(const Reader &root, Workspace &ws, QStringList &warnings);

Json maintenanceJson(const Workspace &ws);
Json slosJson(const Workspace &ws);

} // namespace hd::workspacejson
