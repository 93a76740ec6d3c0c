#pragma once

// Polling → Pause / Resume / Send Now for what the endpoint tree has selected (issue 22: out of
// MainWindow). Everything when nothing (or the root) is selected; a whole environment when an
// environment is. Each returns how many endpoints it applied to, for the status bar.

#include <QStringList>

namespace hd {

class EndpointTree;
class PollScheduler;
struct Workspace;

namespace PollingControl {

int setPaused(PollScheduler *scheduler, const EndpointTree &tree, const Workspace &ws, bool pause);
int sendNow(PollScheduler *scheduler, const EndpointTree &tree);

} // namespace PollingControl
} // namespace hd
