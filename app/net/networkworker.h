#pragma once

// One network thread: its own QNetworkAccessManager (Qt 6.4 allows six connections per host
// per manager, so several workers get past that limit) running HttpAttempts. Lives in its own
// QThread; talk to it only through queued calls and its signal.

#include "httpattempt.h"

#include <QHash>
#include <QObject>

#include <memory>

namespace hd {

struct RequestJob
{
    quint64 id = 0;
    HttpRequestSpec spec;
    int attempt = 1;
};

class NetworkWorker : public QObject
{
    Q_OBJECT
public:
    explicit NetworkWorker(std::shared_ptr<const Classifier> classifier,
                           const Clock &clock = Clock::system());
    ~NetworkWorker() override;

    // Thread-safe: queues the job onto the worker's thread.
    void submit(const RequestJob &job);
    void cancelAll();

signals:
    void finished(quint64 jobId, const hd::ApiEvent &event);

private:
    void execute(const RequestJob &job);

    std::shared_ptr<const Classifier> m_classifier;
    const Clock &m_clock;
    QNetworkAccessManager *managerFor(const std::shared_ptr<const EnvironmentNetwork> &network);

    QNetworkAccessManager *m_nam = nullptr; // created on the worker thread
    // One manager per environment network: its proxy is a manager setting, and environments
    // with different TLS settings must not share kept-alive connections.
    QHash<const EnvironmentNetwork *,
          std::pair<std::shared_ptr<const EnvironmentNetwork>, QNetworkAccessManager *>>
        m_managers;
    QHash<quint64, HttpAttempt *> m_active;
};

// N workers on N threads; jobs go to the least busy one.
class WorkerPool : public QObject
{
    Q_OBJECT
public:
    // clock: read by every attempt on the worker threads (Clock is thread-safe).
    WorkerPool(int threads, std::shared_ptr<const Classifier> classifier, QObject *parent = nullptr,
               const Clock &clock = Clock::system());
    ~WorkerPool() override;

    void submit(const RequestJob &job);
    int inFlight() const { return m_inFlight; }
    int size() const { return int(m_workers.size()); }

signals:
    void finished(quint64 jobId, const hd::ApiEvent &event);

private:
    struct Slot
    {
        QThread *thread;
        NetworkWorker *worker;
        int busy = 0;
    };
    std::vector<Slot> m_workers;
    QHash<quint64, int> m_jobWorker;
    int m_inFlight = 0;
};

} // namespace hd
