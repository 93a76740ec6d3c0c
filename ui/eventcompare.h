#pragma once

// Two events side by side (issue 23): Ctrl+click a second row in the log. One row per fact —
// what was asked, what came back, how long each phase took, the TLS and rate-limit facts, the
// identifiers, every header either side had — with the facts that differ marked, and "Only
// differences" to hide the rest. Built for "why did this one fail when that one, a minute
// earlier, did not?". Values are the events' own (already redacted) text.

#include "apievent.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QTableWidget;

namespace hd {

class EventCompareDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EventCompareDialog(QWidget *parent = nullptr);

    // a is shown on the left (the row that was selected), b on the right (the Ctrl+clicked).
    void setEvents(const ApiEvent &a, const ApiEvent &b);
    // Facts compared, and how many of them differ.
    int factCount() const;
    int differenceCount() const { return m_differences; }

    struct Fact
    {
        QString name;
        QString left;
        QString right;
    };
    // The facts of two events in display order (empty on both sides: left out).
    static QList<Fact> facts(const ApiEvent &a, const ApiEvent &b);

private:
    void applyFilter();

    QLabel *m_summary = nullptr;
    QCheckBox *m_onlyDifferences = nullptr;
    QTableWidget *m_table = nullptr;
    int m_differences = 0;
};

} // namespace hd
