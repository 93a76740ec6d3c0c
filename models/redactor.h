#pragma once

// The one redaction engine (DESIGN §7). Every output — events, logs, table, HAR, curl, report —
// goes through it, so a secret that is caught once is caught everywhere.
//
// Untrusted text is scanned by hand-written linear rules (SecretScanner: JSON, forms, multipart,
// headers, URLs) and searched for every held secret value in every encoding (HeldValueSet: one
// Aho–Corasick pass) — no regular expression, so no input can make a match fail silently.
// It fails closed: a body that cannot be scanned completely (longer than MaxScanChars, or an
// internal failure) is replaced whole by "[REDACTED: body could not be scanned completely
// (reason)]".
//
// Thread safety: the rules in force (field names and held values) are immutable snapshots.
// Writers (addSecretValue, addSecretFieldName, clearSecretValues, pruneExpiredValues) build a
// new snapshot and swap it in under a mutex; every redact call takes the current snapshot once,
// so worker threads never see a list being changed. All const methods may be called from any
// thread at any time, also while another thread adds values.

#include "apievent.h"
#include "clock.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>

namespace hd {

class SecretNames;
class HeldValueSet;

class Redactor
{
public:
    static constexpr QStringView Mask = u"[REDACTED]";
    // What a body that could not be scanned completely is replaced by starts with this.
    static constexpr QStringView IncompleteMaskPrefix = u"[REDACTED: body could not be scanned "
                                                        u"completely";
    // Longer texts are not scanned: they are masked whole (fail closed). Events hold bodies
    // capped at 64 KiB, so only a caller passing something huge meets this.
    static constexpr qsizetype MaxScanChars = 4 * 1024 * 1024;
    // How long the value of an expired token is still masked after its expiry: a response to a
    // request sent just before expiry, or a late echo, may still carry it.
    static constexpr qint64 DefaultExpiryGraceMs = 10 * 60 * 1000;

    // Expiry of held values is measured on clock.monotonicMs().
    explicit Redactor(const Clock &clock = Clock::system());
    ~Redactor();
    Redactor(const Redactor &) = delete;
    Redactor &operator=(const Redactor &) = delete;

    // Header names whose values are always secret (Authorization, Cookie, X-Api-Key, …).
    bool isSecretHeader(QStringView name) const;
    // Body, query or form field names whose values are secret (password, client_secret, …).
    bool isSecretField(QStringView name) const;

    // A field name of the user's ("redactFields"); applies at once to every later redaction.
    void addSecretFieldName(const QString &name);
    // Exact secret values held for the workspace; any occurrence anywhere is masked, in every
    // encoding (HeldValueSet). expiresInMs: the value (a token) is valid this long from now;
    // it is dropped DefaultExpiryGraceMs (setExpiryGraceMs) after that. Without it the value is
    // held until clearSecretValues(). A value held without expiry keeps none; a value added
    // again with a later expiry keeps the later one. Values under 4 characters are ignored
    // (they would mask innocent text; field rules still mask them).
    void addSecretValue(const QString &value, std::optional<qint64> expiresInMs = std::nullopt);
    void clearSecretValues();
    void setExpiryGraceMs(qint64 ms);
    // Drops the values whose expiry plus grace has passed; returns how many. Also done by every
    // addSecretValue, so the list does not grow with each refreshed token.
    int pruneExpiredValues();
    // Number of distinct held values (not of their encoded forms).
    int secretValueCount() const;
    // Every held value in every form that is masked (for a byte-level scan of finished files).
    QStringList heldValueForms() const;
    // Masks every held secret value in any text (a whole exported file, say) — the last line
    // of defence behind the field and header rules. No size limit: linear, constant memory.
    QString maskKnownValues(const QString &text) const;

    // The rules in force, for a redaction report: header names (normalised) and field names;
    // "*suffix" entries are suffix rules.
    static QStringList secretHeaderNames();
    QStringList secretFieldNames() const;

    QString redactHeaderValue(QStringView name, const QString &value) const;
    HeaderList redactHeaders(const HeaderList &headers) const;
    // Any text: JSON (also truncated or malformed), form-encoded, multipart, header lines, URLs,
    // plain text. Fails closed (see above).
    QString redactBody(const QString &body) const;
    QString redactUrl(const QString &url) const;
    // Every string of the event: URL, headers, bodies, error message, code and details (a
    // detail whose field is a secret name has its message masked), network error, advice;
    // identifiers, token subject and scopes and rate-limit texts for held values.
    void redactEvent(ApiEvent &event) const;

    // True when text is (or starts with) the fail-closed mask.
    static bool isIncompleteScanMask(QStringView text)
    {
        return text.startsWith(IncompleteMaskPrefix);
    }

    // Records of what was masked (field or header name and where), never the values.
    struct Record
    {
        QString where;
        QString name;
        QString reason;
    };
    void setRecording(bool on);
    QList<Record> takeRecords();

    // A process-wide instance with the default rules, shared by engine and UI.
    static Redactor &shared();

private:
    struct Snapshot
    {
        std::shared_ptr<const SecretNames> names;
        std::shared_ptr<const HeldValueSet> held;
    };
    Snapshot snapshot() const;
    QString redactText(const Snapshot &s, const QString &text, const char *what) const;
    QString maskHeld(const Snapshot &s, const QString &text) const;
    void record(const QString &where, const QString &name, const QString &reason) const;
    void publishHeld(std::shared_ptr<const HeldValueSet> held);

    const Clock &m_clock;
    mutable std::mutex m_snapshotMutex; // guards the two pointers below (not what they point to)
    std::shared_ptr<const SecretNames> m_names;
    std::shared_ptr<const HeldValueSet> m_held;
    std::mutex m_writeMutex; // one writer at a time builds the next snapshot
    std::atomic<qint64> m_graceMs{DefaultExpiryGraceMs};
    std::atomic<bool> m_recording{false};
    mutable std::mutex m_recordMutex;
    mutable QList<Record> m_records;
};

} // namespace hd
