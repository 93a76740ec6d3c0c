#include "secretdialog.h"

#include "sessionsecretstore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hd {

SecretDialog::SecretDialog(const QString &secretName, SecretStore *store, QWidget *parent,
                           const QString &storeMessage)
    : SecretDialog(secretName, SecretDialogTarget::fromStore(store, storeMessage), parent)
{}

SecretDialog::SecretDialog(const QString &secretName, MonitorSession *session, QWidget *parent)
    : SecretDialog(secretName, SecretDialogTarget::fromSession(session), parent)
{}

SecretDialog::SecretDialog(const QString &secretName, SecretDialogTarget target, QWidget *parent)
    : QDialog(parent)
    , m_name(secretName)
    , m_target(std::move(target))
{
    setObjectName(QStringLiteral("secretDialog"));
    setWindowTitle(tr("Secret %1").arg(secretName));

    auto *intro = new QLabel(
        tr("Enter the value of <b>%1</b>. A stored value is replaced; the value is never shown "
           "again and never written to the workspace file.")
            .arg(secretName.toHtmlEscaped()));
    intro->setWordWrap(true);

    m_value = new QLineEdit;
    m_value->setObjectName(QStringLiteral("secretValue"));
    m_value->setEchoMode(QLineEdit::Password);
    m_value->setAttribute(Qt::WA_InputMethodEnabled, false);
    m_value->setPlaceholderText(tr("secret value"));

    auto *where = new QLabel(m_target.description());
    where->setObjectName(QStringLiteral("secretWhere"));
    where->setWordWrap(true);
    where->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto *noKeychain = new QLabel;
    noKeychain->setObjectName(QStringLiteral("secretNoKeychain"));
    noKeychain->setWordWrap(true);
    noKeychain->setStyleSheet(
        QStringLiteral("background:#fff4d6; color:#4a3700; padding:8px; border-radius:3px;"));
    m_sessionOnly
        = new QCheckBox(tr("Keep it for this session only (forgotten when HealthDeck quits)"));
    m_sessionOnly->setObjectName(QStringLiteral("secretSessionOnly"));
    const bool persistent = m_target.persistent();
    const QString storeMessage = m_target.reason();
    if (!persistent) {
        QString text = tr("<b>No keychain is available.</b> HealthDeck never stores secrets in "
                          "plain text, so this value can only be kept in memory for this "
                          "session. Start a keychain (Secret Service, e.g. GNOME Keyring or "
                          "KWallet) to keep it across restarts.");
        if (!storeMessage.isEmpty())
            text += QStringLiteral("<br><small>%1</small>").arg(storeMessage.toHtmlEscaped());
        noKeychain->setText(text);
    }
    noKeychain->setVisible(!persistent);
    m_sessionOnly->setVisible(!persistent);
    connect(m_sessionOnly, &QCheckBox::toggled, this, &SecretDialog::updateSaveEnabled);
    connect(m_value, &QLineEdit::textChanged, this, &SecretDialog::updateSaveEnabled);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("secretStatus"));
    m_status->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("secretSave"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &SecretDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &SecretDialog::reject);

    auto *form = new QFormLayout;
    form->addRow(tr("Value"), m_value);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(where);
    layout->addWidget(noKeychain);
    layout->addWidget(m_sessionOnly);
    layout->addWidget(m_status);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
    resize(480, sizeHint().height());
    updateSaveEnabled();
}

SecretDialog::~SecretDialog()
{
    // Do not leave the typed value in the widget's buffer longer than needed.
    m_value->clear();
}

void SecretDialog::updateSaveEnabled()
{
    const bool allowed = m_target.isValid() && !m_writing && !m_value->text().isEmpty()
                         && (m_target.persistent() || m_sessionOnly->isChecked());
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(allowed);
}

void SecretDialog::accept()
{
    if (!m_target.isValid()) {
        m_status->setText(tr("There is no secret store in this session."));
        return;
    }
    if (m_value->text().isEmpty()) {
        m_status->setText(tr("Enter a value, or Cancel to keep the stored one."));
        return;
    }
    const bool persistent = m_target.persistent();
    if (!persistent && !m_sessionOnly->isChecked()) {
        m_status->setText(
            tr("Tick \"keep it for this session only\" to store it without a keychain."));
        return;
    }
    m_writing = true;
    updateSaveEnabled();
    m_value->setEnabled(false);
    m_status->setStyleSheet(QString());
    m_status->setText(persistent ? tr("Storing in the keychain…")
                                 : tr("Keeping it for this session…"));
    // Asynchronous: a keychain may ask the user or talk D-Bus; the UI keeps running.
    m_target.write(m_name, m_value->text(), !persistent, this, [this](const QString &error) {
        m_writing = false;
        m_value->setEnabled(true);
        if (!error.isEmpty()) {
            m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
            m_status->setText(error);
            updateSaveEnabled();
            return;
        }
        m_value->clear();
        emit secretStored(m_name);
        QDialog::accept();
    });
}

} // namespace hd
