#include "pdfreport.h"

#include "healthdeck/version.h"
#include "reportbuilder.h"
#include "reportcharts.h"
#include "reportstyle.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QGuiApplication>
#include <QPageLayout>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>
#include <QtMath>

namespace hd {
namespace {

// Device pixels per inch of the layout. Text is vector at any value; this sets how finely the
// layout is computed and how sharp the chart images are (drawn at 2× their laid-out size).
constexpr int Dpi = 300;
constexpr qreal ChartOversample = 2.0;

} // namespace

bool PdfReport::available()
{
    return qobject_cast<QGuiApplication *>(QCoreApplication::instance()) != nullptr;
}

QByteArray PdfReport::render(const BundleSummary &s)
{
    if (!available())
        return {};
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setResolution(Dpi);
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
                                     QMarginsF(15, 14, 15, 16), QPageLayout::Millimeter));
    writer.setTitle(QStringLiteral("HealthDeck support bundle"));
    writer.setCreator(QStringLiteral("HealthDeck %1").arg(QLatin1String(HEALTHDECK_VERSION)));

    const QRect paper = writer.pageLayout().paintRectPixels(Dpi);
    const qreal footerHeight = Dpi * 0.25; // a quarter inch under the text of each page
    const QSizeF page(paper.width(), paper.height() - footerHeight);

    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer);
    QFont body(QStringLiteral("DejaVu Sans"));
    body.setPointSizeF(9);
    body.setStyleHint(QFont::SansSerif);
    doc.setDefaultFont(body);
    doc.setDocumentMargin(0);
    // QTextDocument reads <img> sizes in CSS pixels (1/96 inch) and scales them to the device.
    const int chartWidth = qFloor(paper.width() * 96.0 / Dpi);
    const qreal chartScale = ChartOversample * paper.width() / reportcharts::timelineSize().width();
    doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart:timeline")),
                    reportcharts::timeline(s, chartScale));
    doc.addResource(QTextDocument::ImageResource, QUrl(QStringLiteral("chart:categories")),
                    reportcharts::categories(s, chartScale));
    doc.setHtml(QString::fromUtf8(ReportBuilder::html(s, {true, chartWidth})));
    doc.setPageSize(page);

    QPainter painter(&writer);
    const int pages = doc.pageCount();
    QFont footerFont = body;
    footerFont.setPointSizeF(7);
    for (int i = 0; i < pages; ++i) {
        if (i > 0)
            writer.newPage();
        painter.save();
        painter.translate(0, -i * page.height());
        doc.drawContents(&painter, QRectF(QPointF(0, i * page.height()), page));
        painter.restore();
        painter.setFont(footerFont);
        painter.setPen(QColor(reportstyle::Muted.r, reportstyle::Muted.g, reportstyle::Muted.b));
        painter.drawText(
            QRectF(0, page.height(), page.width(), footerHeight), Qt::AlignRight | Qt::AlignBottom,
            QStringLiteral("HealthDeck support bundle - page %1 of %2").arg(i + 1).arg(pages));
    }
    painter.end();
    buffer.close();
    return buffer.data();
}

} // namespace hd
