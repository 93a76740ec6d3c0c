#pragma once

// One HTTP request on a QNetworkAccessManager with a hard deadline: a timer that aborts the
// reply when the whole exchange (connect, send, wait, receive) takes longer than the deadline,
// not merely an inactivity timeout. Produces a classified ApiEvent.

#include "apievent.h"
#include "classifier.h"
#include "clock.h"
#include "environmentnetwork.h"
#include "phasetimer.h"
#include "resourcelimits.h"

#include <QElapsedTimer>
#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QSslError>
#include <QTimer>

namespace hd {

struct HttpRequestSpec
{
    QString method = QStringLiteral("GET");
    QUrl url;
    HeaderList headers;
    QByteArray body;
    int timeoutMs = 10000;
    QString profile = QStringLiteral("auto");
    QString environment;
    QString endpoint;
    // TLS, HTTP/2 and proxy of the environment (null: system defaults, HTTP/2 where offered).
    std::shared_ptr<const EnvironmentNetwork> network;
    // Retry safety (RetrySafety): unset means by method; the key is the same on every retry.
    std::optional<bool> idempotent;
    QString idempotencyHeader;
    QString idempotencyBodyField;
    QString idempotencyKey;
    // Ask the server to close the connection after this answer ("Connection: close"), so the
    // endpoint's next poll opens a fresh one and its DNS, connect and TLS phases are measured
    // (Endpoint::freshConnectionEvery).
    bool closeConnection = false;
    int freshConnectionEvery = 0; // Endpoint::freshConnectionEvery (the scheduler reads it)
    // Endpoint::degradedLatencyMs: a success slower than this is "degraded" (endpointhealth.h).
    std::optional<int> degradedLatencyMs;
};

class HttpAttempt : public QObject
{
    Q_OBJECT
public:
    // Largest body read, counted after Qt has undone any Content-Encoding (so a gzip bomb is
    // cut here, not at its compressed size): past it the transfer is aborted, the event keeps
    // the first 64 KiB and says the body was truncated (response.truncated, a note).
    static constexpr qsizetype MaxBodyBytes = limits::MaxResponseBodyBytes;

    // clock: the event's time and the "now" that Retry-After dates and resets are read against
    // (durations are measured on a real monotonic timer: the network does not run on a test's
    // clock). It must outlive the attempt and be safe to read from the attempt's thread.
    HttpAttempt(QNetworkAccessManager *nam, const Classifier *classifier, QObject *parent = nullptr,
                const Clock &clock = Clock::system());
    ~HttpAttempt() override;

    void start(const HttpRequestSpec &spec, int attempt);
    void abort();

signals:
    void finished(const hd::ApiEvent &event);

private:
    void onReadyRead();
    void onFinished();
    void onDeadline();
    // What the event says about a connection that broke: where it broke and what that means.
    QString closeDetail(const QNetworkReply *reply, std::optional<int> status) const;
    QString closeAdvice() const;

    QNetworkAccessManager *m_nam;
    const Classifier *m_classifier;
    const Clock &m_clock;
    QPointer<QNetworkReply> m_reply;
    QTimer m_deadline;
    PhaseTimer m_phases;
    HttpRequestSpec m_spec;
    int m_attempt = 1;
    qint64 m_startMs = 0;
    QByteArray m_body;
    qint64 m_bodySize = 0;
    bool m_deadlineHit = false;
    bool m_truncated = false;     // aborted at MaxBodyBytes
    bool m_requestSent = false;   // QNetworkReply::requestSent: the request left this machine
    QList<QSslError> m_sslErrors; // why the peer's certificate was refused
    QString m_pinFailure;         // set when the chain matched none of the environment's pins
    bool m_dnsRechecked = false;  // HostNotFoundError: asked the resolver once more
    bool m_dnsTemporary = false;  // …and it was not NXDOMAIN (EAI_AGAIN and friends)
};

} // namespace hd
