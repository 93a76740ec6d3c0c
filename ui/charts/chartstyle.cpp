#include "chartstyle.h"

#include <QAbstractAxis>
#include <QChart>
#include <QLegend>

namespace hd {

bool ChartStyle::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

QColor ChartStyle::classColor(ResponseClass c, bool dark)
{
    switch (c) {
    case ResponseClass::ConnectionError:
        return dark ? QColor(0x56, 0xB4, 0xE9) : QColor(0x00, 0x72, 0xB2); // blue
    case ResponseClass::ServerError:
        return QColor(0xD5, 0x5E, 0x00); // vermillion
    case ResponseClass::ClientError:
        return QColor(0xE6, 0x9F, 0x00); // orange
    case ResponseClass::RateLimited:
        return QColor(0xF0, 0xE4, 0x42); // yellow
    case ResponseClass::BusinessError:
        return QColor(0xCC, 0x79, 0xA7); // reddish purple
    case ResponseClass::Ok:
        return dark ? QColor(0x00, 0x9E, 0x73).darker(115) : QColor(0x8F, 0xD1, 0xB9); // green
    }
    return Qt::gray;
}

QColor ChartStyle::lineColor(int n, bool dark)
{
    static const QColor light[]{QColor(0x00, 0x72, 0xB2), QColor(0xE6, 0x9F, 0x00),
                                QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
                                QColor(0xCC, 0x79, 0xA7), QColor(0x55, 0x55, 0x55)};
    static const QColor darkSet[]{QColor(0x56, 0xB4, 0xE9), QColor(0xE6, 0x9F, 0x00),
                                  QColor(0xFF, 0x7F, 0x2A), QColor(0x2F, 0xC9, 0x9A),
                                  QColor(0xE3, 0x9B, 0xC4), QColor(0xC8, 0xC8, 0xC8)};
    const int i = ((n % 6) + 6) % 6;
    return dark ? darkSet[i] : light[i];
}

QColor ChartStyle::sloColor(bool dark)
{
    return dark ? QColor(0xFF, 0x8A, 0x80) : QColor(0xB7, 0x1C, 0x1C);
}

QColor ChartStyle::phaseColor(Phase p, bool dark)
{
    switch (p) {
    case Phase::Dns:
        return dark ? QColor(0x9A, 0xA5, 0xB1) : QColor(0x8C, 0x96, 0xA0); // slate
    case Phase::Connect:
        return dark ? QColor(0x9E, 0xD3, 0xF2) : QColor(0xA6, 0xD3, 0xEE); // light blue
    case Phase::Tls:
        return dark ? QColor(0x56, 0xB4, 0xE9) : QColor(0x00, 0x72, 0xB2); // blue
    case Phase::Sent:
        return QColor(0xCC, 0x79, 0xA7); // reddish purple
    case Phase::FirstByte:
        return QColor(0xE6, 0x9F, 0x00); // orange
    case Phase::Transfer:
        return dark ? QColor(0x2F, 0xC9, 0x9A) : QColor(0x00, 0x9E, 0x73); // green
    }
    return Qt::gray;
}

void ChartStyle::apply(QChart *chart, const QPalette &palette)
{
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    QColor grid = palette.color(QPalette::Mid);
    grid.setAlpha(110);
    chart->setBackgroundBrush(base);
    chart->setBackgroundPen(QPen(palette.color(QPalette::Mid)));
    chart->setPlotAreaBackgroundVisible(false);
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : chart->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(palette.color(QPalette::Mid));
        axis->setGridLineColor(grid);
        axis->setShadesVisible(false);
    }
}

} // namespace hd
