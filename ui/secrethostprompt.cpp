#include "secrethostprompt.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

#include <utility>

namespace hd {
namespace {

std::optional<bool> &nextAnswer()
{
    static std::optional<bool> answer;
    return answer;
}

QList<QStringList> &asked()
{
    static QList<QStringList> list;
    return list;
}

} // namespace

QString SecretHostPrompt::settingsKey(const QString &workspacePath)
{
    // Paths may hold characters QSettings keys do not like: key by a hash of the absolute path.
    const QString absolute = workspacePath.isEmpty() ? QStringLiteral("(unsaved)")
                                                     : QFileInfo(workspacePath).absoluteFilePath();
    const QByteArray hash
        = QCryptographicHash::hash(absolute.toUtf8(), QCryptographicHash::Sha256).toHex().left(24);
    return QStringLiteral("secretHosts/") + QString::fromLatin1(hash);
}

QStringList SecretHostPrompt::approvedHosts(const QString &workspacePath)
{
    // A hand-edited settings file may hold anything: only strings that look like host entries.
    const QVariant v = QSettings().value(settingsKey(workspacePath));
    QStringList out;
    for (const QString &h : v.toStringList())
        if (!h.isEmpty() && h.size() < 300 && !h.contains(u'/') && !h.contains(u' '))
            out.append(h);
    return out;
}

void SecretHostPrompt::approve(const QString &workspacePath, const QStringList &hosts)
{
    QStringList all = approvedHosts(workspacePath) + hosts;
    all.removeDuplicates();
    all.sort();
    QSettings().setValue(settingsKey(workspacePath), all);
}

void SecretHostPrompt::ask(QWidget *parent, const QString &workspacePath,
                           const QString &workspaceName, const QStringList &hosts,
                           std::function<void(bool)> done)
{
    asked().append(hosts);
    auto finish = [workspacePath, hosts, done = std::move(done)](bool yes) {
        if (yes)
            approve(workspacePath, hosts);
        done(yes);
    };
    if (const auto answer = std::exchange(nextAnswer(), std::nullopt)) {
        finish(*answer);
        return;
    }
    QStringList lines;
    for (const QString &h : hosts)
        lines.append(QStringLiteral("<li><code>%1</code></li>").arg(h.toHtmlEscaped()));
    auto *box = new QMessageBox(
        QMessageBox::Question, QObject::tr("Send secrets to these hosts?"),
        QObject::tr("<p>The workspace <b>%1</b>%2 would send secrets from your keychain to:</p>"
                    "<ul>%3</ul><p>Allow this only if you trust the workspace and every host "
                    "listed. Otherwise its requests that need a secret are not sent.</p>")
            .arg(workspaceName.toHtmlEscaped(),
                 workspacePath.isEmpty()
                     ? QString()
                     : QStringLiteral(" (<code>%1</code>)").arg(workspacePath.toHtmlEscaped()),
                 lines.join(QString())),
        QMessageBox::NoButton, parent);
    box->setObjectName(QStringLiteral("secretHostsBox"));
    box->setTextFormat(Qt::RichText);
    QPushButton *allow = box->addButton(QObject::tr("Allow"), QMessageBox::AcceptRole);
    allow->setObjectName(QStringLiteral("secretHostsAllow"));
    QPushButton *refuse
        = box->addButton(QObject::tr("Don't Send Secrets"), QMessageBox::RejectRole);
    refuse->setObjectName(QStringLiteral("secretHostsRefuse"));
    box->setDefaultButton(refuse);
    box->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(
        box, &QMessageBox::finished, box,
        [box, allow, finish = std::move(finish)](int) { finish(box->clickedButton() == allow); });
    box->open();
}

void SecretHostPrompt::setNextAnswer(std::optional<bool> answer)
{
    nextAnswer() = answer;
}

QList<QStringList> SecretHostPrompt::questionsAsked()
{
    return asked();
}

} // namespace hd
