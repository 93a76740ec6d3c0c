#pragma once

// The detail pane: one event as an operator reads it during an incident — what happened, what
// to do (the seed's advice), the identifiers a support desk asks for (each with a Copy button),
// the retry timeline of every attempt of the same request (on the summary, once there was a
// retry), and the request and the response (pretty-printed JSON, headers as a table).
//
// Wiring (console): `new EventDetailView(parent)`; call showApiEvent(event, attempts) when a row
// is selected — attempts may be any recent events, attemptChain() picks the ones that belong
// to the same request; connect addToSupportBundleRequested(eventId) to the export selection.
//
// Object names: "eventDetailView" (this), "eventDetail" (the summary QTextBrowser),
// "detailTabs", "detailCopyCurl", "detailAddToBundle", "detailCopyJson",
// "detailRequestHeaders", "detailRequestBody", "detailResponseHeaders", "detailResponseBody",
// "detailTimeline" (in the group "detailAttempts"), "detailCopyId_<name>" (one per identifier, e.g.
// detailCopyId_traceId).

#include "apievent.h"
#include "workspace.h"

#include <QWidget>

class QGridLayout;
class QGroupBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTextBrowser;

namespace hd {

class EventDetailView : public QWidget
{
    Q_OBJECT
public:
    explicit EventDetailView(QWidget *parent = nullptr);

    // Shows one event. attempts: other recent events; the ones of the same request (same
    // environment and endpoint, consecutive attempt numbers) form the retry timeline.
    void showApiEvent(const ApiEvent &event, const QList<ApiEvent> &attempts = {});
    void showNothing();
    // Shows a note instead of an event (e.g. "older than the events kept in memory").
    void setHtml(const QString &html);

    // The workspace the events come from: names curl variables after the endpoint's credential.
    void setWorkspace(const Workspace &workspace) { m_workspace = workspace; }

    bool hasEvent() const { return m_hasEvent; }
    const ApiEvent &shownEvent() const { return m_event; }

    // The curl command of the shown event, secrets as $VARIABLES; empty without an event.
    QString curlCommand() const;

    // The summary as HTML (headline, advice, error details, rate limit, token).
    static QString toHtml(const ApiEvent &event);
    // "Why this verdict": the profile and the rules that decided category, code, message and
    // retry, derived by classifying the event's stored response again with an explanation.
    // Says so when the stored (redacted, capped) response no longer gives the same verdict;
    // empty for events without a status or network error to classify.
    static QString whyHtml(const ApiEvent &event);
    // The attempts of event's request among candidates, oldest first; always holds event.
    static QList<ApiEvent> attemptChain(const ApiEvent &event, const QList<ApiEvent> &candidates);
    // JSON text pretty-printed with two spaces; other text unchanged.
    static QString prettyBody(const QString &body);

signals:
    // "Add to support bundle": the console adds this event to the export selection.
    void addToSupportBundleRequested(const QString &eventId);

private:
    void copyToClipboard(const QString &text, const QString &what);
    void fillIdentifiers(const ApiEvent &event);
    void fillRequest(const ApiEvent &event);
    void fillResponse(const ApiEvent &event);
    void fillTimeline(const QList<ApiEvent> &chain);
    void setActionsEnabled(bool enabled);

    ApiEvent m_event;
    Workspace m_workspace;
    bool m_hasEvent = false;
    QLabel *m_headline = nullptr;
    QLabel *m_copied = nullptr;
    QPushButton *m_copyCurl = nullptr;
    QPushButton *m_addToBundle = nullptr;
    QPushButton *m_copyJson = nullptr;
    QTabWidget *m_tabs = nullptr;
    QTextBrowser *m_summary = nullptr;
    QGroupBox *m_idBox = nullptr;
    QGridLayout *m_idGrid = nullptr;
    QLabel *m_requestLine = nullptr;
    QTableWidget *m_requestHeaders = nullptr;
    QPlainTextEdit *m_requestBody = nullptr;
    QLabel *m_responseLine = nullptr;
    QTableWidget *m_responseHeaders = nullptr;
    QPlainTextEdit *m_responseBody = nullptr;
    QGroupBox *m_timelineBox = nullptr;
    QTableWidget *m_timeline = nullptr;
};

} // namespace hd
