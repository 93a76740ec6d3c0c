#pragma once

// The error log pane: the filter line (with its completer and error line), the Follow toggle,
// the "N new events" bar and the anchored table (LogView). It applies the filter to the model
// (150 ms after the last keystroke) and moves between failures; MainWindow reacts to the
// current row. This pane owns how the log looks and stays put (issue 23).

#include <QWidget>

class QTimer;

class QLabel;
class QLineEdit;
class QPushButton;
class QToolButton;

namespace hd {

class ErrorLogModel;
class FilterCompleter;
class LogView;

class LogPane : public QWidget
{
    Q_OBJECT
public:
    explicit LogPane(ErrorLogModel *model, QWidget *parent = nullptr);

    LogView *view() const { return m_view; }
    QLineEdit *filterEdit() const { return m_filter; }
    FilterCompleter *completer() const { return m_completer; }
    // Shows why a filter was refused under the filter line (empty: hides it).
    void setFilterError(const QString &message);
    // Applies the filter line to the model now (and shows why it was refused, if it was).
    void applyFilter();
    void focusFilter();
    void clearFilter();
    // Selects the next (+1, older) or previous (-1, newer) failure after the current row;
    // false when there is none.
    bool selectFailure(int direction);

private:
    void updateLiveState();

    ErrorLogModel *m_model;
    LogView *m_view = nullptr;
    QTimer *m_filterDebounce = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_filterError = nullptr;
    FilterCompleter *m_completer = nullptr;
    QToolButton *m_follow = nullptr;
    QPushButton *m_newEvents = nullptr;
};

} // namespace hd
