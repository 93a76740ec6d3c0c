#pragma once

// The "channels" member of a workspace and the routing members of its alert rules
// (docs/notifications.md), kept apart from the loader's main file. Internal to models/.

#include "workspace.h"
#include "workspacereader.h"

namespace hd::workspacejson {

inline const QStringList &channelKinds()
{
    static const QStringList kinds{QStringLiteral("webhook"), QStringLiteral("slack"),
                                   QStringLiteral("teams"), QStringLiteral("pagerduty"),
                                   QStringLiteral("email")};
    return kinds;
}

// Reads /channels into ws.channels; throws Invalid.
void readChannels(const Reader &root, Workspace &ws);
// Reads an alert rule's channels and remindEveryS; channel ids must exist (read channels first).
void readAlertRouting(const Reader &rule, const Workspace &ws, AlertRule &a);

Json channelsJson(const Workspace &ws);
void writeAlertRouting(const AlertRule &a, Json &rule);

} // namespace hd::workspacejson
