#pragma once

// File → Export Support Bundle…: what to put in the bundle (the selected events, a time range,
// or the window of an alert), where to write it, a progress bar while SupportBundleJob runs off
// the UI thread, and the finished file shown in the file manager.

#include "apievent.h"
#include "supportbundlewriter.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace hd {

class MonitorSession;
class SupportBundleJob;
struct AlertState;

class ExportBundleDialog : public QDialog
{
    Q_OBJECT
public:
    // selected: the events selected in the log; recent: the full events the window holds
    // (used for ranges when the session keeps no history database). session may be null.
    ExportBundleDialog(MonitorSession *session, QList<ApiEvent> selected, QList<ApiEvent> recent,
                       QWidget *parent = nullptr);
    ~ExportBundleDialog() override;

    static QString defaultFileName(qint64 nowMs);
    bool isExporting() const;
    // The window an alert covers: its rule's window before it fired, until it resolved (or now).
    static std::pair<qint64, qint64> alertWindow(const AlertState &alert, int windowS,
                                                 qint64 nowMs);

public slots:
    void startExport();

signals:
    void exported(const hd::SupportBundleWriter::Result &result);

private:
    void chooseFile();
    void updateState();
    void onFinished(const SupportBundleWriter::Result &result);
    void reject() override;

    MonitorSession *m_session;
    QList<ApiEvent> m_selected;
    QList<ApiEvent> m_recent;
    QList<std::pair<qint64, qint64>> m_alertWindows;
    SupportBundleJob *m_job = nullptr;
    QRadioButton *m_fromSelection = nullptr;
    QRadioButton *m_fromRange = nullptr;
    QRadioButton *m_fromAlert = nullptr;
    QDateTimeEdit *m_rangeFrom = nullptr;
    QDateTimeEdit *m_rangeTo = nullptr;
    QComboBox *m_alert = nullptr;
    QLineEdit *m_output = nullptr;
    QCheckBox *m_reveal = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_export = nullptr;
};

} // namespace hd
