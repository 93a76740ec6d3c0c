#include "supportbundlejob.h"

#include <QPointer>

namespace hd {

SupportBundleJob::SupportBundleJob(QObject *parent)
    : QObject(parent)
{}

SupportBundleJob::~SupportBundleJob()
{
    cancel();
    if (m_thread)
        m_thread->wait();
}

bool SupportBundleJob::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void SupportBundleJob::cancel()
{
    if (m_cancelled)
        m_cancelled->store(true);
}

void SupportBundleJob::start(SupportBundleRequest request, Source source, const QString &zipPath)
{
    if (isRunning())
        return;
    if (m_thread)
        m_thread->wait();
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    m_cancelled = cancelled;
    QPointer<SupportBundleJob> self(this);
    m_thread.reset(QThread::create([self, cancelled, request = std::move(request),
                                    source = std::move(source), zipPath]() mutable {
        // Results go back through the job's event loop; a job deleted meanwhile gets nothing.
        const auto post = [self](auto fn) {
            if (self)
                QMetaObject::invokeMethod(self.data(), std::move(fn), Qt::QueuedConnection);
        };
        SupportBundleWriter::Result result;
        post([self] { emit self->progress(0, tr("Reading events")); });
        if (!source.historyPath.isEmpty()) {
            BundleEventLoader::Result loaded
                = BundleEventLoader::fromHistory(source.historyPath, source.filter);
            if (!loaded.error.isEmpty()) {
                result.error = loaded.error;
                post([self, result] { emit self->finished(result); });
                return;
            }
            request.events = std::move(loaded.events);
        } else {
            request.events.clear();
            for (ApiEvent &e : source.events)
                if (source.filter.matches(e))
                    request.events.append(std::move(e));
        }
        int last = -1;
        result = SupportBundleWriter::write(
            std::move(request), zipPath, [&](int percent, const QString &stage) {
                if (percent != last) {
                    last = percent;
                    post([self, percent, stage] { emit self->progress(percent, stage); });
                }
                return !cancelled->load();
            });
        post([self, result] { emit self->finished(result); });
    }));
    m_thread->start();
}

} // namespace hd
