#pragma once

// The one place base URLs are joined and the simulator's placeholders recognised (issue 22:
// "sim:" was tested at ten places and URLs joined four times, each slightly differently).
//
//  - joinUrl("https://api.test/v1", "orders") and ("https://api.test/v1/", "/orders") are both
//    "https://api.test/v1/orders"; an empty path leaves the base as it is.
//  - "sim:" (the plain simulator) and "sim+tls…:" (its HTTPS routes) are placeholders the
//    engine replaces with the running simulator's addresses (docs/simulator.md).

#include <QString>

namespace hd {

struct Workspace;

QString joinUrl(const QString &base, const QString &path);

// "sim:…" or "sim+tls…:…".
bool isSimulatorUrl(const QString &url);
// "sim:…" → simulatorBaseUrl joined with the rest (joinUrl: "sim:x" and "sim:/x" alike);
// other URLs unchanged. Empty when url needs the simulator and simulatorBaseUrl is empty (it
// is not running).
QString withSimulatorBase(const QString &url, const QString &simulatorBaseUrl);
// The workspace asks for the simulator: "simulator" on, or an environment on a placeholder.
bool usesSimulator(const Workspace &ws);

} // namespace hd
