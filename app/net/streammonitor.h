#pragma once

// StreamMonitor: one WebSocket session in the seed 003 frame protocol, watched the way the
// poller watches HTTP endpoints (docs/streams.md). It connects, waits for "o", authorizes
// with the credential's token (TokenService: single flight, one refresh per 401), sends the
// client heartbeat "[]", subscribes, sends periodic requests and checks every answer frame.
//
// Every answer frame becomes an ApiEvent (status from "s", request id from "i" as the trace
// id, body classified by the profile); so do the things that go wrong on a stream: a refused
// or timed-out handshake, an unexpected close or drop (stream_dropped), a server heartbeat
// that stops (timeout), an unauthorized frame (unauthorized: re-authorize with a fresh token),
// a malformed frame (network_other, the session goes on). A lost session is reconnected with
// exponential backoff and full jitter; after the configured number of failed reconnects in a
// row the monitor gives up with an event whose error.code is "stream_gave_up" (the alert of
// that name), and subscriptions are sent again after every reconnect.
//
// Lives on the engine's thread, like the TokenService it shares with the HTTP endpoints. All
// timing goes through the injected Clock: deadlines are monotonic times, a timer is armed for
// the nearest one and tick() processes whatever is due, so tests move a ManualClock instead of
// sleeping. The random source of the jitter is injectable too.

#include "aggregatortypes.h"
#include "apievent.h"
#include "classifier.h"
#include "clock.h"
#include "environmentnetwork.h"
#include "reconnectbackoff.h"
#include "workspace.h"

#include <QAbstractSocket>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

#include <array>
#include <functional>
#include <memory>

class QWebSocket;

namespace hd {

class TokenService;

struct StreamMonitorSpec
{
    StreamEndpoint def;
    QUrl url;                       // resolved ws:// or wss:// URL
    TokenService *tokens = nullptr; // token credentials; owned by the engine
    QString staticToken;            // a bearer credential's token
    // False: the stream is used without an authorize request (no credential).
    bool authorize = false;
    // The environment's TLS and proxy (null: system defaults).
    std::shared_ptr<const EnvironmentNetwork> network;
};

class StreamMonitor : public QObject
{
    Q_OBJECT
public:
    StreamMonitor(StreamMonitorSpec spec, std::shared_ptr<const Classifier> classifier,
                  const Clock &clock = Clock::system(), std::function<double()> random = {},
                  QObject *parent = nullptr);
    ~StreamMonitor() override;

    const StreamEndpoint &definition() const { return m_spec.def; }
    QUrl url() const { return m_spec.url; }

    void start();
    void stop();
    bool isRunning() const { return m_running; }

    // Processes everything due at the clock's current time; the timer calls it, tests may too.
    void tick();

    StreamHealth::State state() const { return m_state; }
    StreamHealth health() const;
    // Requests sent and not yet answered.
    int pendingRequests() const { return int(m_pending.size()); }

    // The body text written for the token in an authorize request's event.
    static QString tokenPlaceholder() { return QStringLiteral("[REDACTED]"); }

signals:
    void eventReady(const hd::ApiEvent &event);
    // Connected, lost, reconnecting, gave up: the health worth showing changed.
    void healthChanged();

private:
    enum class RequestKind { Authorize, Subscribe, Request };
    struct Pending
    {
        QString endpoint;
        RequestKind kind = RequestKind::Request;
        qint64 sentMono = 0;
        qint64 sentWall = 0;
        qint64 deadlineMono = 0;
        QString text; // the frame as sent, token replaced
        QString usedToken;
    };

    void setState(StreamHealth::State state);
    void connectNow();
    void onText(const QString &text);
    void onSocketError(QAbstractSocket::SocketError error);
    void onLost(quint64 generation);
    void onOpen();
    void authorize();
    void onTokenReady();
    void onAuthorized();
    void sendRequest(const StreamRequest &request, RequestKind kind, const QString &token = {});
    void onResponse(const nlohmann::json &message);
    void onMalformed(const QString &text, const QString &problem);
    void onUnauthorized(const Pending &request, ApiEvent event);
    // The session is over (or never began): close the socket, emit `event` with the reconnect
    // decision filled in, and either wait out the backoff or give up.
    void endSession(ApiEvent event);
    void giveUp(int failures);
    void closeSocket();
    void armTimer();
    void countFrame(const QString &text, qint64 now);

    ApiEvent baseEvent(const QString &requestText) const;
    ApiEvent connectionEvent(const QString &networkError, const QString &message) const;
    void emitEvent(ApiEvent &event);

    StreamMonitorSpec m_spec;
    std::shared_ptr<const Classifier> m_classifier;
    const Clock &m_clock;
    ReconnectBackoff m_backoff;
    QTimer m_timer;
    QWebSocket *m_socket = nullptr;
    quint64 m_generation = 0; // one per connection; stale socket signals are ignored
    bool m_running = false;
    bool m_lostHandled = false;
    bool m_sawOpen = false;
    bool m_waitingForToken = false;
    bool m_closeFrame = false;    // the server sent c[…]
    bool m_protocolClose = false; // the server sent a WebSocket close frame
    int m_closeCode = 0;
    QString m_closeReason;
    QAbstractSocket::SocketError m_socketError = QAbstractSocket::UnknownSocketError;
    QString m_socketErrorText;
    StreamHealth::State m_state = StreamHealth::State::Idle;
    QString m_usedToken;
    quint64 m_nextRequestId = 1;
    QHash<QString, Pending> m_pending; // by request id

    // Deadlines, monotonic ms; 0 = none.
    qint64 m_connectStartMono = 0;
    qint64 m_connectDeadline = 0;
    qint64 m_heartbeatDue = 0;          // next client "[]"
    qint64 m_serverSilenceDeadline = 0; // last frame + heartbeatTimeoutMs
    qint64 m_requestsDue = 0;
    qint64 m_reconnectDue = 0;
    qint64 m_stableDue = 0;
    qint64 m_reconnectAtWall = 0;

    // Health counters (O(1) per frame).
    int m_sessions = 0;
    int m_connects = 0;
    int m_drops = 0;
    int m_heartbeatMisses = 0;
    bool m_authorized = false; // an authorized session is up (its time counts as connected)
    qint64 m_authorizedMono = 0;
    qint64 m_authorizedWall = 0;
    qint64 m_connectedTotalMs = 0;
    qint64 m_lastServerHeartbeatMono = 0;
    qint64 m_lastHeartbeatGapMs = -1;
    qint64 m_maxHeartbeatGapMs = -1;
    quint64 m_frames = 0;
    quint64 m_pushed = 0;
    qint64 m_lastFrameWall = 0;
    QString m_lastFrame;
    std::array<quint32, 10> m_rateCount{};
    std::array<qint64, 10> m_rateSecond{};
};

} // namespace hd
