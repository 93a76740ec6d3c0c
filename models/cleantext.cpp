#include "cleantext.h"

namespace hd {

QString boundedText(QString text, qsizetype maxChars)
{
    if (text.size() > maxChars) {
        text.truncate(maxChars);
        if (!text.isEmpty() && text.back().isHighSurrogate())
            text.chop(1);
    }
    return text;
}

QString cleanText(const QString &text, qsizetype maxChars, TextLines lines)
{
    QString out;
    out.reserve(std::min(text.size(), maxChars));
    for (const QChar c : text) {
        if (out.size() >= maxChars)
            break;
        if (c == u'\n' || c == u'\t')
            out += lines == TextLines::Keep ? c : QChar(u' ');
        else if (c.category() != QChar::Other_Control && c.category() != QChar::Other_Format)
            out += c;
    }
    if (!out.isEmpty() && out.back().isHighSurrogate()) // cut in half by the bound
        out.chop(1);
    return out.trimmed();
}

} // namespace hd
