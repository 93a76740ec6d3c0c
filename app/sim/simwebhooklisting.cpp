#include "simwebhooklisting.h"

#include "safejson.h"

namespace hd {
namespace {

using Json = nlohmann::json;

// One line of at most MaxTextChars: controls (line breaks included) become spaces.
QString oneLine(const std::string &text)
{
    QString v = QString::fromUtf8(text.data(), qsizetype(std::min<std::size_t>(text.size(), 4096)));
    for (QChar &c : v)
        if (c.unicode() < 32 || c.unicode() == 127)
            c = u' ';
    v = v.simplified();
    if (v.size() > SimWebhookListing::MaxTextChars)
        v = v.left(SimWebhookListing::MaxTextChars - 1) + u'…';
    return v;
}

QString text(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? oneLine(it->get_ref<const std::string &>())
                                                 : QString();
}

const Json *member(const Json &object, const char *key)
{
    if (!object.is_object())
        return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

const Json *first(const Json *array)
{
    return array && array->is_array() && !array->empty() ? &array->front() : nullptr;
}

qint64 number(const Json &object, const char *key)
{
    const Json *v = member(object, key);
    if (!v || !v->is_number())
        return 0;
    const double d = v->get<double>();
    return d > 0 && d < 9.0e15 ? qint64(d) : 0;
}

// "FIRING: …" → trigger: the titles every channel kind shares (channelpayload::title).
QString actionOfTitle(const QString &title)
{
    static const std::pair<const char *, const char *> prefixes[] = {{"STILL FIRING: ", "remind"},
                                                                     {"FIRING: ", "trigger"},
                                                                     {"RESOLVED: ", "resolve"},
                                                                     {"FLAPPING: ", "flapping"},
                                                                     {"TEST: ", "test"}};
    for (const auto &[prefix, action] : prefixes)
        if (title.startsWith(QLatin1String(prefix)))
            return QLatin1String(action);
    return {};
}

void readBody(const Json &body, SimWebhookMessage &m)
{
    const QString schema = text(body, "schema");
    if (schema.startsWith(QStringLiteral("healthdeck.notification/"))) {
        m.shape = QStringLiteral("webhook");
        m.action = text(body, "action");
        m.title = text(body, "title");
        m.severity = text(body, "severity");
        return;
    }
    if (member(body, "event_action") && member(body, "routing_key")) {
        m.shape = QStringLiteral("pagerduty");
        m.action = text(body, "event_action");
        if (const Json *payload = member(body, "payload")) {
            m.title = text(*payload, "summary");
            m.severity = text(*payload, "severity");
        } else {
            m.title = text(body, "dedup_key");
        }
        return;
    }
    if (const Json *blocks = member(body, "blocks"); blocks && blocks->is_array()) {
        m.shape = QStringLiteral("slack");
        m.title = text(body, "text");
        m.action = actionOfTitle(m.title);
        // The first section's first field is "*Severity*\n<value>" (channelpayload::slack).
        for (const Json &block : *blocks) {
            if (text(block, "type") != u"section")
                continue;
            if (const Json *field = first(member(block, "fields"))) {
                const QString line = text(*field, "text"); // "*Severity* info" on one line
                if (line.startsWith(QStringLiteral("*Severity* ")))
                    m.severity = line.mid(11);
            }
            break;
        }
        return;
    }
    if (text(body, "type") == u"message" && member(body, "attachments")) {
        m.shape = QStringLiteral("teams");
        const Json *attachment = first(member(body, "attachments"));
        const Json *content = attachment ? member(*attachment, "content") : nullptr;
        const Json *cardBody = content ? member(*content, "body") : nullptr;
        if (const Json *heading = first(cardBody))
            m.title = text(*heading, "text");
        m.action = actionOfTitle(m.title);
        if (cardBody && cardBody->is_array())
            for (const Json &item : *cardBody)
                if (text(item, "type") == u"FactSet")
                    if (const Json *fact = first(member(item, "facts"));
                        fact && text(*fact, "title") == u"Severity")
                        m.severity = text(*fact, "value");
        return;
    }
    m.shape = QStringLiteral("json");
    m.title = text(body, "text");
    if (m.title.isEmpty())
        m.title = text(body, "title");
    if (m.title.isEmpty())
        m.title = text(body, "summary");
}

} // namespace

std::optional<SimWebhookListing> SimWebhookListing::parse(const QByteArray &body, QString *error)
{
    const auto fail = [error](const QString &why) {
        if (error)
            *error = QStringLiteral("inbox listing: ") + why;
        return std::nullopt;
    };
    Json root;
    SafeJsonError jsonError;
    SafeJsonLimits limits;
    limits.maxBytes = MaxBytes;
    limits.maxDepth = MaxDepth;
    if (!safeJsonParse(body, root, jsonError, limits))
        return fail(safeJsonMessage(QStringLiteral("body"), body, jsonError));
    const Json *entries = member(root, "entries");
    if (!entries || !entries->is_array())
        return fail(QStringLiteral("no \"entries\" list (is this the simulator's /_sim/webhook?)"));
    SimWebhookListing listing;
    listing.received = number(root, "received");
    for (const Json &entry : *entries) {
        if (!entry.is_object())
            continue;
        if (listing.messages.size() >= MaxEntries)
            break;
        SimWebhookMessage m;
        m.timeMs = number(entry, "time_ms");
        m.bytes = number(entry, "bytes");
        if (const Json *json = member(entry, "json"); json && json->is_object()) {
            readBody(*json, m);
        } else {
            m.shape = QStringLiteral("text");
            m.title = text(entry, "text");
        }
        listing.messages.append(m);
    }
    if (error)
        error->clear();
    return listing;
}

} // namespace hd
