#include "networkworker.h"

#include <QThread>

namespace hd {

NetworkWorker::NetworkWorker(std::shared_ptr<const Classifier> classifier, const Clock &clock)
    : m_classifier(std::move(classifier))
    , m_clock(clock)
{}

NetworkWorker::~NetworkWorker()
{
    qDeleteAll(m_active);
}

void NetworkWorker::submit(const RequestJob &job)
{
    QMetaObject::invokeMethod(
        this, [this, job] { execute(job); }, Qt::QueuedConnection);
}

void NetworkWorker::cancelAll()
{
    QMetaObject::invokeMethod(
        this,
        [this] {
            for (HttpAttempt *a : std::as_const(m_active))
                a->abort();
        },
        Qt::QueuedConnection);
}

QNetworkAccessManager *
NetworkWorker::managerFor(const std::shared_ptr<const EnvironmentNetwork> &network)
{
    if (!network) {
        if (!m_nam) {
            m_nam = new QNetworkAccessManager(this);
            m_nam->setAutoDeleteReplies(false);
        }
        return m_nam;
    }
    auto it = m_managers.find(network.get());
    if (it == m_managers.end()) {
        auto *nam = new QNetworkAccessManager(this);
        nam->setAutoDeleteReplies(false);
        network->applyTo(*nam);
        it = m_managers.insert(network.get(), {network, nam});
    }
    return it->second;
}

void NetworkWorker::execute(const RequestJob &job)
{
    auto *attempt
        = new HttpAttempt(managerFor(job.spec.network), m_classifier.get(), this, m_clock);
    m_active.insert(job.id, attempt);
    connect(attempt, &HttpAttempt::finished, this, [this, id = job.id, attempt](const ApiEvent &e) {
        m_active.remove(id);
        attempt->deleteLater();
        emit finished(id, e);
    });
    attempt->start(job.spec, job.attempt);
}

WorkerPool::WorkerPool(int threads, std::shared_ptr<const Classifier> classifier, QObject *parent,
                       const Clock &clock)
    : QObject(parent)
{
    for (int i = 0; i < std::max(1, threads); ++i) {
        auto *thread = new QThread(this);
        thread->setObjectName(QStringLiteral("hd-net-%1").arg(i));
        auto *worker = new NetworkWorker(classifier, clock);
        worker->moveToThread(thread);
        connect(thread, &QThread::finished, worker, &QObject::deleteLater);
        connect(worker, &NetworkWorker::finished, this, [this, i](quint64 id, const ApiEvent &e) {
            --m_workers[std::size_t(i)].busy;
            --m_inFlight;
            m_jobWorker.remove(id);
            emit finished(id, e);
        });
        thread->start();
        m_workers.push_back({thread, worker, 0});
    }
}

WorkerPool::~WorkerPool()
{
    for (auto &slot : m_workers) {
        slot.worker->cancelAll();
        slot.thread->quit();
    }
    for (auto &slot : m_workers)
        slot.thread->wait(5000);
}

void WorkerPool::submit(const RequestJob &job)
{
    std::size_t best = 0;
    for (std::size_t i = 1; i < m_workers.size(); ++i)
        if (m_workers[i].busy < m_workers[best].busy)
            best = i;
    ++m_workers[best].busy;
    ++m_inFlight;
    m_jobWorker.insert(job.id, int(best));
    m_workers[best].worker->submit(job);
}

} // namespace hd
