#include "metricsoptin.h"

#include "metricsaddress.h"

#include <QAction>
#include <QInputDialog>
#include <QMessageBox>
#include <QSettings>
#include <QWidget>

namespace hd {

namespace {
const QString EnabledKey = QStringLiteral("metrics/enabled");
const QString AddressKey = QStringLiteral("metrics/address");
} // namespace

MetricsOptIn::MetricsOptIn(QWidget *dialogParent)
    : QObject(dialogParent)
    , m_dialogParent(dialogParent)
    , m_toggle(new QAction(tr("Serve Prometheus /&metrics"), this))
    , m_address(new QAction(tr("Metrics &Address…"), this))
{
    m_toggle->setObjectName(QStringLiteral("actionServeMetrics"));
    m_toggle->setCheckable(true);
    m_toggle->setToolTip(tr("Serve this console's counters in the Prometheus text format "
                            "(loopback unless another address is set)"));
    m_address->setObjectName(QStringLiteral("actionMetricsAddress"));
    connect(m_toggle, &QAction::triggered, this, [this](bool on) {
        const QString error = setEnabled(on);
        if (!error.isEmpty())
            QMessageBox::warning(m_dialogParent, tr("Prometheus metrics"), error);
    });
    connect(m_address, &QAction::triggered, this, &MetricsOptIn::askAddress);
}

void MetricsOptIn::setSession(MonitorSession *session)
{
    m_exporter.setSession(session);
}

QString MetricsOptIn::address() const
{
    return QSettings().value(AddressKey, QString::fromLatin1(DefaultAddress)).toString();
}

QString MetricsOptIn::setAddress(const QString &text)
{
    QString why;
    const auto parsed = MetricsAddress::parse(text.trimmed(), &why);
    if (!parsed)
        return tr("“%1” is not an address to listen on: %2").arg(text.trimmed(), why);
    QSettings().setValue(AddressKey, MetricsAddress::format(parsed->host, parsed->port));
    if (m_exporter.isRunning()) {
        m_exporter.stop();
        return start();
    }
    announce();
    return {};
}

QString MetricsOptIn::setEnabled(bool on)
{
    if (!on) {
        QSettings().setValue(EnabledKey, false);
        m_exporter.stop();
        m_toggle->setChecked(false);
        announce();
        return {};
    }
    const QString error = m_exporter.isRunning() ? QString() : start();
    if (error.isEmpty())
        QSettings().setValue(EnabledKey, true);
    return error;
}

void MetricsOptIn::restore()
{
    if (QSettings().value(EnabledKey, false).toBool()) {
        // A port taken by another program is not worth a dialog at start-up: the status bar
        // says why, and the menu stays unchecked.
        start();
    } else {
        announce();
    }
}

QString MetricsOptIn::start()
{
    QString why;
    const auto parsed = MetricsAddress::parse(address(), &why);
    QString error;
    if (!parsed)
        error = tr("The remembered metrics address “%1” is not valid: %2").arg(address(), why);
    else
        error = m_exporter.start(parsed->host, parsed->port);
    if (!error.isEmpty())
        error = tr("Could not serve /metrics on %1: %2").arg(address(), error);
    m_toggle->setChecked(error.isEmpty());
    announce(error);
    return error;
}

void MetricsOptIn::askAddress()
{
    bool ok = false;
    const QString text = QInputDialog::getText(
        m_dialogParent, tr("Prometheus metrics"),
        tr("Listen on HOST:PORT (127.0.0.1 keeps it on this machine; port 0 picks a free one):"),
        QLineEdit::Normal, address(), &ok);
    if (!ok)
        return;
    const QString error = setAddress(text);
    if (!error.isEmpty())
        QMessageBox::warning(m_dialogParent, tr("Prometheus metrics"), error);
}

void MetricsOptIn::announce(const QString &error)
{
    if (!error.isEmpty())
        emit stateChanged(tr("/metrics off: %1").arg(error));
    else if (m_exporter.isRunning())
        emit stateChanged(tr("/metrics at %1").arg(m_exporter.url().toString()));
    else
        emit stateChanged(QString());
}

} // namespace hd
