#include "bulkeditdialog.h"

#include "profileregistry.h"
#include "workspacefile.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hd {

std::optional<Workspace> BulkEdit::applyTo(const Workspace &ws, const QStringList &ids,
                                           QString *error) const
{
    if (profile && *profile != u"auto" && !ProfileRegistry::shared()->find(*profile)) {
        if (error)
            *error = QStringLiteral("no profile \"%1\" (see hdeck profiles)").arg(*profile);
        return std::nullopt;
    }
    Workspace out = ws;
    for (Endpoint &e : out.endpoints) {
        if (!ids.contains(e.id))
            continue;
        if (intervalMs)
            e.intervalMs = *intervalMs;
        if (timeoutMs)
            e.timeoutMs = *timeoutMs;
        if (credential)
            e.credential = *credential;
        if (profile)
            e.profile = *profile;
        if (quotaShare)
            e.quotaShare = *quotaShare;
        if (paused)
            e.paused = *paused;
    }
    // The loader's own rules decide (ranges, a credential bound to another environment, …).
    const auto check = WorkspaceFile::parse(
        QByteArray::fromStdString(WorkspaceFile::toJson(out).dump()), QStringLiteral("bulk edit"));
    if (!check.workspace) {
        if (error)
            *error = check.error;
        return std::nullopt;
    }
    return out;
}

QString BulkEdit::describe() const
{
    QStringList parts;
    if (intervalMs)
        parts.append(QStringLiteral("interval %1 s").arg(double(*intervalMs) / 1000.0));
    if (timeoutMs)
        parts.append(QStringLiteral("timeout %1 ms").arg(*timeoutMs));
    if (credential)
        parts.append(credential->isEmpty() ? QStringLiteral("no credential")
                                           : QStringLiteral("credential %1").arg(*credential));
    if (profile)
        parts.append(QStringLiteral("profile %1").arg(*profile));
    if (quotaShare)
        parts.append(QStringLiteral("quota share %1 %").arg(*quotaShare * 100.0));
    if (paused)
        parts.append(*paused ? QStringLiteral("paused") : QStringLiteral("polling"));
    return parts.join(QStringLiteral(", "));
}

BulkEditDialog::BulkEditDialog(const Workspace &workspace, const QStringList &endpointIds,
                               QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_ids(endpointIds)
{
    setObjectName(QStringLiteral("bulkEditDialog"));
    setWindowTitle(tr("Edit %n endpoint(s)", "", int(endpointIds.size())));
    // The fields start at the first endpoint's values: a sensible default to change from.
    const Endpoint *first = nullptr;
    for (const Endpoint &e : workspace.endpoints)
        if (endpointIds.contains(e.id) && !first)
            first = &e;
    const Endpoint defaults = first ? *first : Endpoint();

    auto *targets = new QLabel(this);
    targets->setObjectName(QStringLiteral("bulkEditTargets"));
    targets->setWordWrap(true);
    QStringList shown = endpointIds.mid(0, 8);
    if (endpointIds.size() > 8)
        shown.append(tr("and %n more", "", int(endpointIds.size() - 8)));
    targets->setText(tr("Changes apply to: %1. Only the ticked fields change; the others keep "
                        "each endpoint's own value.")
                         .arg(shown.join(QStringLiteral(", "))));

    auto box = [this](const char *name, const QString &text) {
        auto *c = new QCheckBox(text, this);
        c->setObjectName(QLatin1String(name));
        return c;
    };
    m_changeInterval = box("bulkChangeInterval", tr("&Interval"));
    m_interval = new QDoubleSpinBox(this);
    m_interval->setObjectName(QStringLiteral("bulkInterval"));
    m_interval->setRange(0.1, 86400);
    m_interval->setDecimals(1);
    m_interval->setSuffix(tr(" s"));
    m_interval->setValue(double(defaults.intervalMs) / 1000.0);

    m_changeTimeout = box("bulkChangeTimeout", tr("&Timeout"));
    m_timeout = new QSpinBox(this);
    m_timeout->setObjectName(QStringLiteral("bulkTimeout"));
    m_timeout->setRange(1, 600000);
    m_timeout->setSingleStep(500);
    m_timeout->setSuffix(tr(" ms"));
    m_timeout->setValue(defaults.timeoutMs);

    m_changeCredential = box("bulkChangeCredential", tr("&Credential"));
    m_credential = new QComboBox(this);
    m_credential->setObjectName(QStringLiteral("bulkCredential"));
    m_credential->addItem(tr("(none)"), QString());
    for (const Credential &c : workspace.credentials)
        m_credential->addItem(c.name.isEmpty() ? c.id : QStringLiteral("%1 — %2").arg(c.id, c.name),
                              c.id);
    m_credential->setCurrentIndex(std::max(0, m_credential->findData(defaults.credential)));

    m_changeProfile = box("bulkChangeProfile", tr("&Profile"));
    m_profile = new QComboBox(this);
    m_profile->setObjectName(QStringLiteral("bulkProfile"));
    m_profile->addItem(QStringLiteral("auto"));
    for (const Profile *p : ProfileRegistry::shared()->all())
        m_profile->addItem(p->name);
    m_profile->setCurrentText(defaults.profile);

    m_changeQuota = box("bulkChangeQuota", tr("&Quota share"));
    m_quota = new QDoubleSpinBox(this);
    m_quota->setObjectName(QStringLiteral("bulkQuota"));
    m_quota->setRange(0, 100);
    m_quota->setDecimals(1);
    m_quota->setSuffix(tr(" % of the quota"));
    m_quota->setValue(defaults.quotaShare * 100.0);

    m_changePaused = box("bulkChangePaused", tr("P&olling"));
    m_paused = new QComboBox(this);
    m_paused->setObjectName(QStringLiteral("bulkPaused"));
    m_paused->addItem(tr("Paused"), true);
    m_paused->addItem(tr("Polling"), false);
    m_paused->setCurrentIndex(defaults.paused ? 0 : 1);

    auto *grid = new QGridLayout;
    const QList<std::pair<QCheckBox *, QWidget *>> rows{
        {m_changeInterval, m_interval},     {m_changeTimeout, m_timeout},
        {m_changeCredential, m_credential}, {m_changeProfile, m_profile},
        {m_changeQuota, m_quota},           {m_changePaused, m_paused}};
    int row = 0;
    for (const auto &[check, field] : rows) {
        grid->addWidget(check, row, 0);
        grid->addWidget(field, row, 1);
        field->setEnabled(false);
        // A field is editable once its box is ticked: nothing changes by accident.
        connect(check, &QCheckBox::toggled, field, &QWidget::setEnabled);
        ++row;
    }
    grid->setColumnStretch(1, 1); // the fields take the width, the boxes stay by their text
    setMinimumWidth(440);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("bulkEditMessage"));
    m_message->setWordWrap(true);
    m_message->hide();
    for (QCheckBox *check : {m_changeInterval, m_changeTimeout, m_changeCredential, m_changeProfile,
                             m_changeQuota, m_changePaused})
        connect(check, &QCheckBox::toggled, m_message, &QWidget::hide);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_apply = buttons->addButton(tr("&Apply to %n endpoint(s)", "", int(endpointIds.size())),
                                 QDialogButtonBox::AcceptRole);
    m_apply->setObjectName(QStringLiteral("bulkEditApply"));
    connect(buttons, &QDialogButtonBox::accepted, this, &BulkEditDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(targets);
    layout->addLayout(grid);
    layout->addWidget(m_message);
    layout->addWidget(buttons);
}

BulkEdit BulkEditDialog::edit() const
{
    BulkEdit e;
    if (m_changeInterval->isChecked())
        e.intervalMs = int(m_interval->value() * 1000.0 + 0.5);
    if (m_changeTimeout->isChecked())
        e.timeoutMs = m_timeout->value();
    if (m_changeCredential->isChecked())
        e.credential = m_credential->currentData().toString();
    if (m_changeProfile->isChecked())
        e.profile = m_profile->currentText().trimmed();
    if (m_changeQuota->isChecked())
        e.quotaShare = m_quota->value() / 100.0;
    if (m_changePaused->isChecked())
        e.paused = m_paused->currentData().toBool();
    return e;
}

void BulkEditDialog::accept()
{
    const BulkEdit e = edit();
    if (e.isEmpty()) {
        m_message->setText(tr("Tick the fields to change."));
        m_message->show();
        return;
    }
    QString error;
    const auto edited = e.applyTo(m_workspace, m_ids, &error);
    if (!edited) {
        m_message->setText(tr("Not applied: %1").arg(error));
        m_message->show();
        return;
    }
    m_result = *edited;
    QDialog::accept();
}

} // namespace hd
