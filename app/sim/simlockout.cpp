#include "simlockout.h"

namespace hd {

void SimLockout::configure(int countWindowMs, int warnAt, int lockAt, int lockoutMs)
{
    m_countWindowMs = countWindowMs;
    m_warnAt = warnAt;
    m_lockAt = lockAt;
    m_lockoutMs = lockoutMs;
}

SimLockout::Result SimLockout::hit(const QString &credential, qint64 nowMs)
{
    if (m_state.size() > 10000 && !m_state.contains(credential))
        m_state.clear();
    State &s = m_state[credential];
    Result r;
    if (s.lockedUntilMs > nowMs) {
        // "requests made during the window will reset the lockout"
        s.lockedUntilMs = nowMs + m_lockoutMs;
        r.verdict = Verdict::Locked;
        r.lockedForMs = m_lockoutMs;
        return r;
    }
    while (!s.recent.isEmpty() && nowMs - s.recent.front() >= m_countWindowMs)
        s.recent.removeFirst();
    s.recent.append(nowMs);
    if (s.recent.size() > m_lockAt) {
        s.lockedUntilMs = nowMs + m_lockoutMs;
        s.recent.clear();
        r.verdict = Verdict::Locked;
        r.lockedForMs = m_lockoutMs;
    } else if (s.recent.size() > m_warnAt) {
        r.verdict = Verdict::Warn;
    }
    // Cap memory per credential: only the count inside the window matters.
    if (s.recent.size() > m_lockAt + 1)
        s.recent.removeFirst();
    return r;
}

} // namespace hd
