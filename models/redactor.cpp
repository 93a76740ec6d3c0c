#include "redactor.h"

#include "heldvalueset.h"
#include "secretnames.h"
#include "secretscanner.h"

#include <algorithm>
#include <new>

namespace hd {
namespace {

struct Cut
{
    qsizetype start;
    qsizetype end;
    bool quoted;
    int quoteEscapes = 0; // "[REDACTED]" inside a JSON string of that level: \"[REDACTED]\"
};

// A cut must not split an escape or a surrogate pair: a masked value that ends in the middle
// of "\"" would turn the closing quote of its JSON string into an escaped one.
void widenToWholeCharacters(QStringView t, Cut &c)
{
    qsizetype run = 0;
    for (qsizetype k = c.start - 1; k >= 0 && t[k] == u'\\'; --k)
        ++run;
    if (run % 2 == 1)
        --c.start; // the first masked character was escaped: take its backslash too
    run = 0;
    for (qsizetype k = c.end - 1; k >= c.start && t[k] == u'\\'; --k)
        ++run;
    if (run % 2 == 1 && c.end < t.size())
        ++c.end; // the span ends in a backslash that escapes what follows
    if (c.start > 0 && t[c.start].isLowSurrogate() && t[c.start - 1].isHighSurrogate())
        --c.start;
    if (c.end < t.size() && t[c.end - 1].isHighSurrogate() && t[c.end].isLowSurrogate())
        ++c.end;
}

QString applyCuts(const QString &text, std::vector<Cut> &cuts)
{
    std::sort(cuts.begin(), cuts.end(),
              [](const Cut &a, const Cut &b) { return a.start < b.start; });
    QString out;
    out.reserve(text.size());
    qsizetype pos = 0;
    for (size_t i = 0; i < cuts.size();) {
        Cut merged = cuts[i++];
        widenToWholeCharacters(text, merged);
        while (i < cuts.size() && cuts[i].start <= merged.end) {
            Cut next = cuts[i++];
            widenToWholeCharacters(text, next);
            merged.end = std::max(merged.end, next.end);
            merged.quoted = merged.quoted || next.quoted;
        }
        merged.start = std::max(merged.start, pos);
        if (merged.start >= merged.end)
            continue;
        out += QStringView(text).mid(pos, merged.start - pos);
        const QString quote = QString(merged.quoteEscapes, u'\\') + u'"';
        if (merged.quoted)
            out += quote;
        out += Redactor::Mask;
        if (merged.quoted)
            out += quote;
        pos = merged.end;
    }
    out += QStringView(text).mid(pos);
    return out;
}

QString incompleteMask(const QString &reason)
{
    return Redactor::IncompleteMaskPrefix.toString() + QStringLiteral(" (%1)]").arg(reason);
}

} // namespace

Redactor::Redactor(const Clock &clock)
    : m_clock(clock)
    , m_names(std::make_shared<const SecretNames>())
    , m_held(std::make_shared<const HeldValueSet>())
{}

Redactor::~Redactor() = default;

Redactor &Redactor::shared()
{
    static Redactor r;
    return r;
}

Redactor::Snapshot Redactor::snapshot() const
{
    std::lock_guard lock(m_snapshotMutex);
    return {m_names, m_held};
}

bool Redactor::isSecretHeader(QStringView name) const
{
    return snapshot().names->isSecretHeader(name);
}

bool Redactor::isSecretField(QStringView name) const
{
    return snapshot().names->isSecretField(name);
}

void Redactor::addSecretFieldName(const QString &name)
{
    std::lock_guard write(m_writeMutex);
    auto next = std::make_shared<SecretNames>(*snapshot().names);
    next->addFieldName(name);
    std::lock_guard lock(m_snapshotMutex);
    m_names = std::move(next);
}

void Redactor::publishHeld(std::shared_ptr<const HeldValueSet> held)
{
    std::lock_guard lock(m_snapshotMutex);
    m_held = std::move(held);
}

void Redactor::addSecretValue(const QString &value, std::optional<qint64> expiresInMs)
{
    // Very short values would mask innocent text everywhere; they are still masked by field name.
    if (value.size() < HeldValueSet::MinLength)
        return;
    std::lock_guard write(m_writeMutex);
    const qint64 now = m_clock.monotonicMs();
    std::optional<qint64> deadline;
    if (expiresInMs) {
        // Saturating: a server-supplied lifetime of 1e18 ms must not overflow.
        const qint64 life = std::clamp<qint64>(*expiresInMs, 0, qint64(1) << 52);
        deadline = now + life + std::clamp<qint64>(m_graceMs.load(), 0, qint64(1) << 52);
    }
    std::vector<HeldValueSet::Entry> entries;
    bool changed = false;
    bool found = false;
    for (const HeldValueSet::Entry &e : snapshot().held->entries()) {
        if (e.deadlineMono && *e.deadlineMono < now) {
            changed = true; // expired: pruned on the way
            continue;
        }
        HeldValueSet::Entry kept = e;
        if (e.value == value) {
            found = true;
            if (kept.deadlineMono && (!deadline || *deadline > *kept.deadlineMono)) {
                kept.deadlineMono = deadline;
                changed = true;
            }
        }
        entries.push_back(std::move(kept));
    }
    if (!found) {
        entries.push_back({value, deadline});
        changed = true;
    }
    if (changed)
        publishHeld(std::make_shared<const HeldValueSet>(std::move(entries)));
}

int Redactor::pruneExpiredValues()
{
    std::lock_guard write(m_writeMutex);
    const qint64 now = m_clock.monotonicMs();
    std::vector<HeldValueSet::Entry> entries;
    int dropped = 0;
    for (const HeldValueSet::Entry &e : snapshot().held->entries()) {
        if (e.deadlineMono && *e.deadlineMono < now)
            ++dropped;
        else
            entries.push_back(e);
    }
    if (dropped > 0)
        publishHeld(std::make_shared<const HeldValueSet>(std::move(entries)));
    return dropped;
}

void Redactor::clearSecretValues()
{
    std::lock_guard write(m_writeMutex);
    publishHeld(std::make_shared<const HeldValueSet>());
}

void Redactor::setExpiryGraceMs(qint64 ms)
{
    m_graceMs = std::max<qint64>(0, ms);
}

int Redactor::secretValueCount() const
{
    return int(snapshot().held->entries().size());
}

QStringList Redactor::heldValueForms() const
{
    return snapshot().held->forms();
}

QStringList Redactor::secretHeaderNames()
{
    return SecretNames::headerRules();
}

QStringList Redactor::secretFieldNames() const
{
    return snapshot().names->fieldRules();
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

QString Redactor::maskHeld(const Snapshot &s, const QString &text) const
{
    if (s.held->isEmpty() || text.isEmpty())
        return text;
    std::vector<TextSpan> spans;
    try {
        s.held->find(text, spans);
    } catch (const std::bad_alloc &) {
        return incompleteMask(QStringLiteral("out of memory"));
    }
    if (spans.empty())
        return text;
    record(QStringLiteral("text"), QStringLiteral("(known secret value)"),
           QStringLiteral("equals a secret held for the workspace"));
    std::vector<Cut> cuts;
    cuts.reserve(spans.size());
    for (const TextSpan &sp : spans)
        cuts.push_back({sp.start, sp.end, false, 0});
    return applyCuts(text, cuts);
}

QString Redactor::maskKnownValues(const QString &text) const
{
    return maskHeld(snapshot(), text);
}

QString Redactor::redactText(const Snapshot &s, const QString &text, const char *what) const
{
    if (text.isEmpty())
        return text;
    if (text.size() > MaxScanChars) {
        const QString reason = QStringLiteral("%1 characters, more than the %2 that are scanned")
                                   .arg(text.size())
                                   .arg(MaxScanChars);
        record(QString::fromLatin1(what), QStringLiteral("(whole text)"),
               QStringLiteral("could not be scanned completely: ") + reason);
        return incompleteMask(reason);
    }
    try {
        std::vector<SecretSpan> spans;
        SecretScanner(*s.names).scan(text, spans);
        std::vector<TextSpan> held;
        s.held->find(text, held);
        if (spans.empty() && held.empty())
            return text;
        std::vector<Cut> cuts;
        cuts.reserve(spans.size() + held.size());
        std::sort(spans.begin(), spans.end(), [](const SecretSpan &a, const SecretSpan &b) {
            return a.start != b.start ? a.start < b.start : a.end < b.end;
        });
        for (size_t i = 0; i < spans.size(); ++i) {
            const SecretSpan &sp = spans[i];
            cuts.push_back({sp.start, sp.end, sp.quoted, sp.quoteEscapes});
            // The decoded pass finds the same value again: record it once.
            if (i > 0 && spans[i - 1].start == sp.start && spans[i - 1].end == sp.end)
                continue;
            const QString where = QString::fromLatin1(sp.where);
            record(where, sp.name,
                   where == u"url" ? QStringLiteral("user info in URL")
                                   : QStringLiteral("secret field"));
        }
        if (!held.empty())
            record(QStringLiteral("text"), QStringLiteral("(known secret value)"),
                   QStringLiteral("equals a secret held for the workspace"));
        for (const TextSpan &sp : held)
            cuts.push_back({sp.start, sp.end, false, 0});
        return applyCuts(text, cuts);
    } catch (const std::bad_alloc &) {
        record(QString::fromLatin1(what), QStringLiteral("(whole text)"),
               QStringLiteral("could not be scanned completely: out of memory"));
        return incompleteMask(QStringLiteral("out of memory"));
    }
}

QString Redactor::redactHeaderValue(QStringView name, const QString &value) const
{
    const Snapshot s = snapshot();
    if (s.names->isSecretHeader(name)) {
        record(QStringLiteral("header"), name.toString(), QStringLiteral("secret header"));
        // Keep the scheme so "Bearer" vs "Basic" stays visible to a support desk.
        const qsizetype space = value.indexOf(u' ');
        if (space > 0 && space < 16 && name.endsWith(u"authorization", Qt::CaseInsensitive))
            return value.left(space + 1) + Mask.toString();
        return Mask.toString();
    }
    // Any other header may still carry one: Location with #access_token=, Link with a URL.
    return redactText(s, value, "header");
}

HeaderList Redactor::redactHeaders(const HeaderList &headers) const
{
    HeaderList out;
    out.reserve(headers.size());
    for (const auto &[name, value] : headers)
        out.append({name, redactHeaderValue(name, value)});
    return out;
}

QString Redactor::redactBody(const QString &body) const
{
    return redactText(snapshot(), body, "body");
}

QString Redactor::redactUrl(const QString &url) const
{
    return redactText(snapshot(), url, "url");
}

void Redactor::redactEvent(ApiEvent &e) const
{
    const Snapshot s = snapshot();
    if (e.request) {
        e.request->url = redactText(s, e.request->url, "url");
        e.request->headers = redactHeaders(e.request->headers);
        e.request->body = redactText(s, e.request->body, "body");
    }
    if (e.response) {
        e.response->headers = redactHeaders(e.response->headers);
        e.response->body = redactText(s, e.response->body, "body");
    }
    if (e.error) {
        e.error->message = redactText(s, e.error->message, "text");
        e.error->code = redactText(s, e.error->code, "text");
        for (ErrorDetail &d : e.error->details) {
            // A vendor's details object names the field it rejects, often with the value:
            // {"details": {"password": "hunter2"}} becomes field "password", message "hunter2".
            if (!d.message.isEmpty() && s.names->isSecretHeader(d.field)) {
                record(QStringLiteral("body"), d.field, QStringLiteral("secret field"));
                d.message = Mask.toString();
            } else {
                d.message = redactText(s, d.message, "text");
            }
            d.field = redactText(s, d.field, "text");
        }
    }
    e.networkError = redactText(s, e.networkError, "text");
    e.retry.advice = redactText(s, e.retry.advice, "text");
    // Facts a support desk needs stay as they are, unless they are a held secret.
    for (std::string_view name : Identifiers::names())
        if (QString *id = e.identifiers.field(name))
            *id = maskHeld(s, *id);
    if (e.token) {
        e.token->subject = maskHeld(s, e.token->subject);
        for (QString &scope : e.token->scopes)
            scope = maskHeld(s, scope);
    }
    if (e.rateLimit) {
        e.rateLimit->policy = maskHeld(s, e.rateLimit->policy);
        e.rateLimit->source = maskHeld(s, e.rateLimit->source);
    }
}

} // namespace hd
