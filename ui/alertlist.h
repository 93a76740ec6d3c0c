#pragma once

// The alert list: every alert firing now (worst first), the ones held by a maintenance window
// or a closed market (greyed, with the window and its end), and the ones that resolved in this
// session (newest first), with when they fired and resolved. Acknowledge from the context
// menu, the button or by double-clicking. Object names: "alertList" (this widget, in the
// "alertDock" dock), "alertListTree", "alertListAcknowledge".

#include "alertengine.h"

#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace hd {

class AlertList : public QWidget
{
    Q_OBJECT
public:
    enum Column { State, Kind, Subject, Message, Fired, Resolved, ColumnCount };

    explicit AlertList(QWidget *parent = nullptr);

    // Firing ones first, then the ones a maintenance window or closed market holds (their
    // condition is true; they fire if it still is when the window ends), then resolved history.
    void setAlerts(const QList<AlertState> &active, const QList<AlertState> &resolved,
                   const QList<AlertState> &held = {});
    QTreeWidget *tree() const { return m_tree; }
    int firingCount() const { return m_firing; }

signals:
    void acknowledgeRequested(const QString &ruleId, const QString &subject);

private:
    void acknowledgeCurrent();

    QTreeWidget *m_tree = nullptr;
    QPushButton *m_ack = nullptr;
    QString m_signature;
    int m_firing = 0;
};

} // namespace hd
