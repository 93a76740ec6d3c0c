#pragma once

// Interned strings for the error log: a value that repeats across events (environment,
// endpoint, vendor code, message) is stored once and rows refer to it by a 32-bit id. Id 0 is
// always the empty string. Filters and sorts work per distinct string (see LogRecordMatcher),
// which is what makes them fast on a million rows.

#include <QHash>
#include <QList>
#include <QString>

namespace hd {

class StringPool
{
public:
    StringPool();

    quint32 intern(const QString &s);
    const QString &at(quint32 id) const { return m_strings.at(qsizetype(id)); }
    quint32 size() const { return quint32(m_strings.size()); }
    std::size_t bytesHeld() const;

private:
    QList<QString> m_strings;
    QHash<QString, quint32> m_ids;
    std::size_t m_chars = 0;
};

} // namespace hd
