#pragma once

#include "apievent.h"

#include <QHash>
#include <QMainWindow>
#include <QQueue>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class QTimer;

namespace hd {

class ChartPanel;
class EndpointTree;
class ErrorLogModel;
class EventDetailView;
class MonitorSession;
struct Workspace;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Opens a workspace file; on failure shows the message and keeps what is running.
    bool openWorkspaceFile(const QString &path);
    // The built-in demo workspace on the in-process simulator.
    bool openDemoWorkspace();

    // The text of Help → About, also used by tests.
    static QString aboutText();
    ErrorLogModel *logModel() const { return m_logModel; }
    MonitorSession *session() const { return m_session.get(); }

private:
    bool openWorkspace(const Workspace &ws, const QString &origin);
    void createMenus();
    void createWidgets();
    void showAbout();
    void onEvent(const ApiEvent &event);
    void onTick();
    void onFilterEdited();
    void onCurrentRowChanged();
    void chooseWorkspaceFile();

    std::unique_ptr<MonitorSession> m_session;
    EndpointTree *m_tree = nullptr;
    ChartPanel *m_charts = nullptr;
    ErrorLogModel *m_logModel = nullptr;
    QTableView *m_logView = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_filterError = nullptr;
    EventDetailView *m_detail = nullptr;
    QLabel *m_statusPolling = nullptr;
    QLabel *m_statusRate = nullptr;
    QTimer *m_tick = nullptr;
    QTimer *m_filterDebounce = nullptr;
    // Full events behind the compact log rows, for the detail pane (bounded).
    QHash<QString, ApiEvent> m_recent;
    QQueue<QString> m_recentOrder;
    QStringList m_warnings;
    qint64 m_eventsThisSecond = 0;
    qint64 m_eventsTotal = 0;
    int m_ticks = 0;
    double m_rate = 0;
    QString m_workspaceName;
};

} // namespace hd
