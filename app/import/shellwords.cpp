#include "shellwords.h"

#include "importbuilder.h"

namespace hd {

namespace {

// One escape of $'…'; i points at the character after the backslash and is moved past it.
QString ansiEscape(const QString &t, qsizetype &i)
{
    const QChar c = t.at(i++);
    auto hex = [&](int maxDigits) {
        uint v = 0;
        int n = 0;
        while (n < maxDigits && i < t.size() && isxdigit(t.at(i).toLatin1())) {
            v = v * 16 + uint(QString(t.at(i)).toUInt(nullptr, 16));
            ++i;
            ++n;
        }
        const char32_t cp = char32_t(v);
        return n == 0 ? QString(u'\\') + c : QString::fromUcs4(&cp, 1);
    };
    switch (c.unicode()) {
    case 'n':
        return QStringLiteral("\n");
    case 't':
        return QStringLiteral("\t");
    case 'r':
        return QStringLiteral("\r");
    case 'a':
        return QStringLiteral("\a");
    case 'b':
        return QStringLiteral("\b");
    case 'e':
    case 'E':
        return QStringLiteral("\x1b");
    case 'f':
        return QStringLiteral("\f");
    case 'v':
        return QStringLiteral("\v");
    case '\\':
        return QStringLiteral("\\");
    case '\'':
        return QStringLiteral("'");
    case '"':
        return QStringLiteral("\"");
    case '?':
        return QStringLiteral("?");
    case 'x':
        return hex(2);
    case 'u':
        return hex(4);
    case 'U':
        return hex(8);
    default:
        if (c >= u'0' && c <= u'7') {
            uint v = uint(c.unicode() - '0');
            for (int n = 1; n < 3 && i < t.size() && t.at(i) >= u'0' && t.at(i) <= u'7'; ++n)
                v = v * 8 + uint(t.at(i++).unicode() - '0');
            return QString(QChar(char16_t(v & 0xff)));
        }
        return QString(u'\\') + c;
    }
}

} // namespace

QList<ShellCommand> ShellWords::split(const QString &input)
{
    QString t = input;
    t.replace(QStringLiteral("\r\n"), QStringLiteral("\n"));
    QList<ShellCommand> out;
    ShellCommand cmd;
    QString word;
    bool inWord = false;
    int line = 1;
    auto endWord = [&] {
        if (inWord)
            cmd.words.append(word);
        word.clear();
        inWord = false;
    };
    auto endCommand = [&] {
        endWord();
        if (!cmd.words.isEmpty())
            out.append(cmd);
        cmd = ShellCommand{};
        cmd.line = line;
    };
    auto unterminated = [&](int from, const char *what) {
        throw ImportError{QStringLiteral("line %1").arg(from),
                          QStringLiteral("unterminated %1").arg(QLatin1String(what))};
    };
    qsizetype i = 0;
    const qsizetype n = t.size();
    while (i < n) {
        const QChar c = t.at(i);
        if (!inWord && cmd.words.isEmpty())
            cmd.line = line;
        if (c == u'\\') {
            if (i + 1 < n && t.at(i + 1) == u'\n') { // continuation
                i += 2;
                ++line;
                continue;
            }
            if (i + 1 < n) {
                word.append(t.at(i + 1));
                inWord = true;
                i += 2;
                continue;
            }
            ++i;
            continue;
        }
        if (c == u'^' && i + 1 < n && t.at(i + 1) == u'\n' && !inWord) { // cmd.exe continuation
            i += 2;
            ++line;
            continue;
        }
        if (c == u'\n') {
            ++line;
            ++i;
            endCommand();
            continue;
        }
        if (c == u' ' || c == u'\t') {
            endWord();
            ++i;
            continue;
        }
        if (c == u';' || c == u'&' || c == u'|') {
            endCommand();
            while (i < n && (t.at(i) == u';' || t.at(i) == u'&' || t.at(i) == u'|'))
                ++i;
            continue;
        }
        if (c == u'#' && !inWord) {
            while (i < n && t.at(i) != u'\n')
                ++i;
            continue;
        }
        if (c == u'\'') {
            const int from = line;
            const qsizetype end = t.indexOf(u'\'', i + 1);
            if (end < 0)
                unterminated(from, "single quote");
            const QStringView part = QStringView(t).mid(i + 1, end - i - 1);
            line += int(part.count(u'\n'));
            word.append(part);
            inWord = true;
            i = end + 1;
            continue;
        }
        if (c == u'$' && i + 1 < n && t.at(i + 1) == u'\'') {
            const int from = line;
            i += 2;
            bool closed = false;
            while (i < n) {
                const QChar d = t.at(i);
                if (d == u'\'') {
                    closed = true;
                    ++i;
                    break;
                }
                if (d == u'\\' && i + 1 < n) {
                    ++i;
                    word.append(ansiEscape(t, i));
                    continue;
                }
                if (d == u'\n')
                    ++line;
                word.append(d);
                ++i;
            }
            if (!closed)
                unterminated(from, "$'…' string");
            inWord = true;
            continue;
        }
        if (c == u'"') {
            const int from = line;
            ++i;
            bool closed = false;
            while (i < n) {
                const QChar d = t.at(i);
                if (d == u'"') {
                    closed = true;
                    ++i;
                    break;
                }
                if (d == u'\\' && i + 1 < n) {
                    const QChar e = t.at(i + 1);
                    if (e == u'\n') {
                        ++line;
                        i += 2;
                        continue;
                    }
                    if (e == u'"' || e == u'\\' || e == u'$' || e == u'`') {
                        word.append(e);
                        i += 2;
                        continue;
                    }
                }
                if (d == u'\n')
                    ++line;
                word.append(d);
                ++i;
            }
            if (!closed)
                unterminated(from, "double quote");
            inWord = true;
            continue;
        }
        word.append(c);
        inWord = true;
        ++i;
    }
    endCommand();
    return out;
}

} // namespace hd
