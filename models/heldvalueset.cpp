#include "heldvalueset.h"

#include <QSet>
#include <QUrl>

#include <algorithm>
#include <deque>

namespace hd {
namespace {

QString jsonEscaped(const QString &v, bool escapeSlash)
{
    QString out;
    for (QChar c : v) {
        const char16_t u = c.unicode();
        switch (u) {
        case u'"':
            out += QLatin1String("\\\"");
            break;
        case u'\\':
            out += QLatin1String("\\\\");
            break;
        case u'/':
            out += escapeSlash ? QLatin1String("\\/") : QLatin1String("/");
            break;
        case u'\b':
            out += QLatin1String("\\b");
            break;
        case u'\f':
            out += QLatin1String("\\f");
            break;
        case u'\n':
            out += QLatin1String("\\n");
            break;
        case u'\r':
            out += QLatin1String("\\r");
            break;
        case u'\t':
            out += QLatin1String("\\t");
            break;
        default:
            if (u < 0x20)
                out += QStringLiteral("\\u%1").arg(int(u), 4, 16, QLatin1Char('0'));
            else
                out += c;
        }
    }
    return out;
}

QString unicodeEscaped(const QString &v, bool upper)
{
    QString out;
    out.reserve(v.size() * 6);
    for (QChar c : v) {
        QString hex = QStringLiteral("%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
        out += QLatin1String("\\u") + (upper ? hex.toUpper() : hex);
    }
    return out;
}

QString htmlEscaped(const QString &v)
{
    QString out = v.toHtmlEscaped();
    out.replace(QLatin1Char('\''), QLatin1String("&#39;"));
    return out;
}

int hexValue(char16_t c)
{
    if (c >= u'0' && c <= u'9')
        return c - u'0';
    if (c >= u'a' && c <= u'f')
        return c - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c - u'A' + 10;
    return -1;
}

// %XX at i: the byte, or -1.
int percentByte(QStringView t, qsizetype i)
{
    if (i < 0 || i + 2 >= t.size() || t[i] != u'%')
        return -1;
    const int hi = hexValue(t[i + 1].unicode());
    const int lo = hexValue(t[i + 2].unicode());
    return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

int appendCodePoint(char32_t cp, char16_t out[2])
{
    if (cp > 0x10FFFF)
        return 0;
    if (cp < 0x10000) {
        out[0] = char16_t(cp);
        return 1;
    }
    cp -= 0x10000;
    out[0] = char16_t(0xD800 + (cp >> 10));
    out[1] = char16_t(0xDC00 + (cp & 0x3FF));
    return 2;
}

// Decodes one escape at t[i] (JSON \-escape, %XX with UTF-8, HTML entity) into out; returns
// the source length it spans (1 for a plain character, copied as is).
qsizetype decodeAt(QStringView t, qsizetype i, char16_t out[2], int &count)
{
    const char16_t c = t[i].unicode();
    count = 1;
    out[0] = c;
    const qsizetype n = t.size();
    if (c == u'\\' && i + 1 < n) {
        const char16_t e = t[i + 1].unicode();
        switch (e) {
        case u'"':
        case u'\\':
        case u'/':
        case u'\'':
            out[0] = e;
            return 2;
        case u'b':
            out[0] = u'\b';
            return 2;
        case u'f':
            out[0] = u'\f';
            return 2;
        case u'n':
            out[0] = u'\n';
            return 2;
        case u'r':
            out[0] = u'\r';
            return 2;
        case u't':
            out[0] = u'\t';
            return 2;
        case u'u':
            if (i + 5 < n) {
                int v = 0;
                for (qsizetype k = i + 2; k < i + 6 && v >= 0; ++k) {
                    const int h = hexValue(t[k].unicode());
                    v = h < 0 ? -1 : v * 16 + h;
                }
                if (v >= 0) {
                    out[0] = char16_t(v);
                    return 6;
                }
            }
            return 1;
        default:
            return 1;
        }
    }
    if (c == u'%') {
        const int b0 = percentByte(t, i);
        if (b0 < 0)
            return 1;
        if (b0 < 0x80) {
            out[0] = char16_t(b0);
            return 3;
        }
        int more = 0;
        char32_t cp = 0;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            more = 1;
            cp = char32_t(b0 & 0x1F);
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            more = 2;
            cp = char32_t(b0 & 0x0F);
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            more = 3;
            cp = char32_t(b0 & 0x07);
        } else {
            return 1;
        }
        for (int k = 1; k <= more; ++k) {
            const int b = percentByte(t, i + 3 * k);
            if (b < 0x80 || b > 0xBF)
                return 1;
            cp = (cp << 6) | char32_t(b & 0x3F);
        }
        count = appendCodePoint(cp, out);
        if (count == 0) {
            count = 1;
            out[0] = c;
            return 1;
        }
        return 3 * (more + 1);
    }
    if (c == u'&') {
        qsizetype semi = -1;
        for (qsizetype k = i + 1; k < n && k <= i + 11; ++k) {
            if (t[k] == u';') {
                semi = k;
                break;
            }
        }
        if (semi < 0)
            return 1;
        const QStringView name = t.mid(i + 1, semi - i - 1);
        static const std::pair<QStringView, char16_t> named[]
            = {{u"amp", u'&'}, {u"lt", u'<'}, {u"gt", u'>'}, {u"quot", u'"'}, {u"apos", u'\''}};
        for (const auto &[entity, ch] : named) {
            if (name == entity) {
                out[0] = ch;
                return semi - i + 1;
            }
        }
        if (name.size() >= 2 && name[0] == u'#') {
            const bool hex = name[1] == u'x' || name[1] == u'X';
            char32_t cp = 0;
            const QStringView digits = name.mid(hex ? 2 : 1);
            if (digits.isEmpty() || digits.size() > 8)
                return 1;
            for (QChar d : digits) {
                const int v = hexValue(d.unicode());
                if (v < 0 || (!hex && v > 9))
                    return 1;
                cp = cp * (hex ? 16 : 10) + char32_t(v);
            }
            count = appendCodePoint(cp, out);
            if (count == 0) {
                count = 1;
                out[0] = c;
                return 1;
            }
            return semi - i + 1;
        }
    }
    return 1;
}

} // namespace

QStringList HeldValueSet::formsOf(const QString &value)
{
    QStringList out;
    if (value.size() < MinLength)
        return out;
    const auto add = [&out](const QString &form) {
        if (form.size() >= MinLength && !out.contains(form))
            out << form;
    };
    add(value);
    const QString percent = QString::fromLatin1(QUrl::toPercentEncoding(value));
    add(percent);
    if (value.contains(u' ')) {
        QString form = percent;
        add(form.replace(QLatin1String("%20"), QLatin1String("+")));
    }
    const QByteArray utf8 = value.toUtf8();
    for (const auto option : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding}) {
        add(QString::fromLatin1(utf8.toBase64(option)));
        add(QString::fromLatin1(utf8.toBase64(option | QByteArray::OmitTrailingEquals)));
        // Inside a longer base64 text (a Basic header's "user:password", a JSON blob) the value
        // starts at byte offset 0, 1 or 2 of a 3-byte group: these are the characters that
        // depend on the value's bits alone in each case.
        for (qsizetype k = 0; k < 3; ++k) {
            const QByteArray bytes = QByteArray(k, '\0') + utf8 + QByteArray(3, '\0');
            const QByteArray encoded = bytes.toBase64(option);
            const qsizetype first = (8 * k + 5) / 6;
            const qsizetype last = (8 * k + 8 * utf8.size()) / 6;
            if (last - first >= 8)
                add(QString::fromLatin1(encoded.mid(first, last - first)));
        }
    }
    add(jsonEscaped(value, true));
    add(jsonEscaped(value, false));
    add(unicodeEscaped(value, false));
    add(unicodeEscaped(value, true));
    add(htmlEscaped(value));
    return out;
}

HeldValueSet::HeldValueSet(std::vector<Entry> entries)
    : m_entries(std::move(entries))
{
    QSet<QString> seen;
    for (const Entry &e : m_entries) {
        for (const QString &f : formsOf(e.value)) {
            if (!seen.contains(f)) {
                seen.insert(f);
                m_forms << f;
            }
        }
    }
    build();
}

void HeldValueSet::build()
{
    // A trie of every form, then breadth-first failure links (Aho–Corasick). outLen of a state
    // is the longest form that ends there, directly or through its failure chain.
    std::vector<std::vector<std::pair<char16_t, int>>> kids(1);
    std::vector<int> term(1, 0);
    const auto child = [&kids](int s, char16_t c) {
        for (const auto &[ch, t] : kids[size_t(s)])
            if (ch == c)
                return t;
        return -1;
    };
    for (const QString &f : m_forms) {
        int s = 0;
        for (QChar qc : f) {
            const char16_t c = qc.unicode();
            int next = child(s, c);
            if (next < 0) {
                next = int(kids.size());
                kids[size_t(s)].push_back({c, next});
                kids.emplace_back();
                term.push_back(0);
            }
            s = next;
        }
        term[size_t(s)] = std::max(term[size_t(s)], int(f.size()));
        m_maxLen = std::max(m_maxLen, int(f.size()));
    }
    m_nodes.assign(kids.size(), Node{});
    std::deque<int> queue;
    for (const auto &[c, v] : kids[0]) {
        m_nodes[size_t(v)].fail = 0;
        m_nodes[size_t(v)].outLen = term[size_t(v)];
        queue.push_back(v);
    }
    while (!queue.empty()) {
        const int u = queue.front();
        queue.pop_front();
        for (const auto &[c, v] : kids[size_t(u)]) {
            int f = m_nodes[size_t(u)].fail;
            int target = child(f, c);
            while (target < 0 && f != 0) {
                f = m_nodes[size_t(f)].fail;
                target = child(f, c);
            }
            m_nodes[size_t(v)].fail = target < 0 ? 0 : target;
            m_nodes[size_t(v)].outLen
                = std::max(term[size_t(v)], m_nodes[size_t(m_nodes[size_t(v)].fail)].outLen);
            queue.push_back(v);
        }
    }
    for (size_t s = 0; s < kids.size(); ++s) {
        auto &k = kids[s];
        std::sort(k.begin(), k.end());
        m_nodes[s].edgeBegin = int(m_edgeChar.size());
        m_nodes[s].edgeCount = int(k.size());
        for (const auto &[c, t] : k) {
            m_edgeChar.push_back(c);
            m_edgeTarget.push_back(t);
        }
    }
    m_rootLow.assign(256, 0);
    for (const auto &[c, t] : kids[0])
        if (c < 256)
            m_rootLow[c] = t;
}

int HeldValueSet::step(int s, char16_t c) const
{
    for (;;) {
        if (s == 0 && c < 256)
            return m_rootLow[c];
        const Node &n = m_nodes[size_t(s)];
        const char16_t *begin = m_edgeChar.data() + n.edgeBegin;
        const char16_t *end = begin + n.edgeCount;
        const char16_t *at
            = n.edgeCount <= 8 ? std::find(begin, end, c) : std::lower_bound(begin, end, c);
        if (at != end && *at == c)
            return m_edgeTarget[size_t(n.edgeBegin + (at - begin))];
        if (s == 0)
            return 0;
        s = n.fail;
    }
}

void HeldValueSet::find(QStringView text, std::vector<TextSpan> &spans) const
{
    if (m_forms.isEmpty() || text.size() < MinLength)
        return;
    findRaw(text, spans);
    if (text.contains(u'\\') || text.contains(u'%') || text.contains(u'&'))
        findDecoded(text, spans);
}

void HeldValueSet::findRaw(QStringView text, std::vector<TextSpan> &spans) const
{
    int s = 0;
    const char16_t *data = reinterpret_cast<const char16_t *>(text.utf16());
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        s = step(s, data[i]);
        const int len = m_nodes[size_t(s)].outLen;
        if (len > 0) {
            const TextSpan span{i + 1 - len, i + 1};
            if (!spans.empty() && spans.back().end >= span.start
                && spans.back().start <= span.start)
                spans.back().end = span.end;
            else
                spans.push_back(span);
        }
    }
}

void HeldValueSet::findDecoded(QStringView text, std::vector<TextSpan> &spans) const
{
    // The source start of each of the last m_maxLen decoded units, to map a match back.
    size_t ringSize = 1;
    while (ringSize < size_t(m_maxLen) + 2)
        ringSize <<= 1;
    std::vector<qsizetype> ring(ringSize, 0);
    const size_t mask = ringSize - 1;
    size_t d = 0; // decoded units so far
    int s = 0;
    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n;) {
        char16_t units[2];
        int count = 0;
        const qsizetype len = decodeAt(text, i, units, count);
        for (int u = 0; u < count; ++u) {
            ring[d & mask] = i;
            s = step(s, units[u]);
            const int match = m_nodes[size_t(s)].outLen;
            if (match > 0)
                spans.push_back({ring[(d + 1 - size_t(match)) & mask], i + len});
            ++d;
        }
        i += len;
    }
}

} // namespace hd
