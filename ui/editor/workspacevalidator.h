#pragma once

// WorkspaceValidator: the workspace file's own validation (models/workspacefile) applied to a
// workspace being edited, so the dialogs accept exactly what loading the saved file accepts —
// one set of rules, one wording. The problem comes back split into its JSON pointer
// (/endpoints/3/intervalMs) and message, so a dialog can put it under the right field.

#include "workspace.h"

#include <optional>

namespace hd {

class WorkspaceValidator
{
public:
    struct Problem
    {
        QString pointer; // "/endpoints/3/intervalMs"; empty when the file as a whole is wrong
        QString message; // "must be between 100 and 86400000, not 5"
        // "intervalMs" when pointer is /<section>/<index>/intervalMs/…
        QString field() const;
        // Index into the section when pointer is /<section>/<index>/…, else -1.
        int index(const QString &section) const;
    };

    static std::optional<Problem> check(const Workspace &workspace);
};

} // namespace hd
