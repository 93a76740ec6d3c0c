#include "reportbuilder.h"

#include "reportcharts.h"
#include "reportstyle.h"

#include <algorithm>
#include <cmath>

namespace hd {
namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString timeText(qint64 ms)
{
    return formatEventTime(ms).replace(u'T', u' ');
}

QString row(const QString &label, const QString &valueHtml)
{
    // The width attribute is for the PDF's layout (QTextDocument); browsers use the CSS.
    return QStringLiteral("<tr><th width=\"19%\">%1</th><td>%2</td></tr>\n")
        .arg(esc(label), valueHtml);
}

QString pre(const QString &text)
{
    return QStringLiteral("<pre>%1</pre>").arg(esc(text));
}

QString identifiersHtml(const Identifiers &ids)
{
    QStringList parts;
    for (std::string_view name : Identifiers::names())
        if (const QString *v = ids.field(name); v && !v->isEmpty())
            parts << QStringLiteral("<code>%1=%2</code>").arg(esc(toQString(name)), esc(*v));
    return parts.isEmpty() ? QStringLiteral("-") : parts.join(u' ');
}

QString failureHtml(const BundleSummary::Failure &f, int index)
{
    const ApiEvent &e = f.event;
    QString out;
    out += QStringLiteral(
               "<section class=\"failure\" id=\"event-%1\">\n<h3>%2. %3 &middot; %4 / "
               "%5 &middot; <span class=\"status\">%6</span></h3>\n<table width=\"100%\" "
               "cellpadding=\"2\" cellspacing=\"0\">\n")
               .arg(esc(e.id))
               .arg(index)
               .arg(esc(timeText(e.timeMs)), esc(e.environment), esc(e.endpoint),
                    esc(BundleSummary::statusText(e)));
    out += row(QStringLiteral("Event"), QStringLiteral("<code>%1</code> attempt %2, profile %3")
                                            .arg(esc(e.id))
                                            .arg(e.attempt)
                                            .arg(esc(e.profile)));
    if (e.request) {
        out += row(QStringLiteral("Request"), pre(e.request->method + u' ' + e.request->url));
        QStringList headers;
        for (const auto &[n, v] : e.request->headers)
            headers << n + QStringLiteral(": ") + v;
        if (!headers.isEmpty())
            out += row(QStringLiteral("Request headers"), pre(headers.join(u'\n')));
        if (!e.request->body.isEmpty())
            out += row(QStringLiteral("Request body"), pre(e.request->body.left(4000)));
    }
    QString response = esc(BundleSummary::statusText(e))
                       + QStringLiteral(", %1 ms").arg(e.durationMs, 0, 'f', 1);
    if (e.error) {
        if (!e.error->code.isEmpty())
            response += QStringLiteral(", code <code>%1</code>").arg(esc(e.error->code));
        response += QStringLiteral(", %1").arg(esc(toQString(toString(e.error->type))));
        if (!e.error->message.isEmpty())
            response += QStringLiteral("<br>%1").arg(esc(e.error->message));
        for (const ErrorDetail &d : e.error->details)
            response += QStringLiteral("<br>&bull; %1%2")
                            .arg(d.field.isEmpty()
                                     ? QString()
                                     : QStringLiteral("<code>%1</code>: ").arg(esc(d.field)),
                                 esc(d.message));
    }
    out += row(QStringLiteral("Response"), response);
    if (e.response) {
        QStringList headers;
        for (const auto &[n, v] : e.response->headers)
            headers << n + QStringLiteral(": ") + v;
        if (!headers.isEmpty())
            out += row(QStringLiteral("Response headers"), pre(headers.join(u'\n')));
        if (!e.response->body.isEmpty())
            out += row(QStringLiteral("Response body"), pre(e.response->body.left(4000)));
    }
    out += row(QStringLiteral("Identifiers"), identifiersHtml(e.identifiers));
    QString history = QStringLiteral("<ol class=\"attempts\">");
    for (const ApiEvent &a : f.attempts) {
        history += QStringLiteral("<li>attempt %1 at %2: %3 &rarr; <code>%4</code>")
                       .arg(a.attempt)
                       .arg(esc(timeText(a.timeMs)), esc(BundleSummary::statusText(a)),
                            esc(toQString(toString(a.retry.action))));
        if (a.retry.delayMs)
            history += QStringLiteral(" after %1 ms").arg(*a.retry.delayMs);
        history += QStringLiteral("</li>");
    }
    history += QStringLiteral("</ol>");
    out += row(QStringLiteral("Retry history"), history);
    out += row(QStringLiteral("Advice"),
               e.retry.advice.isEmpty() ? QStringLiteral("-") : esc(e.retry.advice));
    QString token = QStringLiteral("no token seen for this endpoint");
    if (f.token) {
        QStringList parts;
        if (f.token->expiresInS)
            parts << QStringLiteral("expires in %1 s").arg(*f.token->expiresInS);
        if (!f.token->subject.isEmpty())
            parts << QStringLiteral("subject %1").arg(esc(f.token->subject));
        if (!f.token->scopes.isEmpty())
            parts << QStringLiteral("scopes %1").arg(esc(f.token->scopes.join(u' ')));
        parts << QStringLiteral("as of %1").arg(esc(timeText(f.tokenSeenMs)));
        token = parts.join(QStringLiteral(", "));
    }
    out += row(QStringLiteral("Token"), token);
    QString rate = QStringLiteral("no rate-limit headers seen for this endpoint");
    if (f.rateLimit) {
        const RateLimitInfo &r = *f.rateLimit;
        QStringList parts;
        if (r.remaining || r.limit)
            parts << QStringLiteral("%1 of %2 left")
                         .arg(r.remaining ? QString::number(*r.remaining) : QStringLiteral("?"),
                              r.limit ? QString::number(*r.limit) : QStringLiteral("?"));
        if (r.resetS)
            parts << QStringLiteral("reset in %1 s").arg(*r.resetS);
        if (r.retryAfterS)
            parts << QStringLiteral("Retry-After %1 s").arg(*r.retryAfterS);
        if (!r.policy.isEmpty())
            parts << QStringLiteral("policy %1").arg(esc(r.policy));
        if (!r.source.isEmpty())
            parts << QStringLiteral("from %1").arg(esc(r.source));
        parts << QStringLiteral("as of %1").arg(esc(timeText(f.rateLimitSeenMs)));
        rate = parts.join(QStringLiteral(", "));
    }
    out += row(QStringLiteral("Rate limit"), rate);
    out += QStringLiteral("</table>\n</section>\n");
    return out;
}

} // namespace

QString ReportBuilder::timelineSvg(const BundleSummary &s)
{
    const int w = 900, h = 220, left = 44, bottom = 28, top = 10;
    const double plotW = w - left - 10, plotH = h - top - bottom;
    int maxTotal = 1;
    for (const auto &b : s.timeline)
        maxTotal = std::max(maxTotal, b.total());
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                                 "viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"Events over time "
                                 "by outcome\">\n")
                      .arg(w)
                      .arg(h);
    const int steps = std::min(4, maxTotal); // whole numbers only, as in the PDF's chart
    for (int g = 0; g <= steps; ++g) {
        const double y = top + plotH - plotH * g / double(steps);
        svg += QStringLiteral("<line x1=\"%1\" y1=\"%2\" x2=\"%3\" y2=\"%2\" stroke=\"%4\"/>"
                              "<text x=\"%5\" y=\"%6\" text-anchor=\"end\">%7</text>\n")
                   .arg(left)
                   .arg(y, 0, 'f', 1)
                   .arg(w - 10)
                   .arg(reportstyle::Grid.hex())
                   .arg(left - 4)
                   .arg(y + 4, 0, 'f', 1)
                   .arg(int(std::round(double(maxTotal) * g / steps)));
    }
    const int n = int(s.timeline.size());
    const double slot = n > 0 ? plotW / n : plotW;
    for (int i = 0; i < n; ++i) {
        double yBase = top + plotH;
        for (int o = 0; o < BundleSummary::OutcomeCount; ++o) {
            const int count = s.timeline[i].byOutcome[std::size_t(o)];
            if (count == 0)
                continue;
            const double bh = plotH * count / maxTotal;
            yBase -= bh;
            svg += QStringLiteral("<rect x=\"%1\" y=\"%2\" width=\"%3\" height=\"%4\" "
                                  "fill=\"%5\"><title>%6: %7 %8</title></rect>\n")
                       .arg(left + i * slot + slot * 0.1, 0, 'f', 1)
                       .arg(yBase, 0, 'f', 1)
                       .arg(slot * 0.8, 0, 'f', 1)
                       .arg(bh, 0, 'f', 1)
                       .arg(reportstyle::OutcomeColors[std::size_t(o)].hex(),
                            esc(timeText(s.timeline[i].startMs)))
                       .arg(count)
                       .arg(BundleSummary::outcomeName(o));
        }
    }
    if (n > 0)
        svg += QStringLiteral("<text x=\"%1\" y=\"%2\">%3</text><text x=\"%4\" y=\"%2\" "
                              "text-anchor=\"end\">%5</text>\n")
                   .arg(left)
                   .arg(h - 8)
                   .arg(esc(timeText(s.fromMs)))
                   .arg(w - 10)
                   .arg(esc(timeText(s.toMs)));
    svg += QStringLiteral("</svg>\n");
    return svg;
}

QString ReportBuilder::categorySvg(const BundleSummary &s)
{
    const QList<BundleSummary::CategoryCount> cats = s.categories.mid(0, 14);
    const int w = 900, rowH = 20, labelW = 160;
    const int h = std::max<int>(1, int(cats.size())) * rowH + 6;
    QString svg = QStringLiteral("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" "
                                 "viewBox=\"0 0 %1 %2\" role=\"img\" aria-label=\"Failures by "
                                 "category\">\n")
                      .arg(w)
                      .arg(h);
    const int maxCount = cats.isEmpty() ? 1 : cats.front().count;
    for (int i = 0; i < int(cats.size()); ++i) {
        const double bw = std::max(1.0, (w - labelW - 60.0) * cats[i].count / maxCount);
        const int y = 3 + i * rowH;
        svg += QStringLiteral("<text x=\"0\" y=\"%1\">%2</text><rect x=\"%3\" y=\"%4\" "
                              "width=\"%5\" height=\"14\" fill=\"%6\"/><text x=\"%7\" "
                              "y=\"%1\">%8</text>\n")
                   .arg(y + 12)
                   .arg(esc(cats[i].category))
                   .arg(labelW)
                   .arg(y)
                   .arg(bw, 0, 'f', 1)
                   .arg(reportstyle::Accent.hex())
                   .arg(labelW + bw + 6, 0, 'f', 1)
                   .arg(cats[i].count);
    }
    svg += QStringLiteral("</svg>\n");
    return svg;
}

QByteArray ReportBuilder::html(const BundleSummary &s, const Target &target)
{
    QString out;
    // QTextDocument (the PDF) reads a subset of CSS: sizes in points, no inline-block, no
    // borders on cells; it ignores what it does not know, and browsers ignore the table
    // attributes it needs.
    const QString pdfStyle = QStringLiteral(
        "body{font-size:9pt;color:#222}h1{color:#21618c;font-size:17pt}"
        "h2{color:#21618c;font-size:12pt;margin-top:14pt}h3{font-size:10pt;margin-top:10pt}"
        "th{color:#666;font-weight:600;text-align:left}pre,code{font-size:8pt}"
        "pre{white-space:pre-wrap}code{background:#f4f4f4}.muted{color:#777}.status{color:#c62828}"
        "table.list th{background:#f6f6f6}\n");
    out += QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<title>HealthDeck support bundle</title>\n<style>\n");
    if (target.pdf)
        out += pdfStyle;
    else
        out += QStringLiteral(
            "body{font-family:Helvetica,Arial,sans-serif;margin:2em "
            "auto;max-width:960px;color:#222;"
            "font-size:14px}\n"
            "h1{color:#21618c;margin-bottom:0}h2{color:#21618c;border-bottom:1px solid #ddd;"
            "padding-bottom:4px;margin-top:2em}h3{font-size:15px;margin:1.2em 0 .4em}\n"
            "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;"
            "padding:3px 8px;border-bottom:1px solid "
            "#eee}th{color:#666;width:150px;font-weight:600}\n"
            "table.list th{width:auto;background:#f6f6f6}pre{margin:0;white-space:pre-wrap;"
            "word-break:break-all;font-size:12px}code{font-size:12px;background:#f4f4f4;"
            "padding:0 3px}\n"
            ".muted{color:#777}.status{color:#c62828}.chart{width:100%;height:auto;"
            "font-size:11px;fill:#444}.legend span{display:inline-block;margin-right:14px}"
            ".legend i{display:inline-block;width:10px;height:10px;margin-right:4px}\n"
            "ol.attempts{margin:0;padding-left:1.4em}section.failure{border-top:1px solid #ddd}\n");
    out += QStringLiteral("</style>\n</head>\n<body>\n<h1>HealthDeck support bundle</h1>\n");
    out += QStringLiteral("<p class=\"muted\">Created %1%2. Secrets are masked as "
                          "<code>[REDACTED]</code>; see REDACTIONS.txt.</p>\n")
               .arg(esc(timeText(s.createdMs)),
                    s.workspaceName.isEmpty()
                        ? QString()
                        : QStringLiteral(" from workspace <b>%1</b>").arg(esc(s.workspaceName)));
    out += QStringLiteral("<table width=\"100%\" cellpadding=\"2\" cellspacing=\"0\">\n");
    out += row(QStringLiteral("Selection"), esc(s.selection));
    out += row(QStringLiteral("Time range"),
               s.total
                   ? esc(QStringLiteral("%1 to %2 (UTC)").arg(timeText(s.fromMs), timeText(s.toMs)))
                   : QStringLiteral("no events"));
    out += row(QStringLiteral("Environments"), esc(s.environments.join(QStringLiteral(", "))));
    out += row(QStringLiteral("Events"),
               QStringLiteral("%1 in total, %2 failed").arg(s.total).arg(s.failures));
    QString clients;
    for (const auto &c : s.clientIds)
        clients += QStringLiteral("%1 (%2, %3): <code>%4</code><br>")
                       .arg(esc(c.credential), esc(c.environment), esc(c.method), esc(c.clientId));
    out += row(QStringLiteral("Client ids"),
               clients.isEmpty() ? QStringLiteral("no workspace given") : clients);
    out += QStringLiteral("</table>\n<h2>Timeline</h2>\n");
    const auto chartImage = [&](const char *name, QSize size) {
        return QStringLiteral("<p><img src=\"chart:%1\" width=\"%2\" height=\"%3\"></p>\n")
            .arg(QLatin1String(name))
            .arg(target.chartWidth)
            .arg(qRound(double(target.chartWidth) * size.height() / size.width()));
    };
    out += target.pdf ? chartImage("timeline", reportcharts::timelineSize()) : timelineSvg(s);
    out += QStringLiteral("<p class=\"legend\">");
    for (int o = 0; o < BundleSummary::OutcomeCount; ++o)
        out += target.pdf ? QStringLiteral("<span style=\"color:%1\">&#9632;</span> %2 &nbsp; ")
                                .arg(reportstyle::OutcomeColors[std::size_t(o)].hex(),
                                     BundleSummary::outcomeName(o))
                          : QStringLiteral("<span><i style=\"background:%1\"></i>%2</span>")
                                .arg(reportstyle::OutcomeColors[std::size_t(o)].hex(),
                                     BundleSummary::outcomeName(o));
    out += QStringLiteral("</p>\n<h2>Failures by category</h2>\n");
    if (s.categories.isEmpty())
        out += QStringLiteral("<p>No failures in the selection.</p>\n");
    else
        out += target.pdf ? chartImage("categories", reportcharts::categoriesSize(s))
                          : categorySvg(s);
    out += QStringLiteral("<h2>Top failing endpoints</h2>\n");
    if (s.topEndpoints.isEmpty()) {
        out += QStringLiteral("<p>No endpoint failed.</p>\n");
    } else {
        out += QStringLiteral(
            "<table class=\"list\" width=\"100%\" cellpadding=\"2\" cellspacing=\"0\"><tr>"
            "<th>environment</th><th>endpoint</th>"
            "<th>failed / total</th><th>top category</th><th>last failure</th></tr>\n");
        for (const auto &e : s.topEndpoints)
            out += QStringLiteral(
                       "<tr><td>%1</td><td>%2</td><td>%3 / %4</td><td>%5</td><td>%6</td></tr>\n")
                       .arg(esc(e.environment), esc(e.endpoint))
                       .arg(e.failures)
                       .arg(e.total)
                       .arg(esc(e.topCategory), esc(e.lastStatus));
        out += QStringLiteral("</table>\n");
    }
    if (!s.incidents.isEmpty()) {
        out += QStringLiteral("<h2>Incidents</h2>\n");
        out += QStringLiteral(
            "<table class=\"list\" width=\"100%\" cellpadding=\"2\" cellspacing=\"0\"><tr>"
            "<th>state</th><th>fired (UTC)</th><th>alert</th><th>subject</th>"
            "<th>acknowledged</th><th>resolved (UTC)</th></tr>\n");
        for (const Incident &inc : s.incidents)
            out += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td>"
                                  "<td>%6</td></tr>\n")
                       .arg(esc(inc.state()), esc(timeText(inc.firedAtMs)),
                            esc(inc.ruleId + QStringLiteral(" (") + inc.kind + u')'),
                            esc(inc.subject),
                            inc.acknowledged()
                                ? esc(QStringLiteral("%1 via %2 at %3")
                                          .arg(inc.acknowledgedBy, inc.acknowledgedVia,
                                               timeText(inc.acknowledgedAtMs)))
                                : QString(),
                            inc.open() ? QStringLiteral("open") : esc(timeText(inc.resolvedAtMs)));
        out += QStringLiteral("</table>\n");
        // The timelines, the newest incidents first; incidents.json has every entry.
        constexpr int MaxEntries = 40;
        for (const Incident &inc : s.incidents) {
            out += QStringLiteral("<h3>%1 <span class=\"muted\">%2</span></h3>\n<p>")
                       .arg(esc(inc.summary), esc(inc.id));
            const qsizetype n = inc.timeline.size();
            for (qsizetype i = 0; i < n && i < MaxEntries; ++i) {
                const IncidentEntry &e = inc.timeline.at(i);
                out += QStringLiteral("%1 &nbsp; <b>%2</b> %3%4<br>\n")
                           .arg(esc(timeText(e.atMs)), esc(IncidentEntry::kindName(e.kind)),
                                esc(e.text),
                                e.author.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" — <i>%1</i>").arg(esc(e.author)));
            }
            if (n > MaxEntries)
                out += QStringLiteral("<span class=\"muted\">… %1 more entries in "
                                      "incidents.json</span>")
                           .arg(n - MaxEntries);
            out += QStringLiteral("</p>\n");
        }
    }
    out += QStringLiteral("<h2>Selected failures</h2>\n");
    if (s.selectedFailures.isEmpty())
        out += QStringLiteral("<p>None.</p>\n");
    int index = 0;
    for (const auto &f : s.selectedFailures)
        out += failureHtml(f, ++index);
    if (s.failuresLeftOut > 0)
        out += QStringLiteral("<p class=\"muted\">%1 older failures are not shown here; every "
                              "event is in events.jsonl and events.csv.</p>\n")
                   .arg(s.failuresLeftOut);
    out += QStringLiteral("</body>\n</html>\n");
    return out.toUtf8();
}

} // namespace hd
