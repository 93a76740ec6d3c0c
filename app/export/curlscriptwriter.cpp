#include "curlscriptwriter.h"

#include "redactor.h"

#include <QRegularExpression>

namespace hd {
namespace {

QString singleQuoted(QStringView text)
{
    QString out;
    out.reserve(text.size() + 2);
    out += u'\'';
    for (QChar c : text) {
        if (c == u'\'')
            out += QStringLiteral("'\\''");
        else
            out += c;
    }
    out += u'\'';
    return out;
}

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
    out.replace(u'\n', u' ').replace(u'\r', u' ');
    return out;
}

} // namespace

QString CurlScriptWriter::variableName(const QString &name)
{
    QString out;
    for (QChar c : name) {
        if (c.unicode() < 0x80 && c.isLetterOrNumber())
            out += c.toUpper();
        else if (!out.endsWith(u'_'))
            out += u'_';
    }
    while (out.endsWith(u'_'))
        out.chop(1);
    while (out.startsWith(u'_'))
        out.remove(0, 1);
    if (out.isEmpty())
        out = QStringLiteral("SECRET");
    if (out.front().isDigit())
        out.prepend(QStringLiteral("V_"));
    return out;
}

QString CurlScriptWriter::shellWord(const QString &text, const QString &defaultVariable,
                                    QStringList &variables)
{
    static const QRegularExpression jsonKey(
        QStringLiteral(R"re("((?:[^"\\]|\\.){1,128})"\s*:\s*"$)re"));
    static const QRegularExpression formKey(QStringLiteral(R"re(([^=&?;\s"]{1,128})=$)re"));
    const QString mask = Redactor::Mask.toString();
    QString out;
    qsizetype from = 0;
    for (;;) {
        const qsizetype at = text.indexOf(mask, from);
        const QStringView before = QStringView(text).mid(from, (at < 0 ? text.size() : at) - from);
        if (!before.isEmpty() || (at < 0 && out.isEmpty()))
            out += singleQuoted(before);
        if (at < 0)
            break;
        // The name of the field the mask stands for: the JSON key or form key right before it.
        const QString head = text.left(at).right(160);
        QString name = defaultVariable;
        if (const auto m = jsonKey.match(head); m.hasMatch())
            name = variableName(m.captured(1));
        else if (const auto f = formKey.match(head); f.hasMatch())
            name = variableName(f.captured(1));
        if (!variables.contains(name))
            variables.append(name);
        out += QStringLiteral("\"$") + name + u'"';
        from = at + mask.size();
    }
    return out;
}

CurlScriptWriter::Script CurlScriptWriter::write(const ApiEvent &e, int index)
{
    Script s;
    const RequestInfo rq = e.request.value_or(RequestInfo{});
    const QString status
        = e.httpStatus
              ? QString::number(*e.httpStatus)
              : (e.networkError.isEmpty() ? toQString(toString(e.category)) : e.networkError);
    s.fileName = QStringLiteral("curl/%1-%2-%3.sh")
                     .arg(index, 3, 10, QLatin1Char('0'))
                     .arg(fileSafe(e.endpoint), fileSafe(status));

    QStringList lines;
    const QString method = rq.method.isEmpty() ? QStringLiteral("GET") : rq.method;
    lines << QStringLiteral("curl -sS -i --max-time 30 -X %1 \\").arg(singleQuoted(method));
    for (const auto &[name, value] : rq.headers) {
        if (name.compare(u"Content-Length", Qt::CaseInsensitive) == 0
            || name.compare(u"Host", Qt::CaseInsensitive) == 0)
            continue; // curl sets these itself
        lines << QStringLiteral("  -H %1 \\")
                     .arg(shellWord(name + QStringLiteral(": ") + value, variableName(name),
                                    s.variables));
    }
    if (!rq.body.isEmpty())
        lines << QStringLiteral("  --data-binary %1 \\")
                     .arg(shellWord(rq.body, QStringLiteral("BODY_SECRET"), s.variables));
    lines << QStringLiteral("  %1").arg(
        shellWord(rq.url, QStringLiteral("URL_SECRET"), s.variables));

    QString text;
    text += QStringLiteral("#!/bin/sh\n");
    text += QStringLiteral("# HealthDeck reproduction of event %1\n").arg(e.id);
    text += QStringLiteral("# %1  %2 / %3  attempt %4\n")
                .arg(formatEventTime(e.timeMs), e.environment, e.endpoint)
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
    text += QStringLiteral("#\n");
    if (s.variables.isEmpty()) {
        text += QStringLiteral("# No secrets were removed from this request.\n");
    } else {
        text += QStringLiteral("# Secrets were removed from this request. Set them first, e.g.\n");
        for (const QString &v : s.variables)
            text += QStringLiteral("#   export %1='...'\n").arg(v);
    }
    text += QStringLiteral("set -eu\n");
    for (const QString &v : s.variables)
        text += QStringLiteral(": \"${%1:?set %1 to the secret HealthDeck removed}\"\n").arg(v);
    text += lines.join(u'\n') + u'\n';
    s.text = text.toUtf8();
    return s;
}

} // namespace hd
