#include "redactionreport.h"

#include <algorithm>

namespace hd {
namespace {

constexpr int MaxExamples = 5;

QString describeWhere(const QString &where)
{
    if (where == u"header")
        return QStringLiteral("request/response header");
    if (where == u"body")
        return QStringLiteral("JSON body field");
    if (where == u"form")
        return QStringLiteral("form body or query string field");
    if (where == u"url")
        return QStringLiteral("URL");
    if (where == u"multipart")
        return QStringLiteral("multipart/form-data part");
    if (where == u"text")
        return QStringLiteral("any text");
    return where;
}

} // namespace

void RedactionReport::add(const QList<Redactor::Record> &records, const QString &eventId)
{
    for (const Redactor::Record &r : records) {
        Group &g = m_groups[r.where + u'\t' + r.name + u'\t' + r.reason];
        ++g.count;
        ++m_total;
        if (g.examples.size() < MaxExamples && !g.examples.contains(eventId))
            g.examples.append(eventId);
    }
}

void RedactionReport::addFilePass(const QString &file, int masks)
{
    if (masks <= 0)
        return;
    m_filePasses[file] += masks;
    m_total += masks;
}

QByteArray RedactionReport::toText(const Redactor &redactor, const QStringList &secretNames,
                                   const QStringList &extraFields, int heldValues) const
{
    QString out;
    out += QStringLiteral(
        "HealthDeck support bundle - redaction report\n"
        "=============================================\n\n"
        "Every file in this bundle went through one redaction engine (the one that also serves\n"
        "the console's table, detail pane and logs). Masked values read [REDACTED]; this report\n"
        "names what was masked and where, never the values. Identifiers (traceId, accountId,\n"
        "orderId, execId, tradeId, clOrdId, ...) and client ids are kept on purpose: a support\n"
        "desk needs them.\n\n");
    out += QStringLiteral("Rules in force\n--------------\n");
    out += QStringLiteral("- Secret headers (any case, '-', '_' and '.' ignored; *x: any name "
                          "ending in x), and every secret field name below: %1.\n")
               .arg(Redactor::secretHeaderNames().join(QStringLiteral(", ")));
    out += QStringLiteral("- Secret fields in JSON bodies (a nested object or array masked whole), "
                          "form bodies, query strings and fragments, multipart parts and header "
                          "lines in text (*x: any name ending in x): %1.\n")
               .arg(redactor.secretFieldNames().join(QStringLiteral(", ")));
    out += QStringLiteral("- Your own secret fields: %1.\n")
               .arg(extraFields.isEmpty() ? QStringLiteral("none")
                                          : extraFields.join(QStringLiteral(", ")));
    out += QStringLiteral("- URL user info: the password (https://user:password@host), or the "
                          "whole user info when it has none (https://token@host).\n");
    out += QStringLiteral("- Values equal to a secret held for the workspace, anywhere, also "
                          "percent-encoded, base64, JSON- or HTML-escaped: %1 secret(s)%2.\n\n")
               .arg(std::max<qsizetype>(secretNames.size(), heldValues))
               .arg(secretNames.isEmpty() ? QString()
                                          : QStringLiteral(" (by name: %1)")
                                                .arg(secretNames.join(QStringLiteral(", "))));

    out += QStringLiteral("What was redacted\n-----------------\n");
    if (m_groups.isEmpty() && m_filePasses.isEmpty())
        out += QStringLiteral("Nothing: no secret header, field or held value occurred.\n");
    for (auto it = m_groups.cbegin(); it != m_groups.cend(); ++it) {
        const QStringList parts = it.key().split(u'\t');
        out += QStringLiteral("- %1 '%2': %3 time(s) - %4. Events: %5%6\n")
                   .arg(describeWhere(parts.value(0)), parts.value(1))
                   .arg(it->count)
                   .arg(parts.value(2), it->examples.join(QStringLiteral(", ")),
                        it->count > it->examples.size() ? QStringLiteral(", ...") : QString());
    }
    for (auto it = m_filePasses.cbegin(); it != m_filePasses.cend(); ++it)
        out += QStringLiteral("- %1: %2 held secret value(s) masked in the finished file.\n")
                   .arg(it.key())
                   .arg(it.value());
    out += QStringLiteral("\nTotal: %1 redaction(s).\n").arg(m_total);
    return out.toUtf8();
}

} // namespace hd
