#include "mainwindow.h"

#include "clock.h"
#include "endpointtree.h"
#include "errorlogmodel.h"
#include "eventdetailview.h"
#include "monitorsession.h"
#include "pollscheduler.h"
#include "workspacefile.h"

#include <QAction>
#include <QApplication>
#include <QFile>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QSysInfo>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace hd {

namespace {
constexpr int RecentEvents = 20000;
constexpr int TickMs = 250;
} // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("HealthDeck"));
    resize(1500, 900);
    createMenus();
    createWidgets();
    m_tick = new QTimer(this);
    m_tick->setInterval(TickMs);
    connect(m_tick, &QTimer::timeout, this, &MainWindow::onTick);
    m_tick->start();
}

MainWindow::~MainWindow()
{
    if (m_session)
        m_session->close();
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open Workspace…"), this, &MainWindow::chooseWorkspaceFile);
    open->setObjectName(QStringLiteral("actionOpenWorkspace"));
    open->setShortcut(QKeySequence::Open);
    QAction *demo
        = file->addAction(tr("Open &Demo Workspace"), this, &MainWindow::openDemoWorkspace);
    demo->setObjectName(QStringLiteral("actionOpenDemo"));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About HealthDeck"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
}

void MainWindow::createWidgets()
{
    m_tree = new EndpointTree;
    m_logModel = new ErrorLogModel(Clock::system(), this);

    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("logFilter"));
    m_filter->setPlaceholderText(
        tr("Filter: text, status:5xx, category:rate_limited, env:prod, endpoint:orders*, "
           "code:…, trace:…, since:15m"));
    m_filter->setClearButtonEnabled(true);
    m_filterError = new QLabel;
    m_filterError->setObjectName(QStringLiteral("logFilterError"));
    m_filterError->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_filterError->hide();
    m_filterDebounce = new QTimer(this);
    m_filterDebounce->setSingleShot(true);
    m_filterDebounce->setInterval(150);
    connect(m_filter, &QLineEdit::textChanged, m_filterDebounce, qOverload<>(&QTimer::start));
    connect(m_filterDebounce, &QTimer::timeout, this, &MainWindow::onFilterEdited);

    m_logView = new QTableView;
    m_logView->setObjectName(QStringLiteral("errorLog"));
    m_logView->setModel(m_logModel);
    m_logView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_logView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_logView->setSortingEnabled(true);
    m_logView->setWordWrap(false);
    m_logView->setAlternatingRowColors(true);
    m_logView->verticalHeader()->hide();
    m_logView->verticalHeader()->setDefaultSectionSize(m_logView->fontMetrics().height() + 6);
    m_logView->horizontalHeader()->setStretchLastSection(false);
    m_logView->horizontalHeader()->setSectionResizeMode(ErrorLogModel::Message,
                                                        QHeaderView::Stretch);
    const QList<std::pair<int, int>> widths{
        {ErrorLogModel::Time, 190},     {ErrorLogModel::Environment, 60},
        {ErrorLogModel::Endpoint, 180}, {ErrorLogModel::Status, 60},
        {ErrorLogModel::Category, 125}, {ErrorLogModel::Code, 110},
        {ErrorLogModel::Trace, 100},    {ErrorLogModel::Duration, 55},
        {ErrorLogModel::Attempt, 40}};
    for (const auto &[column, width] : widths)
        m_logView->setColumnWidth(column, width);
    // Newest first: during an incident the latest failure is what matters.
    m_logView->sortByColumn(ErrorLogModel::Time, Qt::DescendingOrder);
    connect(m_logView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onCurrentRowChanged);

    m_detail = new EventDetailView;

    auto *logPane = new QWidget;
    auto *logLayout = new QVBoxLayout(logPane);
    logLayout->setContentsMargins(0, 0, 0, 0);
    logLayout->addWidget(m_filter);
    logLayout->addWidget(m_filterError);
    logLayout->addWidget(m_logView);

    auto *right = new QSplitter(Qt::Vertical);
    right->setObjectName(QStringLiteral("logSplitter"));
    right->addWidget(logPane);
    right->addWidget(m_detail);
    right->setStretchFactor(0, 3);
    right->setStretchFactor(1, 2);

    auto *main = new QSplitter(Qt::Horizontal);
    main->setObjectName(QStringLiteral("mainSplitter"));
    main->addWidget(m_tree);
    main->addWidget(right);
    main->setStretchFactor(0, 1);
    main->setStretchFactor(1, 3);
    main->setSizes({430, 1070});
    setCentralWidget(main);

    m_statusPolling = new QLabel(tr("No workspace"));
    m_statusRate = new QLabel;
    statusBar()->addWidget(m_statusPolling, 1);
    statusBar()->addPermanentWidget(m_statusRate);
}

bool MainWindow::openDemoWorkspace()
{
    QFile f(QStringLiteral(":/healthdeck/demo/workspace.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Demo workspace"),
                             tr("The built-in demo workspace is missing from this build."));
        return false;
    }
    const auto r = WorkspaceFile::parse(f.readAll(), QStringLiteral("demo workspace"));
    if (!r.workspace) {
        QMessageBox::warning(this, tr("Demo workspace"), r.error);
        return false;
    }
    return openWorkspace(*r.workspace, tr("demo"));
}

bool MainWindow::openWorkspaceFile(const QString &path)
{
    const auto r = WorkspaceFile::load(path);
    if (!r.workspace) {
        QMessageBox::warning(this, tr("Open workspace"), r.error);
        return false;
    }
    return openWorkspace(*r.workspace, path);
}

void MainWindow::chooseWorkspaceFile()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open workspace"), QString(), tr("HealthDeck workspaces (*.json);;All files (*)"));
    if (!path.isEmpty())
        openWorkspaceFile(path);
}

bool MainWindow::openWorkspace(const Workspace &ws, const QString &origin)
{
    auto session = std::make_unique<MonitorSession>();
    QStringList warnings;
    connect(session.get(), &MonitorSession::warning, this,
            [&warnings](const QString &w) { warnings.append(w); });
    const QString error = session->open(ws);
    if (!error.isEmpty()) {
        QMessageBox::warning(this, tr("Open workspace"),
                             QStringLiteral("%1\n\n%2").arg(error, warnings.join(u'\n')));
        return false;
    }
    if (m_session)
        m_session->close();
    m_session = std::move(session);
    disconnect(m_session.get(), &MonitorSession::warning, this, nullptr);
    connect(m_session.get(), &MonitorSession::warning, this,
            [this](const QString &w) { m_warnings.append(w); });
    connect(m_session.get(), &MonitorSession::eventReady, this, &MainWindow::onEvent);
    m_warnings = warnings;
    m_workspaceName = ws.name;
    m_tree->setWorkspace(ws);
    setWindowTitle(QStringLiteral("%1 — HealthDeck").arg(ws.name));
    m_session->start();
    Q_UNUSED(origin);
    onTick();
    return true;
}

void MainWindow::onEvent(const ApiEvent &event)
{
    ++m_eventsThisSecond;
    ++m_eventsTotal;
    m_logModel->append(event);
    m_tree->record(event);
    m_recent.insert(event.id, event);
    m_recentOrder.enqueue(event.id);
    while (m_recentOrder.size() > RecentEvents)
        m_recent.remove(m_recentOrder.dequeue());
}

void MainWindow::onTick()
{
    // One batch per tick: the log model inserts once, the tree repaints what changed.
    m_logModel->flush();
    m_tree->refresh();
    if (m_session && m_session->aggregator())
        m_tree->refreshStreams(*m_session->aggregator());
    if (++m_ticks % (1000 / TickMs) == 0) {
        m_rate = double(m_eventsThisSecond);
        m_eventsThisSecond = 0;
    }
    if (!m_session || !m_session->engine()) {
        m_statusPolling->setText(tr("No workspace open"));
        return;
    }
    const int endpoints = int(m_session->engine()->workspace().endpoints.size());
    const int notPolled
        = int(std::count_if(m_warnings.cbegin(), m_warnings.cend(), [](const QString &w) {
              return w.contains(QStringLiteral("not polled"))
                     || w.contains(QStringLiteral("not available"));
          }));
    QString text = tr("%1 · polling %2 of %3 endpoints")
                       .arg(m_workspaceName)
                       .arg(endpoints - notPolled)
                       .arg(endpoints);
    if (notPolled)
        text += tr(" · %1 need a credential this build cannot use yet (hover for details)")
                    .arg(notPolled);
    m_statusPolling->setText(text);
    m_statusPolling->setToolTip(m_warnings.join(u'\n'));
    m_statusRate->setText(tr("%1 events · %2/s").arg(m_eventsTotal).arg(m_rate, 0, 'f', 0));
}

void MainWindow::onFilterEdited()
{
    if (m_logModel->setFilterText(m_filter->text())) {
        m_filterError->hide();
        m_filter->setStyleSheet(QString());
    } else {
        m_filterError->setText(m_logModel->errorMessage());
        m_filterError->show();
        m_filter->setStyleSheet(QStringLiteral("border: 1px solid #c62828;"));
    }
}

void MainWindow::onCurrentRowChanged()
{
    const QModelIndex current = m_logView->currentIndex();
    if (!current.isValid()) {
        m_detail->showNothing();
        return;
    }
    const QString id = m_logModel->eventId(current.row());
    const auto it = m_recent.constFind(id);
    if (it == m_recent.constEnd()) {
        m_detail->setHtml(tr("<p>This event is older than the ones kept in memory.</p>"));
        return;
    }
    m_detail->showEvent(*it);
}

QString MainWindow::aboutText()
{
    return tr("<h3>HealthDeck %1</h3>"
              "<p>Health console for trading and broker APIs.</p>"
              "<p>Qt %2 (built with %3)<br>%4<br>%5</p>")
        .arg(QStringLiteral(HEALTHDECK_VERSION), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), QStringLiteral(HEALTHDECK_BUILD_INFO),
             QSysInfo::prettyProductName());
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About HealthDeck"), aboutText());
}

} // namespace hd
