#pragma once

// Tradovate's penalty model (seed 003): 423 warns that a lockout is next; 429 locks the
// credential out for a rolling window, and every request made during the window restarts it.

#include <QHash>
#include <QList>
#include <QString>

namespace hd {

class SimLockout
{
public:
    enum class Verdict { Allow, Warn, Locked };
    struct Result
    {
        Verdict verdict = Verdict::Allow;
        qint64 lockedForMs = 0; // remaining lockout, for Retry-After
    };

    void configure(int countWindowMs, int warnAt, int lockAt, int lockoutMs);
    Result hit(const QString &credential, qint64 nowMs);
    void clear() { m_state.clear(); }

private:
    struct State
    {
        QList<qint64> recent; // request times inside the counting window
        qint64 lockedUntilMs = 0;
    };
    QHash<QString, State> m_state;
    int m_countWindowMs = 10000;
    int m_warnAt = 20;
    int m_lockAt = 30;
    int m_lockoutMs = 60000;
};

} // namespace hd
