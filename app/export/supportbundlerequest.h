#pragma once

// What goes into a support bundle: the selected events (any order; they are redacted again on
// the way out), the workspace they came from (for client ids and the environment summary,
// never secrets), the secret values held for it and the user's own secret field names.

#include "apievent.h"
#include "incidentlog.h"
#include "workspace.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <limits>
#include <optional>

namespace hd {

struct SupportBundleRequest
{
    QList<ApiEvent> events;
    std::optional<Workspace> workspace;
    // Values equal to one of these are masked wherever they appear (DESIGN §7). Never written.
    QStringList secretValues;
    // The *names* of those secrets, for the redaction report.
    QStringList secretNames;
    // The user's own secret field names, on top of the built-in list.
    QStringList extraSecretFields;
    // Incidents open at some time in the range (the console's log, or the history's): written
    // to incidents.json and summarised in the report, redacted like the events.
    QList<Incident> incidents;
    // How the selection was made, in one line: "time range …", "3 selected events", "alert …".
    QString selection;
    qint64 fromMs = std::numeric_limits<qint64>::min(); // the range asked for, if any
    qint64 toMs = std::numeric_limits<qint64>::max();
    qint64 createdMs = 0; // 0: now
    // Caps that keep a bundle of a bad day readable; what was left out is said in the report.
    int maxReportFailures = 50;
    int maxCurlScripts = 200;
    int maxHarEntries = 20000;
};

} // namespace hd
