#include "simquota.h"

namespace hd {

SimQuota::Result SimQuota::consume(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs)
{
    // Bounded: a client inventing credentials cannot grow this without limit.
    if (m_windows.size() > 10000 && !m_windows.contains(key))
        m_windows.clear();
    Window &w = m_windows[key];
    if (w.startMs == 0 || nowMs - w.startMs >= windowMs) {
        w.startMs = nowMs;
        w.used = 0;
    }
    Result r;
    r.limit = limit;
    r.resetMs = std::max<qint64>(0, w.startMs + windowMs - nowMs);
    if (w.used >= limit) {
        r.allowed = false;
        r.remaining = 0;
        return r;
    }
    ++w.used;
    r.remaining = limit - w.used;
    return r;
}

} // namespace hd
