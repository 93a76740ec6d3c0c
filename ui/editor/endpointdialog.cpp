#include "endpointdialog.h"

#include "profileregistry.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFontDatabase>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace hd {

EndpointDialog::EndpointDialog(const Workspace &context, int index, QWidget *parent)
    : ItemDialog(context, QStringLiteral("endpoints"), index, parent)
    , m_item(index >= 0 ? context.endpoints.value(index) : Endpoint{})
{
    setObjectName(QStringLiteral("endpointDialog"));
    setWindowTitle(isNew() ? tr("New endpoint") : tr("Endpoint %1").arg(m_item.id));
    if (isNew() && !context.environments.isEmpty())
        m_item.environment = context.environments.first().id;

    m_id = new QLineEdit(m_item.id);
    m_id->setObjectName(QStringLiteral("endpointId"));
    m_id->setPlaceholderText(tr("prod.orders.list (no spaces)"));
    m_name = new QLineEdit(m_item.name);
    m_name->setObjectName(QStringLiteral("endpointName"));
    m_environment = new QComboBox;
    m_environment->setObjectName(QStringLiteral("endpointEnvironment"));
    for (const auto &e : context.environments)
        m_environment->addItem(QStringLiteral("%1 — %2").arg(e.id, e.baseUrl), e.id);
    m_environment->setCurrentIndex(std::max(0, m_environment->findData(m_item.environment)));
    m_method = new QComboBox;
    m_method->setObjectName(QStringLiteral("endpointMethod"));
    m_method->addItems({QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PUT"),
                        QStringLiteral("PATCH"), QStringLiteral("DELETE"), QStringLiteral("HEAD"),
                        QStringLiteral("OPTIONS")});
    m_method->setCurrentText(m_item.method);
    m_path = new QLineEdit(m_item.path);
    m_path->setObjectName(QStringLiteral("endpointPath"));
    m_path->setPlaceholderText(tr("/v1/orders (under the base URL) or a full https:// URL"));
    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_headers = new QPlainTextEdit;
    m_headers->setObjectName(QStringLiteral("endpointHeaders"));
    m_headers->setFont(fixed);
    m_headers->setPlaceholderText(tr("Accept: application/json\n(one \"Name: value\" per line; "
                                     "credentials are applied separately)"));
    QStringList headerLines;
    for (const auto &[k, v] : m_item.headers)
        headerLines.append(QStringLiteral("%1: %2").arg(k, v));
    m_headers->setPlainText(headerLines.join(u'\n'));
    m_headers->setFixedHeight(m_headers->fontMetrics().height() * 4 + 12);
    m_body = new QPlainTextEdit(m_item.body);
    m_body->setObjectName(QStringLiteral("endpointBody"));
    m_body->setFont(fixed);
    m_body->setFixedHeight(m_body->fontMetrics().height() * 4 + 12);
    // Spin boxes accept the file's whole range, so the file's rules decide (and explain).
    m_interval = new QSpinBox;
    m_interval->setObjectName(QStringLiteral("endpointInterval"));
    m_interval->setRange(0, 86400000);
    m_interval->setSingleStep(1000);
    m_interval->setSuffix(QStringLiteral(" ms"));
    m_interval->setValue(m_item.intervalMs);
    m_timeout = new QSpinBox;
    m_timeout->setObjectName(QStringLiteral("endpointTimeout"));
    m_timeout->setRange(0, 600000);
    m_timeout->setSingleStep(1000);
    m_timeout->setSuffix(QStringLiteral(" ms"));
    m_timeout->setValue(m_item.timeoutMs);
    m_profile = new QComboBox;
    m_profile->setObjectName(QStringLiteral("endpointProfile"));
    m_profile->addItem(QStringLiteral("auto"));
    for (const Profile *p : ProfileRegistry::shared()->all())
        m_profile->addItem(p->name);
    m_profile->setEditable(true);
    m_profile->setCurrentText(m_item.profile);
    m_credential = new QComboBox;
    m_credential->setObjectName(QStringLiteral("endpointCredential"));
    m_credential->addItem(tr("(none)"), QString());
    for (const auto &c : context.credentials)
        m_credential->addItem(QStringLiteral("%1 — %2").arg(c.id, toString(c.method)), c.id);
    m_credential->setCurrentIndex(std::max(0, m_credential->findData(m_item.credential)));
    m_quotaShare = new QDoubleSpinBox;
    m_quotaShare->setObjectName(QStringLiteral("endpointQuotaShare"));
    m_quotaShare->setDecimals(3);
    m_quotaShare->setRange(0, 1);
    m_quotaShare->setSingleStep(0.05);
    m_quotaShare->setValue(m_item.quotaShare);
    m_quotaShare->setToolTip(tr("At most this share of the API's quota is spent by HealthDeck"));
    QStringList statuses;
    for (int s : std::as_const(m_item.expect.statuses))
        statuses.append(QString::number(s));
    m_statuses = new QLineEdit(statuses.join(QStringLiteral(", ")));
    m_statuses->setObjectName(QStringLiteral("endpointStatuses"));
    m_statuses->setPlaceholderText(tr("any 2xx, or e.g. 200, 204"));
    m_bodyPointer = new QLineEdit(m_item.expect.bodyPointer);
    m_bodyPointer->setObjectName(QStringLiteral("endpointBodyPointer"));
    m_bodyPointer->setPlaceholderText(
        tr("optional JSON pointer that must be present, e.g. /status"));
    m_paused = new QCheckBox(tr("Paused (not polled)"));
    m_paused->setObjectName(QStringLiteral("endpointPaused"));
    m_paused->setChecked(m_item.paused);

    m_errors->addRow(QStringLiteral("id"), tr("Id"), m_id);
    m_errors->addRow(QStringLiteral("name"), tr("Name"), m_name);
    m_errors->addRow(QStringLiteral("environment"), tr("Environment"), m_environment);
    m_errors->addRow(QStringLiteral("method"), tr("Method"), m_method);
    m_errors->addRow(QStringLiteral("path"), tr("Path or URL"), m_path);
    m_errors->addRow(QStringLiteral("headers"), tr("Headers"), m_headers);
    m_errors->addRow(QStringLiteral("body"), tr("Body"), m_body);
    m_errors->addRow(QStringLiteral("intervalMs"), tr("Interval"), m_interval);
    m_errors->addRow(QStringLiteral("timeoutMs"), tr("Timeout"), m_timeout);
    m_errors->addRow(QStringLiteral("profile"), tr("Profile"), m_profile);
    m_errors->addRow(QStringLiteral("credential"), tr("Credential"), m_credential);
    m_errors->addRow(QStringLiteral("quotaShare"), tr("Quota share"), m_quotaShare);
    m_errors->addRow(QStringLiteral("statuses"), tr("Expected status"), m_statuses);
    m_errors->addRow(QStringLiteral("expect"), tr("Body must have"), m_bodyPointer);
    m_errors->addRow(QStringLiteral("paused"), QString(), m_paused);
    resize(620, sizeHint().height());
}

bool EndpointDialog::readForm()
{
    m_item.id = m_id->text().trimmed();
    m_item.name = m_name->text().trimmed();
    if (m_item.name.isEmpty())
        m_item.name = m_item.id;
    m_item.environment = m_environment->currentData().toString();
    m_item.method = m_method->currentText();
    m_item.path = m_path->text().trimmed();
    if (m_item.path.isEmpty())
        return !m_errors->show(QStringLiteral("path"), tr("is required"));
    QList<std::pair<QString, QString>> headers;
    const QStringList lines = m_headers->toPlainText().split(u'\n');
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(u':');
        if (colon <= 0)
            return !m_errors->show(QStringLiteral("headers"),
                                   tr("line %1: write \"Name: value\"").arg(i + 1));
        headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    m_item.headers = headers;
    m_item.body = m_body->toPlainText();
    m_item.intervalMs = m_interval->value();
    m_item.timeoutMs = m_timeout->value();
    m_item.profile = m_profile->currentText().trimmed();
    if (m_item.profile != u"auto" && !ProfileRegistry::shared()->find(m_item.profile))
        return !m_errors->show(QStringLiteral("profile"),
                               tr("no profile \"%1\" (see hdeck profiles)").arg(m_item.profile));
    m_item.credential = m_credential->currentData().toString();
    m_item.quotaShare = m_quotaShare->value();
    QList<int> statuses;
    for (const QString &part : m_statuses->text().split(u',', Qt::SkipEmptyParts)) {
        bool ok = false;
        const int s = part.trimmed().toInt(&ok);
        if (!ok || s < 100 || s > 599)
            return !m_errors->show(
                QStringLiteral("statuses"),
                tr("\"%1\" is not an HTTP status (100-599)").arg(part.trimmed()));
        statuses.append(s);
    }
    m_item.expect.statuses = statuses;
    m_item.expect.bodyPointer = m_bodyPointer->text().trimmed();
    m_item.paused = m_paused->isChecked();
    return true;
}

Workspace EndpointDialog::candidate() const
{
    Workspace ws = m_context;
    if (isNew())
        ws.endpoints.append(m_item);
    else
        ws.endpoints[m_index] = m_item;
    return ws;
}

} // namespace hd
