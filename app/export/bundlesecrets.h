#pragma once

// What a bundle must mask for a workspace, gathered the same way by `hdeck export` and the
// console: every secret value its credentials name (through whatever lookup the caller has —
// environment, keychain cache, simulator demo), the "user:password" pair a Basic header
// carries in base64, and the user's own secret field names ("redactFields").

#include "supportbundlerequest.h"
#include "workspace.h"

#include <functional>
#include <optional>

namespace hd {

class BundleSecrets
{
public:
    using Lookup = std::function<std::optional<QString>(const QString &name)>;

    // Fills request.secretNames, secretValues and extraSecretFields.
    static void collect(const Workspace &workspace, const Lookup &lookup,
                        SupportBundleRequest &request);
    static QStringList extraFields(const Workspace &workspace);
    // Every secret name the workspace's credentials refer to.
    static QStringList secretNames(const Workspace &workspace);
};

} // namespace hd
