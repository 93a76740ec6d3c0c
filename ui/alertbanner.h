#pragma once

// The alert banner at the top of the window: the worst firing alert nobody acknowledged yet —
// what, since when, and what to do — with an Acknowledge button. Hidden while nothing
// (unacknowledged) fires. Acknowledging hides it until the alert changes: it resolves and
// fires again, or a worse one fires. Object names: "alertBanner", "alertBannerText",
// "alertAcknowledge", "alertShowList".

#include "alertengine.h"

#include <QFrame>

#include <functional>

class QLabel;
class QPushButton;

namespace hd {

class AlertBanner : public QFrame
{
    Q_OBJECT
public:
    explicit AlertBanner(QWidget *parent = nullptr);

    // Advice for an alert (the window looks up the seed's advice of the subject's latest
    // failure); may be unset.
    void setAdviceProvider(std::function<QString(const AlertState &)> provider)
    {
        m_advice = std::move(provider);
    }
    // Shows the worst unacknowledged firing alert of active (or hides). nowMs: for "for 3 min".
    void update(const QList<AlertState> &active, qint64 nowMs);
    bool hasAlert() const { return m_shown; }
    const AlertState &alert() const { return m_alert; }

    // Higher is worse: lockout > down > refresh_failed > lockout_warning > error_rate >
    // token_expiry > headroom.
    static int severity(const QString &kind);
    // What an operator does about an alert of this kind, one sentence.
    static QString kindAdvice(const QString &kind);
    static QString since(qint64 firedAtMs, qint64 nowMs);

signals:
    void acknowledgeRequested(const QString &ruleId, const QString &subject);
    void showListRequested();

private:
    void applyColours(bool critical);

    std::function<QString(const AlertState &)> m_advice;
    QLabel *m_icon = nullptr;
    QLabel *m_text = nullptr;
    QPushButton *m_ack = nullptr;
    QPushButton *m_list = nullptr;
    AlertState m_alert;
    bool m_shown = false;
    // The colours and icon applied last (critical, dark theme), so that a tick with nothing new
    // sets no palette and no pixmap: each of those repaints and re-lays out the banner.
    int m_style = -1;
};

} // namespace hd
