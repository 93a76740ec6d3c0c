#pragma once

// The error log pane: the filter line (with its completer and error line), the Follow toggle,
// the "N new events" bar and the anchored table (LogView). MainWindow applies the filter and
// reacts to the current row; this pane owns how the log looks and stays put (issue 23).

#include <QWidget>

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

private:
    void updateLiveState();

    LogView *m_view = nullptr;
    QLineEdit *m_filter = nullptr;
    QLabel *m_filterError = nullptr;
    FilterCompleter *m_completer = nullptr;
    QToolButton *m_follow = nullptr;
    QPushButton *m_newEvents = nullptr;
};

} // namespace hd
