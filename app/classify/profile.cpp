// Why this file is long: the profile language (docs/profiles.md), parsed with a message that
// says where and why for every mistake a user can make in the Profile Lab, and evaluated; the
// parser is most of it.

#include "profile.h"

#include "apievent.h"
#include "jsonsyntaxerror.h"
#include "responsebody.h"
#include "safejson.h"

namespace hd {
namespace {

struct Invalid
{
    std::string where;
    QString problem;
};

QString q(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

std::vector<std::string> pointerList(const nlohmann::json &in, const std::string &where)
{
    std::vector<std::string> out;
    const nlohmann::json j = in.is_string() ? nlohmann::json::array({in}) : in;
    if (!j.is_array())
        throw Invalid{where, QStringLiteral("expected a JSON pointer or an array of them")};
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_string())
            throw Invalid{where + "/" + std::to_string(i), QStringLiteral("expected a string")};
        const auto &p = j[i].get_ref<const std::string &>();
        if (!p.empty() && p[0] != '/')
            throw Invalid{
                where + "/" + std::to_string(i),
                QStringLiteral("\"%1\" is not a JSON pointer (must start with '/')").arg(q(p))};
        out.push_back(p);
    }
    return out;
}

std::vector<std::string> stringList(const nlohmann::json &j, const std::string &where)
{
    if (!j.is_array())
        throw Invalid{where, QStringLiteral("expected an array of strings")};
    std::vector<std::string> out;
    for (std::size_t i = 0; i < j.size(); ++i) {
        if (!j[i].is_string())
            throw Invalid{where + "/" + std::to_string(i), QStringLiteral("expected a string")};
        out.push_back(j[i].get<std::string>());
    }
    return out;
}

const nlohmann::json &object(const nlohmann::json &j, const std::string &where)
{
    if (!j.is_object())
        throw Invalid{where, QStringLiteral("expected an object")};
    return j;
}

template<typename E>
E enumValue(const nlohmann::json &j, const std::string &where,
            std::optional<E> (*parse)(std::string_view), const char *what)
{
    if (!j.is_string())
        throw Invalid{where, QStringLiteral("expected a %1 name").arg(QLatin1String(what))};
    if (auto v = parse(j.get_ref<const std::string &>()))
        return *v;
    throw Invalid{
        where,
        QStringLiteral("unknown %1 \"%2\"").arg(QLatin1String(what), q(j.get<std::string>()))};
}

QString optString(const nlohmann::json &obj, const char *key)
{
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? q(it->get<std::string>()) : QString();
}

BodyRule parseRule(const nlohmann::json &j, const std::string &where);

std::vector<FieldSource> sourceList(const nlohmann::json &in, const std::string &where)
{
    std::vector<FieldSource> out;
    const nlohmann::json j = (in.is_string() || in.is_object()) ? nlohmann::json::array({in}) : in;
    if (!j.is_array())
        throw Invalid{where, QStringLiteral("expected a JSON pointer, a source object or an array "
                                            "of them")};
    for (std::size_t i = 0; i < j.size(); ++i) {
        const std::string at = where + "/" + std::to_string(i);
        FieldSource src;
        src.where = at;
        if (j[i].is_string()) {
            src.pointer = pointerList(j[i], at).front();
        } else if (j[i].is_object() && j[i].contains("template")) {
            if (!j[i]["template"].is_string())
                throw Invalid{at + "/template", QStringLiteral("expected a string")};
            src.kind = FieldSource::Kind::Template;
            src.text = q(j[i]["template"].get<std::string>());
            if (j[i].contains("when"))
                src.when = parseRule(j[i]["when"], at + "/when");
        } else if (j[i].is_object() && j[i].contains("value")) {
            if (!j[i]["value"].is_string())
                throw Invalid{at + "/value", QStringLiteral("expected a string")};
            if (!j[i].contains("when"))
                throw Invalid{at, QStringLiteral("a constant needs a \"when\" rule")};
            src.kind = FieldSource::Kind::Constant;
            src.text = q(j[i]["value"].get<std::string>());
            src.when = parseRule(j[i]["when"], at + "/when");
        } else {
            throw Invalid{at, QStringLiteral("expected a JSON pointer, {\"when\", \"value\"} or "
                                             "{\"template\"}")};
        }
        out.push_back(std::move(src));
    }
    return out;
}

BodyRule parseRule(const nlohmann::json &j, const std::string &where)
{
    if (!j.is_object() || !j.contains("pointer") || !j["pointer"].is_string())
        throw Invalid{where, QStringLiteral("a rule needs a \"pointer\"")};
    BodyRule r;
    r.pointer = j["pointer"].get<std::string>();
    r.where = where;
    if (!r.pointer.empty() && r.pointer[0] != '/')
        throw Invalid{
            where + "/pointer",
            QStringLiteral("\"%1\" is not a JSON pointer (must start with '/')").arg(q(r.pointer))};
    if (j.contains("equals")) {
        r.test = BodyRule::Test::Equals;
        r.value = j["equals"];
    } else if (j.contains("notEquals")) {
        r.test = BodyRule::Test::NotEquals;
        r.value = j["notEquals"];
    } else if (j.contains("notIn")) {
        r.test = BodyRule::Test::NotIn;
        r.value = j["notIn"];
        if (!r.value.is_array())
            throw Invalid{where + "/notIn", QStringLiteral("expected an array")};
    } else if (j.contains("nonEmpty")) {
        r.test = BodyRule::Test::NonEmpty;
    } else if (j.contains("endsWith")) {
        r.test = BodyRule::Test::EndsWith;
        r.value = j["endsWith"];
        if (!r.value.is_string())
            throw Invalid{where + "/endsWith", QStringLiteral("expected a string")};
    } else {
        r.test = BodyRule::Test::Exists;
    }
    return r;
}

std::vector<BodyRule> parseRules(const nlohmann::json &j, const std::string &where)
{
    std::vector<BodyRule> out;
    if (!j.is_array())
        throw Invalid{where, QStringLiteral("expected an array of rules")};
    for (std::size_t i = 0; i < j.size(); ++i)
        out.push_back(parseRule(j[i], where + "/" + std::to_string(i)));
    return out;
}

template<typename Rule>
void parseCommon(Rule &r, const nlohmann::json &j, const std::string &where)
{
    if (j.contains("type"))
        r.type
            = enumValue<ErrorType>(j["type"], where + "/type", &errorTypeFromString, "error type");
    if (j.contains("action"))
        r.action = enumValue<RetryAction>(j["action"], where + "/action", &retryActionFromString,
                                          "retry action");
    if (j.contains("category"))
        r.category = enumValue<Category>(j["category"], where + "/category", &categoryFromString,
                                         "category");
    if (j.contains("retryable")) {
        if (!j["retryable"].is_boolean())
            throw Invalid{where + "/retryable", QStringLiteral("expected true or false")};
        r.retryable = j["retryable"].template get<bool>();
    }
    r.advice = optString(j, "advice");
}

void parseDelay(CodeRule &r, const nlohmann::json &j, const std::string &where)
{
    if (!j.contains("delayFrom"))
        return;
    if (!j["delayFrom"].is_string())
        throw Invalid{where + "/delayFrom", QStringLiteral("expected a JSON pointer")};
    BodyDelay d;
    d.pointer = pointerList(j["delayFrom"], where + "/delayFrom").front();
    const QString unit = optString(j, "delayUnit");
    if (unit == u"ms")
        d.unitMs = 1;
    else if (!unit.isEmpty() && unit != u"s")
        throw Invalid{where + "/delayUnit", QStringLiteral("expected \"s\" or \"ms\"")};
    r.delay = d;
}

QHash<QString, CodeRule> parseCodes(const nlohmann::json &j, const std::string &where)
{
    QHash<QString, CodeRule> out;
    for (auto c = object(j, where).begin(); c != j.end(); ++c) {
        const std::string at = where + "/" + c.key();
        if (!c->is_object())
            throw Invalid{at, QStringLiteral("expected an object")};
        CodeRule r;
        parseCommon(r, *c, at);
        parseDelay(r, *c, at);
        r.code = optString(*c, "code");
        out.insert(q(c.key()), r);
    }
    return out;
}

Profile parseProfile(const nlohmann::json &j)
{
    if (!j.is_object())
        throw Invalid{"", QStringLiteral("a profile must be a JSON object")};
    if (!j.contains("schema") || j["schema"] != "healthdeck.profile/1")
        throw Invalid{"/schema", QStringLiteral("must be \"healthdeck.profile/1\"")};
    Profile p;
    p.name = optString(j, "name");
    if (p.name.isEmpty())
        throw Invalid{"/name", QStringLiteral("a profile needs a non-empty \"name\"")};
    for (QChar c : p.name)
        if (!(c.isLetterOrNumber() || c == u'-' || c == u'_'))
            throw Invalid{
                "/name",
                QStringLiteral("\"%1\" may only hold letters, digits, '-' and '_'").arg(p.name)};
    p.description = optString(j, "description");
    p.seed = optString(j, "seed");

    if (auto it = j.find("detect"); it != j.end()) {
        if (!it->is_object())
            throw Invalid{"/detect", QStringLiteral("expected an object")};
        if (auto pr = it->find("priority"); pr != it->end()) {
            if (!pr->is_number_integer())
                throw Invalid{"/detect/priority", QStringLiteral("expected an integer")};
            // Through double: a huge unsigned value must not wrap into a small priority.
            p.priority = int(std::clamp(pr->get<double>(), -1e6, 1e6));
        }
        if (auto ct = it->find("contentTypes"); ct != it->end())
            for (const auto &c : stringList(*ct, "/detect/contentTypes"))
                p.contentTypes.append(q(c).toLower());
        const auto shapes = it->value("shapes", nlohmann::json::array());
        if (!shapes.is_array())
            throw Invalid{"/detect/shapes", QStringLiteral("expected an array of shapes")};
        for (std::size_t i = 0; i < shapes.size(); ++i) {
            const auto &s = shapes[i];
            const std::string where = "/detect/shapes/" + std::to_string(i);
            if (!s.is_object() || !s.contains("all") || !s["all"].is_array())
                throw Invalid{where, QStringLiteral("a shape needs an \"all\" array of keys")};
            DetectShape shape;
            shape.allKeys = stringList(s["all"], where + "/all");
            if (auto types = s.find("types"); types != s.end()) {
                for (auto t = object(*types, where + "/types").begin(); t != types->end(); ++t) {
                    static const std::vector<std::string> known{"null",   "object",   "array",
                                                                "string", "boolean",  "number",
                                                                "binary", "discarded"};
                    if (!t->is_string()
                        || std::find(known.begin(), known.end(), t->get<std::string>())
                               == known.end())
                        throw Invalid{where + "/types/" + t.key(),
                                      QStringLiteral("expected a JSON type name (object, array, "
                                                     "string, number, boolean, null)")};
                    shape.types.emplace_back(t.key(), t->get<std::string>());
                }
            }
            if (auto vin = s.find("valueIn"); vin != s.end())
                for (auto v = object(*vin, where + "/valueIn").begin(); v != vin->end(); ++v)
                    shape.valueIn.emplace_back(v.key(),
                                               stringList(*v, where + "/valueIn/" + v.key()));
            p.shapes.push_back(std::move(shape));
        }
    }

    if (auto it = j.find("fields"); it != j.end()) {
        const auto &f = object(*it, "/fields");
        if (f.contains("code"))
            p.code = sourceList(f["code"], "/fields/code");
        if (f.contains("message"))
            p.message = sourceList(f["message"], "/fields/message");
        if (f.contains("type"))
            p.type = sourceList(f["type"], "/fields/type");
        if (f.contains("details")) {
            const auto &d = f["details"];
            if (!d.is_array())
                throw Invalid{"/fields/details", QStringLiteral("expected an array")};
            for (std::size_t i = 0; i < d.size(); ++i) {
                const std::string where = "/fields/details/" + std::to_string(i);
                if (!d[i].is_object() || !d[i].contains("pointer") || !d[i]["pointer"].is_string())
                    throw Invalid{where, QStringLiteral("needs a \"pointer\"")};
                DetailsSpec spec;
                spec.pointer = d[i]["pointer"].get<std::string>();
                if (d[i].contains("field"))
                    spec.field = pointerList(d[i]["field"], where + "/field");
                if (d[i].contains("message"))
                    spec.message = pointerList(d[i]["message"], where + "/message");
                p.details.push_back(std::move(spec));
            }
        }
        if (f.contains("successValues"))
            for (const auto &v : stringList(f["successValues"], "/fields/successValues"))
                p.successValues.append(q(v));
    }

    if (auto it = j.find("identifiers"); it != j.end()) {
        if (!it->is_object())
            throw Invalid{"/identifiers", QStringLiteral("expected an object")};
        for (auto id = it->begin(); id != it->end(); ++id) {
            static const std::vector<std::string> known{
                "traceId", "accountId",           "orderId",           "execId", "tradeId",
                "clOrdId", "conflictingSignalId", "conflictingTradeId"};
            if (std::find(known.begin(), known.end(), id.key()) == known.end())
                throw Invalid{"/identifiers/" + id.key(),
                              QStringLiteral("unknown identifier \"%1\"").arg(q(id.key()))};
            p.identifiers.emplace_back(id.key(), pointerList(*id, "/identifiers/" + id.key()));
        }
    }

    if (auto it = j.find("identifierHeaders"); it != j.end()) {
        for (auto id = object(*it, "/identifierHeaders").begin(); id != it->end(); ++id) {
            if (!Identifiers{}.field(id.key()))
                throw Invalid{"/identifierHeaders/" + id.key(),
                              QStringLiteral("unknown identifier \"%1\"").arg(q(id.key()))};
            std::vector<QByteArray> names;
            for (const auto &n : stringList(*id, "/identifierHeaders/" + id.key()))
                names.push_back(QByteArray::fromStdString(n));
            p.identifierHeaders.emplace_back(id.key(), std::move(names));
        }
    }

    if (auto it = j.find("headerCodes"); it != j.end()) {
        if (!it->is_array())
            throw Invalid{"/headerCodes", QStringLiteral("expected an array")};
        for (std::size_t i = 0; i < it->size(); ++i) {
            const std::string where = "/headerCodes/" + std::to_string(i);
            const auto &h = (*it)[i];
            if (!h.is_object() || !h.contains("header") || !h["header"].is_string())
                throw Invalid{where, QStringLiteral("needs a \"header\" name")};
            HeaderCodes hc;
            hc.where = where;
            hc.header = QByteArray::fromStdString(h["header"].get<std::string>());
            hc.messageHeader = optString(h, "messageHeader").toLatin1();
            hc.percentDecode = h.value("percentDecode", false);
            if (h.contains("codes"))
                hc.codes = parseCodes(h["codes"], where + "/codes");
            p.headerCodes.push_back(std::move(hc));
        }
    }

    if (auto it = j.find("wwwAuthenticate"); it != j.end()) {
        const auto &w = object(*it, "/wwwAuthenticate");
        if (w.contains("codes"))
            p.authErrorCodes = parseCodes(w["codes"], "/wwwAuthenticate/codes");
    }

    if (auto it = j.find("search"); it != j.end()) {
        p.search = true;
        const auto &search = object(*it, "/search");
        if (search.contains("messageKeys"))
            p.searchMessageKeys = stringList(search["messageKeys"], "/search/messageKeys");
        if (search.contains("codeKeys"))
            p.searchCodeKeys = stringList(search["codeKeys"], "/search/codeKeys");
    }

    if (j.contains("businessFailure"))
        p.businessFailure = parseRules(j["businessFailure"], "/businessFailure");
    if (j.contains("quotaExceeded"))
        p.quotaExceeded = parseRules(j["quotaExceeded"], "/quotaExceeded");

    if (auto it = j.find("typeMap"); it != j.end()) {
        for (auto t = object(*it, "/typeMap").begin(); t != it->end(); ++t)
            p.typeMap.insert(q(t.key()), enumValue<ErrorType>(*t, "/typeMap/" + t.key(),
                                                              &errorTypeFromString, "error type"));
    }

    if (auto it = j.find("statuses"); it != j.end()) {
        for (auto s = object(*it, "/statuses").begin(); s != it->end(); ++s) {
            const std::string where = "/statuses/" + s.key();
            bool ok = false;
            const int status = q(s.key()).toInt(&ok);
            if (!ok || status < 100 || status > 599)
                throw Invalid{where,
                              QStringLiteral("\"%1\" is not an HTTP status").arg(q(s.key()))};
            if (!s->is_object())
                throw Invalid{where, QStringLiteral("expected an object")};
            StatusRule r;
            parseCommon(r, *s, where);
            if (s->contains("delayMs")) {
                const auto &d = (*s)["delayMs"];
                if (!d.is_number_integer() || d.get<qint64>() < 0)
                    throw Invalid{
                        where + "/delayMs",
                        QStringLiteral("expected milliseconds as a non-negative integer")};
                r.delayMs = d.get<qint64>();
            }
            p.statusRules.insert(status, r);
        }
    }

    if (auto it = j.find("codes"); it != j.end())
        p.codes = parseCodes(*it, "/codes");
    return p;
}

} // namespace

bool BodyRule::matches(const nlohmann::json &root) const
{
    const nlohmann::json *v = jsonAt(root, pointer);
    switch (test) {
    case Test::Exists:
        return v && !v->is_null();
    case Test::Equals:
        return v && *v == value;
    case Test::NotEquals:
        return v && !v->is_null() && *v != value;
    case Test::NotIn:
        return v && !v->is_null() && std::find(value.begin(), value.end(), *v) == value.end();
    case Test::NonEmpty:
        return v
               && ((v->is_array() || v->is_object())
                       ? !v->empty()
                       : (v->is_string() && !v->get_ref<const std::string &>().empty()));
    case Test::EndsWith:
        if (!v || !v->is_string())
            return false;
        {
            const auto &s = v->get_ref<const std::string &>();
            const auto &suffix = value.get_ref<const std::string &>();
            return s.size() >= suffix.size()
                   && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
        }
    }
    return false;
}

QString BodyRule::describe() const
{
    const QString p = pointer.empty() ? QStringLiteral("(body)") : q(pointer);
    auto val = [this] {
        return q(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    };
    switch (test) {
    case Test::Exists:
        return p + QStringLiteral(" exists");
    case Test::Equals:
        return p + QStringLiteral(" = ") + val();
    case Test::NotEquals:
        return p + QStringLiteral(" != ") + val();
    case Test::NotIn:
        return p + QStringLiteral(" not in ") + val();
    case Test::NonEmpty:
        return p + QStringLiteral(" non-empty");
    case Test::EndsWith:
        return p + QStringLiteral(" ends with ") + val();
    }
    return p;
}

namespace {

// Text of the scalar at pointer, or empty.
QString scalarAt(const nlohmann::json &root, const QString &pointer)
{
    const nlohmann::json *v = jsonAt(root, pointer.toStdString());
    if (!v)
        return {};
    return jsonScalarText(*v).value_or(QString());
}

// "{/a}[: {/b}]": one linear pass; placeholders do not nest, segments do not nest.
std::optional<QString> renderTemplate(const QString &t, const nlohmann::json &root)
{
    QString out;
    QString segment;
    bool inSegment = false;
    bool segmentOk = true;
    QStringList segmentValues;
    for (qsizetype i = 0; i < t.size() && out.size() < 4000; ++i) {
        const QChar c = t[i];
        if (c == u'{') {
            const qsizetype close = t.indexOf(u'}', i + 1);
            if (close < 0)
                return std::nullopt;
            const QString value = scalarAt(root, t.mid(i + 1, close - i - 1)).simplified();
            i = close;
            if (inSegment) {
                if (value.isEmpty())
                    segmentOk = false;
                segmentValues.append(value);
                segment += value;
            } else {
                if (value.isEmpty())
                    return std::nullopt;
                out += value;
            }
        } else if (c == u'[' && !inSegment) {
            inSegment = true;
            segmentOk = true;
            segment.clear();
            segmentValues.clear();
        } else if (c == u']' && inSegment) {
            inSegment = false;
            // A segment repeating what is already said adds nothing ("Not Found: Not Found").
            const bool repeats = std::all_of(segmentValues.begin(), segmentValues.end(),
                                             [&](const QString &v) { return out.contains(v); });
            if (segmentOk && !(repeats && !segmentValues.isEmpty()))
                out += segment;
        } else if (inSegment) {
            segment += c;
        } else {
            out += c;
        }
    }
    if (out.trimmed().isEmpty())
        return std::nullopt;
    return out.left(2000);
}

} // namespace

std::optional<QString> FieldSource::evaluate(const nlohmann::json &root) const
{
    switch (kind) {
    case Kind::Pointer: {
        const nlohmann::json *v = jsonAt(root, pointer);
        if (!v)
            return std::nullopt;
        auto s = jsonScalarText(*v);
        if (!s || s->isEmpty())
            return std::nullopt;
        return s;
    }
    case Kind::Constant:
        if (when && when->matches(root))
            return text;
        return std::nullopt;
    case Kind::Template:
        if (when && !when->matches(root))
            return std::nullopt;
        return renderTemplate(text, root);
    }
    return std::nullopt;
}

QString FieldSource::describe() const
{
    switch (kind) {
    case Kind::Pointer:
        return q(pointer);
    case Kind::Constant:
        return QStringLiteral("\"%1\" when %2").arg(text, when ? when->describe() : QString());
    case Kind::Template:
        return QStringLiteral("template \"%1\"").arg(text);
    }
    return {};
}

bool Profile::matchesContent(const QByteArray &contentType, const nlohmann::json *body,
                             QString *why) const
{
    const QString ct = QString::fromLatin1(contentType).toLower();
    for (const QString &c : contentTypes)
        if (ct.contains(c)) {
            if (why)
                *why = QStringLiteral("content type %1 (/detect/contentTypes)").arg(c);
            return true;
        }
    if (!body || !body->is_object())
        return false;
    for (const DetectShape &s : shapes) {
        bool ok = true;
        for (const auto &k : s.allKeys) {
            if (!body->contains(k)) {
                ok = false;
                break;
            }
        }
        for (const auto &[key, type] : s.types) {
            if (!ok)
                break;
            auto it = body->find(key);
            ok = it != body->end() && std::string_view(it->type_name()) == type;
        }
        for (const auto &[key, allowed] : s.valueIn) {
            if (!ok)
                break;
            auto it = body->find(key);
            ok = it != body->end() && it->is_string()
                 && std::find(allowed.begin(), allowed.end(), it->get_ref<const std::string &>())
                        != allowed.end();
        }
        if (ok) {
            if (why) {
                QStringList keys;
                for (const auto &k : s.allKeys)
                    keys.append(q(k));
                *why = QStringLiteral("shape /detect/shapes/%1 {%2}")
                           .arg(std::distance(shapes.data(), &s))
                           .arg(keys.join(u','));
            }
            return true;
        }
    }
    return false;
}

ProfileLoadResult ProfileParser::parse(const QByteArray &text, const QString &origin)
{
    nlohmann::json j;
    SafeJsonError syntax;
    SafeJsonLimits limits;
    limits.maxBytes = MaxBytes;
    // Depth is checked before a DOM exists and a number too large for a double ("1e999", found
    // by fuzzing) is reported with its line:column instead of escaping as out_of_range.
    if (!safeJsonParse(text, j, syntax, limits)) {
        if (syntax.tooLarge)
            return {std::nullopt, QStringLiteral("%1: larger than %2 MiB; not a profile")
                                      .arg(origin)
                                      .arg(MaxBytes / (1024 * 1024))};
        return {std::nullopt, safeJsonMessage(origin, text, syntax)};
    }
    try {
        Profile p = parseProfile(j);
        p.origin = origin;
        return {std::move(p), {}};
    } catch (const Invalid &e) {
        return {std::nullopt,
                QStringLiteral("%1: at %2: %3")
                    .arg(origin, e.where.empty() ? QStringLiteral("/") : q(e.where), e.problem)};
    } catch (const std::exception &e) {
        return {std::nullopt, QStringLiteral("%1: %2").arg(origin, QString::fromUtf8(e.what()))};
    }
}

} // namespace hd
