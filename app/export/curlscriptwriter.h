#pragma once

// curl/*.sh: one POSIX shell script per failing request that sends it again with curl. The
// event is already redacted; every [REDACTED] becomes a shell variable named after its header
// or field ($AUTHORIZATION, $PASSWORD, $P_TICKET, …) that the user sets before running it —
// the script refuses to run while one is unset.

#include "apievent.h"

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
    // index numbers the file (1-based).
    static Script write(const ApiEvent &event, int index);

    // Single-quotes text for sh, splicing "$VAR" where text holds a mask. defaultVariable names
    // masks that no field name precedes. Variables used are appended to variables.
    static QString shellWord(const QString &text, const QString &defaultVariable,
                             QStringList &variables);
    static QString variableName(const QString &name);
};

} // namespace hd
