#pragma once

// "Copy as curl": one recorded (already redacted) request as a curl command line an operator
// can paste into a shell. Every [REDACTED] becomes a shell variable, never a value:
//   - the Authorization header of a token credential (OAuth2, Tradovate) → $HDECK_TOKEN_<CRED>,
//   - any other secret of the endpoint's credential → $HDECK_SECRET_<NAME> (the same variable
//     `hdeck watch` reads the secret from, MonitorEngine::secretEnvironmentVariable),
//   - a mask without a known credential → $HDECK_SECRET_<FIELD> after its header, JSON key or
//     form field.
// Literal text is single-quoted; variables are spliced in double quotes. The command starts
// with the variables it needs as a comment line, so nobody runs it without setting them.
// Host and Content-Length are left to curl (a recorded length is wrong once a secret is back).
// This is the one curl command line of the project: the support bundle's curl/*.sh scripts
// (CurlScriptWriter) wrap it, so the console and the bundle name variables alike.

#include "apievent.h"
#include "workspace.h"

#include <QString>
#include <QStringList>

namespace hd {

class CurlCommand
{
public:
    struct Options
    {
        const Credential *credential = nullptr; // the endpoint's credential, when known
        bool withVariableComment = true;        // first line "# set first: $A $B"
        bool multiLine = false;                 // one option a line, joined with " \\"
        int maxTimeSeconds = 0;                 // > 0: --max-time N
    };

    static CurlCommand fromEvent(const ApiEvent &event, const Options &options);
    static CurlCommand fromEvent(const ApiEvent &event) { return fromEvent(event, Options()); }

    bool isValid() const { return m_valid; }
    QString command() const { return m_command; }
    QStringList variables() const { return m_variables; }
    // What to set variable to, in one line: "an access token of credential trading-oauth".
    QString variableHint(const QString &variable) const;

    // "HDECK_TOKEN_TRADING_OAUTH"
    static QString tokenVariable(const QString &credentialId);
    static QString secretVariable(const QString &secretName);
    // Single-quotes text for a POSIX shell.
    static QString quoted(QStringView text);

private:
    QString word(const QString &text, const QString &variable);
    QString fieldVariable(const QString &before) const;

    bool m_valid = false;
    QString m_command;
    QStringList m_variables;
    QString m_credentialId;
    QString m_secretName;
    QString m_tokenVariable;
    QString m_secretVariable;
};

} // namespace hd
