#include "eventdetailview.h"

#include <nlohmann/json.hpp>

namespace hd {
namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString prettyBody(const QString &body)
{
    const auto j = nlohmann::json::parse(body.toStdString(), nullptr, false);
    if (j.is_discarded())
        return body;
    return QString::fromStdString(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString headersTable(const HeaderList &headers)
{
    QString out;
    for (const auto &[k, v] : headers)
        out += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>").arg(esc(k), esc(v));
    return out.isEmpty()
               ? QString()
               : QStringLiteral("<table cellspacing=2>") + out + QStringLiteral("</table>");
}

} // namespace

EventDetailView::EventDetailView(QWidget *parent)
    : QTextBrowser(parent)
{
    setObjectName(QStringLiteral("eventDetail"));
    setOpenExternalLinks(false);
    showNothing();
}

void EventDetailView::showNothing()
{
    setHtml(tr("<p style='color:gray'>Select a row to see what happened, what to do about it, and "
               "the exact "
               "request and response.</p>"));
}

void EventDetailView::showEvent(const ApiEvent &e)
{
    setHtml(toHtml(e));
}

QString EventDetailView::toHtml(const ApiEvent &e)
{
    QString h;
    const QString status = e.httpStatus ? QString::number(*e.httpStatus) : e.networkError;
    h += QStringLiteral("<h3>%1 · %2 · %3</h3>")
             .arg(esc(e.endpoint), esc(status), esc(toQString(toString(e.category))));
    if (e.error)
        h += QStringLiteral("<p><b>%1</b>%2</p>")
                 .arg(esc(e.error->message),
                      e.error->code.isEmpty()
                          ? QString()
                          : QStringLiteral(" <code>(%1)</code>").arg(esc(e.error->code)));
    if (!e.retry.advice.isEmpty())
        h += QStringLiteral("<p style='background:#fff4d6;color:#5a4300;padding:6px'>What to do: "
                            "%1<br><small>retry: %2%3</small></p>")
                 .arg(esc(e.retry.advice), esc(toQString(toString(e.retry.action))),
                      e.retry.delayMs ? QStringLiteral(", after %1 ms").arg(*e.retry.delayMs)
                                      : QString());
    if (e.error && !e.error->details.isEmpty()) {
        h += QStringLiteral("<ul>");
        for (const auto &d : e.error->details)
            h += QStringLiteral("<li><b>%1</b> %2</li>").arg(esc(d.field), esc(d.message));
        h += QStringLiteral("</ul>");
    }
    h += QStringLiteral("<p><small>%1 · %2 · attempt %3 · %4 ms · profile %5</small></p>")
             .arg(esc(formatEventTime(e.timeMs)), esc(e.environment))
             .arg(e.attempt)
             .arg(e.durationMs, 0, 'f', 1)
             .arg(esc(e.profile));
    QString ids;
    for (auto name : Identifiers::names()) {
        const QString *v = e.identifiers.field(name);
        if (!v->isEmpty())
            ids += QStringLiteral("<tr><td>%1</td><td><code>%2</code></td></tr>")
                       .arg(toQString(name), esc(*v));
    }
    if (!ids.isEmpty())
        h += QStringLiteral("<h4>Identifiers</h4><table>") + ids + QStringLiteral("</table>");
    if (e.rateLimit) {
        const auto &r = *e.rateLimit;
        h += QStringLiteral(
                 "<h4>Rate limit</h4><p>%1 of %2 left, resets in %3 s%4 <small>(%5)</small></p>")
                 .arg(r.remaining ? QString::number(*r.remaining) : QStringLiteral("?"),
                      r.limit ? QString::number(*r.limit) : QStringLiteral("?"),
                      r.resetS ? QString::number(*r.resetS, 'f', 0) : QStringLiteral("?"),
                      r.retryAfterS ? QStringLiteral(", Retry-After %1 s").arg(*r.retryAfterS)
                                    : QString(),
                      esc(r.source));
    }
    if (e.request) {
        h += QStringLiteral("<h4>Request</h4><p><code>%1 %2</code></p>")
                 .arg(esc(e.request->method), esc(e.request->url));
        h += headersTable(e.request->headers);
        if (!e.request->body.isEmpty())
            h += QStringLiteral("<pre>%1</pre>").arg(esc(prettyBody(e.request->body)));
    }
    if (e.response) {
        h += QStringLiteral("<h4>Response</h4><p><small>%1 bytes</small></p>")
                 .arg(e.response->size);
        h += headersTable(e.response->headers);
        if (!e.response->body.isEmpty())
            h += QStringLiteral("<pre>%1</pre>").arg(esc(prettyBody(e.response->body)));
    }
    return h;
}

} // namespace hd
