// Why this file is long: one linear pass that knows every place a secret stands in untrusted
// text (JSON at any escaping level, forms, queries, multipart parts, header lines, URL user
// info, then the same on the percent-decoded text); see the rules in secretscanner.h. Kept in
// one pass on purpose: a second pass per shape would make the time depend on the shapes.

#include "secretscanner.h"

#include <QUrl>

#include <algorithm>

namespace hd {
namespace {

constexpr qsizetype MaxKey = SecretNames::MaxNameLength;

bool isBlank(char16_t c)
{
    return c == u' ' || c == u'\t';
}

bool isWs(char16_t c)
{
    return c == u' ' || c == u'\t' || c == u'\r' || c == u'\n';
}

bool isAlnum(char16_t c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// Characters of a bare name (before ':' or as a JSON-ish object key).
bool isKeyChar(char16_t c)
{
    if (isAlnum(c) || c == u'_' || c == u'-' || c == u'.' || c == u'[' || c == u']' || c == u'$'
        || c == u'~')
        return true;
    return c >= 0x80 && QChar(c).isLetterOrNumber();
}

// Characters of a form or query name (before '='), which may be percent-encoded.
bool isFormKeyChar(char16_t c)
{
    return isKeyChar(c) || c == u'%' || c == u'+' || c == u'*' || c == u'!';
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

bool isHex4(QStringView t, qsizetype at)
{
    if (at + 4 > t.size())
        return false;
    for (qsizetype k = at; k < at + 4; ++k)
        if (hexValue(t[k].unicode()) < 0)
            return false;
    return true;
}

// A JSON key's text as a name: escapes decoded at any escaping level (runs of '\' collapsed).
QString decodeJsonKey(QStringView k)
{
    QString out;
    out.reserve(k.size());
    for (qsizetype i = 0; i < k.size(); ++i) {
        if (k[i] != u'\\') {
            out += k[i];
            continue;
        }
        while (i < k.size() && k[i] == u'\\')
            ++i;
        if (i >= k.size())
            break;
        if (k[i] == u'u' && isHex4(k, i + 1)) {
            int v = 0;
            for (qsizetype j = i + 1; j < i + 5; ++j)
                v = v * 16 + hexValue(k[j].unicode());
            out += QChar(char16_t(v));
            i += 4;
        } else {
            out += k[i];
        }
    }
    return out;
}

QString decodeFormKey(QStringView k)
{
    if (!k.contains(u'%') && !k.contains(u'+'))
        return k.toString();
    QByteArray bytes = k.toUtf8();
    bytes.replace('+', ' ');
    return QUrl::fromPercentEncoding(bytes);
}

// null, true or false as a whole JSON value (followed by a delimiter, not "true.x").
bool isLiteralAt(QStringView t, qsizetype at, QStringView word)
{
    if (t.size() - at < word.size() || t.mid(at, word.size()) != word)
        return false;
    const qsizetype after = at + word.size();
    if (after >= t.size())
        return true;
    const char16_t c = t[after].unicode();
    return isWs(c) || c == u',' || c == u'}' || c == u']' || c == u')' || c == u';';
}

qsizetype jsonLiteralLength(QStringView t, qsizetype at)
{
    for (QStringView w : {QStringView(u"null"), QStringView(u"true"), QStringView(u"false")})
        if (isLiteralAt(t, at, w))
            return w.size();
    return 0;
}

bool isAuthScheme(QStringView word)
{
    for (QStringView s : {QStringView(u"bearer"), QStringView(u"basic"), QStringView(u"token"),
                          QStringView(u"digest"), QStringView(u"negotiate"), QStringView(u"bot"),
                          QStringView(u"jwt"), QStringView(u"apikey"), QStringView(u"hmac"),
                          QStringView(u"mac"), QStringView(u"oauth"), QStringView(u"sso-key")})
        if (word.compare(s, Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

// "invalid_token: the access token expired" is an OAuth error code and its description, not a
// field: bare names that start like an error code are not taken for secret names.
bool isErrorCode(QStringView name)
{
    for (QStringView p :
         {QStringView(u"invalid"), QStringView(u"missing"), QStringView(u"expired"),
          QStringView(u"unsupported"), QStringView(u"insufficient"), QStringView(u"unauthorized")})
        if (name.startsWith(p, Qt::CaseInsensitive))
            return true;
    return false;
}

// The name parameter of a Content-Disposition value (name="x", name=x, name*=UTF-8''x).
QString dispositionName(QStringView params)
{
    for (QStringView p : params.split(u';')) {
        p = p.trimmed();
        const qsizetype eq = p.indexOf(u'=');
        if (eq < 0)
            continue;
        const QStringView key = p.left(eq).trimmed();
        QStringView value = p.mid(eq + 1).trimmed();
        const bool extended = key.compare(u"name*", Qt::CaseInsensitive) == 0;
        if (!extended && key.compare(u"name", Qt::CaseInsensitive) != 0)
            continue;
        if (value.startsWith(u'"')) {
            value = value.mid(1);
            const qsizetype close = value.indexOf(u'"');
            if (close >= 0)
                value = value.left(close);
        }
        if (extended) {
            value = value.mid(value.lastIndexOf(u'\'') + 1);
            return QUrl::fromPercentEncoding(value.toUtf8());
        }
        return value.toString();
    }
    return {};
}

// One pass of the rules over a text; with `starts`, the text is a decoded view and spans are
// mapped back to the original (starts[i]: where decoded unit i begins; starts[n]: its length).
class Pass
{
public:
    Pass(QStringView text, const SecretNames &names, std::vector<SecretSpan> &out,
         const std::vector<qsizetype> *starts = nullptr)
        : t(text)
        , n(text.size())
        , m_names(names)
        , m_out(out)
        , m_starts(starts)
    {}

    void run()
    {
        qsizetype i = n > 0 ? onLineStart(0) : 0;
        while (i < n) {
            const char16_t c = t[i].unicode();
            qsizetype next = i + 1;
            if (c == u':') {
                if (i + 2 < n && t[i + 1] == u'/' && t[i + 2] == u'/')
                    next = onUrl(i, 3);
                else if (i + 4 < n && t.mid(i + 1, 4) == u"\\/\\/")
                    next = onUrl(i, 5); // https:\/\/ in a JSON string
                else
                    next = onColon(i);
            } else if (c == u'=') {
                next = onEquals(i);
            } else if (c == u'\n' && i + 1 < n) {
                next = onLineStart(i + 1);
            }
            i = std::max(next, i + 1);
        }
    }

private:
    bool isSecretName(QStringView name) const
    {
        // Header rules include the field rules: a JSON dump of headers ("Private-Token": …) is
        // as secret as the header itself.
        return m_names.isSecretHeader(name);
    }

    void cut(qsizetype a, qsizetype b, bool quoted, const char *where, QStringView name,
             qsizetype level = 0)
    {
        // A value that stops at an escaped quote ("…\"") ends before the escape; an even run
        // of backslashes is escaped backslashes, part of the value.
        qsizetype run = 0;
        while (b - run > a && t[b - run - 1] == u'\\')
            ++run;
        if (run % 2 == 1)
            --b;
        if (b <= a)
            return;
        if (m_starts) {
            const auto &s = *m_starts;
            const qsizetype start = s[size_t(a)];
            qsizetype last = b; // the first unit after the span that begins later
            while (last < n && s[size_t(last)] == s[size_t(b - 1)])
                ++last;
            a = start;
            b = s[size_t(last)];
        }
        m_out.push_back({a, b, quoted, int(std::min<qsizetype>(level, 64)), where,
                         name.left(MaxKey).toString()});
    }

    qsizetype lineEnd(qsizetype from) const
    {
        const qsizetype e = t.indexOf(u'\n', from);
        return e < 0 ? n : e;
    }

    QStringView lineAt(qsizetype from) const
    {
        QStringView line = t.mid(from, lineEnd(from) - from);
        if (line.endsWith(u'\r'))
            line.chop(1);
        return line;
    }

    // A string value whose opening quote is at q, escaped with `level` backslashes. Its closing
    // quote has a run of r backslashes with r = level + k·2(level+1): at level 0 an even run, at
    // level 1 (\"…\") 1, 5, 9…; other runs are escaped quotes inside the value.
    qsizetype stringValue(qsizetype q, qsizetype level, char16_t quote, const char *where,
                          QStringView key)
    {
        qsizetype run = 0;
        for (qsizetype j = q + 1; j < n; ++j) {
            const char16_t c = t[j].unicode();
            if (c == u'\\') {
                ++run;
                continue;
            }
            if (c == quote && run >= level && (run - level) % (2 * (level + 1)) == 0) {
                cut(q + 1, j - level, false, where, key);
                return j + 1;
            }
            run = 0;
        }
        cut(q + 1, n, false, where, key); // cut off (a body capped at 64 KiB): to the end
        return n;
    }

    // An object or array at v, masked whole; strings inside are skipped at their level.
    qsizetype containerValue(qsizetype v, qsizetype level, const char *where, QStringView key)
    {
        int depth = 0;
        bool inString = false;
        qsizetype run = 0;
        for (qsizetype j = v; j < n; ++j) {
            const char16_t c = t[j].unicode();
            if (c == u'\\') {
                ++run;
                continue;
            }
            if (c == u'"' && run >= level && (run - level) % (2 * (level + 1)) == 0) {
                inString = !inString;
            } else if (!inString) {
                if (c == u'{' || c == u'[') {
                    ++depth;
                } else if (c == u'}' || c == u']') {
                    if (--depth == 0) {
                        cut(v, j + 1, true, where, key, level);
                        return j + 1;
                    }
                }
            }
            run = 0;
        }
        cut(v, n, true, where, key, level);
        return n;
    }

    // If a (possibly escaped) quote opens at v, masks the string and returns its end; else -1.
    qsizetype quotedAt(qsizetype v, const char *where, QStringView key)
    {
        qsizetype r = 0;
        while (v + r < n && t[v + r] == u'\\')
            ++r;
        if (v + r < n && (t[v + r] == u'"' || t[v + r] == u'\''))
            return stringValue(v + r, r, t[v + r].unicode(), where, key);
        return -1;
    }

    // The value after "key": (JSON, any escaping level).
    qsizetype jsonValue(qsizetype pos, QStringView key)
    {
        qsizetype v = pos;
        for (int guard = 0; v < n && guard < 256; ++guard) {
            if (isWs(t[v].unicode()))
                ++v;
            else if (t[v] == u'\\' && v + 1 < n
                     && (t[v + 1] == u'n' || t[v + 1] == u'r' || t[v + 1] == u't'))
                v += 2; // pretty-printed JSON inside a JSON string
            else
                break;
        }
        if (v >= n)
            return pos;
        if (const qsizetype end = quotedAt(v, "body", key); end >= 0)
            return end;
        const char16_t c = t[v].unicode();
        qsizetype level = 0; // the escaping level of the strings around: that of the key
        for (qsizetype k = pos - 3; k >= 0 && t[k] == u'\\'; --k)
            ++level;
        if (c == u'{' || c == u'[')
            return containerValue(v, level, "body", key);
        if (const qsizetype len = jsonLiteralLength(t, v))
            return v + len;
        qsizetype e = v;
        while (e < n && !isWs(t[e].unicode()) && t[e] != u',' && t[e] != u'}' && t[e] != u']'
               && t[e] != u'"' && t[e] != u'\'')
            ++e;
        cut(v, e, true, "body", key, level);
        return e;
    }

    // The value after a bare key: (header line, YAML, a JS/Python object literal).
    qsizetype bareValue(qsizetype pos, bool lineLike, QStringView key)
    {
        qsizetype v = pos;
        for (int guard = 0; v < n && isBlank(t[v].unicode()) && guard < 64; ++guard)
            ++v;
        if (v >= n || t[v] == u'\n' || t[v] == u'\r')
            return pos;
        if (const qsizetype end = quotedAt(v, "text", key); end >= 0)
            return end;
        if (t[v] == u'{' || t[v] == u'[')
            return containerValue(v, 0, "text", key);
        if (const qsizetype len = jsonLiteralLength(t, v))
            return v + len;
        const auto isEnd = [this, lineLike](qsizetype e) {
            const char16_t c = t[e].unicode();
            if (c == u'\n' || c == u'\r' || c == u'"')
                return true;
            if (c == u'\\' && e + 1 < n
                && (t[e + 1] == u'n' || t[e + 1] == u'r' || t[e + 1] == u'"'))
                return true;
            if (lineLike)
                return false;
            return isBlank(c) || c == u',' || c == u';' || c == u'}' || c == u']' || c == u')'
                   || c == u'\'';
        };
        // Keep an authorization scheme visible ("Bearer [REDACTED]"), mask what follows it.
        qsizetype w = v;
        while (w < n && !isBlank(t[w].unicode()) && !isEnd(w))
            ++w;
        if (w < n && isBlank(t[w].unicode()) && isAuthScheme(t.mid(v, w - v))) {
            qsizetype x = w;
            while (x < n && isBlank(t[x].unicode()))
                ++x;
            if (x < n && !isEnd(x))
                v = x;
        }
        qsizetype e = v;
        if (lineLike) {
            while (e < n && !isEnd(e))
                ++e;
            while (e > v && isBlank(t[e - 1].unicode()))
                --e;
        } else {
            while (e < n && !isBlank(t[e].unicode()) && !isEnd(e))
                ++e;
        }
        cut(v, e, false, "text", key);
        return std::max(e, pos);
    }

    qsizetype onColon(qsizetype i)
    {
        qsizetype p = i - 1;
        for (int guard = 0; p >= 0 && isBlank(t[p].unicode()) && guard < 64; ++guard)
            --p;
        if (p < 0)
            return i + 1;
        const char16_t c = t[p].unicode();
        if (c == u'"' || c == u'\'') {
            // "key": the name runs back to the nearest quote of the same kind, whatever
            // escaping either quote has (\"key\" inside a JSON string).
            qsizetype keyEnd = p;
            while (keyEnd > 0 && t[keyEnd - 1] == u'\\')
                --keyEnd;
            qsizetype s = keyEnd - 1;
            for (int steps = 0; s >= 0 && t[s] != c && steps < 256; ++steps)
                --s;
            qsizetype keyStart = s >= 0 && t[s] == c ? s + 1 : keyEnd - MaxKey;
            keyStart = std::max<qsizetype>({keyStart, 0, keyEnd - MaxKey});
            if (keyStart >= keyEnd)
                return i + 1;
            const QString key = decodeJsonKey(t.mid(keyStart, keyEnd - keyStart));
            if (!isSecretName(key))
                return i + 1;
            return jsonValue(i + 1, key);
        }
        if (!isKeyChar(c))
            return i + 1;
        const qsizetype keyEnd = p + 1;
        qsizetype s = p;
        while (s >= 0 && isKeyChar(t[s].unicode()) && keyEnd - s <= 4096)
            --s;
        qsizetype keyStart = s + 1;
        bool lineLike = false;
        if (keyStart >= 1 && t[keyStart - 1] == u'\\'
            && (t[keyStart] == u'n' || t[keyStart] == u'r' || t[keyStart] == u't')) {
            ++keyStart; // "…\npassword: x" inside a JSON string
            lineLike = true;
        }
        if (keyStart >= keyEnd)
            return i + 1;
        // Only where a name can start a line, a string or an object member: not in prose.
        qsizetype q = keyStart - 1;
        for (int guard = 0; q >= 0 && isBlank(t[q].unicode()) && guard < 64; ++guard)
            --q;
        const char16_t before = q >= 0 ? t[q].unicode() : u'\n';
        lineLike
            = lineLike || before == u'\n' || before == u'\r' || before == u'"' || before == u'\'';
        const bool member = before == u'{' || before == u',';
        if (!lineLike && !member)
            return i + 1;
        const QStringView key = t.mid(std::max(keyStart, keyEnd - MaxKey),
                                      keyEnd - std::max(keyStart, keyEnd - MaxKey));
        if (!isSecretName(key) || isErrorCode(key))
            return i + 1;
        return bareValue(i + 1, lineLike, key);
    }

    qsizetype onEquals(qsizetype i)
    {
        qsizetype p = i - 1;
        for (int guard = 0; p >= 0 && isBlank(t[p].unicode()) && guard < 16; ++guard)
            --p;
        if (p < 0 || !isFormKeyChar(t[p].unicode()))
            return i + 1;
        const qsizetype keyEnd = p + 1;
        qsizetype s = p;
        while (s >= 0 && isFormKeyChar(t[s].unicode()) && keyEnd - s <= 4096)
            --s;
        qsizetype keyStart = s + 1;
        if (keyStart >= 1 && t[keyStart - 1] == u'\\') {
            if (t[keyStart] == u'u' && isHex4(t, keyStart + 1))
                keyStart += 5; // \u0026name= : an escaped '&' in a JSON string
            else if (t[keyStart] == u'n' || t[keyStart] == u'r' || t[keyStart] == u't')
                keyStart += 1;
        }
        keyStart = std::max(keyStart, keyEnd - MaxKey);
        if (keyStart >= keyEnd)
            return i + 1;
        const QStringView rawKey = t.mid(keyStart, keyEnd - keyStart);
        if (!isSecretName(decodeFormKey(rawKey)))
            return i + 1;
        qsizetype v = i + 1;
        for (int guard = 0; v < n && isBlank(t[v].unicode()) && guard < 16; ++guard)
            ++v;
        if (v < n) {
            if (const qsizetype end = quotedAt(v, "form", rawKey); end >= 0)
                return end;
        }
        qsizetype e = v;
        while (e < n) {
            const char16_t c = t[e].unicode();
            if (c == u'&' || isWs(c) || c == u'"' || c == u'<' || c == u'>')
                break;
            if (c == u'\\' && e + 5 < n && t[e + 1] == u'u' && t.mid(e + 2, 4) == u"0026")
                break;
            ++e;
        }
        cut(v, e, false, "form", rawKey);
        return std::max(e, i + 1);
    }

    // "://" (or ":\/\/") at i: user info of the URL's authority.
    qsizetype onUrl(qsizetype i, qsizetype separator)
    {
        const qsizetype a = i + separator;
        qsizetype j = a;
        qsizetype at = -1;
        for (; j < n; ++j) {
            const char16_t c = t[j].unicode();
            if (isWs(c) || c == u'/' || c == u'?' || c == u'#' || c == u'\\' || c == u'"'
                || c == u'\'' || c == u'<' || c == u'>' || c == u'`' || c == u'{' || c == u'}'
                || c == u'|' || c == u'^')
                break;
            if (c == u'@')
                at = j;
        }
        if (at > a) {
            const qsizetype colon = t.mid(a, at - a).indexOf(u':');
            if (colon >= 0)
                cut(a + colon + 1, at, false, "url", u"password");
            else
                cut(a, at, false, "url", u"user info"); // https://ghp_token@host
        }
        return std::max(j, i + separator);
    }

    // At the start of a line: remembers boundary lines, masks secret multipart parts.
    qsizetype onLineStart(qsizetype ls)
    {
        if (ls + 1 < n && t[ls] == u'-' && t[ls + 1] == u'-') {
            m_boundaryLine = ls;
            return ls;
        }
        constexpr QStringView Disposition = u"content-disposition";
        if (n - ls <= Disposition.size()
            || t.mid(ls, Disposition.size()).compare(Disposition, Qt::CaseInsensitive) != 0)
            return ls;
        qsizetype p = ls + Disposition.size();
        while (p < n && isBlank(t[p].unicode()))
            ++p;
        if (p >= n || t[p] != u':')
            return ls;
        const qsizetype eol = lineEnd(p);
        const QString name = dispositionName(t.mid(p + 1, eol - p - 1));
        if (!isSecretName(name))
            return ls;
        // The part's headers end at an empty line; its body at the boundary line.
        qsizetype bodyStart = -1;
        qsizetype line = eol + 1;
        for (int lines = 0; line < n && lines < 64; ++lines) {
            if (lineAt(line).isEmpty()) {
                bodyStart = std::min(lineEnd(line) + 1, n);
                break;
            }
            line = lineEnd(line) + 1;
        }
        if (bodyStart < 0) { // headers never end: everything after them may be the value
            cut(std::min(eol + 1, n), n, false, "multipart", name);
            return n;
        }
        QStringView boundary;
        if (m_boundaryLine >= 0 && m_boundaryLine < ls) {
            boundary = lineAt(m_boundaryLine);
            if (boundary.size() > 2 && boundary.endsWith(u"--"))
                boundary.chop(2);
        }
        qsizetype end = n;
        qsizetype next = n;
        for (line = bodyStart; line < n; line = lineEnd(line) + 1) {
            const QStringView l = lineAt(line);
            const bool isBoundary
                = boundary.isEmpty()
                      ? l.startsWith(u"--")
                      : l.startsWith(boundary)
                            && (l.size() == boundary.size() || l.mid(boundary.size()) == u"--");
            if (isBoundary) {
                end = line;
                next = line - 1; // the '\n' before it, so the loop sees the boundary line
                if (end > bodyStart && t[end - 1] == u'\n')
                    --end;
                if (end > bodyStart && t[end - 1] == u'\r')
                    --end;
                break;
            }
        }
        cut(bodyStart, end, false, "multipart", name);
        return std::max(next, ls);
    }

    QStringView t;
    qsizetype n;
    const SecretNames &m_names;
    std::vector<SecretSpan> &m_out;
    const std::vector<qsizetype> *m_starts;
    qsizetype m_boundaryLine = -1;
};

bool hasPercentEscape(QStringView t)
{
    for (qsizetype i = t.indexOf(u'%'); i >= 0 && i + 2 < t.size(); i = t.indexOf(u'%', i + 1))
        if (hexValue(t[i + 1].unicode()) >= 0 && hexValue(t[i + 2].unicode()) >= 0)
            return true;
    return false;
}

} // namespace

void SecretScanner::scan(QStringView text, std::vector<SecretSpan> &out) const
{
    Pass(text, m_names, out).run();
    if (!hasPercentEscape(text))
        return;
    // Once more on the percent-decoded text (ASCII escapes and '+'), which is where a form
    // value holding JSON or a double-encoded query shows its names.
    QString decoded;
    decoded.reserve(text.size());
    std::vector<qsizetype> starts;
    starts.reserve(size_t(text.size()) + 1);
    for (qsizetype i = 0; i < text.size();) {
        starts.push_back(i);
        const char16_t c = text[i].unicode();
        if (c == u'%' && i + 2 < text.size()) {
            const int hi = hexValue(text[i + 1].unicode());
            const int lo = hexValue(text[i + 2].unicode());
            if (hi >= 0 && lo >= 0 && hi < 8) {
                decoded += QChar(char16_t(hi * 16 + lo));
                i += 3;
                continue;
            }
        }
        decoded += c == u'+' ? QChar(u' ') : QChar(c);
        ++i;
    }
    starts.push_back(text.size());
    Pass(decoded, m_names, out, &starts).run();
}

} // namespace hd
