#include "pdfreport.h"

#include "healthdeck/version.h"
#include "pdfwriter.h"
#include "reportstyle.h"

#include <algorithm>
#include <cmath>

namespace hd {
namespace {

using Font = PdfWriter::Font;

PdfWriter::Color color(reportstyle::Rgb c)
{
    return {c.r / 255.0, c.g / 255.0, c.b / 255.0};
}

QString timeText(qint64 ms)
{
    return formatEventTime(ms).replace(u'T', u' ');
}

class Layout
{
public:
    static constexpr double Margin = 42;

    explicit Layout(PdfWriter &pdf)
        : m_pdf(pdf)
    {
        m_pdf.newPage();
        m_y = Margin;
    }

    double y() const { return m_y; }
    void advance(double dy) { m_y += dy; }
    double contentWidth() const { return m_pdf.width() - 2 * Margin; }

    void ensure(double height)
    {
        if (m_y + height > m_pdf.height() - Margin - 14) {
            m_pdf.newPage();
            m_y = Margin;
        }
    }

    void heading(const QString &text, double size = 13)
    {
        ensure(size * 2.6);
        m_y += size * 0.9;
        m_pdf.text(Margin, m_y + size * 0.4, text, Font::HelveticaBold, size,
                   color(reportstyle::Accent));
        m_y += size * 0.9;
        m_pdf.line(Margin, m_y, m_pdf.width() - Margin, m_y, 0.6, color(reportstyle::Grid));
        m_y += size * 0.6;
    }

    // Wrapped text starting at x (relative to the margin), line by line with page breaks.
    void paragraph(const QString &text, Font font = Font::Helvetica, double size = 9,
                   double indent = 0, PdfWriter::Color c = {})
    {
        const double lineHeight = size * 1.3;
        for (const QString &line : PdfWriter::wrap(text, font, size, contentWidth() - indent)) {
            ensure(lineHeight);
            m_y += lineHeight;
            m_pdf.text(Margin + indent, m_y - size * 0.25, line, font, size, c);
        }
    }

    // "Label: value" with the label in bold.
    void field(const QString &label, const QString &value, Font valueFont = Font::Helvetica,
               double size = 9)
    {
        const double labelWidth = 92;
        const double lineHeight = size * 1.3;
        const QList<QString> lines = PdfWriter::wrap(value.isEmpty() ? QStringLiteral("-") : value,
                                                     valueFont, size, contentWidth() - labelWidth);
        for (qsizetype i = 0; i < lines.size(); ++i) {
            ensure(lineHeight);
            m_y += lineHeight;
            if (i == 0)
                m_pdf.text(Margin, m_y - size * 0.25, label, Font::HelveticaBold, 8.5,
                           color(reportstyle::Muted));
            m_pdf.text(Margin + labelWidth, m_y - size * 0.25, lines[i], valueFont, size);
        }
    }

    PdfWriter &pdf() { return m_pdf; }

private:
    PdfWriter &m_pdf;
    double m_y = 0;
};

void drawTimeline(Layout &l, const BundleSummary &s)
{
    PdfWriter &pdf = l.pdf();
    const double height = 130;
    l.ensure(height + 40);
    const double x0 = Layout::Margin + 30;
    const double top = l.y() + 6;
    const double w = l.contentWidth() - 30;
    int maxTotal = 1;
    for (const auto &b : s.timeline)
        maxTotal = std::max(maxTotal, b.total());
    pdf.line(x0, top + height, x0 + w, top + height, 0.6, color(reportstyle::Muted));
    pdf.line(x0, top, x0, top + height, 0.6, color(reportstyle::Muted));
    for (int g = 1; g <= 4; ++g) {
        const double gy = top + height - height * g / 4.0;
        pdf.line(x0, gy, x0 + w, gy, 0.3, color(reportstyle::Grid));
        const QString label = QString::number(int(std::round(maxTotal * g / 4.0)));
        pdf.text(x0 - 4 - PdfWriter::textWidth(label, Font::Helvetica, 7), gy + 2.5, label,
                 Font::Helvetica, 7, color(reportstyle::Muted));
    }
    const int n = int(s.timeline.size());
    const double slot = n > 0 ? w / n : w;
    for (int i = 0; i < n; ++i) {
        double yBase = top + height;
        for (int o = 0; o < BundleSummary::OutcomeCount; ++o) {
            const int count = s.timeline[i].byOutcome[std::size_t(o)];
            if (count == 0)
                continue;
            const double h = height * count / maxTotal;
            yBase -= h;
            pdf.fillRect(x0 + i * slot + slot * 0.1, yBase, slot * 0.8, h,
                         color(reportstyle::OutcomeColors[std::size_t(o)]));
        }
    }
    if (n > 0) {
        pdf.text(x0, top + height + 10, timeText(s.fromMs), Font::Helvetica, 7,
                 color(reportstyle::Muted));
        const QString end = timeText(s.toMs);
        pdf.text(x0 + w - PdfWriter::textWidth(end, Font::Helvetica, 7), top + height + 10, end,
                 Font::Helvetica, 7, color(reportstyle::Muted));
    }
    // Legend.
    double lx = x0;
    const double ly = top + height + 22;
    for (int o = 0; o < BundleSummary::OutcomeCount; ++o) {
        pdf.fillRect(lx, ly - 6, 7, 7, color(reportstyle::OutcomeColors[std::size_t(o)]));
        const QString name = BundleSummary::outcomeName(o);
        pdf.text(lx + 10, ly, name, Font::Helvetica, 7.5);
        lx += 18 + PdfWriter::textWidth(name, Font::Helvetica, 7.5);
    }
    l.advance(height + 34);
}

void drawCategories(Layout &l, const BundleSummary &s)
{
    PdfWriter &pdf = l.pdf();
    if (s.categories.isEmpty()) {
        l.paragraph(QStringLiteral("No failures in the selection."));
        return;
    }
    const int maxCount = s.categories.front().count;
    const double labelWidth = 120;
    const double barMax = l.contentWidth() - labelWidth - 50;
    for (const auto &c : s.categories.mid(0, 14)) {
        l.ensure(14);
        l.advance(14);
        const double y = l.y();
        pdf.text(Layout::Margin, y - 3, c.category, Font::Helvetica, 8.5);
        const double w = std::max(1.0, barMax * c.count / maxCount);
        pdf.fillRect(Layout::Margin + labelWidth, y - 10, w, 9, color(reportstyle::Accent));
        pdf.text(Layout::Margin + labelWidth + w + 4, y - 3, QString::number(c.count),
                 Font::Helvetica, 8.5);
    }
    l.advance(6);
}

void drawEndpoints(Layout &l, const BundleSummary &s)
{
    PdfWriter &pdf = l.pdf();
    if (s.topEndpoints.isEmpty()) {
        l.paragraph(QStringLiteral("No endpoint failed."));
        return;
    }
    const double cols[] = {0, 60, 230, 300, 410};
    const auto row = [&](const QStringList &cells, Font font) {
        l.ensure(13);
        l.advance(13);
        for (int i = 0; i < cells.size(); ++i) {
            const double width = (i + 1 < 5 ? cols[i + 1] : l.contentWidth()) - cols[i] - 4;
            QString text = cells[i];
            while (text.size() > 1 && PdfWriter::textWidth(text, font, 8.5) > width)
                text.chop(1);
            pdf.text(Layout::Margin + cols[i], l.y() - 3, text, font, 8.5);
        }
    };
    row({QStringLiteral("env"), QStringLiteral("endpoint"), QStringLiteral("failed"),
         QStringLiteral("top category"), QStringLiteral("last failure")},
        Font::HelveticaBold);
    for (const auto &e : s.topEndpoints)
        row({e.environment, e.endpoint, QStringLiteral("%1 / %2").arg(e.failures).arg(e.total),
             e.topCategory, e.lastStatus},
            Font::Helvetica);
    l.advance(6);
}

QString identifiersText(const Identifiers &ids)
{
    QStringList parts;
    for (std::string_view name : Identifiers::names())
        if (const QString *v = ids.field(name); v && !v->isEmpty())
            parts << QStringLiteral("%1=%2").arg(toQString(name), *v);
    return parts.join(QStringLiteral("  "));
}

QString tokenText(const BundleSummary::Failure &f)
{
    if (!f.token)
        return QStringLiteral("no token seen for this endpoint");
    QStringList parts;
    if (f.token->expiresInS)
        parts << QStringLiteral("expires in %1 s").arg(*f.token->expiresInS);
    if (!f.token->subject.isEmpty())
        parts << QStringLiteral("subject %1").arg(f.token->subject);
    if (!f.token->scopes.isEmpty())
        parts << QStringLiteral("scopes %1").arg(f.token->scopes.join(u' '));
    return parts.join(QStringLiteral(", "))
           + QStringLiteral(" (as of %1)").arg(timeText(f.tokenSeenMs));
}

QString rateText(const BundleSummary::Failure &f)
{
    if (!f.rateLimit)
        return QStringLiteral("no rate-limit headers seen for this endpoint");
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
        parts << QStringLiteral("policy %1").arg(r.policy);
    if (!r.source.isEmpty())
        parts << QStringLiteral("from %1").arg(r.source);
    return parts.join(QStringLiteral(", "))
           + QStringLiteral(" (as of %1)").arg(timeText(f.rateLimitSeenMs));
}

QString excerpt(const QString &body, int maxLines, int maxChars)
{
    QString text = body.left(maxChars);
    QStringList lines = text.split(u'\n');
    bool cut = text.size() < body.size();
    if (lines.size() > maxLines) {
        lines = lines.mid(0, maxLines);
        cut = true;
    }
    text = lines.join(u'\n');
    if (cut)
        text += QStringLiteral(" ... (full text in events.jsonl)");
    return text;
}

void drawFailure(Layout &l, const BundleSummary::Failure &f, int index)
{
    const ApiEvent &e = f.event;
    l.ensure(60);
    l.advance(6);
    l.paragraph(
        QStringLiteral("%1. %2  %3 / %4  -  %5")
            .arg(index)
            .arg(timeText(e.timeMs), e.environment, e.endpoint, BundleSummary::statusText(e)),
        Font::HelveticaBold, 10);
    l.advance(2);
    if (e.request) {
        l.field(QStringLiteral("Request"), e.request->method + u' ' + e.request->url, Font::Courier,
                8);
        QStringList headers;
        for (const auto &[n, v] : e.request->headers)
            headers << n + QStringLiteral(": ") + v;
        if (!headers.isEmpty())
            l.field(QStringLiteral("Headers"), headers.join(u'\n'), Font::Courier, 7.5);
        if (!e.request->body.isEmpty())
            l.field(QStringLiteral("Body"), excerpt(e.request->body, 8, 800), Font::Courier, 7.5);
    }
    QString response
        = BundleSummary::statusText(e) + QStringLiteral(", %1 ms").arg(e.durationMs, 0, 'f', 1);
    if (e.error) {
        if (!e.error->code.isEmpty())
            response += QStringLiteral(", code %1").arg(e.error->code);
        response += QStringLiteral(", %1").arg(toQString(toString(e.error->type)));
    }
    l.field(QStringLiteral("Response"), response);
    if (e.error && !e.error->message.isEmpty())
        l.field(QStringLiteral("Message"), e.error->message);
    if (e.error)
        for (const ErrorDetail &d : e.error->details)
            l.field(QStringLiteral("Detail"),
                    d.field.isEmpty() ? d.message : d.field + QStringLiteral(": ") + d.message);
    if (e.response && !e.response->body.isEmpty())
        l.field(QStringLiteral("Response body"), excerpt(e.response->body, 6, 600), Font::Courier,
                7.5);
    l.field(QStringLiteral("Identifiers"), identifiersText(e.identifiers));
    QStringList history;
    for (const ApiEvent &a : f.attempts) {
        QString line = QStringLiteral("attempt %1 at %2: %3")
                           .arg(a.attempt)
                           .arg(timeText(a.timeMs), BundleSummary::statusText(a));
        line += QStringLiteral(" -> %1").arg(toQString(toString(a.retry.action)));
        if (a.retry.delayMs)
            line += QStringLiteral(" after %1 ms").arg(*a.retry.delayMs);
        history << line;
    }
    l.field(QStringLiteral("Retry history"), history.join(u'\n'));
    l.field(QStringLiteral("Advice"), e.retry.advice);
    l.field(QStringLiteral("Token"), tokenText(f));
    l.field(QStringLiteral("Rate limit"), rateText(f));
    l.advance(4);
    l.pdf().line(Layout::Margin, l.y(), l.pdf().width() - Layout::Margin, l.y(), 0.3,
                 color(reportstyle::Grid));
}

} // namespace

QByteArray PdfReport::render(const BundleSummary &s)
{
    PdfWriter pdf;
    Layout l(pdf);
    l.advance(8);
    pdf.text(Layout::Margin, l.y() + 12, QStringLiteral("HealthDeck support bundle"),
             Font::HelveticaBold, 20, color(reportstyle::Accent));
    l.advance(24);
    l.paragraph(QStringLiteral("Created %1%2")
                    .arg(timeText(s.createdMs),
                         s.workspaceName.isEmpty()
                             ? QString()
                             : QStringLiteral(" - workspace %1").arg(s.workspaceName)),
                Font::Helvetica, 9, 0, color(reportstyle::Muted));
    l.advance(6);
    l.field(QStringLiteral("Selection"), s.selection);
    l.field(QStringLiteral("Time range"),
            s.total ? QStringLiteral("%1  to  %2 (UTC)").arg(timeText(s.fromMs), timeText(s.toMs))
                    : QStringLiteral("no events"));
    l.field(QStringLiteral("Environments"), s.environments.join(QStringLiteral(", ")));
    l.field(QStringLiteral("Events"),
            QStringLiteral("%1 in total, %2 failed").arg(s.total).arg(s.failures));
    QStringList clients;
    for (const auto &c : s.clientIds)
        clients << QStringLiteral("%1 (%2, %3): %4")
                       .arg(c.credential, c.environment, c.method, c.clientId);
    l.field(QStringLiteral("Client ids"),
            clients.isEmpty() ? QStringLiteral("no workspace given") : clients.join(u'\n'));

    l.heading(QStringLiteral("Timeline"));
    drawTimeline(l, s);
    l.heading(QStringLiteral("Failures by category"));
    drawCategories(l, s);
    l.heading(QStringLiteral("Top failing endpoints"));
    drawEndpoints(l, s);
    l.heading(QStringLiteral("Selected failures"));
    if (s.selectedFailures.isEmpty())
        l.paragraph(QStringLiteral("None."));
    int index = 0;
    for (const auto &f : s.selectedFailures)
        drawFailure(l, f, ++index);
    if (s.failuresLeftOut > 0)
        l.paragraph(QStringLiteral("%1 older failures are not shown here; every event is in "
                                   "events.jsonl and events.csv.")
                        .arg(s.failuresLeftOut));

    const int pages = pdf.pageCount();
    for (int i = 0; i < pages; ++i) {
        pdf.selectPage(i);
        const QString footer
            = QStringLiteral("HealthDeck support bundle - page %1 of %2").arg(i + 1).arg(pages);
        pdf.text(pdf.width() - Layout::Margin - PdfWriter::textWidth(footer, Font::Helvetica, 7),
                 pdf.height() - 22, footer, Font::Helvetica, 7, color(reportstyle::Muted));
    }
    return pdf.finish(QStringLiteral("HealthDeck support bundle"),
                      QStringLiteral("HealthDeck %1").arg(QStringLiteral(HEALTHDECK_VERSION)));
}

} // namespace hd
