#include "curlscriptwriter.h"

#include "curlcommand.h"

namespace hd {
namespace {

QString fileSafe(const QString &text)
{
    QString out;
    for (QChar c : text)
        out += (c.isLetterOrNumber() && c.unicode() < 0x80) || c == u'.' || c == u'-' ? c : u'_';
    return out.left(60);
}

// A comment line never ends early: newlines become spaces.
QString commentLine(const QString &text)
{
    QString out = text;
    out.replace(u'\n', u' ').replace(u'\r', u' ').remove(QChar(0));
    return out;
}

} // namespace

CurlScriptWriter::Script CurlScriptWriter::write(const ApiEvent &e, int index,
                                                 const Credential *credential)
{
    Script s;
    const QString status
        = e.httpStatus
              ? QString::number(*e.httpStatus)
              : (e.networkError.isEmpty() ? toQString(toString(e.category)) : e.networkError);
    s.fileName = QStringLiteral("curl/%1-%2-%3.sh")
                     .arg(index, 3, 10, QLatin1Char('0'))
                     .arg(fileSafe(e.endpoint), fileSafe(status));

    CurlCommand::Options options;
    options.credential = credential;
    options.withVariableComment = false; // the script says it better, and checks
    options.multiLine = true;
    options.maxTimeSeconds = 30;
    const CurlCommand curl = CurlCommand::fromEvent(e, options);
    s.variables = curl.variables();

    QString text;
    text += QStringLiteral("#!/bin/sh\n");
    text += QStringLiteral("# HealthDeck reproduction of event %1\n").arg(commentLine(e.id));
    text += QStringLiteral("# %1  %2 / %3  attempt %4\n")
                .arg(formatEventTime(e.timeMs), commentLine(e.environment), commentLine(e.endpoint))
                .arg(e.attempt);
    text += QStringLiteral("# result: %1")
                .arg(commentLine(e.httpStatus ? QString::number(*e.httpStatus) : e.networkError));
    text += QStringLiteral(" (%1, %2)")
                .arg(toQString(toString(e.outcome)), toQString(toString(e.category)));
    if (e.error && !e.error->message.isEmpty())
        text += QStringLiteral(": ") + commentLine(e.error->message.left(200));
    text += u'\n';
    QStringList ids;
    for (std::string_view name : Identifiers::names())
        if (const QString *v = e.identifiers.field(name); v && !v->isEmpty())
            ids << QStringLiteral("%1=%2").arg(toQString(name), commentLine(*v));
    if (!ids.isEmpty())
        text += QStringLiteral("# identifiers: %1\n").arg(ids.join(u' '));
    if (!e.retry.advice.isEmpty())
        text += QStringLiteral("# advice: %1\n").arg(commentLine(e.retry.advice));
    if (credential)
        text += QStringLiteral("# credential: %1\n").arg(commentLine(credential->id));
    text += QStringLiteral("#\n");
    if (s.variables.isEmpty()) {
        text += QStringLiteral("# No secrets were removed from this request.\n");
    } else {
        text += QStringLiteral(
            "# Secrets were removed from this request. Set them first (hdeck watch\n"
            "# reads the same HDECK_SECRET_<NAME> variables), e.g.\n");
        for (const QString &v : std::as_const(s.variables))
            text += QStringLiteral("#   export %1='...'  # %2\n")
                        .arg(v, commentLine(curl.variableHint(v)));
    }
    text += QStringLiteral("set -eu\n");
    for (const QString &v : std::as_const(s.variables)) {
        const QString message = QStringLiteral("%1: set %2 to %3 first")
                                    .arg(s.fileName.mid(5), v, commentLine(curl.variableHint(v)));
        text += QStringLiteral("[ -n \"${%1:-}\" ] || { printf '%s\\n' %2 >&2; exit 2; }\n")
                    .arg(v, CurlCommand::quoted(message));
    }
    text += curl.command() + u'\n';
    s.text = text.toUtf8();
    return s;
}

} // namespace hd
