#include "reportcharts.h"

#include "reportstyle.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace hd::reportcharts {
namespace {

constexpr int Width = 900;
constexpr int TimelineHeight = 220;
constexpr int CategoryRow = 20;
constexpr int CategoryLabel = 160;
constexpr int MaxCategories = 14;

QColor qcolor(reportstyle::Rgb c)
{
    return QColor(c.r, c.g, c.b);
}

QString timeText(qint64 ms)
{
    return formatEventTime(ms).replace(u'T', u' ');
}

QImage canvas(QSize size, qreal scale, QPainter &p)
{
    QImage image(QSize(int(std::ceil(size.width() * scale)), int(std::ceil(size.height() * scale))),
                 QImage::Format_RGB32);
    image.fill(Qt::white);
    p.begin(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setRenderHint(QPainter::TextAntialiasing);
    p.scale(scale, scale);
    QFont font = p.font();
    font.setPixelSize(11);
    p.setFont(font);
    return image;
}

} // namespace

QSize timelineSize()
{
    return {Width, TimelineHeight};
}

QSize categoriesSize(const BundleSummary &s)
{
    const int rows = std::max(1, int(std::min<qsizetype>(s.categories.size(), MaxCategories)));
    return {Width, rows * CategoryRow + 6};
}

QImage timeline(const BundleSummary &s, qreal scale)
{
    const int left = 44, bottom = 28, top = 10;
    const double plotW = Width - left - 10, plotH = TimelineHeight - top - bottom;
    QPainter p;
    QImage image = canvas(timelineSize(), scale, p);
    int maxTotal = 1;
    for (const auto &b : s.timeline)
        maxTotal = std::max(maxTotal, b.total());
    // Whole numbers only: with fewer than four events in the busiest bucket, one line per count.
    const int steps = std::min(4, maxTotal);
    for (int g = 0; g <= steps; ++g) {
        const double y = top + plotH - plotH * g / double(steps);
        p.setPen(QPen(qcolor(reportstyle::Grid), 1));
        p.drawLine(QPointF(left, y), QPointF(Width - 10, y));
        p.setPen(QColor(68, 68, 68));
        p.drawText(QRectF(0, y - 8, left - 4, 16), Qt::AlignRight | Qt::AlignVCenter,
                   QString::number(int(std::round(double(maxTotal) * g / steps))));
    }
    const int n = int(s.timeline.size());
    const double slot = n > 0 ? plotW / n : plotW;
    p.setPen(Qt::NoPen);
    for (int i = 0; i < n; ++i) {
        double yBase = top + plotH;
        for (int o = 0; o < BundleSummary::OutcomeCount; ++o) {
            const int count = s.timeline[i].byOutcome[std::size_t(o)];
            if (count == 0)
                continue;
            const double bh = plotH * count / maxTotal;
            yBase -= bh;
            p.fillRect(QRectF(left + i * slot + slot * 0.1, yBase, slot * 0.8, bh),
                       qcolor(reportstyle::OutcomeColors[std::size_t(o)]));
        }
    }
    if (n > 0) {
        p.setPen(QColor(68, 68, 68));
        const QRectF axis(left, TimelineHeight - 20, Width - 10 - left, 16);
        p.drawText(axis, Qt::AlignLeft | Qt::AlignVCenter, timeText(s.fromMs));
        p.drawText(axis, Qt::AlignRight | Qt::AlignVCenter, timeText(s.toMs));
    }
    p.end();
    return image;
}

QImage categories(const BundleSummary &s, qreal scale)
{
    const QList<BundleSummary::CategoryCount> cats = s.categories.mid(0, MaxCategories);
    QPainter p;
    QImage image = canvas(categoriesSize(s), scale, p);
    const int maxCount = cats.isEmpty() ? 1 : std::max(1, cats.front().count);
    for (int i = 0; i < int(cats.size()); ++i) {
        const double bw = std::max(1.0, (Width - CategoryLabel - 60.0) * cats[i].count / maxCount);
        const int y = 3 + i * CategoryRow;
        p.setPen(QColor(68, 68, 68));
        p.drawText(QRectF(4, y - 1, CategoryLabel - 10, 16), Qt::AlignLeft | Qt::AlignVCenter,
                   cats[i].category);
        p.fillRect(QRectF(CategoryLabel, y, bw, 14), qcolor(reportstyle::Accent));
        p.drawText(QRectF(CategoryLabel + bw + 6, y - 1, 60, 16), Qt::AlignLeft | Qt::AlignVCenter,
                   QString::number(cats[i].count));
    }
    p.end();
    return image;
}

} // namespace hd::reportcharts
