#pragma once

// WorkspaceFileWatcher: says when a workspace file has new contents, for `hdeck watch`'s hot
// reload. Editors save in different ways — write in place, truncate then write, or write a
// new file and rename it over the old one (vim, VS Code, `sed -i`, git checkout) — so the
// file *and* its folder are watched, the file is watched again after it was replaced, and
// changes are debounced: one contentsChanged() per save, once the file has settled, with
// contents different from the last ones reported (touching a file is not a change).

#include <QByteArray>
#include <QFileSystemWatcher>
#include <QObject>
#include <QTimer>

namespace hd {

class WorkspaceFileWatcher : public QObject
{
    Q_OBJECT
public:
    // The current contents count as seen: only later changes are reported.
    explicit WorkspaceFileWatcher(const QString &path, int debounceMs = 300,
                                  QObject *parent = nullptr);

    QString path() const { return m_path; }
    // Reads the file now and reports it even when unchanged (SIGHUP: "reload, I mean it").
    void checkNow(bool force);

signals:
    // The file's new contents (at most WorkspaceFile::MaxBytes are read; a bigger file is
    // handed over truncated and refused by the parser).
    void contentsChanged(const QByteArray &contents);
    // The file is gone or unreadable after the debounce (moved away, permissions); the
    // watcher keeps watching its folder and reports it when it comes back.
    void unreadable(const QString &message);

private:
    void onSomethingChanged();
    void rewatch();

    QString m_path;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    QByteArray m_last;
    bool m_lastReadable = true;
};

} // namespace hd
