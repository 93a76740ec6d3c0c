#pragma once

// The one redaction engine (DESIGN §7). Every output — events, logs, table, HAR, curl, report —
// goes through it, so a secret that is caught once is caught everywhere.

#include "apievent.h"

#include <QByteArray>
#include <QSet>
#include <QString>
#include <QStringList>

#include <array>
#include <mutex>
#include <vector>

namespace hd {

class Redactor
{
public:
    static constexpr QStringView Mask = u"[REDACTED]";

    Redactor();

    // Header names whose values are always secret (Authorization, Cookie, X-Api-Key, …).
    bool isSecretHeader(QStringView name) const;
    // Body, query or form field names whose values are secret (password, client_secret, …).
    bool isSecretField(QStringView name) const;

    void addSecretFieldName(const QString &name);
    // Exact secret values held for the workspace; any occurrence anywhere is masked, and so
    // are its percent-encoded and base64 forms (a query string, a Basic header under another
    // name).
    void addSecretValue(const QString &value);
    void clearSecretValues();
    int secretValueCount() const { return int(m_secretValues.size()); }
    // Every held value in every form that is masked (for a byte-level scan of finished files).
    const QStringList &heldValueForms() const { return m_secretValues; }
    // Masks every held secret value in any text (a whole exported file, say) — the last line
    // of defence behind the field and header rules.
    QString maskKnownValues(const QString &text) const { return maskValues(text); }

    // The rules in force, for a redaction report: header names (normalised) and field names.
    static QStringList secretHeaderNames();
    QStringList secretFieldNames() const;

    QString redactHeaderValue(QStringView name, const QString &value) const;
    HeaderList redactHeaders(const HeaderList &headers) const;
    // JSON, form-encoded or plain text; works on truncated JSON too (it is text based).
    QString redactBody(const QString &body) const;
    QString redactUrl(const QString &url) const;
    void redactEvent(ApiEvent &event) const;

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
    QString maskValues(QString text) const;
    bool mayHoldSecretField(QStringView text) const;
    void rebuildPrecheck();
    void record(const QString &where, const QString &name, const QString &reason) const;

    QSet<QString> m_fieldNames; // normalised: lower case, no '_' or '-'
    // mayHoldSecretField(): field names and secret suffixes bucketed by their last character.
    struct PrecheckEntry
    {
        QString text;
        bool suffix;
    };
    std::array<std::vector<PrecheckEntry>, 128> m_precheck;
    bool m_precheckAlwaysScan = false;
    QStringList m_secretValues;
    bool m_recording = false;
    mutable std::mutex m_recordMutex;
    mutable QList<Record> m_records;
};

} // namespace hd
