#pragma once

// Optional parts of `hdeck watch` that other components provide: the in-process simulator for
// "sim:" environments, the history database (--db) and the Prometheus endpoint (--metrics).

#include "apievent.h"
#include "monitorengine.h"
#include "workspace.h"

#include <memory>

namespace hd::cli::watchhooks {

class Hooks
{
public:
    virtual ~Hooks() = default;
    virtual void onEvent(const ApiEvent &event) = 0;
    virtual void finish() = 0;
};

// Whether this build provides an option ("db", "metrics").
bool supports(const QString &option);
// Starts what the workspace and options ask for and fills options (e.g. simulatorBaseUrl).
std::unique_ptr<Hooks> start(const Workspace &ws, const QString &dbPath, const QString &metricsAddress,
                             EngineOptions &options, QString &error);

} // namespace hd::cli::watchhooks
