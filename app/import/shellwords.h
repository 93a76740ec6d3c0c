#pragma once

// Splits shell text (as docs and our own support bundles write curl lines) into commands and
// words, the way a POSIX shell would without running anything: single and double quotes,
// $'…' (ANSI-C), backslash escapes, backslash-newline continuations (and cmd.exe's " ^"),
// comments, and ;, &&, ||, | and newlines between commands. Variables ($NAME, ${NAME}) are
// not expanded: they stay in the word as written, so an importer can see which secret a
// value stands for. Unterminated quotes throw ImportError at "line N".

#include <QList>
#include <QString>

namespace hd {

struct ShellCommand
{
    int line = 1; // where the command starts (1-based)
    QStringList words;
};

class ShellWords
{
public:
    static QList<ShellCommand> split(const QString &text);
};

} // namespace hd
