#include "testsupport.h"

#include <QDir>

namespace hd::test {

QString sourcePath(const QString &relative)
{
    QString root = qEnvironmentVariable("HDECK_SOURCE_DIR");
    if (root.isEmpty())
        root = QStringLiteral(HEALTHDECK_SOURCE_DIR);
    return QDir(root).filePath(relative);
}

QString hdeckPath()
{
    const QString p = qEnvironmentVariable("HDECK_HDECK");
    return p.isEmpty() ? QStringLiteral("hdeck") : p;
}

ProcessResult runHdeck(const QStringList &args, int timeoutMs, const QByteArray &input)
{
    QProcess proc;
    proc.start(hdeckPath(), args);
    ProcessResult r;
    if (!proc.waitForStarted(10000))
        return r;
    if (!input.isEmpty())
        proc.write(input);
    proc.closeWriteChannel();
    r.finished = proc.waitForFinished(timeoutMs);
    if (!r.finished) {
        proc.kill();
        proc.waitForFinished(5000);
    }
    r.exitCode = proc.exitCode();
    r.out = proc.readAllStandardOutput();
    r.err = proc.readAllStandardError();
    return r;
}

} // namespace hd::test
