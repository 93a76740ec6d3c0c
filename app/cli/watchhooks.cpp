#include "watchhooks.h"

#include "historystore.h"

#include <cstdio>

namespace hd::cli::watchhooks {
namespace {

class WatchHooks final : public Hooks
{
public:
    std::unique_ptr<HistoryStore> store;

    void onEvent(const ApiEvent &event) override
    {
        if (store)
            store->append(event);
    }

    void finish() override
    {
        if (store)
            store->close();  // commits what is queued
    }
};

} // namespace

bool supports(const QString &option)
{
    return option == u"db";  // --metrics arrives with the Prometheus endpoint
}

std::unique_ptr<Hooks> start(const Workspace &ws, const QString &dbPath, const QString &metricsAddress,
                             EngineOptions &options, QString &error)
{
    Q_UNUSED(metricsAddress);
    Q_UNUSED(options);
    for (const Environment &env : ws.environments) {
        if (env.baseUrl.startsWith(QStringLiteral("sim:"))) {
            error = QStringLiteral("environment %1 uses the built-in simulator, which this build does not include")
                        .arg(env.id);
            return {};
        }
    }
    auto hooks = std::make_unique<WatchHooks>();
    if (!dbPath.isEmpty()) {
        hooks->store = std::make_unique<HistoryStore>();
        const auto opened = hooks->store->open(dbPath);
        if (!opened.ok) {
            error = opened.error;
            return {};
        }
        if (!opened.notice.isEmpty())
            std::fprintf(stderr, "hdeck: %s\n", qPrintable(opened.notice));
    }
    return hooks;
}

} // namespace hd::cli::watchhooks
