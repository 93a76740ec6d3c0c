#include "workspacefilewatcher.h"

#include "workspacefile.h"

#include <QFile>
#include <QFileInfo>

namespace hd {

WorkspaceFileWatcher::WorkspaceFileWatcher(const QString &path, int debounceMs, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
{
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(debounceMs);
    connect(&m_debounce, &QTimer::timeout, this, [this] { checkNow(false); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this,
            &WorkspaceFileWatcher::onSomethingChanged);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            &WorkspaceFileWatcher::onSomethingChanged);
    QFile f(m_path);
    if (f.open(QIODevice::ReadOnly))
        m_last = f.read(WorkspaceFile::MaxBytes + 1);
    rewatch();
}

void WorkspaceFileWatcher::rewatch()
{
    // A file replaced by rename is a new inode: the old watch is gone with the old file.
    if (!m_watcher.files().contains(m_path) && QFileInfo::exists(m_path))
        m_watcher.addPath(m_path);
    const QString dir = QFileInfo(m_path).absolutePath();
    if (!m_watcher.directories().contains(dir))
        m_watcher.addPath(dir);
}

void WorkspaceFileWatcher::onSomethingChanged()
{
    rewatch();
    m_debounce.start(); // restarts: a burst of writes and renames is one change
}

void WorkspaceFileWatcher::checkNow(bool force)
{
    m_debounce.stop();
    rewatch();
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly)) {
        // Between an editor's delete and its rename the file may briefly be missing; the
        // folder's next change brings us back here. Said once, not on every folder change.
        if (m_lastReadable || force)
            emit unreadable(QStringLiteral("%1: cannot read it (%2)").arg(m_path, f.errorString()));
        m_lastReadable = false;
        return;
    }
    const QByteArray contents = f.read(WorkspaceFile::MaxBytes + 1);
    m_lastReadable = true;
    if (!force && contents == m_last)
        return;
    m_last = contents;
    emit contentsChanged(contents);
}

} // namespace hd
