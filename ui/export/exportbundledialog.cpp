#include "exportbundledialog.h"

#include "alertengine.h"
#include "bundlesecrets.h"
#include "historystore.h"
#include "incidentlog.h"
#include "monitorengine.h"
#include "monitorsession.h"
#include "supportbundlejob.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeEdit>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QStandardPaths>
#include <QUrl>
#include <QVBoxLayout>

#include <algorithm>

namespace hd {

ExportBundleDialog::ExportBundleDialog(MonitorSession *session, QList<ApiEvent> selected,
                                       QList<ApiEvent> recent, QWidget *parent)
    : QDialog(parent)
    , m_session(session)
    , m_selected(std::move(selected))
    , m_recent(std::move(recent))
{
    setObjectName(QStringLiteral("exportBundleDialog"));
    setWindowTitle(tr("Export Support Bundle"));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();

    auto *what = new QGroupBox(tr("Events"));
    auto *form = new QFormLayout(what);
    m_fromSelection = new QRadioButton(
        m_selected.isEmpty()
            ? tr("The selected events (select rows in the log first)")
            : (m_selected.size() == 1 ? tr("The selected event")
                                      : tr("The %1 selected events").arg(m_selected.size())));
    m_fromSelection->setObjectName(QStringLiteral("bundleFromSelection"));
    m_fromSelection->setEnabled(!m_selected.isEmpty());
    form->addRow(m_fromSelection);

    m_fromRange = new QRadioButton(tr("A time range"));
    m_fromRange->setObjectName(QStringLiteral("bundleFromRange"));
    m_rangeFrom = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(now - 3600 * 1000));
    m_rangeFrom->setObjectName(QStringLiteral("bundleRangeFrom"));
    m_rangeTo = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(now + 60 * 1000));
    m_rangeTo->setObjectName(QStringLiteral("bundleRangeTo"));
    for (QDateTimeEdit *e : {m_rangeFrom, m_rangeTo}) {
        e->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        e->setCalendarPopup(true);
    }
    auto *range = new QHBoxLayout;
    range->addWidget(m_rangeFrom);
    range->addWidget(new QLabel(tr("to")));
    range->addWidget(m_rangeTo);
    form->addRow(m_fromRange, range);

    m_fromAlert = new QRadioButton(tr("An alert's window"));
    m_fromAlert->setObjectName(QStringLiteral("bundleFromAlert"));
    m_alert = new QComboBox;
    m_alert->setObjectName(QStringLiteral("bundleAlert"));
    if (m_session && m_session->alerts()) {
        QHash<QString, int> windows;
        for (const AlertRule &r : m_session->alerts()->rules())
            windows.insert(r.id, r.windowS);
        QList<AlertState> alerts = m_session->alerts()->active() + m_session->alerts()->history();
        for (const AlertState &a : alerts) {
            m_alertWindows.append(alertWindow(a, windows.value(a.ruleId, 600), now));
            m_alert->addItem(
                QStringLiteral("%1 %2 — %3")
                    .arg(QDateTime::fromMSecsSinceEpoch(a.firedAtMs).toString(u"HH:mm:ss"), a.kind,
                         a.message));
        }
    }
    m_fromAlert->setEnabled(m_alert->count() > 0);
    m_alert->setEnabled(m_alert->count() > 0);
    form->addRow(m_fromAlert, m_alert);
    (m_selected.isEmpty() ? m_fromRange : m_fromSelection)->setChecked(true);

    auto *where = new QGroupBox(tr("Bundle"));
    auto *whereLayout = new QVBoxLayout(where);
    auto *file = new QHBoxLayout;
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    m_output = new QLineEdit(QDir(dir).filePath(defaultFileName(now)));
    m_output->setObjectName(QStringLiteral("bundleOutput"));
    auto *browse = new QPushButton(tr("Browse…"));
    connect(browse, &QPushButton::clicked, this, &ExportBundleDialog::chooseFile);
    file->addWidget(m_output, 1);
    file->addWidget(browse);
    whereLayout->addLayout(file);
    m_reveal = new QCheckBox(tr("Show the bundle in the file manager when done"));
    m_reveal->setObjectName(QStringLiteral("bundleReveal"));
    m_reveal->setChecked(true);
    whereLayout->addWidget(m_reveal);
    auto *note
        = new QLabel(tr("Secrets are masked in every file; REDACTIONS.txt says what and where."));
    whereLayout->addWidget(note);

    m_progress = new QProgressBar;
    m_progress->setObjectName(QStringLiteral("bundleProgress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("bundleStatus"));
    m_status->setWordWrap(true);
    m_status->setMinimumHeight(2 * m_status->fontMetrics().lineSpacing() + 4);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    m_export = m_buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    m_export->setObjectName(QStringLiteral("bundleExport"));
    m_export->setDefault(true);
    connect(m_export, &QPushButton::clicked, this, &ExportBundleDialog::startExport);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ExportBundleDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(what);
    layout->addWidget(where);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    m_job = new SupportBundleJob(this);
    connect(m_job, &SupportBundleJob::progress, this, [this](int percent, const QString &stage) {
        m_progress->setValue(percent);
        m_status->setText(stage + QStringLiteral("…"));
    });
    connect(m_job, &SupportBundleJob::finished, this, &ExportBundleDialog::onFinished);
    for (QRadioButton *b : {m_fromSelection, m_fromRange, m_fromAlert})
        connect(b, &QRadioButton::toggled, this, &ExportBundleDialog::updateState);
    updateState();
    setMinimumWidth(560);
}

ExportBundleDialog::~ExportBundleDialog() = default;

QString ExportBundleDialog::defaultFileName(qint64 nowMs)
{
    return QStringLiteral("healthdeck-support-%1.zip")
        .arg(QDateTime::fromMSecsSinceEpoch(nowMs, Qt::UTC).toString(u"yyyyMMdd-HHmmss"));
}

std::pair<qint64, qint64> ExportBundleDialog::alertWindow(const AlertState &a, int windowS,
                                                          qint64 nowMs)
{
    const qint64 from = a.firedAtMs - qint64(std::max(windowS, 60)) * 1000;
    const qint64 to = (a.resolvedAtMs > 0 ? a.resolvedAtMs : nowMs) + 1;
    return {from, to};
}

bool ExportBundleDialog::isExporting() const
{
    return m_job->isRunning();
}

void ExportBundleDialog::updateState()
{
    const bool busy = m_job && m_job->isRunning();
    m_rangeFrom->setEnabled(!busy && m_fromRange->isChecked());
    m_rangeTo->setEnabled(!busy && m_fromRange->isChecked());
    m_alert->setEnabled(!busy && m_fromAlert->isChecked());
    m_export->setEnabled(!busy);
    m_buttons->button(QDialogButtonBox::Close)->setText(busy ? tr("Cancel") : tr("Close"));
}

void ExportBundleDialog::chooseFile()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export support bundle"),
                                                      m_output->text(), tr("ZIP files (*.zip)"));
    if (!path.isEmpty())
        m_output->setText(path.endsWith(QStringLiteral(".zip")) ? path
                                                                : path + QStringLiteral(".zip"));
}

void ExportBundleDialog::startExport()
{
    if (m_job->isRunning())
        return;
    const QString out = m_output->text().trimmed();
    if (out.isEmpty()) {
        m_status->setText(tr("Choose where to write the bundle."));
        return;
    }
    SupportBundleRequest request;
    request.createdMs = QDateTime::currentMSecsSinceEpoch();
    SupportBundleJob::Source source;
    if (m_session && m_session->engine()) {
        const Workspace &ws = m_session->engine()->workspace();
        request.workspace = ws;
        MonitorSession *session = m_session;
        BundleSecrets::collect(
            ws, [session](const QString &name) { return session->secret(name); }, request);
    }
    if (m_fromSelection->isChecked()) {
        source.events = m_selected;
        request.selection = m_selected.size() == 1
                                ? tr("1 event selected in the console")
                                : tr("%1 events selected in the console").arg(m_selected.size());
    } else {
        if (m_fromRange->isChecked()) {
            source.filter.fromMs = m_rangeFrom->dateTime().toMSecsSinceEpoch();
            source.filter.toMs = m_rangeTo->dateTime().toMSecsSinceEpoch();
            request.selection = tr("time range %1 to %2")
                                    .arg(formatEventTime(source.filter.fromMs),
                                         formatEventTime(source.filter.toMs));
        } else {
            const auto window = m_alertWindows.value(m_alert->currentIndex());
            source.filter.fromMs = window.first;
            source.filter.toMs = window.second;
            request.selection = tr("window of the alert %1").arg(m_alert->currentText());
        }
        if (source.filter.fromMs >= source.filter.toMs) {
            m_status->setText(tr("The range ends before it starts."));
            return;
        }
        request.fromMs = source.filter.fromMs;
        request.toMs = source.filter.toMs;
        HistoryStore *history = m_session ? m_session->history() : nullptr;
        if (history && history->isOpen()) {
            history->flush(); // what the window shows is in the file the job reads
            source.historyPath = history->path();
        } else {
            source.events = m_recent;
        }
    }
    // The incidents open at some time in what is exported (their timelines and notes).
    if (m_session && m_session->incidents()) {
        qint64 from = request.fromMs;
        qint64 to = request.toMs;
        if (m_fromSelection->isChecked() && !m_selected.isEmpty()) {
            const auto [first, last] = std::minmax_element(
                m_selected.cbegin(), m_selected.cend(),
                [](const ApiEvent &a, const ApiEvent &b) { return a.timeMs < b.timeMs; });
            from = first->timeMs;
            to = last->timeMs;
        }
        request.incidents = m_session->incidents()->overlapping(from, to);
    }
    m_progress->setValue(0);
    m_status->setText(tr("Starting…"));
    m_job->start(std::move(request), std::move(source), out);
    updateState();
}

void ExportBundleDialog::onFinished(const SupportBundleWriter::Result &result)
{
    updateState();
    if (!result.ok()) {
        m_progress->setValue(0);
        m_status->setText(result.error == u"cancelled" ? tr("Cancelled; nothing was written.")
                                                       : tr("Export failed: %1").arg(result.error));
        emit exported(result);
        return;
    }
    m_progress->setValue(100);
    m_status->setText(tr("Wrote %1: %2 events, %3 failed, %4 curl scripts, %5 redactions.")
                          .arg(QDir::toNativeSeparators(result.path))
                          .arg(result.events)
                          .arg(result.failures)
                          .arg(result.curlScripts)
                          .arg(result.redactions));
    if (m_reveal->isChecked())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(result.path).absolutePath()));
    emit exported(result);
}

void ExportBundleDialog::reject()
{
    if (m_job->isRunning()) {
        m_job->cancel(); // the dialog stays until the job says it stopped
        return;
    }
    QDialog::reject();
}

} // namespace hd
