#include "consolestatusbar.h"

#include "bundlebasket.h"
#include "historystore.h"
#include "metrics/metricsoptin.h"
#include "monitorsession.h"
#include "pollscheduler.h"
#include "workspacecontroller.h"

#include <QLabel>
#include <QLocale>
#include <QStatusBar>

namespace hd {

namespace {
QLabel *label(const char *name, QStatusBar *bar)
{
    auto *l = new QLabel(bar);
    l->setObjectName(QLatin1String(name));
    return l;
}
} // namespace

ConsoleStatusBar::ConsoleStatusBar(QStatusBar *bar, MetricsOptIn *metrics, const Clock &clock)
    : QObject(bar)
    , m_bar(bar)
    , m_rate(clock, 10)
{
    m_polling = label("statusPolling", bar);
    m_polling->setText(tr("No workspace"));
    m_rateLabel = label("statusRate", bar);
    m_history = label("statusHistory", bar);
    m_keychain = label("statusKeychain", bar);
    m_bundle = label("statusBundle", bar);
    m_bundle->hide();
    m_bundle->setToolTip(tr("Events for the next support bundle (File → Export Support "
                            "Bundle…); Log → Empty the Bundle Basket starts over"));
    m_metrics = label("statusMetrics", bar);
    m_metrics->hide();
    connect(metrics, &MetricsOptIn::stateChanged, this, [this](const QString &text) {
        m_metrics->setText(text);
        m_metrics->setVisible(!text.isEmpty());
    });
    bar->addWidget(m_polling, 1);
    for (QLabel *l : {m_metrics, m_bundle, m_rateLabel, m_history, m_keychain})
        bar->addPermanentWidget(l);
}

void ConsoleStatusBar::setSession(MonitorSession *session)
{
    m_session = session;
    m_rate.reset();
    m_historyRows = -1;
    m_countingHistory = false; // a count still running answers for the old store: ignored
    m_pausedCount = -1;
}

void ConsoleStatusBar::setPollingText(const QString &text)
{
    m_polling->setText(text);
}

void ConsoleStatusBar::refresh(const QStringList &warnings, bool opening)
{
    m_rateLabel->setText(tr("%1 events · %2/s")
                             .arg(m_rate.total())
                             .arg(m_rate.rate(), 0, 'f', m_rate.rate() < 10 ? 1 : 0));
    m_rateLabel->setToolTip(tr("events this session; the rate is the average of the last 10 s"));
    MonitorEngine *engine = m_session ? m_session->engine() : nullptr;
    if (!engine) {
        if (!opening)
            m_polling->setText(tr("No workspace open"));
        return;
    }
    PollScheduler *scheduler = engine->scheduler();
    const Workspace &ws = m_session->workspace();
    const int endpoints = int(ws.endpoints.size());
    const int notPolled = int(engine->unpolledEndpoints().size());
    // Counted again only when the scheduler signals a change (pausedChanged()).
    if (m_pausedCount < 0)
        m_pausedCount = scheduler->pausedEndpointCount();
    const int paused = m_pausedCount;
    const int polling = std::max(0, endpoints - notPolled - paused);
    QString text;
    if (scheduler->allPaused() || (endpoints > 0 && polling == 0 && paused > 0))
        text = tr("%1 · PAUSED (%2 of %3 endpoints)").arg(ws.name).arg(paused).arg(endpoints);
    else
        text = tr("%1 · polling %2 of %3 endpoints").arg(ws.name).arg(polling).arg(endpoints);
    if (paused && !scheduler->allPaused() && polling > 0)
        text += tr(" · %1 paused").arg(paused);
    if (notPolled)
        text += tr(" · %1 not polled (hover for details)").arg(notPolled);
    m_polling->setText(text);
    m_polling->setToolTip(warnings.join(u'\n'));
}

void ConsoleStatusBar::refreshHistory()
{
    HistoryStore *history = m_session ? m_session->history() : nullptr;
    if (!history) {
        m_history->setText(m_session ? tr("history off") : QString());
        return;
    }
    QPointer<HistoryStore> store(history);
    auto show = [this, store] {
        if (!store)
            return;
        const double mb = double(store->fileBytes()) / (1024.0 * 1024.0);
        m_history->setText(m_historyRows < 0 ? tr("history: %1 MB").arg(mb, 0, 'f', 1)
                                             : tr("history: %1 rows · %2 MB")
                                                   .arg(QLocale().toString(m_historyRows))
                                                   .arg(mb, 0, 'f', 1));
        m_history->setToolTip(store->path());
    };
    show();
    if (m_countingHistory)
        return;
    m_countingHistory = true;
    // Counted on the store's reader thread: the UI never waits for a count over a big file.
    history->countAsync(this, [this, store, show](qint64 rows) {
        m_countingHistory = false;
        if (!store || !m_session || m_session->history() != store)
            return;
        m_historyRows = rows;
        show();
    });
}

void ConsoleStatusBar::setKeychain(const SecretStoreStatus &status)
{
    using State = SecretStoreStatus::State;
    QString text;
    switch (status.state) {
    case State::NotChecked:
        text = tr("keychain: not checked");
        break;
    case State::Detecting:
        text = tr("keychain: checking…");
        break;
    case State::Keychain:
        text = tr("keychain: OK");
        break;
    case State::NoKeychain:
        text = tr("keychain: none (secrets for this session only)");
        break;
    }
    m_keychain->setText(text);
    m_keychain->setToolTip(status.reason.isEmpty() ? status.message
                                                   : status.message + u'\n' + status.reason);
}

void ConsoleStatusBar::setBundleCount(int events)
{
    m_bundle->setText(tr("bundle: %n event(s)", nullptr, events));
    m_bundle->setVisible(events > 0);
}

void ConsoleStatusBar::follow(WorkspaceController *workspaces, BundleBasket *basket)
{
    connect(workspaces, &WorkspaceController::openingStateChanged, this,
            &ConsoleStatusBar::setPollingText);
    connect(workspaces, &WorkspaceController::statusMessage, this, &ConsoleStatusBar::showMessage);
    connect(workspaces, &WorkspaceController::secretStoreChanged, this,
            &ConsoleStatusBar::setKeychain);
    connect(basket, &BundleBasket::changed, this, &ConsoleStatusBar::setBundleCount);
    connect(basket, &BundleBasket::eventsMissing, this, [this](const QStringList &ids) {
        showMessage(tr("%n event(s) of the bundle are no longer in memory or history", nullptr,
                       int(ids.size())),
                    10000);
    });
}

void ConsoleStatusBar::showMessage(const QString &text, int timeoutMs)
{
    m_bar->showMessage(text, timeoutMs);
}

} // namespace hd
