#pragma once

// REDACTIONS.txt: what the bundle's redactor masked, where and why — never the values. Records
// from the redactor (models/redactor.h) are grouped by part of the event, name and reason, and
// counted; the first few event ids are named so a reader can find them in events.jsonl.

#include "redactor.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace hd {

class RedactionReport
{
public:
    // records: what redacting one event produced; eventId names the event.
    void add(const QList<Redactor::Record> &records, const QString &eventId);
    // A mask applied to a whole output file by the known-value pass.
    void addFilePass(const QString &file, int masks);

    int total() const { return m_total; }
    // Plain text: the rules in force (header names, field names, how many held secret values and
    // their names), then every group with its count and example events.
    // heldValues: how many secret values were held (names may be unknown).
    QByteArray toText(const Redactor &redactor, const QStringList &secretNames,
                      const QStringList &extraFields, int heldValues) const;

private:
    struct Group
    {
        int count = 0;
        QStringList examples; // first few event ids
    };
    QMap<QString, Group> m_groups; // key: "where\tname\treason"
    QMap<QString, int> m_filePasses;
    int m_total = 0;
};

} // namespace hd
