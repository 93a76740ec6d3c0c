#include "pollingcontrol.h"

#include "endpointtree.h"
#include "pollscheduler.h"
#include "workspace.h"

namespace hd::PollingControl {

int setPaused(PollScheduler *scheduler, const EndpointTree &tree, const Workspace &ws, bool pause)
{
    const ScopeKind kind = tree.selectedKind();
    const QStringList endpoints = tree.selectedEndpoints();
    if (kind == ScopeKind::All) {
        scheduler->setAllPaused(pause);
        if (!pause)
            for (const Environment &e : ws.environments)
                scheduler->setEnvironmentPaused(e.id, false);
    } else if (kind == ScopeKind::Environment) {
        scheduler->setEnvironmentPaused(tree.selectedName(), pause);
    }
    if (kind != ScopeKind::Environment || !pause)
        for (const QString &id : endpoints)
            if (kind != ScopeKind::All || !pause)
                scheduler->setEndpointPaused(id, pause);
    return int(endpoints.size());
}

int sendNow(PollScheduler *scheduler, const EndpointTree &tree)
{
    const QStringList endpoints = tree.selectedEndpoints();
    for (const QString &id : endpoints)
        scheduler->sendNow(id);
    return int(endpoints.size());
}

} // namespace hd::PollingControl
