#pragma once

// The window's file questions (open, save), answerable in advance so GUI tests never block on
// a modal dialog (KeePassXC's MessageBox::setNextAnswer idea): setNextAnswer(path) makes the
// next question return path at once without showing anything; an empty answer means
// "cancelled".

#include <QString>
#include <QWidget>

namespace hd {

class FileDialogs
{
public:
    static QString openFile(QWidget *parent, const QString &caption, const QString &filter);
    static QString saveFile(QWidget *parent, const QString &caption, const QString &suggested,
                            const QString &filter);
    static void setNextAnswer(const QString &path);

private:
    static bool takeAnswer(QString *path);
};

} // namespace hd
