#include "monitorsession.h"

#include "environmentsecretstore.h"
#include "historystore.h"
#include "simdemosecrets.h"
#include "simulator.h"

namespace hd {

MonitorSession::MonitorSession(QObject *parent)
    : QObject(parent)
{}

MonitorSession::~MonitorSession()
{
    close();
}

QString MonitorSession::open(const Workspace &ws, const QString &dbPath, EngineOptions options)
{
    close();
    const bool wantsSimulator
        = ws.simulator
          || std::any_of(
              ws.environments.cbegin(), ws.environments.cend(),
              [](const Environment &e) { return e.baseUrl.startsWith(QStringLiteral("sim:")); });
    if (wantsSimulator) {
        SimConfig config;
        config.seed = quint32(ws.simulatorSeed);
        config.demoSchedule = ws.simulatorDemoSchedule;
        m_simulator = std::make_unique<Simulator>(config);
        if (m_simulator->start(0) == 0) {
            const QString error = QStringLiteral("cannot start the built-in simulator: %1")
                                      .arg(m_simulator->errorString());
            m_simulator.reset();
            return error;
        }
        options.simulatorBaseUrl = m_simulator->baseUrl().toString();
        emit warning(
            QStringLiteral("built-in simulator listening on %1").arg(options.simulatorBaseUrl));
        if (!options.secretLookup) {
            // Real secrets first (HDECK_SECRET_<NAME>); the simulator's demo secrets only for
            // the HDECK_SIM_* names its demo workspace uses.
            options.secretLookup = [](const QString &name) -> std::optional<QString> {
                if (auto real = EnvironmentSecretStore::lookup(name))
                    return real;
                return SimDemoSecrets::lookup(name);
            };
        }
    }
    if (!dbPath.isEmpty()) {
        m_history = std::make_unique<HistoryStore>();
        const auto opened = m_history->open(dbPath);
        if (!opened.ok) {
            m_history.reset();
            close();
            return opened.error;
        }
        if (!opened.notice.isEmpty())
            emit warning(opened.notice);
    }
    m_engine = std::make_unique<MonitorEngine>();
    connect(m_engine.get(), &MonitorEngine::warning, this, &MonitorSession::warning);
    connect(m_engine.get(), &MonitorEngine::eventReady, this, [this](const ApiEvent &e) {
        if (m_history)
            m_history->append(e);
        emit eventReady(e);
    });
    const QString error = m_engine->load(ws, std::move(options));
    if (!error.isEmpty()) {
        close();
        return error;
    }
    return {};
}

void MonitorSession::start()
{
    if (m_engine)
        m_engine->start();
}

void MonitorSession::close()
{
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
    if (m_history)
        m_history->close();
    m_history.reset();
    if (m_simulator)
        m_simulator->stop();
    m_simulator.reset();
}

} // namespace hd
