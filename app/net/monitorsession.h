#pragma once

// MonitorSession: everything a workspace needs to run, started the same way by the console and
// by `hdeck watch`: the built-in simulator for "sim:" environments (with its demo secrets as
// the fallback for the HDECK_SIM_* names its demo uses), the polling engine, and optionally the
// history store. One place, so the GUI and the CLI can never disagree about how a workspace runs.

#include "monitorengine.h"
#include "workspace.h"

#include <QObject>

#include <memory>

namespace hd {

class HistoryStore;
class Simulator;

class MonitorSession : public QObject
{
    Q_OBJECT
public:
    explicit MonitorSession(QObject *parent = nullptr);
    ~MonitorSession() override;

    // Returns an error message, or empty. dbPath empty: no history. Notices (a corrupt history
    // moved aside, the simulator's address) and unpollable endpoints arrive as warning().
    QString open(const Workspace &workspace, const QString &dbPath = {},
                 EngineOptions options = {});
    void start();
    // Stops polling, commits history, stops the simulator.
    void close();

    MonitorEngine *engine() const { return m_engine.get(); }
    Simulator *simulator() const { return m_simulator.get(); }
    HistoryStore *history() const { return m_history.get(); }

signals:
    void eventReady(const hd::ApiEvent &event);
    void warning(const QString &message);

private:
    std::unique_ptr<Simulator> m_simulator;
    std::unique_ptr<HistoryStore> m_history;
    std::unique_ptr<MonitorEngine> m_engine;
};

} // namespace hd
