#include "alertbanner.h"

#include "theme.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QTimeZone>

namespace hd {

AlertBanner::AlertBanner(QWidget *parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("alertBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    m_icon = new QLabel;
    m_text = new QLabel;
    m_text->setObjectName(QStringLiteral("alertBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::RichText);
    m_ack = new QPushButton(tr("&Acknowledge"));
    m_ack->setObjectName(QStringLiteral("alertAcknowledge"));
    m_ack->setToolTip(tr("Hide this alert until it changes (Ctrl+K)"));
    m_list = new QPushButton(tr("All alerts…"));
    m_list->setObjectName(QStringLiteral("alertShowList"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 10, 6);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_list, 0, Qt::AlignVCenter);
    layout->addWidget(m_ack, 0, Qt::AlignVCenter);
    connect(m_ack, &QPushButton::clicked, this, [this] {
        if (m_shown)
            emit acknowledgeRequested(m_alert.ruleId, m_alert.subject);
    });
    connect(m_list, &QPushButton::clicked, this, &AlertBanner::showListRequested);
    hide();
}

int AlertBanner::severity(const QString &kind)
{
    static const QStringList order{
        QStringLiteral("headroom"),       QStringLiteral("token_expiry"),
        QStringLiteral("error_rate"),     QStringLiteral("lockout_warning"),
        QStringLiteral("refresh_failed"), QStringLiteral("down"),
        QStringLiteral("lockout")};
    return int(order.indexOf(kind));
}

QString AlertBanner::kindAdvice(const QString &kind)
{
    if (kind == u"lockout")
        return tr("Stop sending: the API locked the account out. Wait until the lockout ends; "
                  "retrying extends it.");
    if (kind == u"lockout_warning")
        return tr("Slow down now: the next failures lock the account out.");
    if (kind == u"down")
        return tr("Check the endpoint's last failures below and the provider's status page.");
    if (kind == u"refresh_failed")
        return tr("The token could not be renewed: check the credential's secret "
                  "(Workspace → Set Secret…) and the token URL.");
    if (kind == u"token_expiry")
        return tr("The token expires soon and has not been renewed; check the token endpoint.");
    if (kind == u"error_rate")
        return tr("More requests fail than the SLO allows: filter the log by this scope.");
    if (kind == u"headroom")
        return tr("Few requests of the rate limit remain: lower the poll frequency or the quota "
                  "share.");
    return {};
}

QString AlertBanner::since(qint64 firedAtMs, qint64 nowMs)
{
    // UTC, like the log's time column, so the two can be compared at a glance.
    const QString at = QDateTime::fromMSecsSinceEpoch(firedAtMs, QTimeZone::utc())
                           .toString(QStringLiteral("HH:mm:ss 'UTC'"));
    const qint64 s = std::max<qint64>(0, (nowMs - firedAtMs) / 1000);
    QString ago;
    if (s < 60)
        ago = tr("%1 s").arg(s);
    else if (s < 3600)
        ago = tr("%1 min").arg(s / 60);
    else
        ago = tr("%1 h %2 min").arg(s / 3600).arg((s % 3600) / 60);
    return tr("since %1 (%2)").arg(at, ago);
}

void AlertBanner::update(const QList<AlertState> &active, qint64 nowMs)
{
    const AlertState *worst = nullptr;
    for (const AlertState &a : active) {
        if (!a.firing() || a.acknowledged)
            continue;
        if (!worst || severity(a.kind) > severity(worst->kind)
            || (severity(a.kind) == severity(worst->kind) && a.firedAtMs < worst->firedAtMs))
            worst = &a;
    }
    if (!worst) {
        m_shown = false;
        hide();
        return;
    }
    m_alert = *worst;
    m_shown = true;
    int others = 0;
    for (const AlertState &a : active)
        if (a.firing() && !a.acknowledged)
            ++others;
    --others;
    QString advice = m_advice ? m_advice(m_alert) : QString();
    if (advice.isEmpty())
        advice = kindAdvice(m_alert.kind);
    // The subject only when the message does not name it already.
    const QString where = m_alert.message.contains(m_alert.subject)
                              ? QString()
                              : m_alert.subject.toHtmlEscaped() + QStringLiteral(" · ");
    QString html
        = QStringLiteral("<b>%1</b> &nbsp;<span>%2%3</span>")
              .arg(m_alert.message.toHtmlEscaped(), where, since(m_alert.firedAtMs, nowMs));
    if (others > 0)
        html += tr(" &nbsp;<i>(+%n more)</i>", nullptr, others);
    if (!advice.isEmpty())
        html += QStringLiteral("<br>%1 %2").arg(tr("What to do:"), advice.toHtmlEscaped());
    if (m_text->text() != html)
        m_text->setText(html);
    const bool critical = severity(m_alert.kind) >= severity(QStringLiteral("lockout_warning"));
    const int style = (critical ? 1 : 0) + (Theme::isDark() ? 2 : 0);
    if (style != m_style) {
        m_style = style;
        applyColours(critical);
        m_icon->setPixmap(this->style()
                              ->standardIcon(critical ? QStyle::SP_MessageBoxCritical
                                                      : QStyle::SP_MessageBoxWarning)
                              .pixmap(22, 22));
    }
    show();
}

void AlertBanner::applyColours(bool critical)
{
    QPalette p = palette();
    p.setColor(QPalette::Window,
               critical ? Theme::criticalBackground() : Theme::warningBackground());
    p.setColor(QPalette::WindowText, critical ? Theme::criticalText() : Theme::warningText());
    setPalette(p);
    m_text->setPalette(p);
}

} // namespace hd
