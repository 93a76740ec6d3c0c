#include "headroomdelegate.h"

#include <QApplication>
#include <QPainter>

namespace hd {

QColor HeadroomDelegate::colourFor(double fraction)
{
    if (fraction < 0.1)
        return QColor(0xe5, 0x39, 0x35);
    if (fraction < 0.3)
        return QColor(0xfb, 0x8c, 0x00);
    return QColor(0x43, 0xa0, 0x47);
}

void HeadroomDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QVariant v = index.data(Qt::UserRole);
    opt.text.clear();
    QStyle *style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    if (!v.isValid())
        return;
    const double fraction = std::clamp(v.toDouble(), 0.0, 1.0);
    const QRect r = option.rect.adjusted(4, 0, -4, 0);
    const int h = std::min(10, r.height() - 6);
    const int barWidth = std::max(20, r.width() - 38);
    const QRect bar(r.left(), r.center().y() - h / 2, barWidth, h);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    QColor track = option.palette.color(QPalette::Text);
    track.setAlpha(40);
    painter->setBrush(track);
    painter->drawRoundedRect(bar, 3, 3);
    QRect fill = bar;
    fill.setWidth(std::max(2, int(bar.width() * fraction)));
    painter->setBrush(colourFor(fraction));
    painter->drawRoundedRect(fill, 3, 3);
    painter->setPen(option.state & QStyle::State_Selected
                        ? option.palette.color(QPalette::HighlightedText)
                        : option.palette.color(QPalette::Text));
    painter->drawText(QRect(bar.right() + 4, r.top(), r.right() - bar.right() - 4, r.height()),
                      Qt::AlignVCenter | Qt::AlignLeft,
                      QStringLiteral("%1%").arg(qRound(fraction * 100)));
    painter->restore();
}

QSize HeadroomDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize s = QStyledItemDelegate::sizeHint(option, index);
    s.setWidth(std::max(s.width(), 96));
    return s;
}

} // namespace hd
