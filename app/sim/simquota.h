#pragma once

// Per-credential request quotas in fixed windows, enforced for real: once a credential has
// used its limit, further requests are refused until the window resets.

#include <QHash>
#include <QString>

namespace hd {

class SimQuota
{
public:
    struct Result
    {
        bool allowed = true;
        qint64 limit = 0;
        qint64 remaining = 0;
        qint64 resetMs = 0; // until the window resets
    };

    Result consume(const QString &key, qint64 limit, qint64 windowMs, qint64 nowMs);
    void clear() { m_windows.clear(); }

private:
    struct Window
    {
        qint64 startMs = 0;
        qint64 used = 0;
    };
    QHash<QString, Window> m_windows;
};

} // namespace hd
