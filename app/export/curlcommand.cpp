#include "curlcommand.h"

#include "environmentsecretstore.h"
#include "redactor.h"

#include <QRegularExpression>
#include <QUrl>

namespace hd {

namespace {
QString upperName(const QString &name)
{
    QString out;
    for (QChar c : name.toUpper())
        out.append((c.isLetterOrNumber() && c.unicode() < 128) ? c : u'_');
    return out;
}
} // namespace

QString CurlCommand::tokenVariable(const QString &credentialId)
{
    return QStringLiteral("HDECK_TOKEN_") + upperName(credentialId);
}

QString CurlCommand::secretVariable(const QString &secretName)
{
    return EnvironmentSecretStore::variableName(secretName);
}

QString CurlCommand::quoted(QStringView text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += u'\'';
    for (QChar c : text) {
        if (c == u'\'')
            out += QStringLiteral("'\\''");
        else if (c.unicode() == 0)
            continue; // a shell word cannot hold NUL; bash would drop it with a warning anyway
        else
            out += c; // inside '…' nothing else is special: $(…), `…`, \, newlines are literal
    }
    out += u'\'';
    return out;
}

QString CurlCommand::fieldVariable(const QString &before) const
{
    // The JSON key or form/query field right before the mask names it.
    static const QRegularExpression jsonKey(QStringLiteral(R"re("([^"\\]{1,64})"\s*:\s*"?$)re"));
    static const QRegularExpression formKey(QStringLiteral(R"re(([A-Za-z0-9_.\-]{1,64})=$)re"));
    const QString tail = before.right(96);
    if (const auto m = jsonKey.match(tail); m.hasMatch())
        return secretVariable(m.captured(1));
    if (const auto m = formKey.match(tail); m.hasMatch())
        return secretVariable(m.captured(1));
    return {};
}

// text with every mask replaced by "$VARIABLE": variable when given, else the field name.
QString CurlCommand::word(const QString &text, const QString &variable)
{
    const QString mask = Redactor::Mask.toString();
    QString out;
    qsizetype from = 0;
    for (;;) {
        const qsizetype at = text.indexOf(mask, from);
        const QStringView literal = QStringView(text).mid(from, (at < 0 ? text.size() : at) - from);
        if (!literal.isEmpty() || (at < 0 && out.isEmpty()))
            out += quoted(literal);
        if (at < 0)
            break;
        QString name = fieldVariable(text.left(at));
        if (name.isEmpty())
            name = variable.isEmpty() ? QStringLiteral("HDECK_SECRET") : variable;
        if (!m_variables.contains(name))
            m_variables.append(name);
        out += QStringLiteral("\"$%1\"").arg(name);
        from = at + mask.size();
    }
    return out;
}

QString CurlCommand::variableHint(const QString &variable) const
{
    if (!m_tokenVariable.isEmpty() && variable == m_tokenVariable)
        return QStringLiteral("a current access token of credential %1").arg(m_credentialId);
    if (!m_secretVariable.isEmpty() && variable == m_secretVariable)
        return QStringLiteral("the secret %1 of credential %2 (hdeck watch reads it from there)")
            .arg(m_secretName, m_credentialId);
    return QStringLiteral("the value HealthDeck removed from the request");
}

CurlCommand CurlCommand::fromEvent(const ApiEvent &event, const Options &options)
{
    CurlCommand c;
    if (!event.request || event.request->url.isEmpty())
        return c;
    // A stream event (docs/streams.md) is one frame of a WebSocket session: curl cannot replay
    // it, so there is no command rather than a misleading one.
    const QString scheme = QUrl(event.request->url).scheme().toLower();
    if (scheme == u"ws" || scheme == u"wss")
        return c;
    const RequestInfo &r = *event.request;
    const Credential *cred = options.credential;
    using Method = Credential::Method;
    const bool tokenCredential = cred
                                 && (cred->method == Method::OAuth2ClientCredentials
                                     || cred->method == Method::TradovateToken);
    const QString credentialSecret
        = cred && !cred->secretName.isEmpty() ? secretVariable(cred->secretName) : QString();

    if (cred) {
        c.m_credentialId = cred->id;
        c.m_secretName = cred->secretName;
        c.m_secretVariable = credentialSecret;
        if (tokenCredential)
            c.m_tokenVariable = tokenVariable(cred->id);
    }

    // One entry per option with its argument, so multiLine can put each on its own line.
    QStringList parts{QStringLiteral("curl -sS -i")};
    if (options.maxTimeSeconds > 0)
        parts << QStringLiteral("--max-time %1").arg(options.maxTimeSeconds);
    if (!r.method.isEmpty() && r.method.compare(u"GET", Qt::CaseInsensitive) != 0)
        parts << QStringLiteral("-X ") + quoted(r.method.toUpper());
    // --url, never a bare word: a recorded URL starting with "-" must not become a curl option.
    parts << QStringLiteral("--url ")
                 + c.word(r.url, cred && cred->method == Method::ApiKeyQuery ? credentialSecret
                                                                             : QString());
    for (const auto &[name, value] : r.headers) {
        if (name.compare(u"Content-Length", Qt::CaseInsensitive) == 0
            || name.compare(u"Host", Qt::CaseInsensitive) == 0)
            continue; // curl sets these itself
        QString variable;
        if (name.compare(u"Authorization", Qt::CaseInsensitive) == 0)
            variable = tokenCredential ? c.m_tokenVariable : credentialSecret;
        else if (cred && cred->method == Method::ApiKeyHeader
                 && name.compare(cred->headerName, Qt::CaseInsensitive) == 0)
            variable = credentialSecret;
        if (variable.isEmpty())
            variable = secretVariable(name);
        // The header line as one word: 'Name: literal'"$VAR". A line break inside would let a
        // recorded value add header lines of its own to the replayed request.
        QString line = name + QStringLiteral(": ") + value;
        line.replace(u'\r', u' ').replace(u'\n', u' ');
        parts << QStringLiteral("-H ") + c.word(line, variable);
    }
    if (!r.body.isEmpty())
        parts << QStringLiteral("--data-raw ") + c.word(r.body, credentialSecret);
    QString command
        = parts.join(options.multiLine ? QStringLiteral(" \\\n  ") : QStringLiteral(" "));
    if (options.withVariableComment && !c.m_variables.isEmpty()) {
        QStringList vars;
        for (const QString &v : std::as_const(c.m_variables))
            vars.append(u'$' + v);
        command.prepend(QStringLiteral("# set first: %1\n").arg(vars.join(u' ')));
    }
    c.m_command = command;
    c.m_valid = true;
    return c;
}

} // namespace hd
