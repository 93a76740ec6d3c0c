#pragma once

// Paints the endpoint tree's headroom column as a small bar: the share of the rate limit that
// is left (remaining / limit from the newest response that said), green when there is plenty,
// amber under 30 %, red under 10 %. The value is the item's Qt::UserRole (a double 0..1);
// without one the cell stays empty.

#include <QStyledItemDelegate>

namespace hd {

class HeadroomDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor colourFor(double fraction);
};

} // namespace hd
