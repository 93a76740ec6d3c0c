#pragma once

// One row of the error log as held in memory: 48 bytes of numbers. Strings live in
// StringPools (repeating values) and a StringArena (unique ids); the full event stays in the
// history store and is fetched by id when a row is opened.

#include <QtGlobal>

namespace hd {

struct LogRecord
{
    qint64 timeMs = 0;
    quint32 idOffset = 0;    // event id in the arena
    quint32 traceOffset = 0; // identifiers.traceId in the arena
    quint32 environment = 0; // pool ids
    quint32 endpoint = 0;
    quint32 code = 0;
    quint32 message = 0;
    quint32 networkError = 0;
    float durationMs = 0;
    quint16 httpStatus = 0; // 0: no HTTP response
    quint8 idLength = 0;
    quint8 traceLength = 0;
    quint8 category = 0;
    quint8 outcome = 0;
    quint8 attempt = 0;
    quint8 retryAction = 0;
};
static_assert(sizeof(LogRecord) == 48, "LogRecord is meant to stay compact");

} // namespace hd
