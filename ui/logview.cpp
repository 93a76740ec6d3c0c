#include "logview.h"

#include "errorlogmodel.h"

#include <QEvent>
#include <QHeaderView>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>

namespace hd {

LogView::LogView(QWidget *parent)
    : QTableView(parent)
{
    // One scroll step per row: the scroll bar's value is the row at the top, which is what the
    // anchor restores.
    setVerticalScrollMode(QAbstractItemView::ScrollPerItem);
    connect(verticalScrollBar(), &QScrollBar::actionTriggered, this,
            [this] { m_sliderAction = true; });
    connect(verticalScrollBar(), &QScrollBar::valueChanged, this, &LogView::onScrolled);
}

void LogView::setModel(QAbstractItemModel *model)
{
    if (QAbstractItemModel *old = this->model())
        disconnect(old, nullptr, this, nullptr);
    QTableView::setModel(model);
    m_anchor = QPersistentModelIndex();
    m_new = 0;
    if (!model)
        return;
    // Connected after the view's and the header's own handlers: the rows are laid out when
    // these run.
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                if (anchored())
                    m_new += last - first + 1;
                restoreAnchor();
            });
    connect(model, &QAbstractItemModel::rowsRemoved, this, &LogView::restoreAnchor);
    connect(model, &QAbstractItemModel::layoutChanged, this, &LogView::restoreAnchor);
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        // A new filter or a trim that reset the model: nothing to hold on to.
        m_userScrolled = false;
        m_new = 0;
        scrollToLiveEdge();
        setAnchorAtTop();
        emitIfChanged();
    });
}

void LogView::setFollowEnabled(bool on)
{
    if (m_followEnabled == on)
        return;
    m_followEnabled = on;
    if (on && !anchored())
        jumpToLive();
    else
        setAnchorAtTop();
    emitIfChanged();
}

bool LogView::anchored() const
{
    return !m_followEnabled || m_hover || m_userScrolled
           || (selectionModel() && selectionModel()->hasSelection());
}

bool LogView::liveAtBottom() const
{
    return isSortingEnabled() && horizontalHeader()->sortIndicatorSection() == ErrorLogModel::Time
           && horizontalHeader()->sortIndicatorOrder() == Qt::AscendingOrder;
}

void LogView::setAnchorAtTop()
{
    m_anchor = model() ? QPersistentModelIndex(model()->index(verticalScrollBar()->value(), 0))
                       : QPersistentModelIndex();
}

void LogView::scrollToLiveEdge()
{
    m_restoring = true;
    updateGeometries(); // the scroll range must already know the new rows
    QScrollBar *bar = verticalScrollBar();
    bar->setValue(liveAtBottom() ? bar->maximum() : 0);
    m_restoring = false;
}

void LogView::restoreAnchor()
{
    if (!anchored() || !m_anchor.isValid()) {
        m_new = anchored() ? m_new : 0;
        if (!anchored())
            scrollToLiveEdge();
        setAnchorAtTop();
        emitIfChanged();
        return;
    }
    m_restoring = true;
    updateGeometries();
    verticalScrollBar()->setValue(m_anchor.row());
    m_restoring = false;
    emitIfChanged();
}

void LogView::jumpToLive()
{
    m_userScrolled = false;
    m_new = 0;
    scrollToLiveEdge();
    setAnchorAtTop();
    emitIfChanged();
}

void LogView::onScrolled(int value)
{
    if (m_restoring)
        return;
    // Only the user's own scrolling (wheel, dragging or clicking the scroll bar: a slider
    // action) holds the view away from the live edge. The view moving by itself — the range
    // changing as rows arrive at start-up, a layout pass — must not leave it held.
    const QScrollBar *bar = verticalScrollBar();
    const bool atLiveEdge = liveAtBottom() ? value >= bar->maximum() : value <= 0;
    if (atLiveEdge) {
        m_userScrolled = false;
        m_new = 0; // back at the live edge: everything new is in sight
    } else if (m_sliderAction) {
        m_userScrolled = true;
    }
    m_sliderAction = false;
    setAnchorAtTop();
    emitIfChanged();
}

bool LogView::viewportEvent(QEvent *event)
{
    switch (event->type()) {
    case QEvent::Enter:
        m_hover = true;
        setAnchorAtTop();
        emitIfChanged();
        break;
    case QEvent::Leave:
        m_hover = false;
        if (!anchored())
            jumpToLive(); // nobody is looking any more: catch up
        emitIfChanged();
        break;
    default:
        break;
    }
    return QTableView::viewportEvent(event);
}

void LogView::keyPressEvent(QKeyEvent *event)
{
    const bool toLiveEdge = (event->key() == Qt::Key_Home && !liveAtBottom())
                            || (event->key() == Qt::Key_End && liveAtBottom());
    if (!toLiveEdge) {
        QTableView::keyPressEvent(event);
        return;
    }
    // A table's Home moves to the first column; in the log it means the newest row (what
    // Ctrl+Home does), and following again.
    QKeyEvent toRow(event->type(), event->key(), event->modifiers() | Qt::ControlModifier,
                    event->text(), event->isAutoRepeat(), ushort(event->count()));
    QTableView::keyPressEvent(&toRow);
    event->setAccepted(toRow.isAccepted());
    jumpToLive();
}

void LogView::mousePressEvent(QMouseEvent *event)
{
    const QModelIndex clicked = indexAt(event->position().toPoint());
    const QModelIndex current = currentIndex();
    if ((event->modifiers() & Qt::ControlModifier) && event->button() == Qt::LeftButton
        && clicked.isValid() && current.isValid() && clicked.row() != current.row()) {
        event->accept();
        emit compareRequested(current, clicked);
        return;
    }
    QTableView::mousePressEvent(event);
}

void LogView::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    QTableView::currentChanged(current, previous);
    // Selecting a row anchors the view where it is; clearing the selection lets it follow at
    // the next change.
    if (!m_restoring)
        setAnchorAtTop();
    emitIfChanged();
}

void LogView::emitIfChanged()
{
    const bool following = !anchored();
    if (following == m_lastFollowing && m_new == m_lastNew)
        return;
    m_lastFollowing = following;
    m_lastNew = m_new;
    emit stateChanged();
}

} // namespace hd
