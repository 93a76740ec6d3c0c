#include "stringpool.h"

namespace hd {

StringPool::StringPool()
{
    m_strings.append(QString());
    m_ids.insert(QString(), 0);
}

quint32 StringPool::intern(const QString &s)
{
    if (s.isEmpty())
        return 0;
    const auto it = m_ids.constFind(s);
    if (it != m_ids.cend())
        return *it;
    const quint32 id = quint32(m_strings.size());
    m_strings.append(s);
    m_ids.insert(s, id);
    m_chars += std::size_t(s.size());
    return id;
}

std::size_t StringPool::bytesHeld() const
{
    // One shared string payload (header + UTF-16), the list slot and a hash node per entry.
    const std::size_t perEntry = 32 /* QArrayData + padding */ + sizeof(QString) + sizeof(QString)
                                 + sizeof(quint32) + 16 /* hash span */;
    return sizeof(*this) + m_chars * 2 + std::size_t(m_strings.size()) * perEntry;
}

} // namespace hd
