#pragma once

// curl/*.sh: one POSIX shell script per failing request that sends it again with curl. The
// curl invocation is CurlCommand's (the console's "Copy as curl"), so every [REDACTED] becomes
// the same variable there and here: $HDECK_TOKEN_<CRED> for a token credential's
// Authorization, $HDECK_SECRET_<NAME> for the endpoint credential's secret (what `hdeck watch`
// reads) and $HDECK_SECRET_<FIELD> for any other mask. This class only adds the wrapper: the
// shebang, comments naming the event, endpoint and time, `set -eu`, and a check per variable
// that stops the script with a clear message while it is unset or empty.

#include "apievent.h"
#include "workspace.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace hd {

class CurlScriptWriter
{
public:
    struct Script
    {
        QString fileName; // "curl/001-orders.list-503.sh"
        QByteArray text;
        QStringList variables;
    };
    // index numbers the file (1-based). credential: the endpoint's workspace credential, when
    // the bundle knows the workspace (names the variables like the console does).
    static Script write(const ApiEvent &event, int index, const Credential *credential = nullptr);
};

} // namespace hd
