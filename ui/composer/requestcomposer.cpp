#include "requestcomposer.h"

#include "composersender.h"
#include "eventdetailview.h"
#include "monitorsession.h"
#include "profileregistry.h"
#include "redactor.h"

#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hd {

namespace {

const QString ComposerEndpointId = QStringLiteral("composer");

bool isAbsoluteUrl(const QString &text)
{
    return text.startsWith(QStringLiteral("http://"))
           || text.startsWith(QStringLiteral("https://"));
}

} // namespace

RequestComposer::RequestComposer(MonitorSession *session, QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("requestComposer"));
    m_sender = new ComposerSender(this);
    connect(m_sender, &ComposerSender::attemptFinished, this, &RequestComposer::onAttempt);
    connect(m_sender, &ComposerSender::finished, this, &RequestComposer::onFinished);

    m_endpoint = new QComboBox;
    m_endpoint->setObjectName(QStringLiteral("composerEndpoint"));
    m_endpoint->setToolTip(tr("Start from an endpoint of the workspace (fills the form)"));
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("composerMethod"));
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_url = new QLineEdit;
    m_url->setObjectName(QStringLiteral("composerUrl"));
    m_url->setPlaceholderText(tr("/path under the environment's base URL, or https://host/path"));
    m_url->setClearButtonEnabled(true);
    m_baseUrl = new QLabel;
    m_baseUrl->setObjectName(QStringLiteral("composerBaseUrl"));
    m_baseUrl->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_environment = new QComboBox;
    m_environment->setObjectName(QStringLiteral("composerEnvironment"));
    m_credential = new QComboBox;
    m_credential->setObjectName(QStringLiteral("composerCredential"));
    m_credential->setToolTip(
        tr("Applied by the engine when sending; the secret itself is never shown here"));
    m_profile = new QComboBox;
    m_profile->setObjectName(QStringLiteral("composerProfile"));
    m_profile->addItem(QStringLiteral("auto"));
    for (const Profile *p : ProfileRegistry::shared()->all())
        m_profile->addItem(p->name);
    m_timeout = new QSpinBox;
    m_timeout->setObjectName(QStringLiteral("composerTimeout"));
    m_timeout->setRange(100, 600000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(QStringLiteral(" ms"));
    m_timeout->setValue(10000);
    m_retries = new QSpinBox;
    m_retries->setObjectName(QStringLiteral("composerRetries"));
    m_retries->setRange(0, 5);
    m_retries->setToolTip(tr("Further attempts the retry policy may make (backoff, Retry-After)"));

    m_send = new QPushButton(tr("Send"));
    m_send->setObjectName(QStringLiteral("composerSend"));
    m_send->setDefault(true);
    m_send->setToolTip(tr("Send (Ctrl+Return)"));
    m_cancel = new QPushButton(tr("Cancel"));
    m_cancel->setObjectName(QStringLiteral("composerCancel"));
    m_cancel->setEnabled(false);
    connect(m_send, &QPushButton::clicked, this, &RequestComposer::send);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_tokenReady) // still waiting for a token: nothing is on the wire yet
            onFinished(tr("cancelled"));
        else
            m_sender->cancel();
    });
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(sendShortcut, &QShortcut::activated, this, &RequestComposer::send);

    auto *line = new QHBoxLayout;
    line->addWidget(m_method);
    line->addWidget(m_url, 1);
    line->addWidget(m_send);
    line->addWidget(m_cancel);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    auto *envRow = new QHBoxLayout;
    envRow->addWidget(m_environment);
    envRow->addWidget(m_baseUrl, 1);
    form->addRow(tr("Environment"), envRow);
    auto *credRow = new QHBoxLayout;
    credRow->addWidget(m_credential, 1);
    credRow->addWidget(new QLabel(tr("Profile")));
    credRow->addWidget(m_profile);
    credRow->addWidget(new QLabel(tr("Timeout")));
    credRow->addWidget(m_timeout);
    credRow->addWidget(new QLabel(tr("Retries")));
    credRow->addWidget(m_retries);
    form->addRow(tr("Credential"), credRow);

    m_headers = new QTableWidget(0, 2);
    m_headers->setObjectName(QStringLiteral("composerHeaders"));
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->horizontalHeader()->resizeSection(0, 200);
    m_headers->verticalHeader()->hide();
    auto *addHeader = new QPushButton(tr("Add header"));
    addHeader->setObjectName(QStringLiteral("composerAddHeader"));
    auto *removeHeader = new QPushButton(tr("Remove"));
    removeHeader->setObjectName(QStringLiteral("composerRemoveHeader"));
    connect(addHeader, &QPushButton::clicked, this, [this] {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem);
        m_headers->setItem(row, 1, new QTableWidgetItem);
        m_headers->editItem(m_headers->item(row, 0));
    });
    connect(removeHeader, &QPushButton::clicked, this, [this] {
        if (m_headers->currentRow() >= 0)
            m_headers->removeRow(m_headers->currentRow());
    });
    auto *headersPage = new QWidget;
    auto *headersLayout = new QVBoxLayout(headersPage);
    headersLayout->setContentsMargins(0, 0, 0, 0);
    headersLayout->addWidget(m_headers, 1);
    auto *headerButtons = new QHBoxLayout;
    headerButtons->addWidget(addHeader);
    headerButtons->addWidget(removeHeader);
    headerButtons->addStretch(1);
    headersLayout->addLayout(headerButtons);

    m_body = new QPlainTextEdit;
    m_body->setObjectName(QStringLiteral("composerBody"));
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setPlaceholderText(tr("Request body (JSON is sent as typed)"));

    auto *requestTabs = new QTabWidget;
    requestTabs->setObjectName(QStringLiteral("composerRequestTabs"));
    requestTabs->addTab(headersPage, tr("Headers"));
    requestTabs->addTab(m_body, tr("Body"));

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("composerStatus"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);

    auto *requestPane = new QWidget;
    auto *requestLayout = new QVBoxLayout(requestPane);
    requestLayout->setContentsMargins(0, 0, 0, 0);
    auto *startFrom = new QHBoxLayout;
    startFrom->addWidget(new QLabel(tr("Start from")));
    startFrom->addWidget(m_endpoint, 1);
    requestLayout->addLayout(startFrom);
    requestLayout->addLayout(line);
    requestLayout->addLayout(form);
    requestLayout->addWidget(requestTabs, 1);
    requestLayout->addWidget(m_status);

    m_result = new EventDetailView;
    m_result->setObjectName(QStringLiteral("composerResult"));
    m_result->setHtml(tr("<p style='color:gray'>Send a request to see how HealthDeck classifies "
                         "the answer: category, status, what to do, headers and body.</p>"));

    auto *work = new QSplitter(Qt::Vertical);
    work->addWidget(requestPane);
    work->addWidget(m_result);
    work->setStretchFactor(0, 2);
    work->setStretchFactor(1, 3);

    m_historyList = new QListWidget;
    m_historyList->setObjectName(QStringLiteral("composerHistory"));
    m_historyList->setToolTip(tr("Requests sent in this session (kept in memory only)"));
    m_historyList->setWordWrap(true);
    m_historyList->setTextElideMode(Qt::ElideMiddle);
    m_historyList->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_historyList->setMinimumWidth(220);
    m_historyList->setSpacing(2);
    connect(m_historyList, &QListWidget::currentRowChanged, this,
            &RequestComposer::showHistoryEntry);
    auto *historyPane = new QWidget;
    auto *historyLayout = new QVBoxLayout(historyPane);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(new QLabel(tr("<b>History</b>")));
    historyLayout->addWidget(m_historyList, 1);

    auto *main = new QSplitter(Qt::Horizontal);
    main->setObjectName(QStringLiteral("composerSplitter"));
    main->addWidget(historyPane);
    main->addWidget(work);
    main->setStretchFactor(0, 1);
    main->setStretchFactor(1, 5);
    main->setSizes({240, 1060});

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(main);

    connect(m_endpoint, &QComboBox::activated, this, [this](int index) {
        const QString id = m_endpoint->itemData(index).toString();
        if (!id.isEmpty())
            prefill(id);
    });
    connect(m_environment, &QComboBox::currentIndexChanged, this, &RequestComposer::updateBaseUrl);
    setSession(session);
}

RequestComposer::~RequestComposer() = default;

void RequestComposer::setSession(MonitorSession *session)
{
    m_session = session;
    reloadWorkspace();
}

void RequestComposer::reloadWorkspace()
{
    m_workspace
        = (m_session && m_session->engine()) ? m_session->engine()->workspace() : Workspace{};
    m_result->setWorkspace(m_workspace);
    m_endpoint->clear();
    m_endpoint->addItem(tr("(a new request)"), QString());
    for (const Endpoint &ep : std::as_const(m_workspace.endpoints))
        m_endpoint->addItem(QStringLiteral("%1 — %2 %3").arg(ep.id, ep.method, ep.path), ep.id);
    m_environment->clear();
    for (const Environment &env : std::as_const(m_workspace.environments))
        m_environment->addItem(env.name.isEmpty() || env.name == env.id
                                   ? env.id
                                   : QStringLiteral("%1 (%2)").arg(env.id, env.name),
                               env.id);
    m_credential->clear();
    m_credential->addItem(tr("(none)"), QString());
    for (const Credential &c : std::as_const(m_workspace.credentials))
        m_credential->addItem(QStringLiteral("%1 — %2").arg(c.id, toString(c.method)), c.id);
    updateBaseUrl();
}

void RequestComposer::updateBaseUrl()
{
    const Environment *env = m_workspace.environment(m_environment->currentData().toString());
    if (!env) {
        m_baseUrl->setText(tr("no environment: enter a full http(s) URL"));
        return;
    }
    // The engine's copy of the environment has the simulator's placeholders (sim:, sim+tls…:)
    // replaced by the addresses it sends to: show those, the ones in the event.
    const MonitorEngine *engine = m_session ? m_session->engine() : nullptr;
    const Environment *running = engine ? engine->workspace().environment(env->id) : nullptr;
    QString base = running ? running->baseUrl : env->baseUrl;
    if (base.startsWith(QStringLiteral("sim")) && !running)
        base = tr("%1 (the simulator is not running)").arg(base);
    m_baseUrl->setText(tr("base %1").arg(base));
}

void RequestComposer::prefill(const QString &endpointId)
{
    const Endpoint *ep = m_workspace.endpoint(endpointId);
    if (!ep)
        return;
    loadForm(*ep, m_retries->value());
    const int index = m_endpoint->findData(endpointId);
    if (index >= 0)
        m_endpoint->setCurrentIndex(index);
    setStatus(tr("Filled from endpoint %1; edit anything before sending.").arg(endpointId), false);
}

void RequestComposer::loadForm(const Endpoint &r, int retries)
{
    const int m = m_method->findText(r.method);
    m_method->setCurrentIndex(m < 0 ? 0 : m);
    m_url->setText(r.path);
    const int env = m_environment->findData(r.environment);
    if (env >= 0)
        m_environment->setCurrentIndex(env);
    const int cred = m_credential->findData(r.credential);
    m_credential->setCurrentIndex(cred < 0 ? 0 : cred);
    const int profile = m_profile->findText(r.profile);
    m_profile->setCurrentIndex(profile < 0 ? 0 : profile);
    m_timeout->setValue(r.timeoutMs);
    m_retries->setValue(retries);
    m_headers->setRowCount(0);
    for (const auto &[name, value] : r.headers) {
        const int row = m_headers->rowCount();
        m_headers->insertRow(row);
        m_headers->setItem(row, 0, new QTableWidgetItem(name));
        m_headers->setItem(row, 1, new QTableWidgetItem(value));
    }
    m_body->setPlainText(r.body);
}

Endpoint RequestComposer::formRequest() const
{
    Endpoint ep;
    ep.id = ComposerEndpointId;
    ep.name = tr("Request composer");
    ep.environment = m_environment->currentData().toString();
    ep.method = m_method->currentText();
    ep.path = m_url->text().trimmed();
    for (int row = 0; row < m_headers->rowCount(); ++row) {
        const auto *name = m_headers->item(row, 0);
        const auto *value = m_headers->item(row, 1);
        if (name && !name->text().trimmed().isEmpty())
            ep.headers.append({name->text().trimmed(), value ? value->text() : QString()});
    }
    ep.body = m_body->toPlainText();
    ep.timeoutMs = m_timeout->value();
    ep.profile = m_profile->currentText();
    ep.credential = m_credential->currentData().toString();
    return ep;
}

void RequestComposer::send()
{
    if (m_sender->isBusy() || !m_send->isEnabled())
        return;
    const Endpoint ep = formRequest();
    if (ep.path.isEmpty()) {
        setStatus(tr("Enter a URL or a path first."), true);
        m_url->setFocus();
        return;
    }
    if (ep.path.contains(QStringLiteral("://")) && !isAbsoluteUrl(ep.path)) {
        setStatus(tr("\"%1\" is not an http(s) URL.").arg(ep.path), true);
        m_url->setFocus();
        return;
    }
    HttpRequestSpec spec;
    MonitorEngine *engine = m_session ? m_session->engine() : nullptr;
    const Credential *cred = m_workspace.credential(ep.credential);
    if (engine && m_workspace.environment(ep.environment)) {
        QString error;
        const auto resolved = engine->resolve(ep, &error);
        if (!resolved) {
            setStatus(error, true);
            return;
        }
        spec = *resolved;
    } else if (isAbsoluteUrl(ep.path) && !cred) {
        spec.method = ep.method;
        spec.url = QUrl(ep.path, QUrl::StrictMode);
        spec.headers = ep.headers;
        spec.body = ep.body.toUtf8();
        spec.timeoutMs = ep.timeoutMs;
        spec.profile = ep.profile;
        spec.endpoint = ep.id;
        if (!spec.url.isValid()) {
            setStatus(tr("\"%1\" is not a valid URL.").arg(ep.path), true);
            return;
        }
    } else {
        setStatus(cred ? tr("A credential needs a workspace with an environment to run in.")
                       : tr("Without an environment, enter a full http:// or https:// URL."),
                  true);
        return;
    }

    HistoryEntry entry;
    entry.request = ep;
    entry.retries = m_retries->value();
    entry.sentAtMs = QDateTime::currentMSecsSinceEpoch();
    m_history.prepend(entry);
    m_current = 0;
    auto *item = new QListWidgetItem(historyText(entry));
    m_historyList->blockSignals(true);
    m_historyList->insertItem(0, item);
    m_historyList->setCurrentRow(0);
    m_historyList->blockSignals(false);
    setBusy(true);
    dispatch(std::move(spec), cred && TokenService::handles(cred->method) ? cred->id : QString());
}

void RequestComposer::dispatch(HttpRequestSpec spec, const QString &tokenCredential)
{
    if (tokenCredential.isEmpty()) {
        setStatus(tr("Sending %1 %2 …")
                      .arg(spec.method, Redactor::shared().redactUrl(spec.url.toString())),
                  false);
        m_sender->send(spec, m_history.first().retries, m_backoff);
        return;
    }
    MonitorEngine *engine = m_session ? m_session->engine() : nullptr;
    TokenService *tokens = engine ? engine->tokenService(tokenCredential) : nullptr;
    if (!tokens) {
        onFinished(tr("credential %1 has no token service in this session: the engine starts one "
                      "for credentials that an endpoint of the workspace uses")
                       .arg(tokenCredential));
        return;
    }
    const QString token = tokens->token(); // never blocks; starts a token request if needed
    if (!token.isEmpty()) {
        spec.headers.append({QStringLiteral("Authorization"), QStringLiteral("Bearer ") + token});
        dispatch(std::move(spec), QString());
        return;
    }
    // Wait for the token request the call above started, without blocking the UI.
    setStatus(tr("Waiting for a token for %1 …").arg(tokenCredential), false);
    disconnect(m_tokenReady);
    disconnect(m_tokenFailed);
    m_tokenReady = connect(tokens, &TokenService::tokenReady, this, [this, spec, tokens]() mutable {
        disconnect(m_tokenReady);
        disconnect(m_tokenFailed);
        const QString t = tokens->token();
        if (t.isEmpty()) {
            onFinished(tr("the token service answered without a token"));
            return;
        }
        spec.headers.append({QStringLiteral("Authorization"), QStringLiteral("Bearer ") + t});
        dispatch(std::move(spec), QString());
    });
    m_tokenFailed = connect(tokens, &TokenService::tokenFailed, this,
                            [this, tokenCredential](const QString &message) {
                                disconnect(m_tokenReady);
                                disconnect(m_tokenFailed);
                                onFinished(tr("no token for %1: %2").arg(tokenCredential, message));
                            });
}

void RequestComposer::onAttempt(const ApiEvent &event)
{
    if (m_current < 0 || m_current >= m_history.size())
        return;
    HistoryEntry &entry = m_history[m_current];
    entry.attempts.append(event);
    if (m_historyList->currentRow() == m_current)
        m_result->showApiEvent(event, entry.attempts);
    if (auto *item = m_historyList->item(m_current))
        item->setText(historyText(entry));
    emit eventReady(event);
}

void RequestComposer::onFinished(const QString &reason)
{
    setBusy(false);
    disconnect(m_tokenReady);
    disconnect(m_tokenFailed);
    if (m_current < 0 || m_current >= m_history.size())
        return;
    HistoryEntry &entry = m_history[m_current];
    entry.outcome = reason;
    if (auto *item = m_historyList->item(m_current))
        item->setText(historyText(entry));
    if (entry.attempts.isEmpty()) {
        setStatus(tr("Not sent: %1").arg(reason), true);
    } else {
        const ApiEvent &last = entry.attempts.last();
        setStatus(tr("%1 · %2 · %3 ms · %n attempt(s) · %4", nullptr, int(entry.attempts.size()))
                      .arg(last.httpStatus ? QStringLiteral("HTTP %1").arg(*last.httpStatus)
                                           : last.networkError,
                           toQString(toString(last.category)))
                      .arg(last.durationMs, 0, 'f', 1)
                      .arg(reason),
                  false);
    }
    m_current = -1;
    emit finished(reason);
}

void RequestComposer::showHistoryEntry(int row)
{
    if (row < 0 || row >= m_history.size())
        return;
    const HistoryEntry &entry = m_history[row];
    loadForm(entry.request, entry.retries);
    if (entry.attempts.isEmpty())
        m_result->setHtml(tr("<p>%1</p>")
                              .arg(entry.outcome.isEmpty() ? tr("Waiting for the answer…")
                                                           : entry.outcome.toHtmlEscaped()));
    else
        m_result->showApiEvent(entry.attempts.last(), entry.attempts);
}

QString RequestComposer::historyText(const HistoryEntry &entry) const
{
    QString result = tr("sending…");
    if (!entry.attempts.isEmpty()) {
        const ApiEvent &last = entry.attempts.last();
        result = QStringLiteral("%1 %2").arg(last.httpStatus ? QString::number(*last.httpStatus)
                                                             : last.networkError,
                                             toQString(toString(last.category)));
    } else if (!entry.outcome.isEmpty()) {
        result = tr("not sent");
    }
    return QStringLiteral("%1  %2 %3\n→ %4")
        .arg(QDateTime::fromMSecsSinceEpoch(entry.sentAtMs).toString(QStringLiteral("HH:mm:ss")),
             entry.request.method, Redactor::shared().redactUrl(entry.request.path), result);
}

void RequestComposer::setBusy(bool busy)
{
    m_send->setEnabled(!busy);
    m_cancel->setEnabled(busy);
}

void RequestComposer::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

} // namespace hd
