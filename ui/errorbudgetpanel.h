#pragma once

// The error-budget panel (docs/slo.md, docs/console.md): one row per SLO of the running session
// (AlertEngine::slos().reports()) — its scope and objective, availability so far, the budget
// left as a bar (green, amber under 50 %, red under 10 % or overspent; colours from the palette
// so the dark theme reads as well), the 1 h and 6 h burn rates (5 min and 30 min in the
// tooltip), the plain-language outlook ("at this rate the month's error budget is gone in 2
// days"), whether a burn_rate alert fires or is held for it, and whether its scope is in a
// maintenance window now. No timer of its own: the window calls refresh() once a second, and
// a hidden panel does nothing. Without a session it explains what an SLO is.
//
// Object names: "errorBudgetPanel" (this widget, in the "errorBudgetDock" dock),
// "errorBudgetTable", "errorBudgetEmpty".

#include <QPointer>
#include <QWidget>

class QLabel;
class QStackedWidget;
class QTableWidget;

namespace hd {

class MonitorSession;

class ErrorBudgetPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column {
        SloColumn,
        Objective,
        Availability,
        BudgetLeft,
        Burn1h,
        Burn6h,
        Outlook,
        Alert,
        Window,
        ColumnCount
    };

    explicit ErrorBudgetPanel(QWidget *parent = nullptr);

    // Reads the session's SLO reports into the table when the panel is visible (session null:
    // the empty state). Cheap when hidden; the panel refreshes itself when it is shown.
    void refresh(MonitorSession *session);
    QTableWidget *table() const { return m_table; }

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void rebuild();

    QPointer<MonitorSession> m_session;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    QLabel *m_note = nullptr;
    QTableWidget *m_table = nullptr;
};

} // namespace hd
