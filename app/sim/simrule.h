#pragma once

// A behaviour laid over the routes at runtime: an injected fault, an error rate, an incident
// (5xx storm, latency spike) or a step of the demo schedule.

#include "simresponse.h"

#include <QString>

namespace hd {

struct SimRule
{
    enum class Kind { Fault, Status, Storm, Latency, GatewayHtml, GrpcUnavailable };

    int id = 0;
    Kind kind = Kind::Fault;
    QString api;         // "s000".."s004" or "*" for all
    QString environment; // dev/preprod/prod, empty = any
    QString pathPrefix;  // empty = any path of the API
    QByteArray method;   // empty = any
    SimFault fault = SimFault::None;
    int status = 503;
    double rate = 1.0; // share of matching requests affected
    int latencyMs = 0;
    int remaining = -1; // requests left to affect; -1 = until removed or expired
    qint64 startMs = 0;
    qint64 endMs = 0; // 0 = no end
    QString label;    // shown in /_sim/incidents and the request log
};

} // namespace hd
