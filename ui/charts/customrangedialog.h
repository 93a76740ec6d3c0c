#pragma once

// "Custom…" time range for the charts: from and to (local time), read from the history.

#include <QDialog>

class QDateTimeEdit;
class QLabel;
class QPushButton;

namespace hd {

class CustomRangeDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CustomRangeDialog(qint64 fromMs, qint64 toMs, QWidget *parent = nullptr);
    qint64 fromMs() const;
    qint64 toMs() const;

private:
    void validate();

    QDateTimeEdit *m_from = nullptr;
    QDateTimeEdit *m_to = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_ok = nullptr;
};

} // namespace hd
