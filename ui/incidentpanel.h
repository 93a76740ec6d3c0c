#pragma once

// The incidents view (docs/incidents.md), in the "incidentDock" dock: every incident of the
// session and of the history (newest first: firing, acknowledged, resolved) on the left; the
// selected one on the right as a timeline — fired, escalated, who was told, acknowledged (by
// whom, from where), notes, resolved — with its failed events as links that open them in the
// detail pane. Acknowledge takes it in the name shown in "As" (kept in the settings, the login
// name by default); a note is typed below the timeline and kept with the incident (redacted).
// Object names: "incidentPanel", "incidentTree", "incidentTimeline", "incidentAcknowledge",
// "incidentNote", "incidentAddNote", "incidentAuthor".

#include "incidentlog.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTextBrowser;
class QTreeWidget;
class QTreeWidgetItem;

namespace hd {

class MonitorSession;

class IncidentPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column { State, Fired, Alert, Subject, Acknowledged, Duration, ColumnCount };

    explicit IncidentPanel(QWidget *parent = nullptr);

    // The running session (nullptr when none): its incident log is shown and followed.
    void setSession(MonitorSession *session);
    // The name acknowledgements and notes are made in (settings "incidents/name").
    QString author() const;
    static QString defaultAuthor();

    // Selects an incident (the banner's "Incident" link, tests). False when it is not there.
    bool showIncident(const QString &id);
    QString currentIncidentId() const;
    // How long the open ones have been open (the window calls it every few seconds).
    void refreshDurations();
    QTreeWidget *tree() const { return m_tree; }
    QTextBrowser *timeline() const { return m_timeline; }
    // The timeline of one incident as HTML (also for the tests).
    static QString timelineHtml(const Incident &incident, qint64 nowMs);

signals:
    // A link in the timeline: show this event in the detail pane.
    void eventRequested(const QString &eventId);
    // After an acknowledgement from here (the window refreshes the banner and the list).
    void acknowledged(const QString &ruleId, const QString &subject);

private:
    void onChanged(const Incident &incident);
    void rebuild();
    void fill(QTreeWidgetItem *item, const Incident &incident) const;
    void showCurrent();
    void acknowledgeCurrent();
    void addNote();

    QPointer<MonitorSession> m_session;
    QTreeWidget *m_tree = nullptr;
    QLabel *m_title = nullptr;
    QTextBrowser *m_timeline = nullptr;
    QPushButton *m_ack = nullptr;
    QPlainTextEdit *m_note = nullptr;
    QPushButton *m_addNote = nullptr;
    QLineEdit *m_author = nullptr;
    QLabel *m_noteError = nullptr;
};

} // namespace hd
