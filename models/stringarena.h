#pragma once

// Append-only UTF-8 storage for strings that are unique per event (event id, trace id), where
// interning would only add a hash node. Short strings only: at most 255 bytes each, longer ones
// are cut (the full value stays in the event and the history store).

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <vector>

namespace hd {

struct ArenaRef
{
    quint32 offset = 0;
    quint8 length = 0;
};

class StringArena
{
public:
    ArenaRef append(const QString &s);
    QByteArrayView view(quint32 offset, quint8 length) const
    {
        return QByteArrayView(m_bytes.data() + offset, length);
    }
    QString string(quint32 offset, quint8 length) const
    {
        return QString::fromUtf8(view(offset, length));
    }
    // Drops the first n bytes; callers shift their offsets by the same amount.
    void dropFront(quint32 n);
    quint32 size() const { return quint32(m_bytes.size()); }
    std::size_t bytesHeld() const { return sizeof(*this) + m_bytes.capacity(); }
    void shrinkToFit() { m_bytes.shrink_to_fit(); }

private:
    std::vector<char> m_bytes;
};

} // namespace hd
