#include "environmentdialog.h"

#include "urljoin.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace hd {

EnvironmentDialog::EnvironmentDialog(const Workspace &context, int index, QWidget *parent)
    : ItemDialog(context, QStringLiteral("environments"), index, parent)
    , m_item(index >= 0 ? context.environments.value(index) : Environment{})
{
    setObjectName(QStringLiteral("environmentDialog"));
    setWindowTitle(isNew() ? tr("New environment") : tr("Environment %1").arg(m_item.id));
    auto edit = [](const QString &name, const QString &text, const QString &placeholder) {
        auto *e = new QLineEdit(text);
        e->setObjectName(name);
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_id = edit(QStringLiteral("envId"), m_item.id, tr("prod"));
    m_name = edit(QStringLiteral("envName"), m_item.name, tr("Production"));
    m_baseUrl = edit(QStringLiteral("envBaseUrl"), m_item.baseUrl,
                     tr("https://api.example.com, or sim:/prod for the built-in simulator"));
    m_caFile = edit(QStringLiteral("envCaFile"), m_item.caFile,
                    tr("optional: PEM file of a private CA"));
    m_errors->addRow(QStringLiteral("id"), tr("Id"), m_id);
    m_errors->addRow(QStringLiteral("name"), tr("Name"), m_name);
    m_errors->addRow(QStringLiteral("baseUrl"), tr("Base URL"), m_baseUrl);
    m_caMode = new QComboBox;
    m_caMode->setObjectName(QStringLiteral("envCaMode"));
    m_caMode->addItem(tr("Add to the system's trusted CAs"), QStringLiteral("add"));
    m_caMode->addItem(tr("Replace the system's trusted CAs (trust only this file)"),
                      QStringLiteral("replace"));
    m_caMode->setCurrentIndex(m_item.caMode == Environment::CaMode::Replace ? 1 : 0);
    m_trustNote = new QLabel;
    m_trustNote->setObjectName(QStringLiteral("envTrustNote"));
    m_trustNote->setWordWrap(true);
    m_pins = edit(QStringLiteral("envPins"), m_item.pins.join(QStringLiteral(", ")),
                  tr("optional: SPKI pins (base64 SHA-256), comma separated"));
    m_clientCert = edit(QStringLiteral("envClientCert"), m_item.clientCertFile,
                        tr("optional: client certificate (PEM, or .p12/.pfx)"));
    m_clientKey = edit(QStringLiteral("envClientKey"), m_item.clientKeyFile,
                       tr("PEM private key (not needed with PKCS#12)"));
    m_clientKeySecret = edit(QStringLiteral("envClientKeySecret"), m_item.clientKeySecret,
                             tr("keychain name of the key's passphrase"));
    m_minTls = new QComboBox;
    m_minTls->setObjectName(QStringLiteral("envMinTls"));
    m_minTls->addItem(tr("Qt's default"), QString());
    m_minTls->addItem(QStringLiteral("TLS 1.2"), QStringLiteral("1.2"));
    m_minTls->addItem(QStringLiteral("TLS 1.3"), QStringLiteral("1.3"));
    m_minTls->setCurrentIndex(std::max(0, m_minTls->findData(m_item.minTls)));
    m_http2 = new QCheckBox(tr("Offer HTTP/2 (used when the server picks it)"));
    m_http2->setObjectName(QStringLiteral("envHttp2"));
    m_http2->setChecked(m_item.http2);
    m_proxyMode = new QComboBox;
    m_proxyMode->setObjectName(QStringLiteral("envProxyMode"));
    m_proxyMode->addItem(tr("System settings (http_proxy, https_proxy, no_proxy)"),
                         QStringLiteral("system"));
    m_proxyMode->addItem(tr("No proxy"), QStringLiteral("none"));
    m_proxyMode->addItem(tr("HTTP proxy (CONNECT)"), QStringLiteral("http"));
    m_proxyMode->addItem(tr("SOCKS5 proxy"), QStringLiteral("socks5"));
    m_proxyMode->setCurrentIndex(std::max(0, m_proxyMode->findData(toString(m_item.proxy.mode))));
    m_proxyHost = edit(QStringLiteral("envProxyHost"), m_item.proxy.host, tr("proxy host"));
    m_proxyPort = new QSpinBox;
    m_proxyPort->setObjectName(QStringLiteral("envProxyPort"));
    m_proxyPort->setRange(0, 65535);
    m_proxyPort->setValue(m_item.proxy.port);
    m_proxyUser
        = edit(QStringLiteral("envProxyUser"), m_item.proxy.username, tr("optional: proxy user"));
    m_proxySecret = edit(QStringLiteral("envProxySecret"), m_item.proxy.passwordSecret,
                         tr("keychain name of the proxy password"));

    m_errors->addRow(QStringLiteral("caFile"), tr("CA file"), m_caFile);
    m_allowInsecureSecrets = new QCheckBox(tr("Send stored secrets over plain http:// too"));
    m_allowInsecureSecrets->setObjectName(QStringLiteral("envAllowInsecureSecrets"));
    m_allowInsecureSecrets->setToolTip(
        tr("Off (the default): a secret is never sent over http:// to a host that is not this "
           "machine. Turn on only for a test rig on a network you trust."));
    m_allowInsecureSecrets->setChecked(m_item.allowInsecureSecrets);
    m_errors->addRow(QStringLiteral("allowInsecureSecrets"), tr("Insecure"),
                     m_allowInsecureSecrets);
    m_errors->addRow(QStringLiteral("caMode"), tr("CA file use"), m_caMode);
    m_errors->addRow(QStringLiteral("trust"), tr("Trust in force"), m_trustNote);
    m_errors->addRow(QStringLiteral("pins"), tr("Pins"), m_pins);
    m_errors->addRow(QStringLiteral("clientCertificate"), tr("Client certificate"), m_clientCert);
    m_errors->addRow(QStringLiteral("clientKey"), tr("Client key"), m_clientKey);
    m_errors->addRow(QStringLiteral("passphraseSecret"), tr("Key passphrase secret"),
                     m_clientKeySecret);
    m_errors->addRow(QStringLiteral("minTls"), tr("Minimum TLS"), m_minTls);
    m_errors->addRow(QStringLiteral("http2"), tr("HTTP/2"), m_http2);
    m_errors->addRow(QStringLiteral("proxy"), tr("Proxy"), m_proxyMode);
    m_errors->addRow(QStringLiteral("proxyHost"), tr("Proxy host"), m_proxyHost);
    m_errors->addRow(QStringLiteral("proxyPort"), tr("Proxy port"), m_proxyPort);
    m_errors->addRow(QStringLiteral("proxyUser"), tr("Proxy user"), m_proxyUser);
    m_errors->addRow(QStringLiteral("proxySecret"), tr("Proxy password secret"), m_proxySecret);
    connect(m_caFile, &QLineEdit::textChanged, this, &EnvironmentDialog::updateTrustNote);
    connect(m_caMode, &QComboBox::currentIndexChanged, this, &EnvironmentDialog::updateTrustNote);
    updateTrustNote();
    resize(560, sizeHint().height());
}

void EnvironmentDialog::updateTrustNote()
{
    // Say plainly what a TLS server of this environment must present to be trusted.
    const QString file = m_caFile->text().trimmed();
    if (file.isEmpty())
        m_trustNote->setText(tr("The system's trusted CAs only."));
    else if (m_caMode->currentData().toString() == u"replace")
        m_trustNote->setText(
            tr("Only the CAs in %1: servers with public certificates are refused.").arg(file));
    else
        m_trustNote->setText(tr("The system's trusted CAs plus those in %1.").arg(file));
}

bool EnvironmentDialog::readForm()
{
    m_item.id = m_id->text().trimmed();
    m_item.name = m_name->text().trimmed();
    m_item.baseUrl = m_baseUrl->text().trimmed();
    m_item.caFile = m_caFile->text().trimmed();
    m_item.allowInsecureSecrets = m_allowInsecureSecrets->isChecked();
    m_item.caMode = m_caMode->currentData().toString() == u"replace" ? Environment::CaMode::Replace
                                                                     : Environment::CaMode::Add;
    m_item.pins.clear();
    for (const QString &pin : m_pins->text().split(u',', Qt::SkipEmptyParts)) {
        const QString p = pin.trimmed();
        if (QByteArray::fromBase64(p.toLatin1(), QByteArray::AbortOnBase64DecodingErrors).size()
            != 32)
            return !m_errors->show(
                QStringLiteral("pins"),
                tr("\"%1\" is not a base64 SHA-256 digest (44 characters)").arg(p));
        m_item.pins.append(p);
    }
    m_item.clientCertFile = m_clientCert->text().trimmed();
    m_item.clientKeyFile = m_clientKey->text().trimmed();
    m_item.clientKeySecret = m_clientKeySecret->text().trimmed();
    if (m_item.clientCertFile.isEmpty() && !m_item.clientKeyFile.isEmpty())
        return !m_errors->show(QStringLiteral("clientCertificate"),
                               tr("is required when a client key is set"));
    m_item.minTls = m_minTls->currentData().toString();
    m_item.http2 = m_http2->isChecked();
    m_item.proxy.mode = proxyModeFromString(m_proxyMode->currentData().toString())
                            .value_or(ProxySettings::Mode::System);
    m_item.proxy.host = m_proxyHost->text().trimmed();
    m_item.proxy.port = m_proxyPort->value();
    m_item.proxy.username = m_proxyUser->text().trimmed();
    m_item.proxy.passwordSecret = m_proxySecret->text().trimmed();
    if ((m_item.proxy.mode == ProxySettings::Mode::Http
         || m_item.proxy.mode == ProxySettings::Mode::Socks5)
        && (m_item.proxy.host.isEmpty() || m_item.proxy.port == 0))
        return !m_errors->show(QStringLiteral("proxyHost"),
                               tr("an HTTP or SOCKS5 proxy needs a host and a port"));
    const QString &u = m_item.baseUrl;
    if (u.isEmpty())
        return !m_errors->show(QStringLiteral("baseUrl"), tr("is required"));
    if (!u.startsWith(QStringLiteral("http://")) && !u.startsWith(QStringLiteral("https://"))
        && !isSimulatorUrl(u))
        return !m_errors->show(QStringLiteral("baseUrl"),
                               tr("must start with http://, https://, sim: or sim+tls…: (the "
                                  "built-in simulator, plain or HTTPS)"));
    return true;
}

Workspace EnvironmentDialog::candidate() const
{
    Workspace ws = m_context;
    if (isNew())
        ws.environments.append(m_item);
    else
        ws.environments[m_index] = m_item;
    return ws;
}

} // namespace hd
