#pragma once

// WorkspaceEditCommand: one change to the workspace being edited (add, edit or delete of an
// environment, credential, endpoint or alert rule) for the editor's QUndoStack. It keeps the
// workspace before and after — workspaces are small — so undo restores exactly what was there,
// position in the list included.

#include "workspace.h"

#include <QUndoCommand>

#include <functional>

namespace hd {

class WorkspaceEditCommand : public QUndoCommand
{
public:
    using Apply = std::function<void(const Workspace &)>;
    WorkspaceEditCommand(const QString &text, Workspace before, Workspace after, Apply apply);

    void undo() override;
    void redo() override;

private:
    Workspace m_before;
    Workspace m_after;
    Apply m_apply;
};

} // namespace hd
