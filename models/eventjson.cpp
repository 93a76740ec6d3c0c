#include "eventjson.h"

#include "endpointhealth.h"

#include "safejson.h"
#include "saturating.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace hd {
namespace {

OrderedJson headersToJson(const HeaderList &headers)
{
    OrderedJson obj = OrderedJson::object();
    for (const auto &[name, value] : headers) {
        const std::string key = toStd(name);
        auto it = obj.find(key);
        if (it == obj.end()) {
            obj[key] = toStd(value);
        } else {
            // Repeated headers (Set-Cookie, Link, …) become an array to stay lossless.
            if (!it->is_array())
                *it = OrderedJson::array({*it});
            it->push_back(toStd(value));
        }
    }
    return obj;
}

HeaderList headersFromJson(const OrderedJson &j)
{
    HeaderList out;
    if (!j.is_object())
        return out;
    for (auto it = j.begin(); it != j.end(); ++it) {
        const QString name = fromStd(it.key());
        if (it->is_array()) {
            for (const auto &v : *it)
                out.append(
                    {name, v.is_string() ? fromStd(v.get<std::string>()) : fromStd(v.dump())});
        } else {
            out.append(
                {name, it->is_string() ? fromStd(it->get<std::string>()) : fromStd(it->dump())});
        }
    }
    return out;
}

template<typename T>
OrderedJson optional(const std::optional<T> &v)
{
    return v ? OrderedJson(*v) : OrderedJson(nullptr);
}

OrderedJson stringOrNull(const QString &s)
{
    return s.isEmpty() ? OrderedJson(nullptr) : OrderedJson(toStd(s));
}

QString str(const OrderedJson &j, const char *key)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        return {};
    return fromStd(it->get<std::string>());
}

// A number member converted without undefined behaviour: a float such as 1e300 read as an
// integer, or an unsigned 2^64-1 read as int, is out of range and treated as absent.
template<typename T>
std::optional<T> num(const OrderedJson &j, const char *key)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_number())
        return std::nullopt;
    if constexpr (std::is_floating_point_v<T>) {
        return it->get<T>();
    } else {
        if (it->is_number_unsigned()) {
            const auto u = it->get<std::uint64_t>();
            if (u > std::uint64_t(std::numeric_limits<T>::max()))
                return std::nullopt;
            return T(u);
        }
        if (it->is_number_integer()) {
            const auto i = it->get<std::int64_t>();
            if (i < std::int64_t(std::numeric_limits<T>::min())
                || i > std::int64_t(std::numeric_limits<T>::max()))
                return std::nullopt;
            return T(i);
        }
        const auto d = checkedToInt64(it->get<double>());
        if (!d || *d < std::int64_t(std::numeric_limits<T>::min())
            || *d > std::int64_t(std::numeric_limits<T>::max()))
            return std::nullopt;
        return T(*d);
    }
}

bool flag(const OrderedJson &j, const char *key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

struct ParseError
{
    QString message;
};

template<typename E>
E requireEnum(const OrderedJson &j, const char *key, std::optional<E> (*parse)(std::string_view))
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_string())
        throw ParseError{
            QStringLiteral("field \"%1\" is missing or not a string").arg(QLatin1String(key))};
    const auto &s = it->get_ref<const std::string &>();
    if (auto v = parse(s))
        return *v;
    throw ParseError{QStringLiteral("field \"%1\" has unknown value \"%2\"")
                         .arg(QLatin1String(key), fromStd(s))};
}

} // namespace

OrderedJson toJson(const ApiEvent &e)
{
    OrderedJson j;
    j["schema"] = std::string(EventSchema);
    j["id"] = toStd(e.id);
    j["time"] = toStd(formatEventTime(e.timeMs));
    j["environment"] = stringOrNull(e.environment);
    j["endpoint"] = stringOrNull(e.endpoint);
    j["profile"] = stringOrNull(e.profile);
    j["attempt"] = e.attempt;
    if (e.request) {
        j["request"] = {{"method", toStd(e.request->method)},
                        {"url", toStd(e.request->url)},
                        {"headers", headersToJson(e.request->headers)},
                        {"body", toStd(e.request->body)}};
    } else {
        j["request"] = nullptr;
    }
    if (e.response) {
        j["response"] = {{"headers", headersToJson(e.response->headers)},
                         {"body", toStd(e.response->body)},
                         {"size", e.response->size}};
        if (e.response->truncated)
            j["response"]["truncated"] = true;
        if (!e.response->httpVersion.isEmpty())
            j["response"]["http_version"] = toStd(e.response->httpVersion);
    } else {
        j["response"] = nullptr;
    }
    j["duration_ms"] = e.durationMs;
    j["outcome"] = std::string(toString(e.outcome));
    j["category"] = std::string(toString(e.category));
    j["http_status"] = optional(e.httpStatus);
    j["network_error"] = stringOrNull(e.networkError);
    if (e.error) {
        OrderedJson details = OrderedJson::array();
        for (const auto &d : e.error->details)
            details.push_back({{"field", toStd(d.field)}, {"message", toStd(d.message)}});
        j["error"] = {{"code", stringOrNull(e.error->code)},
                      {"type", std::string(toString(e.error->type))},
                      {"message", toStd(e.error->message)},
                      {"details", details}};
    } else {
        j["error"] = nullptr;
    }
    OrderedJson ids = OrderedJson::object();
    for (auto name : Identifiers::names()) {
        const QString *v = e.identifiers.field(name);
        if (!v->isEmpty())
            ids[std::string(name)] = toStd(*v);
    }
    j["identifiers"] = ids;
    j["retry"] = {{"retryable", e.retry.retryable},
                  {"action", std::string(toString(e.retry.action))},
                  {"delay_ms", optional(e.retry.delayMs)},
                  {"advice", toStd(e.retry.advice)}};
    if (e.rateLimit) {
        const auto &r = *e.rateLimit;
        j["rate_limit"]
            = {{"limit", optional(r.limit)},       {"remaining", optional(r.remaining)},
               {"reset_s", optional(r.resetS)},    {"retry_after_s", optional(r.retryAfterS)},
               {"policy", stringOrNull(r.policy)}, {"source", stringOrNull(r.source)}};
        if (r.clamped)
            j["rate_limit"]["clamped"] = true;
    } else {
        j["rate_limit"] = nullptr;
    }
    if (e.token) {
        OrderedJson scopes = OrderedJson::array();
        for (const auto &s : e.token->scopes)
            scopes.push_back(toStd(s));
        j["token"] = {{"expires_in_s", optional(e.token->expiresInS)},
                      {"subject", stringOrNull(e.token->subject)},
                      {"scopes", scopes}};
        if (e.token->clamped)
            j["token"]["clamped"] = true;
    } else {
        j["token"] = nullptr;
    }
    if (e.timing && !e.timing->isEmpty()) {
        const TimingInfo &t = *e.timing;
        OrderedJson tj = OrderedJson::object();
        auto put = [&tj](const char *name, const std::optional<double> &v) {
            if (v)
                tj[name] = *v;
        };
        put("dns_ms", t.dnsMs);
        put("connect_ms", t.connectMs);
        put("tls_ms", t.tlsMs);
        put("sent_ms", t.sentMs);
        put("first_byte_ms", t.firstByteMs);
        put("transfer_ms", t.transferMs);
        if (t.reusedConnection)
            tj["reused_connection"] = *t.reusedConnection;
        j["timing"] = tj;
    }
    if (e.tls) {
        const TlsInfo &t = *e.tls;
        OrderedJson chain = OrderedJson::array();
        for (const auto &c : t.chain)
            chain.push_back(
                {{"subject", toStd(c.subject)},
                 {"issuer", toStd(c.issuer)},
                 {"not_after", c.notAfterMs ? OrderedJson(toStd(formatEventTime(c.notAfterMs)))
                                            : OrderedJson(nullptr)}});
        OrderedJson problems = OrderedJson::array();
        for (const auto &p : t.problems)
            problems.push_back(toStd(p));
        j["tls"] = {{"protocol", stringOrNull(t.protocol)},
                    {"subject", stringOrNull(t.subject)},
                    {"issuer", stringOrNull(t.issuer)},
                    {"not_after", t.notAfterMs ? OrderedJson(toStd(formatEventTime(t.notAfterMs)))
                                               : OrderedJson(nullptr)},
                    {"days_left", optional(t.daysLeft)},
                    {"problems", problems},
                    {"chain", chain}};
    }
    if (e.health)
        j["health"] = std::string(toString(*e.health));
    if (!e.proxy.isEmpty())
        j["proxy"] = toStd(e.proxy);
    if (!e.notes.isEmpty()) {
        OrderedJson notes = OrderedJson::array();
        for (const auto &n : e.notes)
            notes.push_back(toStd(n));
        j["notes"] = notes;
    }
    return j;
}

QByteArray toJsonLine(const ApiEvent &event)
{
    // Replace invalid UTF-8 rather than throw: an event line must always be writable.
    const std::string s
        = toJson(event).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return QByteArray(s.data(), qsizetype(s.size()));
}

EventParseResult eventFromJson(const OrderedJson &j)
{
    try {
        if (!j.is_object())
            throw ParseError{QStringLiteral("an event must be a JSON object")};
        if (str(j, "schema") != toQString(EventSchema))
            throw ParseError{
                QStringLiteral("\"schema\" is not \"%1\"").arg(toQString(EventSchema))};
        ApiEvent e;
        e.id = str(j, "id");
        const auto time = parseEventTime(str(j, "time"));
        if (!time)
            throw ParseError{QStringLiteral("field \"time\" is missing or not ISO 8601")};
        e.timeMs = *time;
        e.environment = str(j, "environment");
        e.endpoint = str(j, "endpoint");
        e.profile = str(j, "profile");
        e.attempt = num<int>(j, "attempt").value_or(1);
        if (auto it = j.find("request"); it != j.end() && it->is_object()) {
            RequestInfo r;
            r.method = str(*it, "method");
            r.url = str(*it, "url");
            r.headers = headersFromJson(it->value("headers", OrderedJson::object()));
            r.body = str(*it, "body");
            e.request = r;
        }
        if (auto it = j.find("response"); it != j.end() && it->is_object()) {
            ResponseInfo r;
            r.headers = headersFromJson(it->value("headers", OrderedJson::object()));
            r.body = str(*it, "body");
            r.size = num<qint64>(*it, "size").value_or(0);
            r.truncated = flag(*it, "truncated");
            // A protocol name is short: anything longer is not one.
            if (const QString v = str(*it, "http_version"); v.size() <= 16)
                r.httpVersion = v;
            e.response = r;
        }
        e.durationMs = num<double>(j, "duration_ms").value_or(0);
        e.outcome = requireEnum<Outcome>(j, "outcome", &outcomeFromString);
        e.category = requireEnum<Category>(j, "category", &categoryFromString);
        e.httpStatus = num<int>(j, "http_status");
        e.networkError = str(j, "network_error");
        if (auto it = j.find("error"); it != j.end() && it->is_object()) {
            ErrorInfo err;
            err.code = str(*it, "code");
            if (auto t = it->find("type"); t != it->end() && t->is_string())
                err.type = errorTypeFromString(t->get_ref<const std::string &>())
                               .value_or(ErrorType::Unknown);
            err.message = str(*it, "message");
            if (auto d = it->find("details"); d != it->end() && d->is_array()) {
                for (const auto &item : *d)
                    if (item.is_object())
                        err.details.append({str(item, "field"), str(item, "message")});
            }
            e.error = err;
        }
        if (auto it = j.find("identifiers"); it != j.end() && it->is_object()) {
            for (auto name : Identifiers::names())
                *e.identifiers.field(name) = str(*it, std::string(name).c_str());
        }
        if (auto it = j.find("retry"); it != j.end() && it->is_object()) {
            e.retry.retryable = it->value("retryable", false);
            e.retry.action = requireEnum<RetryAction>(*it, "action", &retryActionFromString);
            e.retry.delayMs = num<qint64>(*it, "delay_ms");
            e.retry.advice = str(*it, "advice");
        }
        if (auto it = j.find("rate_limit"); it != j.end() && it->is_object()) {
            RateLimitInfo r;
            r.limit = num<qint64>(*it, "limit");
            r.remaining = num<qint64>(*it, "remaining");
            r.resetS = num<double>(*it, "reset_s");
            r.retryAfterS = num<double>(*it, "retry_after_s");
            r.policy = str(*it, "policy");
            r.source = str(*it, "source");
            r.clamped = flag(*it, "clamped");
            e.rateLimit = r;
        }
        if (auto it = j.find("token"); it != j.end() && it->is_object()) {
            TokenInfo t;
            t.expiresInS = num<qint64>(*it, "expires_in_s");
            t.subject = str(*it, "subject");
            if (auto s = it->find("scopes"); s != it->end() && s->is_array())
                for (const auto &v : *s)
                    if (v.is_string())
                        t.scopes.append(fromStd(v.get<std::string>()));
            t.clamped = flag(*it, "clamped");
            e.token = t;
        }
        if (auto it = j.find("timing"); it != j.end() && it->is_object()) {
            TimingInfo t;
            t.dnsMs = num<double>(*it, "dns_ms");
            t.connectMs = num<double>(*it, "connect_ms");
            t.tlsMs = num<double>(*it, "tls_ms");
            t.sentMs = num<double>(*it, "sent_ms");
            t.firstByteMs = num<double>(*it, "first_byte_ms");
            t.transferMs = num<double>(*it, "transfer_ms");
            if (auto r = it->find("reused_connection"); r != it->end() && r->is_boolean())
                t.reusedConnection = r->get<bool>();
            if (!t.isEmpty())
                e.timing = t;
        }
        if (auto it = j.find("tls"); it != j.end() && it->is_object()) {
            TlsInfo t;
            t.protocol = str(*it, "protocol");
            t.subject = str(*it, "subject");
            t.issuer = str(*it, "issuer");
            t.notAfterMs = parseEventTime(str(*it, "not_after")).value_or(0);
            t.daysLeft = num<int>(*it, "days_left");
            if (auto p = it->find("problems"); p != it->end() && p->is_array())
                for (const auto &v : *p)
                    if (v.is_string() && t.problems.size() < 32)
                        t.problems.append(fromStd(v.get<std::string>()));
            if (auto c = it->find("chain"); c != it->end() && c->is_array())
                for (const auto &v : *c)
                    if (v.is_object() && t.chain.size() < 8)
                        t.chain.append({str(v, "subject"), str(v, "issuer"),
                                        parseEventTime(str(v, "not_after")).value_or(0)});
            e.tls = t;
        }
        e.proxy = str(j, "proxy");
        if (auto it = j.find("health"); it != j.end() && it->is_string())
            e.health = healthFromString(it->get_ref<const std::string &>());
        if (auto it = j.find("notes"); it != j.end() && it->is_array()) {
            for (const auto &v : *it)
                if (v.is_string())
                    e.notes.append(fromStd(v.get<std::string>()));
        }
        return {e, {}};
    } catch (const ParseError &err) {
        return {std::nullopt, err.message};
    } catch (const std::exception &err) {
        return {std::nullopt, QString::fromUtf8(err.what())};
    }
}

EventParseResult eventFromJsonText(const QByteArray &text)
{
    OrderedJson j;
    SafeJsonError error;
    if (!safeJsonParse(text, j, error))
        return {std::nullopt,
                error.byte ? QStringLiteral("not valid JSON at byte %1%2")
                                 .arg(error.byte)
                                 .arg(error.reason.isEmpty() ? QString() : u": " + error.reason)
                           : QStringLiteral("not valid JSON: %1").arg(error.reason)};
    return eventFromJson(j);
}

} // namespace hd
