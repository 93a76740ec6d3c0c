#pragma once

// Runs one request and follows its retry decisions: the engine behind `hdeck probe` and the
// request composer. Every attempt is reported as its own event, carrying the delay applied.

#include "httpattempt.h"
#include "retrypolicy.h"

#include <QObject>
#include <QTimer>

namespace hd {

class ProbeRunner : public QObject
{
    Q_OBJECT
public:
    ProbeRunner(QNetworkAccessManager *nam, const Classifier *classifier, RetryPolicy policy,
                QObject *parent = nullptr);

    // retries: how many further attempts are allowed after the first.
    void start(const HttpRequestSpec &spec, int retries);
    void cancel();
    bool isRunning() const { return m_running; }

signals:
    void attemptFinished(const hd::ApiEvent &event);
    // Why the run stopped (success, not retryable, limit reached, …).
    void finished(const QString &reason);

private:
    void onAttempt(const hd::ApiEvent &event);

    HttpAttempt m_attempt;
    RetryPolicy m_policy;
    QTimer m_wait;
    HttpRequestSpec m_spec;
    int m_maxAttempts = 1;
    int m_current = 0;
    bool m_running = false;
};

} // namespace hd
