#include "composersender.h"

#include "classifier.h"
#include "proberunner.h"

#include <QNetworkAccessManager>

namespace hd {

struct ComposerSender::Worker
{
    std::unique_ptr<Classifier> classifier;
    std::unique_ptr<QNetworkAccessManager> nam;
    std::unique_ptr<ProbeRunner> runner;
};

ComposerSender::ComposerSender(QObject *parent)
    : QObject(parent)
    , m_worker(std::make_shared<Worker>())
{
    m_thread.setObjectName(QStringLiteral("composer-network"));
    m_context = new QObject;
    m_context->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
    m_thread.start();
    // Everything with network state is created on the worker thread: QNetworkAccessManager
    // and the timers inside ProbeRunner belong to the thread that made them.
    QMetaObject::invokeMethod(m_context, [w = m_worker] {
        w->classifier = std::make_unique<Classifier>();
        w->nam = std::make_unique<QNetworkAccessManager>();
    });
}

ComposerSender::~ComposerSender()
{
    // Tear the network objects down on their own thread (aborting what is in flight), then
    // stop the thread. Nothing here waits for the network.
    QMetaObject::invokeMethod(
        m_context,
        [w = m_worker] {
            if (w->runner) {
                w->runner->disconnect();
                w->runner->cancel();
            }
            w->runner.reset();
            w->nam.reset();
            w->classifier.reset();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void ComposerSender::send(const HttpRequestSpec &spec, int retries, const BackoffConfig &backoff)
{
    m_busy = true;
    QMetaObject::invokeMethod(m_context, [this, w = m_worker, spec, retries, backoff] {
        // A runner per request: each run carries the retry policy it was sent with.
        if (w->runner) {
            w->runner->disconnect();
            w->runner->cancel();
        }
        w->runner = std::make_unique<ProbeRunner>(w->nam.get(), w->classifier.get(),
                                                  RetryPolicy(backoff));
        connect(w->runner.get(), &ProbeRunner::attemptFinished, this,
                &ComposerSender::attemptFinished);
        connect(w->runner.get(), &ProbeRunner::finished, this, [this](const QString &reason) {
            m_busy = false;
            emit finished(reason);
        });
        w->runner->start(spec, retries);
    });
}

void ComposerSender::cancel()
{
    QMetaObject::invokeMethod(m_context, [w = m_worker] {
        if (w->runner)
            w->runner->cancel();
    });
}

} // namespace hd
