#pragma once

// The error log's table, anchored (issue 23): rows arriving during a storm never move the rows
// under the mouse or the selection. The log is newest first, so the live edge is the top.
//
// The view follows the live edge only while nobody is looking: the pointer is not over the
// rows, no row is selected, the user has not scrolled away from the top, and Follow is on.
// Otherwise it is anchored: the row at the top of the viewport is held as a persistent index
// (the model keeps it pointing at the same event through inserts, merges and trims) and the
// scroll position is put back on it after every change, while the rows that arrived above it
// are counted (newCount()) for the "N new events" bar. jumpToLive() (the bar, Home) shows the
// newest rows again. Sorted by time ascending the live edge is the bottom instead; sorted by
// another column there is no live edge, and following keeps the top.

#include <QPersistentModelIndex>
#include <QTableView>

namespace hd {

class LogView : public QTableView
{
    Q_OBJECT
public:
    explicit LogView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    // Follow on (default): the view shows new rows as they arrive whenever nobody is looking.
    // Off: paused, anchored until turned on again.
    void setFollowEnabled(bool on);
    bool followEnabled() const { return m_followEnabled; }
    // True while the view shows the newest rows as they arrive.
    bool isFollowing() const { return !anchored(); }
    // Rows that arrived while the view was anchored (since it anchored or last jumped to live).
    int newCount() const { return m_new; }

public slots:
    // Scrolls to the newest row and forgets the count; the view follows again unless a row is
    // still selected or the pointer is over it (then it anchors there, at the top).
    void jumpToLive();

signals:
    // Following started or stopped, or newCount() changed.
    void stateChanged();
    // Ctrl+click on a row other than the current one: compare the two (the selection stays).
    void compareRequested(const QModelIndex &current, const QModelIndex &clicked);

protected:
    bool viewportEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void currentChanged(const QModelIndex &current, const QModelIndex &previous) override;

private:
    bool anchored() const;
    bool liveAtBottom() const;
    void setAnchorAtTop();
    void restoreAnchor();
    void scrollToLiveEdge();
    void onScrolled(int value);
    void emitIfChanged();

    QPersistentModelIndex m_anchor;
    int m_new = 0;
    bool m_followEnabled = true;
    bool m_hover = false;
    bool m_userScrolled = false;
    bool m_sliderAction = false; // the next value change comes from the user's scrolling
    bool m_restoring = false;
    bool m_lastFollowing = true;
    int m_lastNew = 0;
};

} // namespace hd
