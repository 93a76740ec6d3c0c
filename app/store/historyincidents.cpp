#include "historyincidents.h"

#include <QSqlQuery>
#include <QVariant>

namespace hd {

QList<Incident> HistoryIncidents::read(QSqlDatabase &db, qint64 fromMs, qint64 toMs, int limit,
                                       int *skipped)
{
    QList<Incident> out;
    int bad = 0;
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT json FROM incidents WHERE fired_ms < ?"
                             " AND (resolved_ms IS NULL OR resolved_ms >= ?)"
                             " ORDER BY fired_ms DESC LIMIT ?"));
    q.addBindValue(toMs);
    q.addBindValue(fromMs);
    q.addBindValue(std::max(0, limit));
    if (q.exec()) {
        while (q.next()) {
            if (auto inc = Incident::fromJson(q.value(0).toString().toUtf8()))
                out.append(std::move(*inc));
            else
                ++bad;
        }
    }
    if (skipped)
        *skipped = bad;
    return out;
}

} // namespace hd
