#include "proberunner.h"

namespace hd {

ProbeRunner::ProbeRunner(QNetworkAccessManager *nam, const Classifier *classifier,
                         RetryPolicy policy, QObject *parent)
    : QObject(parent)
    , m_attempt(nam, classifier)
    , m_policy(std::move(policy))
{
    m_wait.setSingleShot(true);
    m_wait.setTimerType(Qt::PreciseTimer);
    connect(&m_attempt, &HttpAttempt::finished, this, &ProbeRunner::onAttempt);
    connect(&m_wait, &QTimer::timeout, this, [this] { m_attempt.start(m_spec, ++m_current); });
}

void ProbeRunner::start(const HttpRequestSpec &spec, int retries)
{
    m_spec = spec;
    m_maxAttempts = 1 + std::max(0, retries);
    m_current = 1;
    m_running = true;
    m_attempt.start(m_spec, m_current);
}

void ProbeRunner::cancel()
{
    if (!m_running)
        return;
    m_wait.stop();
    m_running = false;
    m_attempt.abort();
    emit finished(QStringLiteral("cancelled"));
}

void ProbeRunner::onAttempt(const ApiEvent &event)
{
    if (!m_running)
        return;
    ApiEvent e = event;
    RetryStep step;
    if (m_current >= m_maxAttempts) {
        step.reason = e.isFailure()
                          ? QStringLiteral("no retries left (--retries %1)").arg(m_maxAttempts - 1)
                          : QStringLiteral("succeeded");
    } else {
        step = m_policy.next(e, m_current, false);
    }
    if (step.retry)
        e.retry.delayMs = step.delayMs; // the delay actually applied before the next attempt
    emit attemptFinished(e);
    if (!step.retry) {
        m_running = false;
        emit finished(step.reason);
        return;
    }
    m_wait.start(int(std::min<qint64>(step.delayMs, std::numeric_limits<int>::max())));
}

} // namespace hd
