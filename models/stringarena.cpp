#include "stringarena.h"

namespace hd {

ArenaRef StringArena::append(const QString &s)
{
    ArenaRef ref;
    ref.offset = quint32(m_bytes.size());
    if (s.isEmpty())
        return ref;
    // Ids are ASCII in practice; take the fast path and fall back to UTF-8 otherwise.
    bool ascii = s.size() <= 255;
    for (qsizetype i = 0; ascii && i < s.size(); ++i)
        ascii = s[i].unicode() < 0x80;
    if (ascii) {
        for (const QChar c : s)
            m_bytes.push_back(char(c.unicode()));
        ref.length = quint8(s.size());
        return ref;
    }
    QByteArray utf8 = s.toUtf8();
    qsizetype n = std::min<qsizetype>(utf8.size(), 255);
    // Never cut inside a UTF-8 sequence.
    while (n > 0 && n < utf8.size() && (quint8(utf8[n]) & 0xC0) == 0x80)
        --n;
    m_bytes.insert(m_bytes.end(), utf8.constData(), utf8.constData() + n);
    ref.length = quint8(n);
    return ref;
}

void StringArena::dropFront(quint32 n)
{
    n = std::min<quint32>(n, quint32(m_bytes.size()));
    m_bytes.erase(m_bytes.begin(), m_bytes.begin() + n);
}

} // namespace hd
