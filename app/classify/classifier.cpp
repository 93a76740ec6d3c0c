// Why this file is long: classification is one ordered decision — connection error, HTTP
// status, the vendor's error body, business errors inside a 2xx, rate-limit headers, the retry
// action and its advice — written top to bottom in the order DESIGN §2 and the seeds give it,
// so a reader can check it against them. The pieces with a life of their own are elsewhere:
// categoryrules, networkerrors, ratelimitheaders, responsebody, wwwauthenticate, profile.

#include "classifier.h"

#include "categoryrules.h"
#include "clock.h"
#include "networkerrors.h"
#include "redactor.h"
#include "responsebody.h"
#include "saturating.h"

#include "wwwauthenticate.h"
#include <QRegularExpression>

namespace hd {
namespace {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::optional<QString> firstScalar(const nlohmann::json &root,
                                   const std::vector<std::string> &pointers)
{
    for (const auto &p : pointers) {
        const nlohmann::json *v = jsonAt(root, p);
        if (!v)
            continue;
        if (auto s = jsonScalarText(*v); s && !s->isEmpty())
            return s;
    }
    return std::nullopt;
}

// The first field source that yields text (not one of the success values); why says which.
std::optional<QString> firstField(const nlohmann::json &root,
                                  const std::vector<FieldSource> &sources, const Profile &profile,
                                  QString *why, const QStringList &skip = {})
{
    for (const auto &src : sources) {
        if (auto s = src.evaluate(root); s && !skip.contains(*s)) {
            if (why)
                *why
                    = QStringLiteral("%1:%2 (%3)").arg(profile.name, qs(src.where), src.describe());
            return s;
        }
    }
    return std::nullopt;
}

QString detailField(const nlohmann::json &item, const std::vector<std::string> &pointers)
{
    for (const auto &p : pointers) {
        const nlohmann::json *v = jsonAt(item, p);
        if (!v)
            continue;
        if (v->is_array()) { // seed 001: "path": ["order", "qty"] → order.qty
            QStringList parts;
            for (const auto &e : *v)
                if (auto s = jsonScalarText(e))
                    parts.append(*s);
            if (!parts.isEmpty())
                return parts.join(u'.');
        } else if (auto s = jsonScalarText(*v); s && !s->isEmpty()) {
            return *s;
        }
    }
    return {};
}

void extractDetails(const nlohmann::json &root, const DetailsSpec &spec, QList<ErrorDetail> &out)
{
    const nlohmann::json *d = jsonAt(root, spec.pointer);
    if (!d)
        return;
    constexpr int MaxDetails = 200;
    if (d->is_array()) {
        for (const auto &item : *d) {
            if (out.size() >= MaxDetails)
                break;
            if (item.is_object()) {
                ErrorDetail detail{detailField(item, spec.field), detailField(item, spec.message)};
                if (!detail.field.isEmpty() || !detail.message.isEmpty())
                    out.append(detail);
            } else if (auto s = jsonScalarText(item)) {
                out.append({QString(), *s});
            }
        }
    } else if (d->is_object()) {
        // Seed 001's object form: {"conflictingSignalId": "…", "exceedsBy": 3, …}
        for (auto it = d->begin(); it != d->end() && out.size() < MaxDetails; ++it) {
            QString value;
            if (auto s = jsonScalarText(*it))
                value = *s;
            else
                value = qs(it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
                            .left(500);
            out.append({qs(it.key()), value});
        }
    } else if (auto s = jsonScalarText(*d); s && !s->isEmpty()) {
        out.append({QString(), *s});
    }
}

// Identifier keys by their normalised spelling (lower case, no '_' or '-').
struct IdKey
{
    const char *normalised;
    const char *field;
};
constexpr IdKey kIdKeys[] = {
    {"traceid", "traceId"},
    {"requestid", "traceId"},
    {"correlationid", "traceId"},
    {"accountid", "accountId"},
    {"orderid", "orderId"},
    {"execid", "execId"},
    {"executionid", "execId"},
    {"tradeid", "tradeId"},
    {"clordid", "clOrdId"},
    {"clientorderid", "clOrdId"},
    {"conflictingsignalid", "conflictingSignalId"},
    {"conflictingtradeid", "conflictingTradeId"},
};

const char *identifierFor(const std::string &key)
{
    if (key.size() > 24)
        return nullptr;
    char buf[32];
    std::size_t n = 0;
    for (char c : key) {
        if (c == '_' || c == '-')
            continue;
        buf[n++] = char(std::tolower(static_cast<unsigned char>(c)));
    }
    const std::string_view k(buf, n);
    for (const IdKey &id : kIdKeys)
        if (k == id.normalised)
            return id.field;
    return nullptr;
}

void scanIdentifiers(const nlohmann::json &obj, Identifiers &ids, int depth)
{
    if (!obj.is_object())
        return;
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        if (it->is_object() || it->is_array()) {
            if (depth > 0) {
                if (it->is_object())
                    scanIdentifiers(*it, ids, depth - 1);
                else if (!it->empty() && it->front().is_object())
                    scanIdentifiers(it->front(), ids, depth - 1);
            }
            continue;
        }
        if (const char *field = identifierFor(it.key())) {
            QString *slot = ids.field(field);
            if (slot->isEmpty())
                if (auto s = jsonScalarText(*it); s && !s->isEmpty())
                    *slot = s->left(200);
        }
    }
}

// The trace id part of a header value, by the header's own format; empty when it holds none.
QString traceIdFromHeader(const QByteArray &name, const QByteArray &raw)
{
    QByteArray value = raw.trimmed().left(200);
    if (name.compare("traceparent", Qt::CaseInsensitive) == 0) {
        // W3C: version-traceid-parentid-flags. An all-zero trace id is invalid (W3C §3.2.2.3).
        const QList<QByteArray> parts = value.split('-');
        if (parts.size() < 4 || parts[1].size() != 32)
            return {};
        if (parts[1].count('0') == 32)
            return {};
        value = parts[1];
    } else if (name.compare("X-Cloud-Trace-Context", Qt::CaseInsensitive) == 0) {
        // TRACE_ID/SPAN_ID;o=1
        value = value.left(value.indexOf('/') < 0 ? value.size() : value.indexOf('/'));
        if (const qsizetype semi = value.indexOf(';'); semi >= 0)
            value.truncate(semi);
    } else if (name.compare("X-B3-TraceId", Qt::CaseInsensitive) == 0
               && value.count('0') == value.size()) {
        return {};
    }
    return QString::fromLatin1(value);
}

void identifiersFromHeaders(const RawHeaders &headers, const Profile &profile, const Profile &base,
                            Identifiers &ids)
{
    static const std::vector<std::pair<std::string, std::vector<QByteArray>>> builtin{
        {"traceId",
         {"X-Trace-Id", "X-Request-Id", "X-Correlation-Id", "X-Amzn-Trace-Id", "traceparent"}}};
    for (const auto *list : {&profile.identifierHeaders, &base.identifierHeaders,
                             base.identifierHeaders.empty() ? &builtin : nullptr}) {
        if (!list)
            continue;
        for (const auto &[field, names] : *list) {
            QString *slot = ids.field(field);
            if (!slot || !slot->isEmpty())
                continue;
            for (const QByteArray &name : names) {
                const auto v = headerValue(headers, name.constData());
                if (!v)
                    continue;
                const QString id = traceIdFromHeader(name, *v);
                if (!id.isEmpty()) {
                    *slot = id;
                    break;
                }
            }
        }
    }
}

void genericSearch(const nlohmann::json &root, const Profile &p, ErrorInfo &err,
                   QString *messageWhy, QString *codeWhy)
{
    static const std::vector<std::string> defaultMessageKeys{
        "message",   "msg",    "error", "error_description",
        "errorText", "detail", "title", "description"};
    static const std::vector<std::string> defaultCodeKeys{"code", "error_code", "errorCode",
                                                          "status", "type"};
    const auto &messageKeys
        = p.searchMessageKeys.empty() ? defaultMessageKeys : p.searchMessageKeys;
    const auto &codeKeys = p.searchCodeKeys.empty() ? defaultCodeKeys : p.searchCodeKeys;

    auto search = [](const nlohmann::json &obj, const std::vector<std::string> &keys,
                     std::string *key) -> std::optional<QString> {
        if (!obj.is_object())
            return std::nullopt;
        for (const auto &k : keys) {
            auto it = obj.find(k);
            if (it != obj.end())
                if (auto s = jsonScalarText(*it); s && !s->isEmpty()) {
                    *key = k;
                    return s;
                }
        }
        return std::nullopt;
    };
    auto level = [&](const nlohmann::json &obj, const std::string &at) {
        std::string key;
        if (err.message.isEmpty())
            if (auto m = search(obj, messageKeys, &key)) {
                err.message = *m;
                if (messageWhy)
                    *messageWhy = QStringLiteral("%1:/search/messageKeys (key \"%2\" at %3)")
                                      .arg(p.name, qs(key), qs(at.empty() ? "the top level" : at));
            }
        if (err.code.isEmpty())
            if (auto c = search(obj, codeKeys, &key)) {
                err.code = *c;
                if (codeWhy)
                    *codeWhy = QStringLiteral("%1:/search/codeKeys (key \"%2\" at %3)")
                                   .arg(p.name, qs(key), qs(at.empty() ? "the top level" : at));
            }
    };
    const nlohmann::json *top = &root;
    if (root.is_array() && !root.empty())
        top = &root.front(); // [{"message": …}] (GraphQL-ish error lists)
    level(*top, root.is_array() ? "/0" : "");
    if ((err.message.isEmpty() || err.code.isEmpty()) && top->is_object()) {
        for (auto it = top->begin(); it != top->end(); ++it) {
            if (it->is_object())
                level(*it, "/" + it.key());
            else if (it->is_array() && !it->empty() && it->front().is_object())
                level(it->front(), "/" + it.key() + "/0"); // {"errors": [{"message": …}]}
            if (!err.message.isEmpty() && !err.code.isEmpty())
                break;
        }
    }
}

QString plainTextMessage(const QByteArray &body)
{
    QByteArray head = body.left(4096).trimmed();
    if (head.startsWith('<')) {
        // Markup that is neither XML we could read nor HTML: its text, never a declaration,
        // a comment or a tag.
        QByteArray text;
        bool inTag = false;
        for (char c : head) {
            if (c == '<')
                inTag = true;
            else if (c == '>') {
                inTag = false;
                text += '\n';
            } else if (!inTag)
                text += c;
        }
        head = text;
    }
    for (const QByteArray &line : head.split('\n'))
        if (!line.trimmed().isEmpty())
            return QString::fromUtf8(line.trimmed()).left(300);
    return {};
}

// What to say when the body says nothing: the reason phrase, or why the status is not usable.
QString statusMessage(std::optional<int> status)
{
    if (!status)
        return QStringLiteral("no HTTP status and no network error were reported");
    const int s = *status;
    if (s >= 100 && s < 200)
        return QStringLiteral("1xx status %1 is not a final response").arg(s);
    if (s < 100 || s > 599)
        return QStringLiteral("invalid HTTP status %1").arg(s);
    const QString phrase = CategoryRules::reasonPhrase(s);
    return phrase.isEmpty() ? QStringLiteral("HTTP %1").arg(s) : phrase;
}

struct SockJsFrame
{
    int status = 0;
    QString requestId;
    std::optional<nlohmann::json> payload; // "d" when it is an object or array
    QString text;                          // "d" when it is a string
};

std::optional<SockJsFrame> sockJsFrame(const QByteArray &body)
{
    const QByteArray t = body.trimmed();
    if (t.size() < 4 || !t.startsWith("a[") || !t.endsWith(']') || t.size() > ResponseBody::ParseCap
        || ResponseBody::nestingDepth(t, ResponseBody::MaxDepth) > ResponseBody::MaxDepth)
        return std::nullopt;
    const auto arr = nlohmann::json::parse(t.constBegin() + 1, t.constEnd(), nullptr, false);
    if (!arr.is_array())
        return std::nullopt;
    // Several messages may share a frame: the first failure tells, else the first status.
    const nlohmann::json *pick = nullptr;
    for (const auto &m : arr) {
        if (!m.is_object() || !m.contains("s") || !m["s"].is_number_integer())
            continue;
        if (!pick)
            pick = &m;
        if (m["s"].get<qint64>() >= 400) {
            pick = &m;
            break;
        }
    }
    if (!pick)
        return std::nullopt;
    SockJsFrame f;
    f.status = int(std::clamp<qint64>((*pick)["s"].get<qint64>(), -1, 100000));
    if (auto it = pick->find("i"); it != pick->end())
        if (auto id = jsonScalarText(*it))
            f.requestId = id->left(200);
    if (auto it = pick->find("d"); it != pick->end()) {
        if (it->is_object() || it->is_array())
            f.payload = *it;
        else if (auto d = jsonScalarText(*it))
            f.text = d->left(2000);
    }
    return f;
}

} // namespace

Classifier::Classifier(std::shared_ptr<const ProfileRegistry> registry)
    : m_registry(std::move(registry))
{}

bool Classifier::knowsProfile(const QString &name) const
{
    return name.isEmpty() || name == u"auto" || m_registry->find(name) != nullptr;
}

ApiEvent Classifier::classify(const ClassifyInput &in, Explanation *why) const
{
    ApiEvent e;
    classify(in, e, why);
    return e;
}

void Classifier::classify(const ClassifyInput &in, ApiEvent &e, Explanation *out) const
{
    const qint64 now = in.nowMs != 0 ? in.nowMs : Clock::system().nowMs();
    e.httpStatus = in.status;
    e.networkError.clear();
    e.error.reset();
    e.rateLimit.reset();
    e.identifiers = {};
    // Explanations cost strings; they are built only when asked for.
    Explanation why;
    const bool explain = out != nullptr;
    auto rule = [](const Profile &p, const std::string &where) -> QString {
        return p.name + u':' + qs(where);
    };

    const Profile *requested
        = (in.profile.isEmpty() || in.profile == u"auto") ? nullptr : m_registry->find(in.profile);
    const Profile &base = m_registry->base();

    // Connection-level failure: no (complete) HTTP response.
    if (!in.networkError.isEmpty()) {
        const auto ne = NetworkErrors::fromName(in.networkError)
                            .value_or(NetworkErrorName{in.networkError, Category::NetworkOther});
        e.profile = requested ? requested->name : QStringLiteral("generic");
        e.category = ne.category;
        e.outcome = Outcome::ConnectionError;
        e.networkError = ne.name;
        const CategoryRule &rule = CategoryRules::of(ne.category);
        e.error = ErrorInfo{ne.name, rule.type, ne.name, {}};
        e.retry = {rule.retryable, rule.action, std::nullopt, QString::fromUtf8(rule.advice)};
        // Some names are more precise than their category: EAI_AGAIN is a dns_failure that
        // passes (unlike NXDOMAIN), CERT_HAS_EXPIRED says what to tell the server's operator.
        if (!ne.advice.isEmpty())
            e.retry.advice = ne.advice;
        if (ne.retryable) {
            e.retry.retryable = *ne.retryable;
            e.retry.action = *ne.retryable ? RetryAction::RetryBackoff : RetryAction::None;
        }
        if (!in.networkErrorDetail.isEmpty())
            e.error->message = in.networkErrorDetail;
        if (explain) {
            why.profile = requested ? QStringLiteral("%1 (asked for)").arg(e.profile)
                                    : QStringLiteral("generic (no response to read)");
            why.category = QStringLiteral("builtin:network error \"%1\" → %2")
                               .arg(ne.name, toQString(toString(ne.category)));
            why.code = QStringLiteral("builtin:the network error's name");
            why.message = in.networkErrorDetail.isEmpty()
                              ? QStringLiteral("builtin:the network error's name")
                              : QStringLiteral("engine:what was observed on the connection");
            why.retry = QStringLiteral("builtin:category %1").arg(toQString(toString(ne.category)));
            *out = why;
        }
        if (!in.headers.isEmpty() || !in.body.isEmpty()) {
            const ParsedBody parsed = ResponseBody::parse(in.body, {});
            e.response = ResponseInfo{
                {}, ResponseBody::displayText(in.body, parsed.isBinary), in.body.size()};
            for (const auto &[k, v] : in.headers)
                e.response->headers.append({QString::fromLatin1(k), QString::fromUtf8(v)});
            Redactor::shared().redactEvent(e);
        } else {
            e.response.reset();
        }
        return;
    }

    const QByteArray contentType = headerValue(in.headers, "Content-Type").value_or(QByteArray());
    ParsedBody parsed = ResponseBody::parse(in.body, contentType);
    // Tradovate's WebSocket frames (seed 003) carry their own status: a[{"s":401,"i":123,"d":…}].
    // The frame's status stands in for the HTTP one (a 101 upgrade or a 200 polling answer).
    const auto frame = (!in.status || *in.status == 101 || *in.status == 200)
                           ? sockJsFrame(in.body)
                           : std::optional<SockJsFrame>();
    std::optional<int> effectiveStatus = in.status;
    if (frame) {
        effectiveStatus = frame->status;
        e.httpStatus = frame->status;
        parsed.json = frame->payload;
        parsed.problem.clear();
    }
    const int status = effectiveStatus.value_or(0);
    const nlohmann::json *json = parsed.json ? &*parsed.json : nullptr;
    // A top-level array of errors ([{"code":…,"message":…}, …]) is read through its first
    // element — but only for an error status: a 2xx array is a list of results, not errors.
    const nlohmann::json *view = json;
    if (json && json->is_array() && status >= 400 && !json->empty() && json->front().is_object())
        view = &json->front();
    const Profile *tradovate
        = frame && !requested ? m_registry->find(QStringLiteral("tradovate")) : nullptr;
    QString detectWhy;
    const Profile &profile
        = requested   ? *requested
          : tradovate ? *tradovate
                      : m_registry->detect(contentType, view, explain ? &detectWhy : nullptr);
    e.profile = profile.name;
    if (explain) {
        why.profile = requested   ? QStringLiteral("%1 (asked for)").arg(profile.name)
                      : tradovate ? QStringLiteral("tradovate (a Tradovate WebSocket frame)")
                                  : QStringLiteral("%1 (auto: %2)").arg(profile.name, detectWhy);
        QStringList body;
        if (parsed.hadBom)
            body.append(QStringLiteral("UTF-8 byte-order mark skipped"));
        if (!parsed.charset.isEmpty())
            body.append(QStringLiteral("decoded from charset %1").arg(parsed.charset));
        if (parsed.isXml)
            body.append(QStringLiteral("XML read as a JSON tree"));
        if (view != json)
            body.append(
                QStringLiteral("top-level array of %1: its first element").arg(json->size()));
        if (!body.isEmpty())
            why.profile += QStringLiteral("; body: ") + body.join(QStringLiteral(", "));
    }

    const QByteArray &text = parsed.utf8.isEmpty() ? in.body : parsed.utf8;
    ResponseInfo response;
    response.size = in.body.size();
    response.body = ResponseBody::displayText(text, parsed.isBinary);
    response.headers.reserve(in.headers.size());
    for (const auto &[k, v] : in.headers)
        response.headers.append({QString::fromLatin1(k), QString::fromUtf8(v)});
    e.response = std::move(response);

    e.rateLimit = RateLimitHeaders::parse(in.headers, now, &e.notes);

    // Field extraction through the profile, then the generic search for what is still missing.
    ErrorInfo err;
    QString vendorType;
    if (view) {
        if (auto c = firstField(*view, profile.code, profile, explain ? &why.code : nullptr,
                                profile.successValues))
            err.code = *c;
        if (auto m = firstField(*view, profile.message, profile, explain ? &why.message : nullptr))
            err.message = *m;
        if (auto t = firstField(*view, profile.type, profile, nullptr))
            vendorType = *t;
        for (const auto &spec : profile.details)
            extractDetails(*view, spec, err.details);
        if (view != json) {
            // Every further element of an error array is a detail of its own.
            for (std::size_t i = 1; i < json->size() && err.details.size() < 200; ++i) {
                const nlohmann::json &item = (*json)[i];
                ErrorDetail d;
                d.field
                    = firstScalar(item, {"/field", "/path", "/param", "/code"}).value_or(QString());
                d.message
                    = firstScalar(item, {"/message", "/msg", "/detail", "/description", "/error"})
                          .value_or(QString());
                if (!d.field.isEmpty() || !d.message.isEmpty())
                    err.details.append(d);
            }
        }
        for (const auto &[name, pointers] : profile.identifiers)
            if (auto v = firstScalar(*view, pointers))
                *e.identifiers.field(name) = v->left(200);
        scanIdentifiers(*view, e.identifiers, 2);
        if (profile.search || err.message.isEmpty())
            genericSearch(*view, profile, err, explain ? &why.message : nullptr,
                          explain ? &why.code : nullptr);
    } else if (parsed.isHtml) {
        err.message = parsed.html.text;
        if (explain && !err.message.isEmpty())
            why.message = QStringLiteral("builtin:HTML <%1>").arg(parsed.html.element);
    } else if (!frame && !parsed.isBinary && !parsed.looksLikeJson && !in.body.isEmpty()) {
        err.message = plainTextMessage(text);
        if (explain && !err.message.isEmpty())
            why.message = QStringLiteral("builtin:first line of a text body");
    }
    if (frame && e.identifiers.traceId.isEmpty())
        e.identifiers.traceId = frame->requestId;
    if (frame && err.message.isEmpty()) {
        err.message = frame->text;
        if (explain && !err.message.isEmpty())
            why.message = QStringLiteral("builtin:the frame's \"d\" text");
    }
    identifiersFromHeaders(in.headers, profile, base, e.identifiers);
    if (err.message.isEmpty() && !parsed.problem.isEmpty() && status >= 400) {
        err.message = parsed.problem;
        if (explain)
            why.message = QStringLiteral("builtin:why the body could not be read");
    }

    // RFC 6750: a 401/403 says in WWW-Authenticate what is wrong, often with an empty body.
    bool codeFromAuthHeader = false;
    if (status >= 400)
        if (const auto wa = headerValue(in.headers, "WWW-Authenticate"))
            if (const auto ch = WwwAuthenticate::withError(*wa)) {
                const QString code = ch->param("error");
                const QString description = ch->param("error_description");
                const QString scope = ch->param("scope");
                if (err.code.isEmpty()) {
                    err.code = code.left(200);
                    codeFromAuthHeader = true;
                    if (explain)
                        why.code
                            = QStringLiteral("builtin:WWW-Authenticate %1 error=").arg(ch->scheme);
                }
                if (err.message.isEmpty()) {
                    err.message = description.isEmpty() ? code : description;
                    if (!scope.isEmpty())
                        err.message += QStringLiteral(" (required scope: %1)").arg(scope);
                    if (explain)
                        why.message
                            = description.isEmpty()
                                  ? QStringLiteral("builtin:WWW-Authenticate error=")
                                  : QStringLiteral("builtin:WWW-Authenticate error_description=");
                }
                if (!scope.isEmpty())
                    err.details.append({QStringLiteral("scope"),
                                        QStringLiteral("required scope: %1").arg(scope.left(500))});
            }

    // Category, most specific signal last.
    Category category = CategoryRules::forStatus(status);
    if (explain)
        why.category = QStringLiteral("builtin:HTTP status %1 → %2")
                           .arg(status)
                           .arg(toQString(toString(category)));
    if (status >= 100 && status < 200) {
        category = Category::NetworkOther; // a 1xx is never a final answer
        if (explain)
            why.category
                = QStringLiteral("builtin:1xx status %1 is not a final answer").arg(status);
    }
    // Body rules read objects only: a 2xx array is a list of results.
    const bool bodyRules = view && view->is_object();
    if (category == Category::Ok && bodyRules) {
        for (const auto &r : profile.businessFailure) {
            if (r.matches(*view)) {
                category = Category::BusinessRejected;
                if (explain)
                    why.category = QStringLiteral("%1 (%2) → business_rejected")
                                       .arg(rule(profile, r.where), r.describe());
                break;
            }
        }
    }
    // A body that says the quota is exhausted (or a penalty wait) is rate_limited whatever the
    // status, 2xx included: the body rules are explicit.
    const BodyRule *quotaRule = nullptr;
    if (bodyRules)
        for (const auto &r : profile.quotaExceeded)
            if (r.matches(*view)) {
                quotaRule = &r;
                break;
            }
    const bool quotaByHeaders = status >= 400 && e.rateLimit && e.rateLimit->exhausted();
    if (quotaRule && category != Category::RateLimited) {
        category = Category::RateLimited;
        if (explain)
            why.category = QStringLiteral("%1 (%2) → rate_limited")
                               .arg(rule(profile, quotaRule->where), quotaRule->describe());
    } else if (quotaByHeaders && category != Category::Ok && category != Category::RateLimited) {
        category = Category::RateLimited;
        if (explain)
            why.category = QStringLiteral("builtin:rate-limit headers (%1) with remaining 0 → "
                                          "rate_limited")
                               .arg(e.rateLimit->source);
    }
    // A code carried in a header (grpc-status) decides whatever the HTTP status: gRPC and
    // gateways answer 200 with the real verdict in the header.
    const CodeRule *headerRule = nullptr;
    for (const Profile *p : {&profile, &base}) {
        for (const HeaderCodes &hc : p->headerCodes) {
            const auto v = headerValue(in.headers, hc.header.constData());
            if (!v)
                continue;
            const QString value = QString::fromLatin1(v->trimmed().left(40));
            auto it = hc.codes.constFind(value);
            if (it == hc.codes.constEnd())
                continue;
            headerRule = &*it;
            if (it->category && !(category == Category::Ok && *it->category == Category::Ok)) {
                category = *it->category;
                if (explain)
                    why.category
                        = QStringLiteral("%1/codes/%2 (%3: %4) → %5")
                              .arg(rule(*p, hc.where), value, QString::fromLatin1(hc.header), value,
                                   toQString(toString(category)));
            }
            err.code = it->code.isEmpty()
                           ? QStringLiteral("%1 %2").arg(QString::fromLatin1(hc.header), value)
                           : it->code;
            if (explain)
                why.code = QStringLiteral("%1/codes/%2 (%3)")
                               .arg(rule(*p, hc.where), value, QString::fromLatin1(hc.header));
            if (!hc.messageHeader.isEmpty())
                if (const auto m = headerValue(in.headers, hc.messageHeader.constData());
                    m && !m->trimmed().isEmpty() && err.message.isEmpty()) {
                    err.message = QString::fromUtf8(
                                      hc.percentDecode ? QByteArray::fromPercentEncoding(*m) : *m)
                                      .left(2000);
                    if (explain)
                        why.message
                            = QStringLiteral("%1 (header %2)")
                                  .arg(rule(*p, hc.where), QString::fromLatin1(hc.messageHeader));
                }
            break;
        }
        if (headerRule)
            break;
    }

    const CategoryRule *cbase = &CategoryRules::of(category);
    ErrorType type = cbase->type;
    RetryAction action = cbase->action;
    bool retryable = cbase->retryable;
    QString advice = QString::fromUtf8(cbase->advice);
    std::optional<qint64> delayMs;
    if (explain)
        why.retry = QStringLiteral("builtin:category %1").arg(toQString(toString(category)));

    // Vendor semantics for a status (tradovate: 423 warns, 429 locks out for a rolling hour);
    // the `auto` profile's statuses hold under every profile that says nothing itself.
    // A body-level quota rule (a 403 or 200 that says "quota exceeded", Tradovate's penalty
    // ticket) stands in for the status, unless the profile gives that status its own meaning:
    // Tradovate's 429 lockout stays a lockout whatever its body carries.
    if (!headerRule && category != Category::StreamDropped
        && (!quotaRule || profile.statusRules.contains(status))) {
        const Profile *owner = &profile;
        auto it = profile.statusRules.constFind(status);
        if (it == profile.statusRules.constEnd()) {
            owner = &base;
            it = base.statusRules.constFind(status);
        }
        if (it != owner->statusRules.constEnd()) {
            if (it->category) {
                category = *it->category;
                cbase = &CategoryRules::of(category);
                type = cbase->type;
                action = cbase->action;
                retryable = cbase->retryable;
                advice = QString::fromUtf8(cbase->advice);
                if (explain)
                    why.category = QStringLiteral("%1:/statuses/%2 → %3")
                                       .arg(owner->name)
                                       .arg(status)
                                       .arg(toQString(toString(category)));
            }
            if (it->type)
                type = *it->type;
            if (it->action)
                action = *it->action;
            if (it->retryable)
                retryable = *it->retryable;
            if (it->delayMs)
                delayMs = it->delayMs;
            if (!it->advice.isEmpty())
                advice = it->advice;
            if (explain && (it->action || it->retryable || it->delayMs || it->category))
                why.retry = QStringLiteral("%1:/statuses/%2").arg(owner->name).arg(status);
        }
    }
    if (!vendorType.isEmpty()) {
        if (auto it = profile.typeMap.constFind(vendorType); it != profile.typeMap.constEnd())
            type = *it;
    }
    // Per-code table: what this vendor code means and whether retrying can help.
    auto applyCode = [&](const CodeRule &c, const QString &where) {
        if (c.category && *c.category != Category::Ok && *c.category != category) {
            category = *c.category;
            if (explain)
                why.category = QStringLiteral("%1 (code %2) → %3")
                                   .arg(where, err.code, toQString(toString(category)));
        }
        if (c.type)
            type = *c.type;
        // A lockout the status already declares (tradovate 429: every request extends the
        // rolling window) is never weakened by a code in its body: the sim's and Tradovate's
        // lockout body carries p-ticket/p-captcha, and retrying after p-time would extend it.
        if (action == RetryAction::StopLockout)
            return;
        if (c.retryable)
            retryable = *c.retryable;
        if (c.action)
            action = *c.action;
        if (!c.advice.isEmpty())
            advice = c.advice;
        if (c.delay && view)
            if (const nlohmann::json *d = jsonAt(*view, c.delay->pointer);
                d && d->is_number() && d->get<double>() >= 0 && d->get<double>() < 1e9)
                delayMs = secondsToMs(d->get<double>() * c.delay->unitMs / 1000.0,
                                      limits::MaxRetryAfterS * 1000);
        if (explain && (c.action || c.retryable || c.delay))
            why.retry = where
                        + (c.delay ? QStringLiteral(" (delay from %1)").arg(qs(c.delay->pointer))
                                   : QString());
    };
    if (headerRule) {
        applyCode(*headerRule, why.code);
    } else if (!err.code.isEmpty() && category != Category::Ok) {
        const QHash<QString, CodeRule> *tables[]
            = {codeFromAuthHeader ? &profile.authErrorCodes : &profile.codes,
               codeFromAuthHeader ? &base.authErrorCodes : nullptr};
        const Profile *owners[] = {&profile, &base};
        for (int t = 0; t < 2; ++t) {
            if (!tables[t])
                continue;
            if (auto it = tables[t]->constFind(err.code); it != tables[t]->constEnd()) {
                applyCode(*it, QStringLiteral("%1:/%2/%3")
                                   .arg(owners[t]->name,
                                        codeFromAuthHeader ? QStringLiteral("wwwAuthenticate/codes")
                                                           : QStringLiteral("codes"),
                                        err.code));
                break;
            }
        }
    }
    if (category == Category::StreamDropped) {
        type = ErrorType::Unavailable;
        action = RetryAction::RetryBackoff;
        retryable = true;
        advice = CategoryRules::advice(category);
        if (err.code.isEmpty())
            err.code = QStringLiteral("14 UNAVAILABLE");
        if (const auto msg = headerValue(in.headers, "grpc-message"); msg && err.message.isEmpty())
            err.message = QString::fromUtf8(QByteArray::fromPercentEncoding(*msg));
    }

    // Timing: Retry-After wins over every other signal; then the quota's reset.
    if (category != Category::Ok && e.rateLimit) {
        if (e.rateLimit->retryAfterS) {
            delayMs = secondsToMs(*e.rateLimit->retryAfterS, limits::MaxRetryAfterS * 1000);
            if (action != RetryAction::StopLockout) {
                action = RetryAction::RetryAfter;
                retryable = true;
            }
            if (explain)
                why.retry = QStringLiteral("builtin:%1 wins over every other signal")
                                .arg(e.rateLimit->source == u"retry-after-ms"
                                         ? QStringLiteral("retry-after-ms")
                                         : QStringLiteral("Retry-After"));
        } else if (category == Category::RateLimited && e.rateLimit->exhausted()
                   && e.rateLimit->resetS && !delayMs) {
            delayMs = secondsToMs(*e.rateLimit->resetS, limits::MaxRateLimitResetS * 1000);
            if (action != RetryAction::StopLockout)
                action = RetryAction::RetryAfter;
            if (explain)
                why.retry = QStringLiteral("builtin:exhausted quota (%1) waits for its reset")
                                .arg(e.rateLimit->source);
        }
    }

    e.category = category;
    e.outcome = outcomeOf(category);
    if (category != Category::Ok) {
        if (err.message.isEmpty()) {
            err.message = statusMessage(effectiveStatus);
            if (explain)
                why.message = QStringLiteral("builtin:the status's reason phrase (the response "
                                             "says nothing more)");
        }
        err.type = type;
        // A vendor message is a sentence, not a payload: cap what a hostile body can make us hold.
        if (err.message.size() > 2000)
            err.message = err.message.left(2000) + QStringLiteral("…");
        if (err.code.size() > 200)
            err.code = err.code.left(200);
        for (auto &d : err.details)
            d.message.truncate(1000);
        if (explain && err.code.isEmpty())
            why.code = QStringLiteral("none: no profile rule, header or search key yields a code");
        e.error = std::move(err);
        e.retry = {retryable, action, delayMs, advice};
    } else {
        e.retry = {false, RetryAction::None, std::nullopt, QString()};
        if (explain) {
            why.code.clear();
            why.message.clear();
            why.retry = QStringLiteral("none: a success is not retried");
        }
    }
    if (explain)
        *out = std::move(why);
    Redactor::shared().redactEvent(e);
}

} // namespace hd
