#pragma once

// Reading incidents back from the history database's incidents table (schema version 3): the
// console at start, `hdeck export --db` for a bundle. One query for both, so they agree on
// what "in the range" means: fired before its end and not resolved before its start.

#include "incidentlog.h"

#include <QList>
#include <QSqlDatabase>

#include <limits>

namespace hd {

struct HistoryIncidents
{
    // Newest first, at most limit. A row that is not healthdeck.incident/1 is skipped and
    // counted in *skipped; a database without the table (older schema) has none.
    static QList<Incident> read(QSqlDatabase &db,
                                qint64 fromMs = std::numeric_limits<qint64>::min(),
                                qint64 toMs = std::numeric_limits<qint64>::max(), int limit = 500,
                                int *skipped = nullptr);
};

} // namespace hd
