#include "datadirectory.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace hd {

QString DataDirectory::path()
{
    const QString current = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                            + QStringLiteral("/healthdeck");
    // Until the old folder has been moved (migrate() could not), keep using it: a user's
    // workspaces and history must not seem to vanish.
    if (!QFileInfo::exists(current) && QFileInfo(legacyPath()).isDir())
        return legacyPath();
    return current;
}

QString DataDirectory::legacyPath()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
           + QStringLiteral("/HealthDeck/HealthDeck");
}

DataDirectory::Migration DataDirectory::migrate()
{
    Migration m;
    const QString from = legacyPath();
    const QString to = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
                       + QStringLiteral("/healthdeck");
    if (!QFileInfo(from).isDir())
        return m;
    if (QFileInfo::exists(to)) {
        m.problem = QStringLiteral("older HealthDeck data is still in %1 (not moved: %2 exists "
                                   "already); move what you need from it by hand")
                        .arg(from, to);
        return m;
    }
    QDir().mkpath(QFileInfo(to).absolutePath());
    if (!QDir().rename(from, to)) {
        m.problem = QStringLiteral("could not move HealthDeck's data from %1 to %2 (a different "
                                   "file system, or no permission); it is still used from %1 "
                                   "until moved by hand")
                        .arg(from, to);
        return m;
    }
    m.moved = true;
    // The emptied "HealthDeck" parent, if nothing else lives in it.
    QDir().rmdir(QFileInfo(from).absolutePath());
    return m;
}

} // namespace hd
