#include "classifier.h"

#include "categoryrules.h"
#include "clock.h"
#include "networkerrors.h"
#include "redactor.h"
#include "responsebody.h"

#include <QRegularExpression>

namespace hd {
namespace {

QString qs(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::optional<QString> firstScalar(const nlohmann::json &root,
                                   const std::vector<std::string> &pointers,
                                   const QStringList &skip = {})
{
    for (const auto &p : pointers) {
        const nlohmann::json *v = jsonAt(root, p);
        if (!v)
            continue;
        if (auto s = jsonScalarText(*v); s && !s->isEmpty() && !skip.contains(*s))
            return s;
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

void identifiersFromHeaders(const RawHeaders &headers, Identifiers &ids)
{
    if (!ids.traceId.isEmpty())
        return;
    for (const char *name :
         {"X-Trace-Id", "X-Request-Id", "X-Correlation-Id", "X-Amzn-Trace-Id", "traceparent"}) {
        const auto v = headerValue(headers, name);
        if (!v || v->trimmed().isEmpty())
            continue;
        QByteArray value = v->trimmed().left(200);
        if (qstrcmp(name, "traceparent") == 0) {
            // W3C: version-traceid-parentid-flags → the trace id
            const QList<QByteArray> parts = value.split('-');
            if (parts.size() >= 4 && parts[1].size() == 32)
                value = parts[1];
        }
        ids.traceId = QString::fromLatin1(value);
        return;
    }
}

void genericSearch(const nlohmann::json &root, const Profile &p, ErrorInfo &err)
{
    static const std::vector<std::string> defaultMessageKeys{
        "message",   "msg",    "error", "error_description",
        "errorText", "detail", "title", "description"};
    static const std::vector<std::string> defaultCodeKeys{"code", "error_code", "errorCode",
                                                          "status", "type"};
    const auto &messageKeys
        = p.searchMessageKeys.empty() ? defaultMessageKeys : p.searchMessageKeys;
    const auto &codeKeys = p.searchCodeKeys.empty() ? defaultCodeKeys : p.searchCodeKeys;

    auto search = [](const nlohmann::json &obj,
                     const std::vector<std::string> &keys) -> std::optional<QString> {
        if (!obj.is_object())
            return std::nullopt;
        for (const auto &k : keys) {
            auto it = obj.find(k);
            if (it != obj.end())
                if (auto s = jsonScalarText(*it); s && !s->isEmpty())
                    return s;
        }
        return std::nullopt;
    };
    auto level = [&](const nlohmann::json &obj) {
        if (err.message.isEmpty())
            if (auto m = search(obj, messageKeys))
                err.message = *m;
        if (err.code.isEmpty())
            if (auto c = search(obj, codeKeys))
                err.code = *c;
    };
    const nlohmann::json *top = &root;
    if (root.is_array() && !root.empty())
        top = &root.front(); // [{"message": …}] (GraphQL-ish error lists)
    level(*top);
    if ((err.message.isEmpty() || err.code.isEmpty()) && top->is_object()) {
        for (auto it = top->begin(); it != top->end(); ++it) {
            if (it->is_object())
                level(*it);
            else if (it->is_array() && !it->empty() && it->front().is_object())
                level(it->front()); // {"errors": [{"message": …}]}
            if (!err.message.isEmpty() && !err.code.isEmpty())
                break;
        }
    }
}

QString htmlTitle(const QByteArray &body)
{
    const QByteArray head = body.left(8192);
    const QByteArray lower = head.toLower();
    const qsizetype start = lower.indexOf("<title");
    if (start < 0) {
        const qsizetype h1 = lower.indexOf("<h1");
        if (h1 < 0)
            return {};
        const qsizetype gt = lower.indexOf('>', h1);
        const qsizetype end = lower.indexOf("</h1", gt);
        if (gt < 0 || end < 0)
            return {};
        return QString::fromUtf8(head.mid(gt + 1, end - gt - 1)).simplified().left(300);
    }
    const qsizetype gt = lower.indexOf('>', start);
    const qsizetype end = lower.indexOf("</title", gt);
    if (gt < 0 || end < 0)
        return {};
    return QString::fromUtf8(head.mid(gt + 1, end - gt - 1)).simplified().left(300);
}

QString plainTextMessage(const QByteArray &body)
{
    const QByteArray firstLine = body.left(1024).split('\n').value(0).trimmed();
    return QString::fromUtf8(firstLine).left(300);
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

ApiEvent Classifier::classify(const ClassifyInput &in) const
{
    ApiEvent e;
    classify(in, e);
    return e;
}

void Classifier::classify(const ClassifyInput &in, ApiEvent &e) const
{
    const qint64 now = in.nowMs != 0 ? in.nowMs : Clock::system().nowMs();
    e.httpStatus = in.status;
    e.networkError.clear();
    e.error.reset();
    e.rateLimit.reset();
    e.identifiers = {};

    const Profile *requested
        = (in.profile.isEmpty() || in.profile == u"auto") ? nullptr : m_registry->find(in.profile);

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
    const Profile *tradovate
        = frame && !requested ? m_registry->find(QStringLiteral("tradovate")) : nullptr;
    const Profile &profile = requested   ? *requested
                             : tradovate ? *tradovate
                                         : m_registry->detect(contentType, json);
    e.profile = profile.name;

    ResponseInfo response;
    response.size = in.body.size();
    response.body = ResponseBody::displayText(in.body, parsed.isBinary);
    response.headers.reserve(in.headers.size());
    for (const auto &[k, v] : in.headers)
        response.headers.append({QString::fromLatin1(k), QString::fromUtf8(v)});
    e.response = std::move(response);

    e.rateLimit = RateLimitHeaders::parse(in.headers, now);

    // Field extraction through the profile, then the generic search for what is still missing.
    ErrorInfo err;
    QString vendorType;
    if (json) {
        if (auto c = firstScalar(*json, profile.code, profile.successValues))
            err.code = *c;
        if (auto m = firstScalar(*json, profile.message))
            err.message = *m;
        if (auto t = firstScalar(*json, profile.type))
            vendorType = *t;
        for (const auto &spec : profile.details)
            extractDetails(*json, spec, err.details);
        for (const auto &[name, pointers] : profile.identifiers)
            if (auto v = firstScalar(*json, pointers))
                *e.identifiers.field(name) = v->left(200);
        scanIdentifiers(*json, e.identifiers, 2);
        if (profile.search || err.message.isEmpty())
            genericSearch(*json, profile, err);
    } else if (parsed.isHtml) {
        err.message = htmlTitle(in.body);
    } else if (!frame && !parsed.isBinary && !parsed.looksLikeJson && !in.body.isEmpty()) {
        err.message = plainTextMessage(in.body);
    }
    if (frame && e.identifiers.traceId.isEmpty())
        e.identifiers.traceId = frame->requestId;
    if (frame && err.message.isEmpty())
        err.message = frame->text;
    identifiersFromHeaders(in.headers, e.identifiers);
    if (err.message.isEmpty() && !parsed.problem.isEmpty() && status >= 400)
        err.message = parsed.problem;

    // Category, most specific signal last.
    Category category = CategoryRules::forStatus(status);
    if (status >= 100 && status < 200)
        category = Category::NetworkOther; // a 1xx is never a final answer
    bool businessFailure = false;
    if (category == Category::Ok && json) {
        for (const auto &rule : profile.businessFailure) {
            if (rule.matches(*json)) {
                businessFailure = true;
                break;
            }
        }
        if (businessFailure)
            category = Category::BusinessRejected;
    }
    const bool quotaByBody
        = json
          && std::any_of(profile.quotaExceeded.begin(), profile.quotaExceeded.end(),
                         [&](const BodyRule &r) { return r.matches(*json); });
    const bool quotaByHeaders = status >= 400 && e.rateLimit && e.rateLimit->exhausted();
    if ((quotaByBody || quotaByHeaders) && category != Category::Ok)
        category = Category::RateLimited;
    if (const auto grpc = headerValue(in.headers, "grpc-status"); grpc && grpc->trimmed() == "14")
        category = Category::StreamDropped;

    const CategoryRule *base = &CategoryRules::of(category);
    ErrorType type = base->type;
    RetryAction action = base->action;
    bool retryable = base->retryable;
    QString advice = QString::fromUtf8(base->advice);
    std::optional<qint64> delayMs;

    // Vendor semantics for a status (tradovate: 423 warns, 429 locks out for a rolling hour).
    if (category != Category::StreamDropped) {
        if (auto it = profile.statusRules.constFind(status); it != profile.statusRules.constEnd()) {
            if (it->category) {
                category = *it->category;
                base = &CategoryRules::of(category);
                type = base->type;
                action = base->action;
                retryable = base->retryable;
                advice = QString::fromUtf8(base->advice);
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
        }
    }
    if (!vendorType.isEmpty()) {
        if (auto it = profile.typeMap.constFind(vendorType); it != profile.typeMap.constEnd())
            type = *it;
    }
    // Per-code table: what this vendor code means and whether retrying can help.
    if (!err.code.isEmpty() && category != Category::Ok) {
        if (auto it = profile.codes.constFind(err.code); it != profile.codes.constEnd()) {
            if (it->category && *it->category != Category::Ok)
                category = *it->category;
            if (it->type)
                type = *it->type;
            if (it->retryable)
                retryable = *it->retryable;
            if (it->action)
                action = *it->action;
            if (!it->advice.isEmpty())
                advice = it->advice;
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
            delayMs = qint64(*e.rateLimit->retryAfterS * 1000.0 + 0.5);
            if (action != RetryAction::StopLockout) {
                action = RetryAction::RetryAfter;
                retryable = true;
            }
        } else if (category == Category::RateLimited && e.rateLimit->exhausted()
                   && e.rateLimit->resetS) {
            delayMs = qint64(*e.rateLimit->resetS * 1000.0 + 0.5);
            if (action != RetryAction::StopLockout)
                action = RetryAction::RetryAfter;
        }
    }

    e.category = category;
    e.outcome = outcomeOf(category);
    if (category != Category::Ok) {
        if (err.message.isEmpty())
            err.message = statusMessage(effectiveStatus);
        err.type = type;
        // A vendor message is a sentence, not a payload: cap what a hostile body can make us hold.
        if (err.message.size() > 2000)
            err.message = err.message.left(2000) + QStringLiteral("…");
        if (err.code.size() > 200)
            err.code = err.code.left(200);
        for (auto &d : err.details)
            d.message.truncate(1000);
        e.error = std::move(err);
        e.retry = {retryable, action, delayMs, advice};
    } else {
        e.retry = {false, RetryAction::None, std::nullopt, QString()};
    }
    Redactor::shared().redactEvent(e);
}

} // namespace hd
