#include "htmltext.h"

namespace hd {
namespace {

bool startsWithCi(const QString &s, qsizetype at, QLatin1StringView what)
{
    return s.size() - at >= what.size()
           && QStringView(s).mid(at, what.size()).compare(what, Qt::CaseInsensitive) == 0;
}

// Index just past the next occurrence of close (case-insensitive), or s.size().
qsizetype skipPast(const QString &s, qsizetype from, QLatin1StringView close)
{
    const qsizetype i = s.indexOf(close, from, Qt::CaseInsensitive);
    return i < 0 ? s.size() : i + close.size();
}

} // namespace

QString HtmlText::decodeEntities(const QString &text)
{
    if (!text.contains(u'&'))
        return text;
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text[i] != u'&') {
            out += text[i];
            continue;
        }
        const qsizetype semi = text.indexOf(u';', i);
        if (semi < 0 || semi - i > 10) {
            out += text[i];
            continue;
        }
        const QStringView name = QStringView(text).mid(i + 1, semi - i - 1);
        char32_t c = 0;
        if (name == u"amp")
            c = '&';
        else if (name == u"lt")
            c = '<';
        else if (name == u"gt")
            c = '>';
        else if (name == u"quot")
            c = '"';
        else if (name == u"apos")
            c = '\'';
        else if (name == u"nbsp")
            c = ' ';
        else if (name.startsWith(u'#')) {
            bool ok = false;
            const uint v = (name.size() > 1 && (name[1] == u'x' || name[1] == u'X'))
                               ? name.mid(2).toUInt(&ok, 16)
                               : name.mid(1).toUInt(&ok, 10);
            if (ok && v > 0 && v < 0x110000 && (v < 0xD800 || v > 0xDFFF))
                c = char32_t(v);
        }
        if (c == 0) {
            out += text[i];
            continue;
        }
        out += QString::fromUcs4(&c, 1);
        i = semi;
    }
    return out;
}

HtmlText::Headline HtmlText::headline(const QString &htmlIn)
{
    const QString html = htmlIn.left(ScanCap);
    QString found[3]; // title, h1, h2
    qsizetype i = 0;
    while (i < html.size()) {
        const qsizetype lt = html.indexOf(u'<', i);
        if (lt < 0)
            break;
        if (startsWithCi(html, lt, QLatin1StringView("<!--"))) {
            i = skipPast(html, lt + 4, QLatin1StringView("-->"));
            continue;
        }
        if (startsWithCi(html, lt, QLatin1StringView("<?"))
            || startsWithCi(html, lt, QLatin1StringView("<!"))) {
            i = skipPast(html, lt + 2, QLatin1StringView(">")); // <?xml …?>, <!DOCTYPE …>
            continue;
        }
        // Element name
        qsizetype n = lt + 1;
        while (n < html.size() && html[n].isLetterOrNumber())
            ++n;
        const QString name = html.mid(lt + 1, n - lt - 1).toLower();
        const qsizetype gt = html.indexOf(u'>', n);
        if (gt < 0)
            break;
        if (name == u"script" || name == u"style") {
            i = skipPast(html, gt + 1,
                         name == u"script" ? QLatin1StringView("</script")
                                           : QLatin1StringView("</style"));
            continue;
        }
        const int slot = name == u"title" ? 0 : name == u"h1" ? 1 : name == u"h2" ? 2 : -1;
        if (slot >= 0 && found[slot].isEmpty()) {
            const QString close = QStringLiteral("</") + name;
            qsizetype end = html.indexOf(close, gt + 1, Qt::CaseInsensitive);
            if (end < 0)
                end = html.size();
            // Text of the element without nested tags (<h1><span>Oops</span></h1>).
            QString text;
            bool inTag = false;
            for (qsizetype k = gt + 1; k < end; ++k) {
                const QChar ch = html[k];
                if (ch == u'<')
                    inTag = true;
                else if (ch == u'>')
                    inTag = false;
                else if (!inTag)
                    text += ch;
            }
            found[slot] = decodeEntities(text).simplified().left(300);
            if (slot == 0 && !found[0].isEmpty())
                break;
            i = end;
            continue;
        }
        i = gt + 1;
    }
    static const char *const names[] = {"title", "h1", "h2"};
    for (int s = 0; s < 3; ++s)
        if (!found[s].isEmpty())
            return {found[s], QString::fromLatin1(names[s])};
    return {};
}

} // namespace hd
