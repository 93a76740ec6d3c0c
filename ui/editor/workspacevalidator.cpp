#include "workspacevalidator.h"

#include "workspacefile.h"

namespace hd {

std::optional<WorkspaceValidator::Problem> WorkspaceValidator::check(const Workspace &ws)
{
    const auto result
        = WorkspaceFile::parseJson(WorkspaceFile::toJson(ws), QStringLiteral("workspace"));
    if (result.workspace)
        return std::nullopt;
    Problem p;
    // "/" (the document itself) is not a field; the dialogs show such a problem at the top.
    p.pointer = result.errorPointer == u"/" ? QString() : result.errorPointer;
    p.message = result.problem;
    return p;
}

QString WorkspaceValidator::Problem::field() const
{
    const QStringList parts = pointer.split(u'/', Qt::SkipEmptyParts);
    return parts.size() >= 3 ? parts[2] : QString();
}

int WorkspaceValidator::Problem::index(const QString &section) const
{
    const QStringList parts = pointer.split(u'/', Qt::SkipEmptyParts);
    if (parts.size() < 2 || parts[0] != section)
        return -1;
    bool ok = false;
    const int i = parts[1].toInt(&ok);
    return ok ? i : -1;
}

} // namespace hd
