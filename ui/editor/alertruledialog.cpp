#include "alertruledialog.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace hd {

AlertRuleDialog::AlertRuleDialog(const Workspace &context, int index, QWidget *parent)
    : ItemDialog(context, QStringLiteral("alerts"), index, parent)
    , m_item(index >= 0 ? context.alerts.value(index) : AlertRule{})
{
    setObjectName(QStringLiteral("alertRuleDialog"));
    setWindowTitle(isNew() ? tr("New alert rule") : tr("Alert rule %1").arg(m_item.id));
    if (isNew()) {
        m_item.kind = QStringLiteral("error_rate");
        m_item.scope = QStringLiteral("*");
        m_item.threshold = 0.01;
    }
    m_id = new QLineEdit(m_item.id);
    m_id->setObjectName(QStringLiteral("alertId"));
    m_kind = new QComboBox;
    m_kind->setObjectName(QStringLiteral("alertKind"));
    m_kind->addItems(
        {QStringLiteral("error_rate"), QStringLiteral("lockout_warning"), QStringLiteral("lockout"),
         QStringLiteral("token_expiry"), QStringLiteral("refresh_failed"),
         QStringLiteral("headroom"), QStringLiteral("down"), QStringLiteral("stream_gave_up"),
         QStringLiteral("cert_expiry"), QStringLiteral("degraded"), QStringLiteral("burn_rate")});
    m_kind->setCurrentText(m_item.kind);
    m_scope = new QComboBox;
    m_scope->setObjectName(QStringLiteral("alertScope"));
    m_scope->setEditable(true);
    m_scope->addItem(QStringLiteral("*"));
    for (const auto &e : context.environments)
        m_scope->addItem(e.id);
    for (const auto &e : context.endpoints)
        m_scope->addItem(e.id);
    for (const auto &s : context.streams)
        m_scope->addItem(s.id);
    m_scope->setCurrentText(m_item.scope);
    m_threshold = new QDoubleSpinBox;
    m_threshold->setObjectName(QStringLiteral("alertThreshold"));
    m_threshold->setDecimals(3);
    m_threshold->setRange(-1e9, 1e9);
    m_threshold->setValue(m_item.threshold);
    m_window = new QSpinBox;
    m_window->setObjectName(QStringLiteral("alertWindow"));
    m_window->setRange(1, 86400 * 7);
    m_window->setSuffix(QStringLiteral(" s"));
    m_window->setValue(m_item.windowS);
    m_count = new QSpinBox;
    m_count->setObjectName(QStringLiteral("alertCount"));
    m_count->setRange(1, 100000);
    m_count->setValue(m_item.count);
    m_help = new QLabel;
    m_help->setWordWrap(true);
    m_help->setStyleSheet(QStringLiteral("color: palette(mid);"));
    m_errors->addRow(QStringLiteral("id"), tr("Id"), m_id);
    m_errors->addRow(QStringLiteral("kind"), tr("Kind"), m_kind);
    m_errors->addRow(QStringLiteral("scope"), tr("Scope"), m_scope);
    m_errors->addRow(QStringLiteral("threshold"), tr("Threshold"), m_threshold);
    m_errors->addRow(QStringLiteral("windowS"), tr("Window"), m_window);
    m_errors->addRow(QStringLiteral("count"), tr("Count"), m_count);
    m_extra->addWidget(m_help);
    auto update = [this] {
        m_help->setText(explain(m_kind->currentText()));
    };
    connect(m_kind, &QComboBox::currentTextChanged, this, update);
    update();
    resize(520, sizeHint().height());
}

QString AlertRuleDialog::explain(const QString &kind)
{
    if (kind == u"error_rate")
        return tr("Fires when the share of failed requests in the window exceeds the threshold "
                  "(0.01 = 1%).");
    if (kind == u"lockout_warning")
        return tr("Fires on a Tradovate 423 (a lockout is next if requests continue).");
    if (kind == u"lockout")
        return tr("Fires on a Tradovate 429 lockout: send nothing to that host until it ends.");
    if (kind == u"token_expiry")
        return tr("Fires when a token expires within threshold seconds and is not refreshed.");
    if (kind == u"refresh_failed")
        return tr("Fires when a token refresh fails.");
    if (kind == u"headroom")
        return tr("Fires when rate-limit headroom (remaining/limit) falls below the threshold.");
    if (kind == u"down")
        return tr("Fires after count failures in a row in the scope.");
    if (kind == u"stream_gave_up")
        return tr("Fires when a WebSocket stream reaches its reconnect limit and stops trying.");
    if (kind == u"degraded")
        return tr("Fires after count degraded answers in a row (slower than the endpoint's "
                  "degraded threshold, or rate limited: 429, 423).");
    if (kind == u"burn_rate")
        return tr("Fires when an SLO's error budget burns too fast: critical when the last hour "
                  "and the last 5 minutes both burn at 14.4 times the allowed rate, a warning "
                  "at 6 times over 6 hours and 30 minutes. Scope: * (every SLO), an SLO id or "
                  "an SLO's scope; count: the fewest requests in the short window.");
    if (kind == u"cert_expiry")
        return tr("Fires as a warning when a server certificate expires within threshold days "
                  "(30 when 0) and turns critical within the workspace's \"critical\" days (7 "
                  "when unset).");
    return {};
}

bool AlertRuleDialog::readForm()
{
    m_item.id = m_id->text().trimmed();
    if (m_item.id.isEmpty())
        return !m_errors->show(QStringLiteral("id"), tr("is required"));
    for (int i = 0; i < m_context.alerts.size(); ++i)
        if (i != m_index && m_context.alerts[i].id == m_item.id)
            return !m_errors->show(QStringLiteral("id"), tr("\"%1\" is used twice").arg(m_item.id));
    m_item.kind = m_kind->currentText();
    m_item.scope = m_scope->currentText().trimmed();
    if (m_item.scope.isEmpty())
        m_item.scope = QStringLiteral("*");
    if (m_item.scope != u"*" && !m_context.environment(m_item.scope)
        && !m_context.endpoint(m_item.scope))
        return !m_errors->show(
            QStringLiteral("scope"),
            tr("no environment or endpoint \"%1\"; use * for everything").arg(m_item.scope));
    m_item.threshold = m_threshold->value();
    m_item.windowS = m_window->value();
    m_item.count = m_count->value();
    return true;
}

Workspace AlertRuleDialog::candidate() const
{
    Workspace ws = m_context;
    if (isNew())
        ws.alerts.append(m_item);
    else
        ws.alerts[m_index] = m_item;
    return ws;
}

} // namespace hd
