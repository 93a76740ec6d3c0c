#include "credentialdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

namespace hd {

namespace {

const QList<Credential::Method> Methods{
    Credential::Method::None,          Credential::Method::Bearer,
    Credential::Method::ApiKeyHeader,  Credential::Method::ApiKeyQuery,
    Credential::Method::Basic,         Credential::Method::OAuth2ClientCredentials,
    Credential::Method::TradovateToken};

QString methodLabel(Credential::Method m)
{
    switch (m) {
    case Credential::Method::None:
        return QObject::tr("None");
    case Credential::Method::Bearer:
        return QObject::tr("Static bearer token");
    case Credential::Method::ApiKeyHeader:
        return QObject::tr("API key in a header");
    case Credential::Method::ApiKeyQuery:
        return QObject::tr("API key in the query string");
    case Credential::Method::Basic:
        return QObject::tr("HTTP Basic (user and password)");
    case Credential::Method::OAuth2ClientCredentials:
        return QObject::tr("OAuth2 client credentials");
    case Credential::Method::TradovateToken:
        return QObject::tr("Tradovate access token");
    }
    return {};
}

QString secretLabel(Credential::Method m)
{
    switch (m) {
    case Credential::Method::Bearer:
        return QObject::tr("Token");
    case Credential::Method::ApiKeyHeader:
    case Credential::Method::ApiKeyQuery:
        return QObject::tr("API key");
    case Credential::Method::Basic:
    case Credential::Method::TradovateToken:
        return QObject::tr("Password");
    case Credential::Method::OAuth2ClientCredentials:
        return QObject::tr("Client secret");
    case Credential::Method::None:
        break;
    }
    return QObject::tr("Secret");
}

} // namespace

CredentialDialog::CredentialDialog(const Workspace &context, int index, SecretDialogTarget secrets,
                                   QWidget *parent)
    : ItemDialog(context, QStringLiteral("credentials"), index, parent)
    , m_item(index >= 0 ? context.credentials.value(index) : Credential{})
    , m_secrets(std::move(secrets))
{
    setObjectName(QStringLiteral("credentialDialog"));
    setWindowTitle(isNew() ? tr("New credential") : tr("Credential %1").arg(m_item.id));
    if (isNew()) {
        m_item.headerName = QStringLiteral("X-Api-Key");
        m_item.queryName = QStringLiteral("api_key");
    }
    auto edit = [](const QString &name, const QString &text, const QString &placeholder = {}) {
        auto *e = new QLineEdit(text);
        e->setObjectName(name);
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_id = edit(QStringLiteral("credId"), m_item.id, tr("trading-oauth (no spaces)"));
    m_name = edit(QStringLiteral("credName"), m_item.name);
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("credMethod"));
    for (auto m : Methods)
        m_method->addItem(methodLabel(m), toString(m));
    m_method->setCurrentIndex(std::max(0, m_method->findData(toString(m_item.method))));
    m_environment = new QComboBox;
    m_environment->setObjectName(QStringLiteral("credEnvironment"));
    m_environment->addItem(tr("(every environment)"), QString());
    for (const auto &e : context.environments)
        m_environment->addItem(e.id, e.id);
    m_environment->setCurrentIndex(std::max(0, m_environment->findData(m_item.environment)));
    m_tokenUrl = edit(QStringLiteral("credTokenUrl"), m_item.tokenUrl,
                      tr("https://auth.example.com/oauth/token or sim:/s000/oauth/token"));
    m_clientId = edit(QStringLiteral("credClientId"), m_item.clientId);
    m_audience = edit(QStringLiteral("credAudience"), m_item.audience);
    m_scope = edit(QStringLiteral("credScope"), m_item.scope, tr("space-separated scopes"));
    m_username = edit(QStringLiteral("credUsername"), m_item.username);
    m_appId = edit(QStringLiteral("credAppId"), m_item.appId);
    m_cid = edit(QStringLiteral("credCid"), m_item.cid);
    m_headerName = edit(QStringLiteral("credHeaderName"), m_item.headerName);
    m_queryName = edit(QStringLiteral("credQueryName"), m_item.queryName);
    m_secretName = edit(QStringLiteral("credSecretName"), m_item.secretName,
                        tr("name in the keychain, e.g. TRADING_CLIENT_SECRET"));
    m_secretValue = edit(QStringLiteral("credSecretValue"), QString(),
                         tr("leave empty to keep the stored value"));
    m_secretValue->setEchoMode(QLineEdit::Password);
    m_secondSecretName = edit(QStringLiteral("credSecondSecretName"), m_item.secondSecretName,
                              tr("name of the API secret (\"sec\")"));
    m_secondSecretValue = edit(QStringLiteral("credSecondSecretValue"), QString(),
                               tr("leave empty to keep the stored value"));
    m_secondSecretValue->setEchoMode(QLineEdit::Password);

    m_errors->addRow(QStringLiteral("id"), tr("Id"), m_id);
    m_errors->addRow(QStringLiteral("name"), tr("Name"), m_name);
    m_errors->addRow(QStringLiteral("method"), tr("Method"), m_method);
    m_errors->addRow(QStringLiteral("environment"), tr("Environment"), m_environment);
    m_errors->addRow(QStringLiteral("tokenUrl"), tr("Token URL"), m_tokenUrl);
    m_errors->addRow(QStringLiteral("clientId"), tr("Client id"), m_clientId);
    m_errors->addRow(QStringLiteral("audience"), tr("Audience"), m_audience);
    m_errors->addRow(QStringLiteral("scope"), tr("Scope"), m_scope);
    m_errors->addRow(QStringLiteral("username"), tr("User name"), m_username);
    m_errors->addRow(QStringLiteral("appId"), tr("App id"), m_appId);
    m_errors->addRow(QStringLiteral("cid"), tr("cid"), m_cid);
    m_errors->addRow(QStringLiteral("headerName"), tr("Header"), m_headerName);
    m_errors->addRow(QStringLiteral("queryName"), tr("Query parameter"), m_queryName);
    m_errors->addRow(QStringLiteral("secretName"), tr("Secret name"), m_secretName);
    m_errors->addRow(QStringLiteral("secretValue"), tr("Secret value"), m_secretValue);
    m_errors->addRow(QStringLiteral("secondSecretName"), tr("Second secret name"),
                     m_secondSecretName);
    m_errors->addRow(QStringLiteral("secondSecretValue"), tr("Second secret value"),
                     m_secondSecretValue);

    m_storeNote = new QLabel;
    m_storeNote->setObjectName(QStringLiteral("credStoreNote"));
    m_storeNote->setWordWrap(true);
    m_sessionOnly = new QCheckBox(tr("Keep the values for this session only"));
    m_sessionOnly->setObjectName(QStringLiteral("credSessionOnly"));
    const bool persistent = m_secrets.persistent();
    if (persistent) {
        m_storeNote->setText(tr("Secret values go to the OS keychain; the workspace file keeps "
                                "only their names."));
        m_storeNote->setStyleSheet(QStringLiteral("color: palette(mid);"));
    } else {
        m_storeNote->setText(tr("<b>No keychain is available.</b> Values typed here can only be "
                                "kept in memory for this session — never in a file."));
        m_storeNote->setStyleSheet(
            QStringLiteral("background:#fff4d6; color:#4a3700; padding:6px;"));
    }
    m_sessionOnly->setVisible(!persistent);
    m_extra->addWidget(m_storeNote);
    m_extra->addWidget(m_sessionOnly);

    connect(m_method, &QComboBox::currentIndexChanged, this, &CredentialDialog::updateRows);
    updateRows();
    resize(600, sizeHint().height());
}

CredentialDialog::~CredentialDialog()
{
    m_secretValue->clear();
    m_secondSecretValue->clear();
}

void CredentialDialog::updateRows()
{
    using M = Credential::Method;
    const auto m = credentialMethodFromString(m_method->currentData().toString()).value_or(M::None);
    const bool token = m == M::OAuth2ClientCredentials || m == M::TradovateToken;
    const bool oauth = m == M::OAuth2ClientCredentials;
    const bool tradovate = m == M::TradovateToken;
    m_errors->setRowVisible(QStringLiteral("tokenUrl"), token);
    m_errors->setRowVisible(QStringLiteral("clientId"), oauth);
    m_errors->setRowVisible(QStringLiteral("audience"), oauth);
    m_errors->setRowVisible(QStringLiteral("scope"), oauth);
    m_errors->setRowVisible(QStringLiteral("username"), m == M::Basic || tradovate);
    m_errors->setRowVisible(QStringLiteral("appId"), tradovate);
    m_errors->setRowVisible(QStringLiteral("cid"), tradovate);
    m_errors->setRowVisible(QStringLiteral("headerName"), m == M::ApiKeyHeader);
    m_errors->setRowVisible(QStringLiteral("queryName"), m == M::ApiKeyQuery);
    m_errors->setRowVisible(QStringLiteral("secretName"), m != M::None);
    m_errors->setRowVisible(QStringLiteral("secretValue"), m != M::None);
    m_errors->setRowVisible(QStringLiteral("secondSecretName"), tradovate);
    m_errors->setRowVisible(QStringLiteral("secondSecretValue"), tradovate);
    m_secretValue->setPlaceholderText(
        tr("%1 — leave empty to keep the stored value").arg(secretLabel(m)));
    adjustSize();
}

bool CredentialDialog::readForm()
{
    using M = Credential::Method;
    m_item.id = m_id->text().trimmed();
    m_item.name = m_name->text().trimmed();
    if (m_item.name.isEmpty())
        m_item.name = m_item.id;
    m_item.method
        = credentialMethodFromString(m_method->currentData().toString()).value_or(M::None);
    m_item.environment = m_environment->currentData().toString();
    const bool oauth = m_item.method == M::OAuth2ClientCredentials;
    const bool tradovate = m_item.method == M::TradovateToken;
    m_item.tokenUrl = oauth || tradovate ? m_tokenUrl->text().trimmed() : QString();
    m_item.clientId = oauth ? m_clientId->text().trimmed() : QString();
    m_item.audience = oauth ? m_audience->text().trimmed() : QString();
    m_item.scope = oauth ? m_scope->text().trimmed() : QString();
    m_item.username
        = m_item.method == M::Basic || tradovate ? m_username->text().trimmed() : QString();
    m_item.appId = tradovate ? m_appId->text().trimmed() : QString();
    m_item.cid = tradovate ? m_cid->text().trimmed() : QString();
    m_item.headerName = m_headerName->text().trimmed();
    m_item.queryName = m_queryName->text().trimmed();
    if (m_item.method == M::ApiKeyHeader && m_item.headerName.isEmpty())
        return !m_errors->show(QStringLiteral("headerName"), tr("is required"));
    if (m_item.method == M::ApiKeyQuery && m_item.queryName.isEmpty())
        return !m_errors->show(QStringLiteral("queryName"), tr("is required"));
    static const QRegularExpression secretNamePattern(QStringLiteral("^[A-Za-z0-9_.-]*$"));
    m_item.secretName = m_item.method == M::None ? QString() : m_secretName->text().trimmed();
    m_item.secondSecretName = tradovate ? m_secondSecretName->text().trimmed() : QString();
    for (const auto &[key, value] :
         {std::pair{QStringLiteral("secretName"), m_item.secretName},
          std::pair{QStringLiteral("secondSecretName"), m_item.secondSecretName}})
        if (!secretNamePattern.match(value).hasMatch())
            return !m_errors->show(
                key, tr("use letters, digits, '_', '.' and '-' only (it also names the "
                        "HDECK_SECRET_… environment variable)"));
    if (tradovate && m_item.secondSecretName.isEmpty())
        return !m_errors->show(QStringLiteral("secondSecretName"),
                               tr("is required for a Tradovate token (the API secret \"sec\")"));
    if (!m_secretValue->text().isEmpty() || !m_secondSecretValue->text().isEmpty()) {
        if (!m_secrets.isValid())
            return !m_errors->show(QStringLiteral("secretValue"),
                                   tr("there is no secret store in this session"));
        if (!m_secrets.persistent() && !m_sessionOnly->isChecked())
            return !m_errors->show(
                QStringLiteral("secretValue"),
                tr("no keychain: tick \"keep the values for this session only\" to use them"));
    }
    return true;
}

Workspace CredentialDialog::candidate() const
{
    Workspace ws = m_context;
    if (isNew())
        ws.credentials.append(m_item);
    else
        ws.credentials[m_index] = m_item;
    return ws;
}

void CredentialDialog::finish()
{
    QList<std::pair<QString, QString>> pending;
    if (!m_secretValue->text().isEmpty() && !m_item.secretName.isEmpty())
        pending.append({m_item.secretName, m_secretValue->text()});
    if (!m_secondSecretValue->text().isEmpty() && !m_item.secondSecretName.isEmpty())
        pending.append({m_item.secondSecretName, m_secondSecretValue->text()});
    if (pending.isEmpty()) {
        QDialog::accept();
        return;
    }
    m_buttons->setEnabled(false);
    m_storeNote->setText(m_secrets.persistent() ? tr("Storing in the keychain…")
                                                : tr("Keeping the values for this session…"));
    writeNext(std::move(pending));
}

void CredentialDialog::writeNext(QList<std::pair<QString, QString>> pending)
{
    if (pending.isEmpty()) {
        m_secretValue->clear();
        m_secondSecretValue->clear();
        QDialog::accept();
        return;
    }
    // Plain variables, not a structured binding: clang 14 (the sanitizer build) cannot capture
    // a structured binding in a lambda.
    const auto next = pending.takeFirst();
    const QString name = next.first;
    const QString value = next.second;
    const bool second = name == m_item.secondSecretName && name != m_item.secretName;
    // Asynchronous (a keychain may prompt or talk D-Bus); the UI keeps running meanwhile.
    m_secrets.write(name, value, !m_secrets.persistent(), this,
                    [this, name, second, pending = std::move(pending)](const QString &error) {
                        if (!error.isEmpty()) {
                            m_buttons->setEnabled(true);
                            m_errors->show(second ? QStringLiteral("secondSecretValue")
                                                  : QStringLiteral("secretValue"),
                                           error);
                            return;
                        }
                        m_stored.append(name);
                        writeNext(pending);
                    });
}

} // namespace hd
