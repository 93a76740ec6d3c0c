#include "workspaceeditcommand.h"

namespace hd {

WorkspaceEditCommand::WorkspaceEditCommand(const QString &text, Workspace before, Workspace after,
                                           Apply apply)
    : QUndoCommand(text)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_apply(std::move(apply))
{}

void WorkspaceEditCommand::undo()
{
    m_apply(m_before);
}

void WorkspaceEditCommand::redo()
{
    m_apply(m_after);
}

} // namespace hd
