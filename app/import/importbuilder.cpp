#include "importbuilder.h"

#include "redactor.h"
#include "workspacefile.h"

#include <QRegularExpression>
#include <QUrl>

namespace hd {

int ImportResult::selectedCount() const
{
    int n = 0;
    for (const auto &e : endpoints)
        n += e.selected ? 1 : 0;
    return n;
}

namespace {

const Redactor &rules()
{
    static const Redactor r; // the default rules only, never the process's held values
    return r;
}

QString normalizedBase(QString url)
{
    while (url.endsWith(u'/') && url.count(u'/') > 2)
        url.chop(1);
    return url;
}

// "accessToken", "api-key", "BROKER token" → "ACCESS_TOKEN", "API_KEY", "BROKER_TOKEN"
QString upperSnake(const QString &text)
{
    QString out;
    QChar prev;
    for (QChar c : text) {
        if (c.isUpper() && prev.isLower() && !out.endsWith(u'_'))
            out.append(u'_');
        prev = c;
        if (c.isLetterOrNumber() && c.unicode() < 128)
            out.append(c.toUpper());
        else if (!out.isEmpty() && !out.endsWith(u'_'))
            out.append(u'_');
    }
    while (out.endsWith(u'_'))
        out.chop(1);
    return out;
}

} // namespace

ImportBuilder::ImportBuilder(QString format, QString origin)
    : m_format(std::move(format))
    , m_origin(std::move(origin))
{
    m_result.format = m_format;
}

void ImportBuilder::fail(const QString &where, const QString &what) const
{
    throw ImportError{where, what};
}

QString ImportBuilder::slug(const QString &text)
{
    QString out;
    for (QChar c : text.toLower()) {
        if ((c.isLetterOrNumber() && c.unicode() < 128) || c == u'_')
            out.append(c);
        else if (!out.isEmpty() && !out.endsWith(u'-'))
            out.append(u'-');
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out.left(64);
}

QString ImportBuilder::hostId(const QUrl &url)
{
    const QString host = url.host().toLower();
    static const QRegularExpression ip(QStringLiteral(R"(^[0-9.:\[\]]+$)"));
    if (host.isEmpty())
        return QStringLiteral("default");
    if (host == u"localhost" || ip.match(host).hasMatch()) {
        QString id = slug(host);
        if (url.port() > 0)
            id += u'-' + QString::number(url.port());
        return id;
    }
    QStringList labels = host.split(u'.', Qt::SkipEmptyParts);
    while (labels.size() > 2
           && (labels.first() == u"api" || labels.first() == u"www" || labels.first() == u"rest"))
        labels.removeFirst();
    return slug(labels.value(0, host));
}

QString ImportBuilder::secretNameFor(const QString &prefix, const QString &kind)
{
    const QString p = upperSnake(prefix);
    return p.isEmpty() ? upperSnake(kind) : p + u'_' + upperSnake(kind);
}

QString ImportBuilder::originOf(const QUrl &url)
{
    QString host = url.host(QUrl::FullyEncoded);
    if (host.contains(u':'))
        host = u'[' + host + u']';
    QString out = url.scheme().toLower() + QStringLiteral("://") + host;
    if (url.port() > 0)
        out += u':' + QString::number(url.port());
    return out;
}

bool ImportBuilder::isPlaceholder(const QString &value, QString *named)
{
    const QString v = value.trimmed();
    QString name;
    static const QRegularExpression shellVar(
        QStringLiteral(R"(^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$)"));
    static const QRegularExpression mustache(QStringLiteral(R"(^\{\{\s*([^{}]+?)\s*\}\}$)"));
    static const QRegularExpression angle(QStringLiteral(R"(^<([^<>]{1,80})>$)"));
    static const QRegularExpression braces(
        QStringLiteral(R"(^\{([A-Za-z_][A-Za-z0-9_ -]{0,80})\}$)"));
    static const QRegularExpression your(
        QStringLiteral(R"(^(your|my)[-_ ]?[a-z0-9_ -]*$|^x{4,}$|^\*{3,}$|^\.\.\.$|^\[REDACTED\]$)"),
        QRegularExpression::CaseInsensitiveOption);
    bool placeholder = false;
    if (const auto m = shellVar.match(v); m.hasMatch()) {
        name = m.captured(1);
        placeholder = true;
    } else if (const auto m = mustache.match(v); m.hasMatch()) {
        name = m.captured(1);
        placeholder = true;
    } else if (const auto m = angle.match(v); m.hasMatch()) {
        name = m.captured(1);
        placeholder = true;
    } else if (const auto m = braces.match(v); m.hasMatch()) {
        name = m.captured(1);
        placeholder = true;
    } else if (v.isEmpty() || your.match(v).hasMatch()) {
        placeholder = true;
    }
    if (!placeholder)
        return false;
    // Our own bundles and the docs name secrets HDECK_SECRET_<NAME>; a token HealthDeck got
    // for a credential is HDECK_TOKEN_<CREDENTIAL>.
    if (name.startsWith(QStringLiteral("HDECK_SECRET_")))
        name = name.mid(13);
    else if (name.startsWith(QStringLiteral("HDECK_TOKEN_")))
        name = name.mid(12) + QStringLiteral("_TOKEN");
    static const QRegularExpression generic(QStringLiteral(R"(^(your|my)[-_ ]?)"),
                                            QRegularExpression::CaseInsensitiveOption);
    name.remove(generic);
    if (named)
        *named = upperSnake(name);
    return true;
}

bool ImportBuilder::isSecretHeader(const QString &name)
{
    if (name.compare(u"cookie", Qt::CaseInsensitive) == 0
        || name.compare(u"set-cookie", Qt::CaseInsensitive) == 0)
        return false; // session state, handled by each importer (skipped)
    return rules().isSecretHeader(name);
}

bool ImportBuilder::isSecretQuery(const QString &name)
{
    const QString n = name.toLower();
    return rules().isSecretField(name) || n == u"key" || n == u"sig" || n == u"signature"
           || n == u"access-token" || n == u"apikey";
}

bool ImportBuilder::isHttpMethod(const QString &method)
{
    static const QStringList methods{QStringLiteral("GET"),    QStringLiteral("POST"),
                                     QStringLiteral("PUT"),    QStringLiteral("PATCH"),
                                     QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                                     QStringLiteral("OPTIONS")};
    return methods.contains(method);
}

QString ImportBuilder::uniqueId(const QString &base,
                                const std::function<bool(const QString &)> &taken) const
{
    const QString b = base.isEmpty() ? QStringLiteral("item") : base;
    if (!taken(b))
        return b;
    for (int i = 2;; ++i) {
        const QString id = b + u'-' + QString::number(i);
        if (!taken(id))
            return id;
    }
}

QString ImportBuilder::environmentFor(const QString &baseUrl, const QString &preferredId,
                                      const QString &name)
{
    const QString base = normalizedBase(baseUrl.trimmed());
    for (const auto &e : std::as_const(m_result.environments))
        if (e.baseUrl == base)
            return e.id;
    const QUrl url(base);
    QString id = preferredId.isEmpty() ? hostId(url) : slug(preferredId);
    id = uniqueId(id, [&](const QString &x) {
        return std::any_of(m_result.environments.cbegin(), m_result.environments.cend(),
                           [&](const Environment &e) { return e.id == x; });
    });
    Environment env;
    env.id = id;
    env.name = name.isEmpty() ? (url.host().isEmpty() ? base : url.host()) : name;
    env.baseUrl = base;
    m_result.environments.append(env);
    return id;
}

QString ImportBuilder::secretFor(const QString &value, const QString &envId, const QString &kind,
                                 QString *cleanValue)
{
    QString named;
    if (isPlaceholder(value, &named)) {
        cleanValue->clear();
        const QString rawName = value.trimmed().remove(u'$').remove(u'{').remove(u'}').trimmed();
        if (const auto known = variable(rawName);
            known && !known->isEmpty() && !isPlaceholder(*known))
            *cleanValue = *known;
        return named.isEmpty() ? secretNameFor(envId, kind) : named;
    }
    *cleanValue = value;
    const QString base = secretNameFor(envId, kind);
    QString name = base;
    for (int i = 2; m_secretValues.contains(name) && m_secretValues.value(name) != value; ++i)
        name = base + u'_' + QString::number(i);
    return name;
}

QString ImportBuilder::addCredential(Credential c, const QString &value, const QString &foundAt)
{
    for (const auto &x : std::as_const(m_result.credentials)) {
        if (x.method == c.method && x.environment == c.environment && x.secretName == c.secretName
            && x.username == c.username && x.tokenUrl == c.tokenUrl && x.clientId == c.clientId
            && (c.method != Credential::Method::ApiKeyHeader
                || x.headerName.compare(c.headerName, Qt::CaseInsensitive) == 0)
            && (c.method != Credential::Method::ApiKeyQuery || x.queryName == c.queryName))
            return x.id;
    }
    c.id = uniqueId(
        slug(c.id).isEmpty() ? QStringLiteral("credential") : slug(c.id), [&](const QString &x) {
            return std::any_of(m_result.credentials.cbegin(), m_result.credentials.cend(),
                               [&](const Credential &k) { return k.id == x; });
        });
    if (c.name.isEmpty())
        c.name = c.id;
    m_result.credentials.append(c);
    const bool known
        = std::any_of(m_result.secrets.cbegin(), m_result.secrets.cend(),
                      [&](const ImportedSecret &s) { return s.secretName == c.secretName; });
    if (!c.secretName.isEmpty() && !known) {
        if (!value.isEmpty())
            m_secretValues.insert(c.secretName, value);
        m_result.secrets.append({c.secretName, c.id, foundAt, value});
    }
    return c.id;
}

QString ImportBuilder::bearerCredential(const QString &token, const QString &envId,
                                        const QString &foundAt)
{
    QString value;
    Credential c;
    c.method = Credential::Method::Bearer;
    c.environment = envId;
    c.secretName = secretFor(token, envId, QStringLiteral("TOKEN"), &value);
    c.id = envId + QStringLiteral("-bearer");
    return addCredential(c, value, foundAt);
}

QString ImportBuilder::basicCredential(const QString &user, const QString &password,
                                       const QString &envId, const QString &foundAt)
{
    QString value;
    Credential c;
    c.method = Credential::Method::Basic;
    c.environment = envId;
    c.username = user;
    c.secretName = secretFor(password, envId, QStringLiteral("PASSWORD"), &value);
    c.id = envId + QStringLiteral("-basic");
    return addCredential(c, value, foundAt);
}

std::optional<QString> ImportBuilder::credentialFromHeader(const QString &name,
                                                           const QString &value,
                                                           const QString &envId,
                                                           const QString &foundAt)
{
    if (!isSecretHeader(name))
        return std::nullopt;
    const QString v = value.trimmed();
    if (name.compare(u"authorization", Qt::CaseInsensitive) == 0) {
        const qsizetype space = v.indexOf(u' ');
        const QString scheme = space > 0 ? v.left(space) : QString();
        const QString rest = space > 0 ? v.mid(space + 1).trimmed() : v;
        if (scheme.compare(u"bearer", Qt::CaseInsensitive) == 0)
            return bearerCredential(rest, envId, foundAt);
        if (scheme.compare(u"basic", Qt::CaseInsensitive) == 0) {
            if (isPlaceholder(rest))
                return basicCredential({}, rest, envId, foundAt);
            const QByteArray decoded = QByteArray::fromBase64(rest.toLatin1());
            const qsizetype colon = decoded.indexOf(':');
            if (colon > 0)
                return basicCredential(QString::fromUtf8(decoded.left(colon)),
                                       QString::fromUtf8(decoded.mid(colon + 1)), envId, foundAt);
        }
    }
    // Any other secret header is sent as it is: an API key credential with that header name.
    QString clean;
    QString kind = name;
    if (kind.startsWith(u"x-", Qt::CaseInsensitive))
        kind = kind.mid(2);
    Credential c;
    c.method = Credential::Method::ApiKeyHeader;
    c.environment = envId;
    c.headerName = name;
    c.secretName = secretFor(v, envId, kind, &clean);
    c.id = envId + u'-' + slug(kind);
    return addCredential(c, clean, foundAt);
}

std::optional<QString> ImportBuilder::credentialFromQuery(const QString &name, const QString &value,
                                                          const QString &envId,
                                                          const QString &foundAt)
{
    if (!isSecretQuery(name))
        return std::nullopt;
    QString clean;
    Credential c;
    c.method = Credential::Method::ApiKeyQuery;
    c.environment = envId;
    c.queryName = name;
    c.secretName = secretFor(value, envId, name, &clean);
    c.id = envId + u'-' + slug(name);
    return addCredential(c, clean, foundAt);
}

QString ImportBuilder::endpointIdFor(const QString &method, const QString &path)
{
    QString p = path;
    if (const qsizetype scheme = p.indexOf(QStringLiteral("://")); scheme >= 0) {
        const qsizetype slash = p.indexOf(u'/', scheme + 3);
        p = slash < 0 ? QString() : p.mid(slash);
    }
    p = p.section(u'?', 0, 0).section(u'#', 0, 0);
    QStringList parts;
    for (QString seg : p.split(u'/', Qt::SkipEmptyParts)) {
        seg.remove(u'{').remove(u'}');
        if (seg.startsWith(u':'))
            seg.remove(0, 1);
        const QString s = slug(seg);
        if (!s.isEmpty())
            parts.append(s);
    }
    QString id = parts.isEmpty() ? QStringLiteral("root") : parts.join(u'.');
    if (method.compare(u"GET", Qt::CaseInsensitive) != 0)
        id = method.toLower() + u'.' + id;
    return id.left(120);
}

bool ImportBuilder::hasEndpoint(const QString &id) const
{
    return std::any_of(m_result.endpoints.cbegin(), m_result.endpoints.cend(),
                       [&](const ImportedEndpoint &e) { return e.endpoint.id == id; });
}

bool ImportBuilder::addEndpoint(Endpoint e, bool selected, const QString &note)
{
    if (m_result.endpoints.size() >= ImportMaxEndpoints) {
        if (m_result.skipped.isEmpty() || m_result.skipped.last().where != u"endpoints")
            skip(QStringLiteral("endpoints"),
                 QStringLiteral("more than %1 endpoints; the rest were left out")
                     .arg(ImportMaxEndpoints));
        return false;
    }
    QString base = e.id.isEmpty() ? endpointIdFor(e.method, e.path) : e.id;
    for (QChar &c : base)
        if (c.isSpace())
            c = u'-';
    e.id = uniqueId(base.left(120), [&](const QString &x) { return hasEndpoint(x); });
    if (e.name.isEmpty())
        e.name = e.method + u' ' + e.path.section(u'?', 0, 0);
    m_result.endpoints.append({e, selected, note});
    return true;
}

void ImportBuilder::skip(const QString &where, const QString &why)
{
    m_result.skipped.append({where, why});
}

void ImportBuilder::note(const QString &text)
{
    if (!m_result.notes.contains(text))
        m_result.notes.append(text);
}

void ImportBuilder::setVariable(const QString &name, const QString &value)
{
    m_variables.insert(name, value);
}

std::optional<QString> ImportBuilder::variable(const QString &name) const
{
    const auto it = m_variables.constFind(name);
    if (it == m_variables.cend())
        return std::nullopt;
    return *it;
}

namespace {

// Error and skip texts quote the file; they are shown on one line in a terminal or a dialog, so
// control characters from the input are written as escapes, never passed through.
QString printable(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        if (u == u'\n')
            out += QStringLiteral("\\n");
        else if (u == u'\r')
            out += QStringLiteral("\\r");
        else if (u == u'\t')
            out += u' ';
        else if (u < 0x20 || u == 0x7f || (u >= 0x80 && u < 0xa0) || u == 0x2028 || u == 0x2029)
            out += QStringLiteral("\\x%1").arg(uint(u), 2, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// Shorter values (a one-letter password) would match ordinary text everywhere; they are still
// kept out of the workspace because importers only ever put them in credentials.
constexpr qsizetype MinScannedSecretLength = 8;

} // namespace

ImportResult ImportBuilder::run(const QString &format, const QString &origin,
                                const QByteArray &data,
                                const std::function<void(ImportBuilder &)> &body)
{
    ImportResult failed;
    failed.format = format;
    if (data.size() > ImportMaxBytes) {
        failed.error = QStringLiteral("%1: larger than %2 MiB; not imported")
                           .arg(origin)
                           .arg(ImportMaxBytes / (1024 * 1024));
        return failed;
    }
    ImportBuilder b(format, origin);
    try {
        body(b);
        return b.finish();
    } catch (const ImportError &e) {
        failed.error = e.where.isEmpty()
                           ? QStringLiteral("%1: %2").arg(origin, e.what)
                           : QStringLiteral("%1: at %2: %3").arg(origin, e.where, e.what);
    } catch (const std::bad_alloc &) {
        failed.error = QStringLiteral("%1: too large to import").arg(origin);
    } catch (const std::exception &e) {
        failed.error
            = QStringLiteral("%1: %2").arg(origin, QString::fromUtf8(e.what()).simplified());
    }
    // The message may quote the file where it failed: never a secret found before that point.
    failed.error = b.masked(printable(failed.error));
    return failed;
}

QString ImportBuilder::secretIn(const QString &text) const
{
    for (auto it = m_secretValues.cbegin(); it != m_secretValues.cend(); ++it) {
        const QString &value = it.value();
        if (value.size() < MinScannedSecretLength)
            continue;
        if (text.contains(value)
            || text.contains(QString::fromLatin1(QUrl::toPercentEncoding(value))))
            return it.key();
    }
    return {};
}

QString ImportBuilder::masked(QString text) const
{
    for (auto it = m_secretValues.cbegin(); it != m_secretValues.cend(); ++it) {
        const QString &value = it.value();
        if (value.size() < MinScannedSecretLength)
            continue;
        const QString mask = QStringLiteral("<secret %1>").arg(it.key());
        text.replace(value, mask);
        text.replace(QString::fromLatin1(QUrl::toPercentEncoding(value)), mask);
    }
    return text;
}

ImportResult ImportBuilder::finish()
{
    if (m_result.name.isEmpty())
        m_result.name = m_origin;

    // A secret value outside a credential — a token a shell variable expanded into a URL or a
    // body, a password in a path — never reaches the workspace: what carries one is left out,
    // with a reason that names the secret, not its value.
    QStringList droppedEnvironments;
    for (qsizetype i = m_result.environments.size() - 1; i >= 0; --i) {
        const Environment &env = m_result.environments.at(i);
        const QString secret = secretIn(env.id + u'\n' + env.name + u'\n' + env.baseUrl);
        if (secret.isEmpty())
            continue;
        skip(QStringLiteral("environment %1").arg(masked(env.id)),
             QStringLiteral("its base URL would carry the value of secret %1; left out (secrets "
                            "are sent only through credentials)")
                 .arg(secret));
        droppedEnvironments.append(env.id);
        m_result.environments.removeAt(i);
    }
    for (qsizetype i = m_result.credentials.size() - 1; i >= 0; --i) {
        if (droppedEnvironments.contains(m_result.credentials.at(i).environment))
            m_result.credentials.removeAt(i);
    }
    for (qsizetype i = m_result.endpoints.size() - 1; i >= 0; --i) {
        const ImportedEndpoint &candidate = m_result.endpoints.at(i);
        const Endpoint &e = candidate.endpoint;
        if (droppedEnvironments.contains(e.environment)) {
            skip(QStringLiteral("endpoint %1").arg(masked(e.id)),
                 QStringLiteral("its environment was left out"));
            m_result.endpoints.removeAt(i);
            continue;
        }
        Workspace one;
        one.endpoints.append(e);
        const QString text = QString::fromStdString(WorkspaceFile::toJson(one).dump());
        const QString secret = secretIn(text + u'\n' + QUrl::fromPercentEncoding(e.path.toUtf8())
                                        + u'\n' + candidate.note);
        if (secret.isEmpty())
            continue;
        skip(QStringLiteral("endpoint %1").arg(masked(e.id)),
             QStringLiteral("its URL, headers or body would carry the value of secret %1; left out "
                            "(secrets are sent only through credentials)")
                 .arg(secret));
        m_result.endpoints.removeAt(i);
    }
    // Nothing the user reads quotes a secret either, and nothing prints a control character.
    for (ImportSkip &s : m_result.skipped) {
        s.where = masked(printable(s.where));
        s.why = masked(printable(s.why));
    }
    for (QString &n : m_result.notes)
        n = masked(printable(n));
    for (ImportedEndpoint &e : m_result.endpoints)
        e.note = masked(printable(e.note));
    return m_result;
}

} // namespace hd
