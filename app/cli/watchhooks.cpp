#include "watchhooks.h"

namespace hd::cli::watchhooks {

bool supports(const QString &option)
{
    Q_UNUSED(option);
    return false;  // --db and --metrics arrive with the history store and the metrics endpoint
}

std::unique_ptr<Hooks> start(const Workspace &ws, const QString &dbPath, const QString &metricsAddress,
                             EngineOptions &options, QString &error)
{
    Q_UNUSED(dbPath);
    Q_UNUSED(metricsAddress);
    Q_UNUSED(options);
    for (const Environment &env : ws.environments) {
        if (env.baseUrl.startsWith(QStringLiteral("sim:"))) {
            error = QStringLiteral("environment %1 uses the built-in simulator, which this build does not include")
                        .arg(env.id);
            return {};
        }
    }
    return {};
}

} // namespace hd::cli::watchhooks
