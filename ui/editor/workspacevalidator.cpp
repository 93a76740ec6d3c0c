#include "workspacevalidator.h"

#include "workspacefile.h"

namespace hd {

std::optional<WorkspaceValidator::Problem> WorkspaceValidator::check(const Workspace &ws)
{
    static const QString origin = QStringLiteral("workspace");
    const auto text = WorkspaceFile::toJson(ws).dump();
    const auto result = WorkspaceFile::parse(QByteArray::fromStdString(text), origin);
    if (result.workspace)
        return std::nullopt;
    // "workspace: at /endpoints/3/intervalMs: must be …"
    Problem p;
    QString rest = result.error.mid(origin.size() + 2);
    if (rest.startsWith(QStringLiteral("at /"))) {
        const qsizetype colon = rest.indexOf(QStringLiteral(": "));
        p.pointer = rest.mid(3, colon - 3);
        p.message = rest.mid(colon + 2);
    } else {
        p.message = rest;
    }
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
