// Why this file is long (issue 22 names it): one class holds the socket lifecycle, the
// protocol state machine (connect, authorize, heartbeat, requests), the deadline scheduler, the
// health counters and event construction of one WebSocket stream. The planned split: the state
// machine and the event construction into classes of their own, on the network workers. Not
// done yet.

#include "streammonitor.h"

#include "networkerrors.h"
#include "redactor.h"
#include "resourcelimits.h"
#include "streamframe.h"
#include "tokenservice.h"

#include <QRegularExpression>
#include <QWebSocket>

namespace hd {

namespace {
// Qt names a refused upgrade only in its error text: "QWebSocketPrivate::processHandshake:
// Unhandled http status code: 503 (Service Unavailable)."
std::optional<int> handshakeStatus(const QString &errorText)
{
    static const QRegularExpression re(QStringLiteral("status code:?\\s*(\\d{3})"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(errorText);
    if (!m.hasMatch())
        return std::nullopt;
    return m.captured(1).toInt();
}

QString socketErrorName(QAbstractSocket::SocketError error)
{
    switch (error) {
    case QAbstractSocket::ConnectionRefusedError:
        return QStringLiteral("ECONNREFUSED");
    case QAbstractSocket::RemoteHostClosedError:
        return QStringLiteral("other side closed");
    case QAbstractSocket::HostNotFoundError:
        return QStringLiteral("ENOTFOUND");
    case QAbstractSocket::SocketTimeoutError:
        return QStringLiteral("ETIMEDOUT");
    case QAbstractSocket::SslHandshakeFailedError:
    case QAbstractSocket::SslInternalError:
    case QAbstractSocket::SslInvalidUserDataError:
        return QStringLiteral("TLS handshake failed");
    case QAbstractSocket::NetworkError:
        return QStringLiteral("ENETDOWN");
    default:
        return QStringLiteral("network_other");
    }
}

QString seconds(qint64 ms)
{
    return QString::number(double(ms) / 1000.0, 'f', ms < 10000 ? 2 : 0);
}
} // namespace

StreamMonitor::StreamMonitor(StreamMonitorSpec spec, std::shared_ptr<const Classifier> classifier,
                             const Clock &clock, std::function<double()> random, QObject *parent)
    : QObject(parent)
    , m_spec(std::move(spec))
    , m_classifier(std::move(classifier))
    , m_clock(clock)
    , m_backoff(m_spec.def.reconnect, std::move(random))
{
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &StreamMonitor::tick);
    if (m_spec.tokens)
        connect(m_spec.tokens, &TokenService::tokenReady, this, &StreamMonitor::onTokenReady);
    if (!m_spec.staticToken.isEmpty())
        Redactor::shared().addSecretValue(m_spec.staticToken);
}

StreamMonitor::~StreamMonitor()
{
    closeSocket();
}

void StreamMonitor::start()
{
    if (m_running)
        return;
    m_running = true;
    m_backoff.reset();
    connectNow();
}

void StreamMonitor::stop()
{
    if (!m_running && !m_socket)
        return;
    m_running = false;
    if (m_authorized) {
        m_authorized = false;
        m_connectedTotalMs += m_clock.monotonicMs() - m_authorizedMono;
        m_authorizedMono = 0;
        m_authorizedWall = 0;
    }
    closeSocket();
    m_pending.clear();
    m_connectDeadline = m_heartbeatDue = m_serverSilenceDeadline = m_requestsDue = 0;
    m_reconnectDue = m_stableDue = m_reconnectAtWall = 0;
    m_waitingForToken = false;
    m_timer.stop();
    if (m_state != StreamHealth::State::GaveUp)
        setState(StreamHealth::State::Idle);
}

void StreamMonitor::setState(StreamHealth::State state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit healthChanged();
}

void StreamMonitor::closeSocket()
{
    if (!m_socket)
        return;
    QWebSocket *socket = std::exchange(m_socket, nullptr);
    QObject::disconnect(socket, nullptr, this, nullptr);
    socket->abort();
    socket->deleteLater();
}

void StreamMonitor::connectNow()
{
    closeSocket();
    m_reconnectDue = 0;
    m_reconnectAtWall = 0;
    const quint64 generation = ++m_generation;
    ++m_connects; // every connect after the first is a reconnect (health())
    m_lostHandled = false;
    m_sawOpen = false;
    m_closeFrame = false;
    m_protocolClose = false;
    m_closeCode = 0;
    m_closeReason.clear();
    m_socketError = QAbstractSocket::UnknownSocketError;
    m_socketErrorText.clear();
    m_waitingForToken = false;
    m_lastServerHeartbeatMono = 0;

    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // Qt's defaults (~2 GiB per message) would let one server message take the process down;
    // past these Qt closes the stream with code 1009, which onLost() reports as such.
    m_socket->setMaxAllowedIncomingMessageSize(quint64(limits::MaxWebSocketMessageBytes));
    m_socket->setMaxAllowedIncomingFrameSize(quint64(limits::MaxWebSocketFrameBytes));
    connect(m_socket, &QWebSocket::textMessageReceived, this, &StreamMonitor::onText);
    connect(m_socket, &QWebSocket::disconnected, this, [this, generation] { onLost(generation); });
    // We never close() the socket ourselves (closeSocket() disconnects, then aborts), so
    // aboutToClose() means the server sent a WebSocket close frame.
    connect(m_socket, &QWebSocket::aboutToClose, this, [this] { m_protocolClose = true; });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            &StreamMonitor::onSocketError);
    setState(StreamHealth::State::Connecting);
    const qint64 now = m_clock.monotonicMs();
    m_connectStartMono = now;
    m_connectDeadline = now + std::max(1, m_spec.def.connectTimeoutMs);
    if (m_spec.network) {
        // The same CA, client certificate, pins' trust and proxy as the environment's polls.
        m_socket->setSslConfiguration(m_spec.network->sslConfiguration());
        if (const auto proxy = m_spec.network->explicitProxy())
            m_socket->setProxy(*proxy);
    }
    m_socket->open(m_spec.url);
    armTimer();
}

void StreamMonitor::onSocketError(QAbstractSocket::SocketError error)
{
    if (!m_socket)
        return;
    m_socketError = error;
    m_socketErrorText = m_socket->errorString();
    // A failed connect or handshake does not always end in disconnected(): look once the
    // socket has settled.
    const quint64 generation = m_generation;
    QMetaObject::invokeMethod(
        this,
        [this, generation] {
            if (generation == m_generation && m_socket
                && m_socket->state() == QAbstractSocket::UnconnectedState)
                onLost(generation);
        },
        Qt::QueuedConnection);
}

void StreamMonitor::onLost(quint64 generation)
{
    if (generation != m_generation || m_lostHandled || !m_running)
        return;
    m_lostHandled = true;
    const qint64 now = m_clock.monotonicMs();
    if (m_socket && m_socketErrorText.isEmpty()
        && m_socket->error() != QAbstractSocket::UnknownSocketError) {
        m_socketError = m_socket->error();
        m_socketErrorText = m_socket->errorString();
    }
    if (!m_sawOpen) {
        // The handshake failed: refused by status, or no connection at all.
        const QString detail
            = m_socketErrorText.isEmpty() ? QStringLiteral("connection closed") : m_socketErrorText;
        if (const auto status = handshakeStatus(m_socketErrorText)) {
            ApiEvent e = baseEvent(QString());
            e.durationMs = double(now - m_connectStartMono);
            e.attempt = m_backoff.failuresInRow() + 1;
            ClassifyInput in;
            in.status = *status;
            in.profile = m_spec.def.profile;
            in.nowMs = m_clock.nowMs();
            m_classifier->classify(in, e);
            if (!e.error)
                e.error = ErrorInfo{};
            e.error->message = QStringLiteral("WebSocket handshake refused with HTTP %1 (%2)")
                                   .arg(*status)
                                   .arg(detail);
            endSession(std::move(e));
            return;
        }
        endSession(connectionEvent(socketErrorName(m_socketError),
                                   QStringLiteral("WebSocket handshake failed: %1").arg(detail)));
        return;
    }
    ++m_drops;
    const qint64 upMs = now - m_connectStartMono;
    if (m_socket && !m_closeFrame && m_protocolClose
        && m_socket->closeCode() == QWebSocketProtocol::CloseCodeTooMuchData) {
        // Qt closes with 1009 itself when a message or frame passes the limits set in
        // connectNow(); a server that found one of our (small) frames too big would too.
        ApiEvent e = connectionEvent(
            QStringLiteral("websocket closed"),
            QStringLiteral("the stream was closed after %1 s with code 1009 (message too big): "
                           "a WebSocket message over the %2 MiB limit arrived%3")
                .arg(seconds(upMs))
                .arg(limits::MaxWebSocketMessageBytes / (1024 * 1024))
                .arg(m_socket->closeReason().isEmpty()
                         ? QString()
                         : QStringLiteral(" (%1)").arg(m_socket->closeReason())));
        if (e.error)
            e.error->code = QStringLiteral("message_too_large");
        e.notes.append(QStringLiteral("WebSocket message over %1 MiB: not read, stream closed "
                                      "(limit in docs/limits.md)")
                           .arg(limits::MaxWebSocketMessageBytes / (1024 * 1024)));
        endSession(std::move(e));
        return;
    }
    if (m_closeFrame || (m_socket && m_protocolClose)) {
        const int code = m_closeFrame ? m_closeCode : int(m_socket->closeCode());
        const QString reason = m_closeFrame ? m_closeReason : m_socket->closeReason();
        endSession(connectionEvent(
            QStringLiteral("websocket closed"),
            QStringLiteral("the server closed the stream after %1 s (close code %2%3)")
                .arg(seconds(upMs))
                .arg(code)
                .arg(reason.isEmpty() ? QString() : QStringLiteral(": ") + reason)));
        return;
    }
    endSession(connectionEvent(
        QStringLiteral("websocket dropped"),
        QStringLiteral("the stream was dropped without a close frame after %1 s (%2)")
            .arg(seconds(upMs))
            .arg(m_socketErrorText.isEmpty() ? QStringLiteral("connection lost")
                                             : m_socketErrorText)));
}

void StreamMonitor::countFrame(const QString &text, qint64 now)
{
    ++m_frames;
    m_lastFrameWall = m_clock.nowMs();
    m_lastFrame = text.left(120);
    const qint64 second = now / 1000;
    const std::size_t slot = std::size_t(second % qint64(m_rateCount.size()));
    if (m_rateSecond[slot] != second) {
        m_rateSecond[slot] = second;
        m_rateCount[slot] = 0;
    }
    ++m_rateCount[slot];
}

void StreamMonitor::onText(const QString &text)
{
    if (!m_socket || !m_running)
        return;
    const qint64 now = m_clock.monotonicMs();
    countFrame(text, now);
    if (m_sawOpen)
        m_serverSilenceDeadline = now + std::max(1, m_spec.def.heartbeatTimeoutMs);
    const StreamFrame frame = StreamFrame::parse(text);
    switch (frame.type) {
    case StreamFrame::Type::Open:
        if (!m_sawOpen)
            onOpen();
        break;
    case StreamFrame::Type::Heartbeat:
        if (m_lastServerHeartbeatMono) {
            m_lastHeartbeatGapMs = now - m_lastServerHeartbeatMono;
            m_maxHeartbeatGapMs = std::max(m_maxHeartbeatGapMs, m_lastHeartbeatGapMs);
        }
        m_lastServerHeartbeatMono = now;
        break;
    case StreamFrame::Type::Messages: {
        bool reportedMalformed = false;
        const quint64 generation = m_generation;
        for (const auto &message : frame.messages) {
            if (generation != m_generation || !m_socket)
                break; // an answer ended the session
            if (StreamFrame::isResponse(message))
                onResponse(message);
            else if (StreamFrame::isPush(message))
                ++m_pushed;
            else if (!reportedMalformed) {
                reportedMalformed = true;
                onMalformed(text, QStringLiteral("a message that is neither an answer {s,i} nor "
                                                 "an event {e}"));
            }
        }
        break;
    }
    case StreamFrame::Type::Close:
        m_closeFrame = true;
        m_closeCode = frame.closeCode;
        m_closeReason = frame.closeReason;
        onLost(m_generation);
        break;
    case StreamFrame::Type::Malformed:
        onMalformed(text, frame.problem);
        break;
    }
    armTimer();
}

void StreamMonitor::onOpen()
{
    m_sawOpen = true;
    const qint64 now = m_clock.monotonicMs();
    m_connectDeadline = 0;
    m_heartbeatDue = now + std::max(1, m_spec.def.heartbeatMs);
    m_serverSilenceDeadline = now + std::max(1, m_spec.def.heartbeatTimeoutMs);
    if (!m_spec.authorize) {
        onAuthorized();
        return;
    }
    setState(StreamHealth::State::Authorizing);
    authorize();
}

void StreamMonitor::authorize()
{
    const QString token = m_spec.tokens ? m_spec.tokens->token() : m_spec.staticToken;
    if (token.isEmpty()) {
        // The token request is in flight (or backing off): authorize when it answers. The
        // token service reports its own failures as events on "token:<credential>".
        m_waitingForToken = true;
        return;
    }
    m_waitingForToken = false;
    m_usedToken = token;
    sendRequest({QStringLiteral("authorize"), QString(), token}, RequestKind::Authorize, token);
}

void StreamMonitor::onTokenReady()
{
    if (!m_waitingForToken || !m_socket || !m_sawOpen
        || m_state != StreamHealth::State::Authorizing)
        return;
    authorize();
    armTimer();
}

void StreamMonitor::onAuthorized()
{
    const qint64 now = m_clock.monotonicMs();
    ++m_sessions;
    m_authorized = true;
    m_authorizedMono = now;
    m_authorizedWall = m_clock.nowMs();
    m_stableDue = std::max<qint64>(1, now + std::max(0, m_spec.def.reconnect.stableMs));
    setState(StreamHealth::State::Connected);
    for (const StreamRequest &r : std::as_const(m_spec.def.subscribe))
        sendRequest(r, RequestKind::Subscribe);
    // Deadlines use 0 for "none"; a clock that starts at 0 (ManualClock) sends at 1 ms.
    m_requestsDue = m_spec.def.requests.isEmpty() ? 0 : std::max<qint64>(now, 1);
    armTimer();
    emit healthChanged();
}

void StreamMonitor::sendRequest(const StreamRequest &r, RequestKind kind, const QString &token)
{
    if (!m_socket)
        return;
    const QString id = QString::number(m_nextRequestId++);
    const QString head = r.endpoint + u'\n' + id + u'\n' + r.query + u'\n';
    m_socket->sendTextMessage(head + r.body);
    Pending p;
    p.endpoint = r.endpoint;
    p.kind = kind;
    p.sentMono = m_clock.monotonicMs();
    p.sentWall = m_clock.nowMs();
    p.deadlineMono = p.sentMono + std::max(1, m_spec.def.requestTimeoutMs);
    // The token never reaches an event, not even before the redactor sees it.
    p.text = kind == RequestKind::Authorize ? head + tokenPlaceholder() : head + r.body;
    p.usedToken = token.isEmpty() ? m_usedToken : token;
    m_pending.insert(id, p);
}

void StreamMonitor::onResponse(const nlohmann::json &message)
{
    const QString id = StreamFrame::requestId(message);
    auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // a late answer to a request that already timed out (and has its event)
    const Pending p = *it;
    m_pending.erase(it);

    ApiEvent e = baseEvent(p.text);
    e.timeMs = p.sentWall;
    e.durationMs = double(m_clock.monotonicMs() - p.sentMono);
    ClassifyInput in;
    in.body = "a[" + QByteArray::fromStdString(message.dump()) + ']';
    in.profile = m_spec.def.profile;
    in.nowMs = m_clock.nowMs();
    m_classifier->classify(in, e);
    if (m_spec.tokens && !p.usedToken.isEmpty())
        e.token = m_spec.tokens->summary();
    const int status = e.httpStatus.value_or(0);

    if (status == 401) {
        onUnauthorized(p, std::move(e));
        return;
    }
    if (p.kind == RequestKind::Authorize) {
        if (e.outcome == Outcome::Success) {
            emitEvent(e);
            onAuthorized();
        } else {
            endSession(std::move(e)); // authorization refused for another reason
        }
        return;
    }
    emitEvent(e);
}

void StreamMonitor::onUnauthorized(const Pending &request, ApiEvent event)
{
    // Seed 003: a 401 on the socket means authorize again, with a fresh token.
    if (request.kind != RequestKind::Authorize && m_state == StreamHealth::State::Authorizing) {
        // Another answer to the same lost authorization: the re-authorization is already under
        // way (waiting for the token, or its authorize request is out).
        const bool authorizing
            = m_waitingForToken
              || std::any_of(m_pending.cbegin(), m_pending.cend(),
                             [](const Pending &p) { return p.kind == RequestKind::Authorize; });
        if (authorizing) {
            emitEvent(event);
            return;
        }
    }
    if (m_authorized) {
        m_authorized = false;
        m_connectedTotalMs += m_clock.monotonicMs() - m_authorizedMono;
        m_authorizedMono = 0;
        m_authorizedWall = 0;
    }
    m_requestsDue = 0;
    m_stableDue = 0;
    setState(StreamHealth::State::Authorizing);
    if (m_spec.tokens && m_spec.tokens->rejected(request.usedToken)) {
        event.retry.advice = QStringLiteral(
            "The stream refused the token: HealthDeck re-authorizes with a fresh one and sends the "
            "subscriptions again.");
        emitEvent(event);
        // Drop what the old authorization was waiting for: late answers (401s) are ignored,
        // subscriptions are sent again once authorized.
        m_pending.clear();
        if (m_spec.tokens->isRequesting())
            m_waitingForToken = true;
        else
            authorize();
        armTimer();
        return;
    }
    // No fresh token to be had (a static token, or the refreshed one was refused too): start
    // over with a new session after the backoff.
    endSession(std::move(event));
}

void StreamMonitor::onMalformed(const QString &text, const QString &problem)
{
    ApiEvent e = baseEvent(QString());
    ClassifyInput in;
    in.networkError = QStringLiteral("malformed frame");
    in.profile = m_spec.def.profile;
    in.body = text.left(65536).toUtf8();
    in.nowMs = m_clock.nowMs();
    m_classifier->classify(in, e);
    e.error = ErrorInfo{QStringLiteral("malformed_frame"),
                        ErrorType::Network,
                        QStringLiteral("malformed frame: %1: %2").arg(problem, text.left(200)),
                        {}};
    e.retry = {false, RetryAction::None, std::nullopt,
               QStringLiteral("The server sent a frame outside the seed 003 protocol; the session "
                              "goes on. Report it to the API vendor with this frame.")};
    emitEvent(e);
}

void StreamMonitor::endSession(ApiEvent event)
{
    closeSocket();
    const qint64 now = m_clock.monotonicMs();
    if (m_authorized) {
        m_authorized = false;
        m_connectedTotalMs += now - m_authorizedMono;
        m_authorizedMono = 0;
        m_authorizedWall = 0;
    }
    const int unanswered = int(m_pending.size());
    m_pending.clear();
    m_connectDeadline = m_heartbeatDue = m_serverSilenceDeadline = m_requestsDue = 0;
    m_stableDue = 0;
    m_waitingForToken = false;
    m_lostHandled = true;

    const auto delay = m_backoff.next();
    const int failures = m_backoff.failuresInRow();
    const int limit = m_backoff.config().maxAttempts;
    event.attempt = failures;
    const QString pending = unanswered
                                ? QStringLiteral(" %1 request(s) went unanswered.").arg(unanswered)
                                : QString();
    if (delay) {
        event.retry = {true, RetryAction::RetryBackoff, *delay,
                       QStringLiteral("Reconnecting in %1 ms (reconnect %2 of at most %3 in a row, "
                                      "exponential backoff with full jitter up to %4 ms); "
                                      "subscriptions are sent again once authorized.%5")
                           .arg(*delay)
                           .arg(failures)
                           .arg(limit)
                           .arg(m_backoff.lastCeiling())
                           .arg(pending)};
        m_reconnectDue = now + *delay;
        m_reconnectAtWall = m_clock.nowMs() + *delay;
        setState(StreamHealth::State::Reconnecting);
        emitEvent(event);
        armTimer();
        emit healthChanged();
        return;
    }
    event.retry = {false, RetryAction::None, std::nullopt,
                   QStringLiteral("The reconnect limit (%1 in a row) is reached; HealthDeck gives "
                                  "up on this stream.%2")
                       .arg(limit)
                       .arg(pending)};
    emitEvent(event);
    giveUp(failures - 1);
}

void StreamMonitor::giveUp(int reconnects)
{
    m_running = false;
    m_timer.stop();
    ApiEvent e = connectionEvent(
        QStringLiteral("websocket dropped"),
        QStringLiteral("gave up on the stream after %1 failed reconnect(s) in a row")
            .arg(reconnects));
    e.error->code = QStringLiteral("stream_gave_up");
    e.attempt = reconnects + 1;
    e.retry
        = {false, RetryAction::None, std::nullopt,
           QStringLiteral("HealthDeck stopped reconnecting: check the server and the credential, "
                          "then restart the stream by reopening the workspace.")};
    setState(StreamHealth::State::GaveUp);
    emitEvent(e);
    emit healthChanged();
}

void StreamMonitor::tick()
{
    if (!m_running)
        return;
    const qint64 now = m_clock.monotonicMs();
    if (m_reconnectDue) {
        if (now >= m_reconnectDue)
            connectNow();
        else
            armTimer();
        return;
    }
    if (!m_socket)
        return;
    if (m_connectDeadline && now >= m_connectDeadline && !m_sawOpen) {
        m_lostHandled = true;
        endSession(connectionEvent(
            QStringLiteral("ETIMEDOUT"),
            QStringLiteral("no WebSocket session within %1 ms (handshake and the \"o\" frame)")
                .arg(m_spec.def.connectTimeoutMs)));
        return;
    }
    if (m_serverSilenceDeadline && now >= m_serverSilenceDeadline) {
        ++m_heartbeatMisses;
        ++m_drops;
        m_lostHandled = true;
        const qint64 silentMs = now - (m_serverSilenceDeadline - m_spec.def.heartbeatTimeoutMs);
        endSession(connectionEvent(
            QStringLiteral("heartbeat missed"),
            QStringLiteral("heartbeat missed: no frame from the server for %1 ms (limit %2 ms); "
                           "closing the stream and reconnecting")
                .arg(silentMs)
                .arg(m_spec.def.heartbeatTimeoutMs)));
        return;
    }
    if (m_heartbeatDue && now >= m_heartbeatDue) {
        m_socket->sendTextMessage(QStringLiteral("[]"));
        m_heartbeatDue = now + std::max(1, m_spec.def.heartbeatMs);
    }
    if (m_stableDue && now >= m_stableDue) {
        m_stableDue = 0;
        m_backoff.reset();
        emit healthChanged();
    }
    // Requests without an answer in time: one timeout event each; the session goes on unless
    // it was the authorization.
    QList<QString> expired;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it)
        if (it->deadlineMono <= now)
            expired.append(it.key());
    for (const QString &id : std::as_const(expired)) {
        const Pending p = m_pending.take(id);
        ApiEvent e
            = connectionEvent(QStringLiteral("ETIMEDOUT"),
                              QStringLiteral("no answer frame to %1 (request %2) within %3 ms")
                                  .arg(p.endpoint, id)
                                  .arg(m_spec.def.requestTimeoutMs));
        e.request->body = p.text;
        e.timeMs = p.sentWall;
        e.durationMs = double(now - p.sentMono);
        e.identifiers.traceId = id;
        e.attempt = 1;
        if (p.kind == RequestKind::Authorize) {
            m_lostHandled = true;
            endSession(std::move(e));
            return;
        }
        emitEvent(e);
    }
    if (m_requestsDue && now >= m_requestsDue && m_state == StreamHealth::State::Connected) {
        for (const StreamRequest &r : std::as_const(m_spec.def.requests)) {
            // Like the poller: a request still waiting for its answer is not sent again.
            const bool inFlight
                = std::any_of(m_pending.cbegin(), m_pending.cend(), [&](const Pending &p) {
                      return p.kind == RequestKind::Request && p.endpoint == r.endpoint;
                  });
            if (!inFlight)
                sendRequest(r, RequestKind::Request);
        }
        const qint64 interval = std::max(1, m_spec.def.intervalMs);
        while (m_requestsDue <= now)
            m_requestsDue += interval; // start-to-start, no drift
    }
    armTimer();
}

void StreamMonitor::armTimer()
{
    if (!m_running) {
        m_timer.stop();
        return;
    }
    qint64 next = 0;
    auto consider = [&next](qint64 due) {
        if (due && (!next || due < next))
            next = due;
    };
    consider(m_reconnectDue);
    consider(m_connectDeadline);
    consider(m_heartbeatDue);
    consider(m_serverSilenceDeadline);
    consider(m_requestsDue);
    consider(m_stableDue);
    for (const Pending &p : std::as_const(m_pending))
        consider(p.deadlineMono);
    if (!next) {
        m_timer.stop();
        return;
    }
    const qint64 wait = std::clamp<qint64>(next - m_clock.monotonicMs(), 0, 24 * 3600 * 1000);
    m_timer.start(int(wait));
}

ApiEvent StreamMonitor::baseEvent(const QString &requestText) const
{
    ApiEvent e;
    e.id = newEventId();
    e.timeMs = m_clock.nowMs();
    e.environment = m_spec.def.environment;
    e.endpoint = m_spec.def.id;
    e.profile = m_spec.def.profile;
    e.attempt = 1;
    e.request = RequestInfo{QStringLiteral("WS"), m_spec.url.toString(), {}, requestText};
    return e;
}

ApiEvent StreamMonitor::connectionEvent(const QString &networkError, const QString &message) const
{
    ApiEvent e = baseEvent(QString());
    e.durationMs = double(m_clock.monotonicMs() - m_connectStartMono);
    ClassifyInput in;
    in.networkError = networkError;
    in.profile = m_spec.def.profile;
    in.nowMs = m_clock.nowMs();
    m_classifier->classify(in, e);
    if (!e.error)
        e.error = ErrorInfo{};
    e.error->message = message;
    e.attempt = m_backoff.failuresInRow() + 1;
    return e;
}

void StreamMonitor::emitEvent(ApiEvent &event)
{
    Redactor::shared().redactEvent(event);
    emit eventReady(event);
}

StreamHealth StreamMonitor::health() const
{
    const qint64 now = m_clock.monotonicMs();
    StreamHealth h;
    h.state = m_state;
    h.sampledAtMs = m_clock.nowMs();
    h.connectedSinceMs = m_authorizedWall;
    h.connectedTotalMs = m_connectedTotalMs + (m_authorized ? now - m_authorizedMono : 0);
    h.sessions = m_sessions;
    h.reconnects = std::max(0, m_connects - 1);
    h.failuresInRow = m_backoff.failuresInRow();
    h.drops = m_drops;
    h.heartbeatMisses = m_heartbeatMisses;
    h.lastHeartbeatGapMs = m_lastHeartbeatGapMs;
    h.maxHeartbeatGapMs = m_maxHeartbeatGapMs;
    const qint64 second = now / 1000;
    quint64 recent = 0;
    for (std::size_t i = 0; i < m_rateCount.size(); ++i)
        if (m_rateSecond[i] > second - qint64(m_rateCount.size()) && m_rateSecond[i] <= second)
            recent += m_rateCount[i];
    h.messagesPerSecond = double(recent) / double(m_rateCount.size());
    h.frames = m_frames;
    h.pushed = m_pushed;
    h.lastFrameMs = m_lastFrameWall;
    h.lastFrame = m_lastFrame.isEmpty() ? QString() : Redactor::shared().redactBody(m_lastFrame);
    h.nextReconnectAtMs = m_state == StreamHealth::State::Reconnecting ? m_reconnectAtWall : 0;
    return h;
}

} // namespace hd
