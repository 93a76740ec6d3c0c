#pragma once

// The hdeck command line (DESIGN §5). Exit codes: 0 the command did its job (a classified
// error response is a job done), 2 usage error, 1 failure. Errors go to stderr as one line.

#include <QString>
#include <QStringList>

#include <span>

namespace hd::cli {

enum Exit { Ok = 0, Failure = 1, Usage = 2 };

struct Command
{
    const char *name;
    const char *summary;
    // args: the words after the command name. Runs inside a QCoreApplication.
    int (*run)(const QStringList &args);
};

std::span<const Command> commands();

int runClassify(const QStringList &args);
int runExport(const QStringList &args);
int runImport(const QStringList &args);
int runProbe(const QStringList &args);
int runProfiles(const QStringList &args);
int runSim(const QStringList &args);
int runValidate(const QStringList &args);
int runWatch(const QStringList &args);

// Helpers shared by commands.
void printError(const QString &message);
void printLine(const QByteArray &line);
QString versionText(const QString &program);
// Parses 'Name: value'; returns false for a line without a colon or with an empty name.
bool parseHeaderArg(const QString &arg, QString &name, QString &value);

} // namespace hd::cli
