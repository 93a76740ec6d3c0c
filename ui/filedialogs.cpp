#include "filedialogs.h"

#include <QFileDialog>

#include <optional>

namespace hd {

namespace {
std::optional<QString> g_next;
}

void FileDialogs::setNextAnswer(const QString &path)
{
    g_next = path;
}

bool FileDialogs::takeAnswer(QString *path)
{
    if (!g_next)
        return false;
    *path = *g_next;
    g_next.reset();
    return true;
}

QString FileDialogs::openFile(QWidget *parent, const QString &caption, const QString &filter)
{
    QString path;
    if (takeAnswer(&path))
        return path;
    return QFileDialog::getOpenFileName(parent, caption, QString(), filter);
}

QString FileDialogs::saveFile(QWidget *parent, const QString &caption, const QString &suggested,
                              const QString &filter)
{
    QString path;
    if (takeAnswer(&path))
        return path;
    return QFileDialog::getSaveFileName(parent, caption, suggested, filter);
}

} // namespace hd
