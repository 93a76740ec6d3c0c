#include "windowlayout.h"

#include <QHeaderView>
#include <QMainWindow>
#include <QSettings>
#include <QSplitter>

namespace hd::WindowLayout {

namespace {
QString key(const QString &part)
{
    return QStringLiteral("window/") + part;
}
} // namespace

void save(const QMainWindow *window, const QList<QSplitter *> &splitters, const QHeaderView *log)
{
    QSettings settings;
    settings.setValue(key(QStringLiteral("geometry")), window->saveGeometry());
    settings.setValue(key(QStringLiteral("state")), window->saveState());
    for (const QSplitter *s : splitters)
        settings.setValue(key(s->objectName()), s->saveState());
    settings.setValue(key(QStringLiteral("logHeader")), log->saveState());
}

void restore(QMainWindow *window, const QList<QSplitter *> &splitters, QHeaderView *log)
{
    const QSettings settings;
    const auto saved = [&settings](const QString &part) {
        return settings.value(key(part)).toByteArray();
    };
    if (const QByteArray b = saved(QStringLiteral("geometry")); !b.isEmpty())
        window->restoreGeometry(b);
    if (const QByteArray b = saved(QStringLiteral("state")); !b.isEmpty())
        window->restoreState(b);
    for (QSplitter *s : splitters)
        if (const QByteArray b = saved(s->objectName()); !b.isEmpty())
            s->restoreState(b);
    if (const QByteArray b = saved(QStringLiteral("logHeader")); !b.isEmpty())
        log->restoreState(b);
}

} // namespace hd::WindowLayout
