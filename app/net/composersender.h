#pragma once

// ComposerSender: runs one-off requests (the console's request composer) through the
// engine's ProbeRunner (classification, retry decisions) on a thread of its own, with its own
// QNetworkAccessManager, so the UI thread never touches the network. Results come back as
// queued signals on the thread that created the sender.

#include "apievent.h"
#include "httpattempt.h"
#include "retrypolicy.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace hd {

class ComposerSender : public QObject
{
    Q_OBJECT
public:
    explicit ComposerSender(QObject *parent = nullptr);
    ~ComposerSender() override;

    // retries: further attempts allowed after the first, following the retry policy with
    // this backoff (Retry-After is obeyed as the policy says).
    void send(const HttpRequestSpec &spec, int retries, const BackoffConfig &backoff = {});
    void cancel();
    bool isBusy() const { return m_busy; }

signals:
    void attemptFinished(const hd::ApiEvent &event);
    // Why the run stopped ("succeeded", "not retryable …", "cancelled", …).
    void finished(const QString &reason);

private:
    struct Worker;
    QThread m_thread;
    QObject *m_context = nullptr;     // lives on m_thread
    std::shared_ptr<Worker> m_worker; // touched only on m_thread
    bool m_busy = false;
};

} // namespace hd
