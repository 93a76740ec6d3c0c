#pragma once

// A support-bundle export off the caller's thread (the console's): reads the events (from the
// history database on its own read-only connection, or takes the ones given), writes the ZIP,
// reports progress and the result on the job's thread. Cancel stops it at the next step and
// leaves no file behind.

#include "bundleeventloader.h"
#include "supportbundlewriter.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace hd {

class SupportBundleJob : public QObject
{
    Q_OBJECT
public:
    struct Source
    {
        QString historyPath;              // non-empty: read the events from here…
        BundleEventLoader::Filter filter; // …narrowed to this
        QList<ApiEvent> events;           // otherwise: exactly these (filtered too)
    };

    explicit SupportBundleJob(QObject *parent = nullptr);
    ~SupportBundleJob() override; // cancels and waits

    // request.events is replaced by what the source yields.
    void start(SupportBundleRequest request, Source source, const QString &zipPath);
    void cancel();
    bool isRunning() const;

signals:
    void progress(int percent, const QString &stage);
    void finished(const hd::SupportBundleWriter::Result &result);

private:
    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<std::atomic_bool> m_cancelled;
};

} // namespace hd
