#pragma once

// The request composer: a small API client inside the console. Method, URL (or a path under
// an environment's base URL, or an endpoint of the workspace as a starting point), headers,
// body and credential; the request goes through the engine (MonitorEngine::resolve for URL
// and static credentials, the credential's TokenService for tokens, ProbeRunner for
// classification and retries) on a network thread of its own, and the classified result is
// shown in an EventDetailView: category, status, the seed's advice, headers, pretty body,
// identifiers and the attempts. Sent requests are kept in an in-memory history for this
// session. Secret values are never displayed: credentials are applied by the engine after
// the form is read, and everything shown comes back redacted.
//
// Wiring (console): `new RequestComposer(session, parent)` (session may be null; call
// setSession() when the workspace changes). eventReady() carries every attempt, for the log.
// Object names: "requestComposer", "composerEndpoint", "composerMethod", "composerUrl",
// "composerEnvironment", "composerCredential", "composerProfile", "composerTimeout",
// "composerRetries", "composerHeaders", "composerAddHeader", "composerRemoveHeader",
// "composerBody", "composerSend", "composerCancel", "composerStatus", "composerHistory",
// "composerResult" (the EventDetailView).

#include "apievent.h"
#include "retrypolicy.h"
#include "workspace.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace hd {

class ComposerSender;
class EventDetailView;
class MonitorSession;
struct HttpRequestSpec;

class RequestComposer : public QWidget
{
    Q_OBJECT
public:
    explicit RequestComposer(MonitorSession *session, QWidget *parent = nullptr);
    ~RequestComposer() override;

    // Points the composer at a (new) running workspace; null: only absolute URLs without a
    // credential can be sent.
    void setSession(MonitorSession *session);
    // Fills the form from an endpoint of the workspace.
    void prefill(const QString &endpointId);
    // Sends what the form says (same as the Send button).
    void send();
    // Backoff between retries (default: the engine's, seed 000's 1-2 s growing to 30 s).
    void setRetryBackoff(const BackoffConfig &backoff) { m_backoff = backoff; }

    struct HistoryEntry
    {
        Endpoint request; // as the form said it (credential by id, never a secret value)
        int retries = 0;
        qint64 sentAtMs = 0;
        QList<ApiEvent> attempts;
        QString outcome; // why the run stopped, once finished
    };
    const QList<HistoryEntry> &history() const { return m_history; }
    EventDetailView *resultView() const { return m_result; }

signals:
    void eventReady(const hd::ApiEvent &event);
    // A run ended; reason as ProbeRunner says it.
    void finished(const QString &reason);

private:
    Endpoint formRequest() const;
    void loadForm(const Endpoint &request, int retries);
    void reloadWorkspace();
    void updateBaseUrl();
    void setBusy(bool busy);
    void setStatus(const QString &text, bool error);
    void dispatch(HttpRequestSpec spec, const QString &tokenCredential);
    void onAttempt(const ApiEvent &event);
    void onFinished(const QString &reason);
    void showHistoryEntry(int row);
    QString historyText(const HistoryEntry &entry) const;

    QPointer<MonitorSession> m_session;
    BackoffConfig m_backoff;
    Workspace m_workspace;
    ComposerSender *m_sender = nullptr;
    QList<HistoryEntry> m_history;
    int m_current = -1; // history row of the run in flight
    QMetaObject::Connection m_tokenReady;
    QMetaObject::Connection m_tokenFailed;

    QComboBox *m_endpoint = nullptr;
    QComboBox *m_method = nullptr;
    QLineEdit *m_url = nullptr;
    QLabel *m_baseUrl = nullptr;
    QComboBox *m_environment = nullptr;
    QComboBox *m_credential = nullptr;
    QComboBox *m_profile = nullptr;
    QSpinBox *m_timeout = nullptr;
    QSpinBox *m_retries = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    QPushButton *m_send = nullptr;
    QPushButton *m_cancel = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_historyList = nullptr;
    EventDetailView *m_result = nullptr;
};

} // namespace hd
