#pragma once

// Where the console keeps its data on disk: workspaces made in the first-run dialog, and the
// history database of each workspace. On Linux ~/.local/share/healthdeck ($XDG_DATA_HOME/
// healthdeck). Releases before issue 23 used Qt's AppDataLocation with organisation and
// application both "HealthDeck": ~/.local/share/HealthDeck/HealthDeck. migrate() moves that
// folder once, at start, so nothing a user had is left behind.

#include <QString>

namespace hd {

class DataDirectory
{
public:
    // The data folder (not created here); the legacy one while it could not be moved.
    static QString path();
    // The folder releases before issue 23 used.
    static QString legacyPath();

    struct Migration
    {
        bool moved = false;
        // Empty when there was nothing to do or the move worked; else one sentence for the
        // user: what was not moved and why (the old folder is then left where it was).
        QString problem;
    };
    // Moves legacyPath() to path() when the old folder exists and the new one does not (a
    // rename: same file system). With both present nothing is moved and problem says where the
    // old data still is.
    static Migration migrate();
};

} // namespace hd
