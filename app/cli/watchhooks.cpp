#include "watchhooks.h"

#include "historystore.h"
#include "simdemosecrets.h"
#include "simulator.h"

#include <cstdio>

namespace hd::cli::watchhooks {
namespace {

class WatchHooks final : public Hooks
{
public:
    std::unique_ptr<HistoryStore> store;
    std::unique_ptr<Simulator> simulator;

    void onEvent(const ApiEvent &event) override
    {
        if (store)
            store->append(event);
    }

    void finish() override
    {
        if (store)
            store->close();  // commits what is queued
        if (simulator)
            simulator->stop();
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
    auto hooks = std::make_unique<WatchHooks>();
    const bool wantsSimulator = ws.simulator || std::any_of(ws.environments.cbegin(), ws.environments.cend(), [](const Environment &e) {
                                    return e.baseUrl.startsWith(QStringLiteral("sim:"));
                                });
    if (wantsSimulator) {
        // The workspace's "sim:" environments point at the built-in simulator, run in-process
        // on a free loopback port.
        SimConfig config;
        config.seed = quint32(ws.simulatorSeed);
        config.demoSchedule = ws.simulatorDemoSchedule;
        hooks->simulator = std::make_unique<Simulator>(config);
        if (hooks->simulator->start(0) == 0) {
            error = QStringLiteral("cannot start the built-in simulator: %1").arg(hooks->simulator->errorString());
            return {};
        }
        options.simulatorBaseUrl = hooks->simulator->baseUrl().toString();
        // Real secrets first (HDECK_SECRET_<NAME>); the simulator's demo secrets only for the
        // HDECK_SIM_* names its demo workspace uses.
        options.secretLookup = [](const QString &name) -> std::optional<QString> {
            const QByteArray v = qgetenv(MonitorEngine::secretEnvironmentVariable(name).toLatin1().constData());
            if (!v.isEmpty())
                return QString::fromUtf8(v);
            return SimDemoSecrets::lookup(name);
        };
        std::fprintf(stderr, "hdeck: built-in simulator listening on %s\n", qPrintable(options.simulatorBaseUrl));
    }
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
