#pragma once

// SecretHostPrompt: the console's question before a workspace sends stored secrets to hosts
// other than the built-in simulator and loopback (app/auth/secrethosttrust.h). It lists the
// hosts and remembers an approval per workspace file and host set in QSettings, so it asks
// again when a workspace (say, one mailed by a colleague and then edited) names new hosts.
// Never exec()'d: the box is window-modal and open()ed; tests answer in advance with
// setNextAnswer() (as KeePassXC's MessageBox::setNextAnswer), and no box is shown then.

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

class QWidget;

namespace hd {

class SecretHostPrompt
{
public:
    // Hosts approved for the workspace at path (empty path: an unsaved workspace).
    static QStringList approvedHosts(const QString &workspacePath);
    static void approve(const QString &workspacePath, const QStringList &hosts);

    // Asks whether workspaceName may send stored secrets to hosts; done(true) approves (and
    // remembers), done(false) refuses for this session. Answers at once when setNextAnswer()
    // was called.
    static void ask(QWidget *parent, const QString &workspacePath, const QString &workspaceName,
                    const QStringList &hosts, std::function<void(bool)> done);

    static void setNextAnswer(std::optional<bool> answer);
    // The host lists asked about since start (tests check "asked once, not again").
    static QList<QStringList> questionsAsked();

private:
    static QString settingsKey(const QString &workspacePath);
};

} // namespace hd
