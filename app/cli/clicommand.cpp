#include "clicommand.h"

#include "healthdeck/version.h"

#include <QLibraryInfo>
#include <QSysInfo>

#include <cstdio>

namespace hd::cli {

std::span<const Command> commands()
{
    static const Command table[] = {
        {"classify", "classify one response or connection error into an event", &runClassify},
        {"probe", "send one request (with retries) and print an event per attempt", &runProbe},
        {"export", "write a sanitized support bundle (ZIP) from history or an events file",
         &runExport},
        {"profiles", "list built-in and user error-body profiles", &runProfiles},
        {"sim", "run the built-in API simulator on 127.0.0.1 until stopped", &runSim},
        {"import", "propose a workspace from curl, OpenAPI, Postman or HAR (or merge into one)",
         &runImport},
        {"validate", "check workspace files; one error line each, exit 1 when any is invalid",
         &runValidate},
        {"watch", "poll every endpoint of a workspace headless; events as JSON lines", &runWatch},
    };
    return table;
}

void printError(const QString &message)
{
    const QByteArray line = message.simplified().toUtf8();
    std::fprintf(stderr, "hdeck: %s\n", line.constData());
    std::fflush(stderr);
}

void printLine(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

QString versionText(const QString &program)
{
    return QStringLiteral("%1 %2\nQt %3 (runtime %4)\nbuilt with %5\n%6")
        .arg(program, QStringLiteral(HEALTHDECK_VERSION), QStringLiteral(QT_VERSION_STR),
             QString::fromLatin1(qVersion()), QStringLiteral(HEALTHDECK_BUILD_INFO),
             QSysInfo::prettyProductName());
}

bool parseHeaderArg(const QString &arg, QString &name, QString &value)
{
    const qsizetype colon = arg.indexOf(u':');
    if (colon <= 0)
        return false;
    name = arg.left(colon).trimmed();
    value = arg.mid(colon + 1).trimmed();
    if (name.isEmpty())
        return false;
    for (QChar c : name)
        if (c.isSpace() || c.unicode() < 0x21 || c.unicode() > 0x7e)
            return false;
    return true;
}

} // namespace hd::cli
