#include "redactor.h"

#include <QRegularExpression>
#include <QUrl>

#include <algorithm>

namespace hd {
namespace {

QString normalise(QStringView name)
{
    QString out;
    out.reserve(name.size());
    for (QChar c : name) {
        if (c != u'_' && c != u'-' && c != u'.')
            out.append(c.toLower());
    }
    return out;
}

const QSet<QString> &secretHeaderNameSet()
{
    static const QSet<QString> names{
        QStringLiteral("authorization"),
        QStringLiteral("proxyauthorization"),
        QStringLiteral("cookie"),
        QStringLiteral("setcookie"),
        QStringLiteral("xapikey"),
        QStringLiteral("apikey"),
        QStringLiteral("xapitoken"),
        QStringLiteral("xauthtoken"),
        QStringLiteral("xaccesstoken"),
        QStringLiteral("xamzsecuritytoken"),
        QStringLiteral("xcsrftoken"),
        QStringLiteral("xxsrftoken"),
        QStringLiteral("ocpapimsubscriptionkey"),
        QStringLiteral("xfunctionskey"),
        QStringLiteral("ptickettoken"),
        QStringLiteral("pticket"),
    };
    return names;
}

// Matches "key" : value in JSON text. The value is a string (escapes allowed), or a bare token.
const QRegularExpression &jsonFieldPattern()
{
    static const QRegularExpression re(QStringLiteral(
        R"re("((?:[^"\\]|\\.){1,128})"(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,{}\[\]\s]+))re"));
    return re;
}

// Matches key=value in a form body or query string.
const QRegularExpression &formFieldPattern()
{
    static const QRegularExpression re(
        QStringLiteral(R"re((^|[?&;\s])([^=&?;\s]{1,128})=([^&#;\s]*))re"));
    return re;
}

} // namespace

Redactor::Redactor()
{
    for (const char *n : {"password",      "passwd",
                          "pwd",           "secret",
                          "client_secret", "clientsecret",
                          "sec",           "token",
                          "access_token",  "refresh_token",
                          "id_token",      "accessToken",
                          "mdAccessToken", "refreshToken",
                          "idToken",       "p-ticket",
                          "pticket",       "api_key",
                          "apikey",        "api-key",
                          "private_key",   "client_assertion",
                          "assertion",     "otp",
                          "session_token", "auth"})
        m_fieldNames.insert(normalise(QString::fromLatin1(n)));
    rebuildPrecheck();
}

Redactor &Redactor::shared()
{
    static Redactor r;
    return r;
}

bool Redactor::isSecretHeader(QStringView name) const
{
    const QString n = normalise(name);
    return secretHeaderNameSet().contains(n) || n.endsWith(u"apikey") || n.endsWith(u"secret")
           || (n.endsWith(u"token") && n.startsWith(u"x"));
}

bool Redactor::isSecretField(QStringView name) const
{
    const QString n = normalise(name);
    if (m_fieldNames.contains(n))
        return true;
    // accessToken, mdAccessToken, client_secret, newPassword… but not token_type or tokenUrl.
    return n.endsWith(u"token") || n.endsWith(u"secret") || n.endsWith(u"password")
           || n.endsWith(u"apikey");
}

void Redactor::addSecretFieldName(const QString &name)
{
    m_fieldNames.insert(normalise(name));
    rebuildPrecheck();
}

void Redactor::addSecretValue(const QString &value)
{
    // Very short values would mask innocent text everywhere; they are still masked by field name.
    if (value.size() < 4)
        return;
    const QByteArray utf8 = value.toUtf8();
    for (const QString &form :
         {value, QString::fromLatin1(QUrl::toPercentEncoding(value)),
          QString::fromLatin1(utf8.toBase64()),
          QString::fromLatin1(
              utf8.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals))}) {
        if (!m_secretValues.contains(form))
            m_secretValues.append(form);
    }
    // Longest first, so a value that contains another is masked whole.
    std::stable_sort(m_secretValues.begin(), m_secretValues.end(),
                     [](const QString &a, const QString &b) { return a.size() > b.size(); });
}

QStringList Redactor::secretHeaderNames()
{
    QStringList names(secretHeaderNameSet().cbegin(), secretHeaderNameSet().cend());
    names.sort();
    return names;
}

QStringList Redactor::secretFieldNames() const
{
    QStringList names(m_fieldNames.cbegin(), m_fieldNames.cend());
    names.sort();
    return names;
}

void Redactor::clearSecretValues()
{
    m_secretValues.clear();
}

void Redactor::setRecording(bool on)
{
    m_recording = on;
}

QList<Redactor::Record> Redactor::takeRecords()
{
    std::lock_guard lock(m_recordMutex);
    return std::exchange(m_records, {});
}

void Redactor::record(const QString &where, const QString &name, const QString &reason) const
{
    if (!m_recording)
        return;
    std::lock_guard lock(m_recordMutex);
    m_records.append({where, name, reason});
}

QString Redactor::maskValues(QString text) const
{
    for (const QString &v : m_secretValues) {
        if (text.contains(v)) {
            text.replace(v, Mask.toString());
            record(QStringLiteral("text"), QStringLiteral("(known secret value)"),
                   QStringLiteral("equals a secret held for the workspace"));
        }
    }
    return text;
}

QString Redactor::redactHeaderValue(QStringView name, const QString &value) const
{
    if (isSecretHeader(name)) {
        record(QStringLiteral("header"), name.toString(), QStringLiteral("secret header"));
        // Keep the scheme so "Bearer" vs "Basic" stays visible to a support desk.
        const qsizetype space = value.indexOf(u' ');
        if (space > 0 && space < 16 && normalise(name).endsWith(u"authorization"))
            return value.left(space + 1) + Mask;
        return Mask.toString();
    }
    return maskValues(value);
}

HeaderList Redactor::redactHeaders(const HeaderList &headers) const
{
    HeaderList out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers)
        out.append({name, redactHeaderValue(name, value)});
    return out;
}

void Redactor::rebuildPrecheck()
{
    for (auto &bucket : m_precheck)
        bucket.clear();
    m_precheckAlwaysScan = false;
    const auto add = [this](const QString &text, bool suffix) {
        if (!text.isEmpty())
            m_precheck[text.back().unicode() & 0x7f].push_back({text, suffix});
    };
    for (const char *suffix : {"token", "secret", "password", "apikey"})
        add(QString::fromLatin1(suffix), true);
    for (const QString &name : m_fieldNames) {
        bool alnum = !name.isEmpty();
        for (QChar c : name)
            alnum = alnum && c.unicode() < 0x80 && c.isLetterOrNumber();
        if (alnum && name.size() <= 32)
            add(name, false);
        else
            m_precheckAlwaysScan = true; // a name the run split cannot see: never skip
    }
}

bool Redactor::mayHoldSecretField(QStringView text) const
{
    // A field is secret by its normalised name (lower case, no '_', '-', '.'): one of the
    // listed names, or a name ending in one of the suffixes isSecretField() checks. Squeeze the
    // text the same way and look at its runs of ASCII letters and digits: a secret key's run is
    // exactly its normalised name (names are alphanumeric) or ends in a suffix. This linear
    // pre-check lets the regex scans be skipped for the common body without secrets; it never
    // skips a body the scans would change. Percent-encoded names are only recognised after
    // decoding, so any '%' means "scan".
    if (m_precheckAlwaysScan || text.contains(u'%'))
        return true;
    // One pass, no allocation: the current run lives in a small buffer. Runs longer than the
    // buffer keep their tail (enough for the suffixes) and cannot equal a listed name.
    constexpr qsizetype Cap = 64;
    char16_t run[Cap];
    qsizetype len = 0;
    bool truncated = false;
    const auto isSecretRun = [&]() {
        const QStringView r(run, len);
        for (const PrecheckEntry &e : m_precheck[r.back().unicode() & 0x7f]) {
            if (e.suffix ? r.endsWith(e.text) : (!truncated && r == e.text))
                return true;
        }
        return false;
    };
    for (QChar c : text) {
        char16_t u = c.unicode();
        if (u == u'_' || u == u'-' || u == u'.')
            continue; // squeezed away, as normalise() does
        if (u >= 0x80)
            u = c.toLower().unicode();
        else if (u >= u'A' && u <= u'Z')
            u = char16_t(u + 32);
        if ((u >= u'a' && u <= u'z') || (u >= u'0' && u <= u'9')) {
            if (len == Cap) {
                std::copy(run + Cap / 2, run + Cap, run);
                len = Cap / 2;
                truncated = true;
            }
            run[len++] = u;
            continue;
        }
        if (len > 0 && isSecretRun())
            return true;
        len = 0;
        truncated = false;
    }
    return len > 0 && isSecretRun();
}

QString Redactor::redactBody(const QString &body) const
{
    if (body.isEmpty())
        return body;
    if (!mayHoldSecretField(body))
        return maskValues(body);
    QString out = body;
    // JSON "key": value pairs, found textually so truncated or malformed JSON is covered too.
    if (out.contains(u'"')) {
        QString result;
        qsizetype last = 0;
        auto it = jsonFieldPattern().globalMatch(out);
        bool changed = false;
        while (it.hasNext()) {
            const auto m = it.next();
            const QString key = m.captured(1);
            const QString value = m.captured(3);
            // Objects and arrays never match as values (the pattern stops at '{' and '['), so
            // their own fields are matched one by one.
            if (!isSecretField(key) || value == u"null" || value == u"true" || value == u"false")
                continue;
            result += QStringView(out).mid(last, m.capturedStart(3) - last);
            result += u'"' + Mask + u'"';
            last = m.capturedEnd(3);
            changed = true;
            record(QStringLiteral("body"), key, QStringLiteral("secret field"));
        }
        if (changed) {
            result += QStringView(out).mid(last);
            out = result;
        }
    }
    // Form bodies and query-like text.
    if (out.contains(u'=')) {
        QString result;
        qsizetype last = 0;
        bool changed = false;
        auto it = formFieldPattern().globalMatch(out);
        while (it.hasNext()) {
            const auto m = it.next();
            if (!isSecretField(QUrl::fromPercentEncoding(m.captured(2).toUtf8()))
                || m.captured(3).isEmpty())
                continue;
            result += QStringView(out).mid(last, m.capturedStart(3) - last);
            result += Mask;
            last = m.capturedEnd(3);
            changed = true;
            record(QStringLiteral("form"), m.captured(2), QStringLiteral("secret field"));
        }
        if (changed) {
            result += QStringView(out).mid(last);
            out = result;
        }
    }
    return maskValues(out);
}

QString Redactor::redactUrl(const QString &url) const
{
    QString out = url;
    // user:password@host
    static const QRegularExpression userInfo(
        QStringLiteral(R"(^([a-zA-Z][a-zA-Z0-9+.-]*://)([^/@\s:]*):([^/@\s]*)@)"));
    const auto m = userInfo.match(out);
    if (m.hasMatch() && !m.captured(3).isEmpty()) {
        out.replace(m.capturedStart(3), m.capturedLength(3), Mask.toString());
        record(QStringLiteral("url"), QStringLiteral("password"),
               QStringLiteral("user info in URL"));
    }
    const qsizetype q = out.indexOf(u'?');
    if (q >= 0) {
        const QString query = redactBody(out.mid(q));
        out = out.left(q) + query;
    }
    return maskValues(out);
}

void Redactor::redactEvent(ApiEvent &e) const
{
    if (e.request) {
        e.request->url = redactUrl(e.request->url);
        e.request->headers = redactHeaders(e.request->headers);
        e.request->body = redactBody(e.request->body);
    }
    if (e.response) {
        e.response->headers = redactHeaders(e.response->headers);
        e.response->body = redactBody(e.response->body);
    }
    if (e.error) {
        e.error->message = maskValues(e.error->message);
        for (auto &d : e.error->details)
            d.message = maskValues(d.message);
    }
}

} // namespace hd
