// WorkspaceController, part one: opening (file, demo, start-up), the secret hand-over, saving,
// recent files, editing and closing. Part two (workspacecontrollerchanges.cpp): imports, bulk
// edits and the first run, applied to the running workspace.
#include "workspacecontroller.h"

#include "datadirectory.h"
#include "editor/workspaceeditordialog.h"
#include "filedialogs.h"
#include "historystore.h"
#include "monitorsession.h"
#include "secretdialog.h"
#include "secretdialogtarget.h"
#include "secrethostprompt.h"
#include "secrethosttrust.h"
#include "workspacefile.h"

#include <QAction>
#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QSettings>
#include <QTabWidget>
#include <QTimer>
#include <QUndoStack>

#include <algorithm>

namespace hd {

namespace {

constexpr int MaxRecentWorkspaces = 8;
const auto DemoMarker = QStringLiteral("demo");

} // namespace

WorkspaceController::WorkspaceController(QWidget *window)
    : QObject(window)
    , m_window(window)
    , m_undo(new QUndoStack(this))
{}

WorkspaceController::~WorkspaceController()
{
    closeSession();
    if (m_opening)
        m_opening->close();
}

void WorkspaceController::report(const QString &title, const QString &text)
{
    m_lastMessage = text;
    // Window-modal and open(): never a nested event loop (tests and the tick keep running).
    auto *box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, m_window);
    box->setObjectName(QStringLiteral("messageBox"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void WorkspaceController::windowClosing()
{
    if (!m_startupPath.isEmpty())
        QSettings().remove(QStringLiteral("workspace/startupOpening"));
}

void WorkspaceController::attachRecentMenu(QMenu *menu)
{
    m_recentMenu = menu;
    rebuildRecentMenu();
}

QString WorkspaceController::historyPathFor(const QString &workspacePath, bool demo)
{
    const QString dir = DataDirectory::path() + QStringLiteral("/history");
    if (demo)
        return dir + QStringLiteral("/demo.db");
    const QFileInfo info(workspacePath);
    const QByteArray hash
        = QCryptographicHash::hash(info.absoluteFilePath().toUtf8(), QCryptographicHash::Sha1)
              .toHex()
              .left(12);
    QString base = info.completeBaseName();
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    return QStringLiteral("%1/%2-%3.db").arg(dir, base, QString::fromLatin1(hash));
}

bool WorkspaceController::openDemoWorkspace()
{
    QFile f(QStringLiteral(":/healthdeck/demo/workspace.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        report(tr("Demo workspace"), tr("The built-in demo workspace is missing from this build."));
        return false;
    }
    const auto r = WorkspaceFile::parse(f.readAll(), QStringLiteral("demo workspace"));
    if (!r.workspace) {
        report(tr("Demo workspace"), r.error);
        return false;
    }
    return openWorkspace(*r.workspace, QString(), true);
}

bool WorkspaceController::openWorkspaceFile(const QString &path)
{
    const auto r = WorkspaceFile::load(path);
    if (!r.workspace) {
        report(tr("Open workspace"), r.error);
        return false;
    }
    return openWorkspace(*r.workspace, QFileInfo(path).absoluteFilePath(), false);
}

void WorkspaceController::openStartupWorkspace(const QString &commandLinePath)
{
    if (!commandLinePath.isEmpty() && openWorkspaceFile(commandLinePath))
        return;
    // The console must never crash-loop on the workspace it reopens. A file that does not
    // load opens the demo with the reason; and should the console ever die while opening the
    // last workspace (a marker left in the settings says so), the next start does not try it
    // again blindly.
    QSettings settings;
    const QVariant lastValue = settings.value(QStringLiteral("workspace/last"));
    const QString last
        = lastValue.typeId() == QMetaType::QString ? lastValue.toString() : QString();
    const QString unfinished
        = settings.value(QStringLiteral("workspace/startupOpening")).toString();
    settings.remove(QStringLiteral("workspace/startupOpening"));
    if (last.isEmpty()) {
        // An empty machine: the demo or the user's own API, before anything else runs.
        showFirstRun();
        return;
    }
    if (last == DemoMarker) {
        openDemoWorkspace();
        return;
    }
    if (unfinished == last) {
        fallBackToDemo(tr("HealthDeck stopped while opening the last workspace %1 at its previous "
                          "start; opened the demo instead. Open the file again with File > Open "
                          "when you have checked it.")
                           .arg(last));
        return;
    }
    const auto r = WorkspaceFile::load(last);
    if (!r.workspace) {
        fallBackToDemo(tr("Could not open the last workspace %1; opened the demo instead.\n\n%2")
                           .arg(last, r.error));
        return;
    }
    settings.setValue(QStringLiteral("workspace/startupOpening"), last);
    settings.sync();
    m_startupPath = QFileInfo(last).absoluteFilePath();
    openWorkspace(*r.workspace, m_startupPath, false);
}

void WorkspaceController::fallBackToDemo(const QString &why)
{
    m_startupPath.clear();
    QSettings().remove(QStringLiteral("workspace/startupOpening"));
    openDemoWorkspace();
    emit statusMessage(why.section(u'\n', 0, 0), 30000);
    report(tr("Last workspace"), why);
}

void WorkspaceController::chooseWorkspaceFile()
{
    const QString path = FileDialogs::openFile(m_window, tr("Open workspace"),
                                               tr("HealthDeck workspaces (*.json);;All files (*)"));
    if (!path.isEmpty())
        openWorkspaceFile(path);
}

bool WorkspaceController::newWorkspace()
{
    QString path = FileDialogs::saveFile(m_window, tr("New workspace"),
                                         QDir::home().filePath(QStringLiteral("workspace.json")),
                                         tr("HealthDeck workspaces (*.json)"));
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".json");
    Workspace ws;
    ws.name = QFileInfo(path).completeBaseName();
    const QString error = WorkspaceFile::save(ws, path);
    if (!error.isEmpty()) {
        report(tr("New workspace"), error);
        return false;
    }
    return openWorkspaceFile(path);
}

bool WorkspaceController::saveWorkspace()
{
    if (m_workspacePath.isEmpty())
        return saveWorkspaceAs();
    const QString error = WorkspaceFile::save(m_workspace, m_workspacePath);
    if (!error.isEmpty()) {
        report(tr("Save workspace"), error);
        return false;
    }
    emit statusMessage(tr("Saved %1").arg(m_workspacePath), 4000);
    return true;
}

bool WorkspaceController::saveWorkspaceAs()
{
    const QString path = FileDialogs::saveFile(
        m_window, tr("Save workspace as"),
        m_workspacePath.isEmpty() ? QDir::home().filePath(QStringLiteral("workspace.json"))
                                  : m_workspacePath,
        tr("HealthDeck workspaces (*.json)"));
    if (path.isEmpty())
        return false;
    const QString error = WorkspaceFile::save(m_workspace, path);
    if (!error.isEmpty()) {
        report(tr("Save workspace"), error);
        return false;
    }
    // The running session keeps its history; the file is what opens next time.
    m_workspacePath = QFileInfo(path).absoluteFilePath();
    m_demo = false;
    rememberWorkspace(m_workspacePath, false);
    return true;
}

void WorkspaceController::rememberWorkspace(const QString &path, bool demo)
{
    QSettings settings;
    settings.setValue(QStringLiteral("workspace/last"), demo ? DemoMarker : path);
    if (!demo) {
        QStringList recent = settings.value(QStringLiteral("workspace/recent")).toStringList();
        recent.removeAll(path);
        recent.prepend(path);
        while (recent.size() > MaxRecentWorkspaces)
            recent.removeLast();
        settings.setValue(QStringLiteral("workspace/recent"), recent);
    }
    rebuildRecentMenu();
}

void WorkspaceController::rebuildRecentMenu()
{
    if (!m_recentMenu)
        return;
    m_recentMenu->clear();
    const QStringList recent = QSettings().value(QStringLiteral("workspace/recent")).toStringList();
    int n = 0;
    for (const QString &path : recent) {
        QAction *a = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(n + 1).arg(QDir::toNativeSeparators(path)), this,
            [this, path] { openWorkspaceFile(path); });
        a->setObjectName(QStringLiteral("actionRecent%1").arg(n++));
        a->setEnabled(QFileInfo::exists(path));
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("(none yet)"))->setEnabled(false);
    else {
        m_recentMenu->addSeparator();
        m_recentMenu->addAction(tr("Clear List"), this, [this] {
            QSettings().remove(QStringLiteral("workspace/recent"));
            rebuildRecentMenu();
        });
    }
}

bool WorkspaceController::openWorkspace(const Workspace &ws, const QString &path, bool demo)
{
    // A workspace may come from someone else: before it sends stored secrets to a host other
    // than the built-in simulator and loopback, the user sees the hosts and decides.
    const QStringList approved = SecretHostPrompt::approvedHosts(path);
    QStringList untrusted = demo ? QStringList() : SecretHostTrust(approved).untrustedHosts(ws);
    const QStringList refused = m_refusedSecretHosts.value(path);
    const bool refusedBefore
        = !untrusted.isEmpty()
          && std::all_of(untrusted.cbegin(), untrusted.cend(),
                         [&refused](const QString &h) { return refused.contains(h); });
    if (untrusted.isEmpty() || refusedBefore) {
        ++m_trustQuestion; // an unanswered question for an older open no longer applies
        startOpening(ws, path, demo, approved);
        return true;
    }
    const quint64 question = ++m_trustQuestion;
    SecretHostPrompt::ask(
        m_window, path, ws.name, untrusted, [this, question, ws, path, demo, untrusted](bool yes) {
            if (question != m_trustQuestion)
                return;
            if (!yes) {
                m_refusedSecretHosts[path] = untrusted;
                emit statusMessage(tr("Secrets are not sent to %1: requests that need them "
                                      "are not sent")
                                       .arg(untrusted.join(QStringLiteral(", "))),
                                   15000);
            }
            startOpening(ws, path, demo, SecretHostPrompt::approvedHosts(path));
        });
    return true;
}

void WorkspaceController::startOpening(const Workspace &ws, const QString &path, bool demo,
                                       const QStringList &trustedSecretHosts)
{
    const quint64 generation = ++m_openGeneration;
    const QString dbPath = historyPathFor(path, demo);
    QDir().mkpath(QFileInfo(dbPath).absolutePath());
    // Values kept "for this session only" live in the running session's memory: hand them to
    // the next one, or reopening after an edit (or a new secret) would forget them.
    // (A session still opening — waiting for secrets — is the newer source.)
    QList<std::pair<QString, QString>> sessionSecrets;
    if (MonitorSession *previous = m_opening ? m_opening.get() : m_session.get())
        for (const QString &name : MonitorSession::secretNames(ws))
            if (previous->secretSource(name) == u"session")
                if (const auto value = previous->secret(name))
                    sessionSecrets.append({name, *value});
    m_reopenAfterSecrets.reset();
    // One process per history file: reopening the same workspace (after an edit) must let go
    // of it first.
    if (m_session && dbPath == m_historyPath)
        closeSession();
    if (m_opening)
        m_opening->close();
    m_opening = std::make_unique<MonitorSession>();
    MonitorSession *session = m_opening.get();
    for (const auto &[name, value] : std::as_const(sessionSecrets))
        session->storeSecret(name, value, SecretPersistence::SessionOnly, [](const QString &) {});
    handOverImportedSecrets(session);
    auto warnings = std::make_shared<QStringList>();
    connect(session, &MonitorSession::warning, this,
            [warnings](const QString &w) { warnings->append(w); });
    connect(session, &MonitorSession::secretStoreChanged, this,
            &WorkspaceController::secretStoreChanged);
    connect(session, &MonitorSession::secretsMissing, this, [this](const QStringList &names) {
        for (const QString &n : names)
            if (!m_pendingSecrets.contains(n))
                m_pendingSecrets.append(n);
    });
    emit openingStateChanged(tr("Opening %1…").arg(ws.name));
    EngineOptions options;
    options.secretTrust = SecretHostTrust(trustedSecretHosts);
    session->openWithSecrets(
        ws, dbPath, std::move(options),
        [this, generation, session, ws, path, demo, dbPath, warnings](QString error) {
            if (generation != m_openGeneration || m_opening.get() != session)
                return; // a newer open replaced this one
            QString historyNote;
            if (!error.isEmpty() && !session->missingSecrets().isEmpty()) {
                // Nothing can run without the secrets: ask for them (the values go to this
                // opening session: keychain or its memory), then open again.
                m_reopenAfterSecrets = PendingOpen{ws, path, demo};
                emit openingStateChanged(
                    tr("%1 · waiting for secrets: %2")
                        .arg(ws.name, session->missingSecrets().join(QStringLiteral(", "))));
                m_lastMessage = error;
                QTimer::singleShot(0, this, &WorkspaceController::promptNextSecret);
                return;
            }
            if (!error.isEmpty()) {
                // The history is a convenience: without it the workspace still runs.
                const QString retry = session->open(ws, QString());
                if (!retry.isEmpty()) {
                    std::unique_ptr<MonitorSession> failed = std::move(m_opening);
                    failed->close();
                    const QString message
                        = QStringLiteral("%1\n\n%2").arg(error, warnings->join(u'\n'));
                    if (!path.isEmpty() && path == m_startupPath) {
                        fallBackToDemo(tr("Could not open the last workspace %1; opened the "
                                          "demo instead.\n\n%2")
                                           .arg(path, message));
                        return;
                    }
                    report(tr("Open workspace"), message);
                    return;
                }
                historyNote = tr("history is off for this session: %1").arg(error);
                warnings->append(historyNote);
            }
            m_historyPath = historyNote.isEmpty() ? dbPath : QString();
            adoptSession(std::move(m_opening), ws, path, demo, *warnings, historyNote);
        });
}

void WorkspaceController::closeSession()
{
    if (!m_session)
        return;
    emit sessionClosing(m_session.get()); // the panes let go before the session goes
    disconnect(m_session.get(), nullptr, this, nullptr);
    m_session->close();
    m_session.reset();
}

void WorkspaceController::adoptSession(std::unique_ptr<MonitorSession> session, const Workspace &ws,
                                       const QString &path, bool demo, const QStringList &warnings,
                                       const QString &historyNote)
{
    closeSession();
    if (!m_startupPath.isEmpty()) {
        // Start-up reached a running session: the next start may reopen this workspace.
        m_startupPath.clear();
        QSettings().remove(QStringLiteral("workspace/startupOpening"));
    }
    m_session = std::move(session);
    disconnect(m_session.get(), &MonitorSession::warning, this, nullptr);
    connect(m_session.get(), &MonitorSession::warning, this,
            [this](const QString &w) { m_warnings.append(w); });
    if (HistoryStore *history = m_session->history())
        connect(history, &HistoryStore::writeFailed, this, [this](const QString &message) {
            emit statusMessage(tr("History: %1").arg(message), 10000);
        });
    m_workspace = ws;
    m_workspacePath = path;
    m_demo = demo;
    m_warnings = warnings;
    rememberWorkspace(path, demo);
    emit sessionAdopted(m_session.get());
    emit secretStoreChanged(m_session->secretStoreStatus());
    if (!historyNote.isEmpty())
        emit statusMessage(historyNote, 15000);
    m_session->start();
    emit workspaceOpened(ws.name);
    if (!m_pendingSecrets.isEmpty())
        QTimer::singleShot(0, this, &WorkspaceController::promptNextSecret);
}

void WorkspaceController::editWorkspace(int tab)
{
    if (!m_session) {
        report(tr("Edit workspace"), tr("Open a workspace first."));
        return;
    }
    if (!m_editor) {
        // The demo has no file of its own: its Save asks where to put the copy.
        m_editor
            = new WorkspaceEditorDialog(m_workspace, m_workspacePath,
                                        SecretDialogTarget::fromSession(m_session.get()), m_window);
        m_editor->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_editor, &WorkspaceEditorDialog::saved, this, [this](const QString &savedPath) {
            m_workspacePath = QFileInfo(savedPath).absoluteFilePath();
            m_demo = false;
        });
        connect(m_editor, &WorkspaceEditorDialog::workspaceChanged, this,
                [this](const Workspace &ws) {
                    const QString path = m_editor ? m_editor->filePath() : m_workspacePath;
                    openWorkspace(ws, QFileInfo(path).absoluteFilePath(), false);
                });
        m_editor->open();
    }
    if (tab >= 0)
        if (auto *tabs = m_editor->findChild<QTabWidget *>(QStringLiteral("editorTabs")))
            tabs->setCurrentIndex(tab);
    m_editor->raise();
    m_editor->activateWindow();
}

void WorkspaceController::promptNextSecret()
{
    // The session that gets the values: the one waiting for them, else the running one.
    MonitorSession *target = m_reopenAfterSecrets && m_opening ? m_opening.get() : m_session.get();
    if (m_secretDialog || !target)
        return;
    if (m_pendingSecrets.isEmpty()) {
        if (m_secretStored) {
            // Static credentials take a new value when the session opens again.
            m_secretStored = false;
            if (m_reopenAfterSecrets) {
                const PendingOpen again = *m_reopenAfterSecrets;
                openWorkspace(again.workspace, again.path, again.demo);
            } else {
                openWorkspace(m_workspace, m_workspacePath, m_demo);
            }
        }
        return;
    }
    const QString name = m_pendingSecrets.takeFirst();
    auto *dialog = new SecretDialog(name, target, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Secret needed: %1").arg(name));
    connect(dialog, &SecretDialog::secretStored, this, [this] { m_secretStored = true; });
    connect(dialog, &QDialog::finished, this,
            [this] { QTimer::singleShot(0, this, &WorkspaceController::promptNextSecret); });
    m_secretDialog = dialog;
    dialog->open();
}

void WorkspaceController::setSecretFromMenu()
{
    if (!m_session) {
        report(tr("Set secret"), tr("Open a workspace first."));
        return;
    }
    const QStringList names = MonitorSession::secretNames(m_workspace);
    if (names.isEmpty()) {
        report(tr("Set secret"), tr("No credential of this workspace names a secret."));
        return;
    }
    auto *picker = new QInputDialog(m_window);
    picker->setObjectName(QStringLiteral("secretPicker"));
    picker->setAttribute(Qt::WA_DeleteOnClose);
    picker->setWindowTitle(tr("Set secret"));
    picker->setLabelText(tr("Secret:"));
    picker->setComboBoxItems(names);
    connect(picker, &QInputDialog::textValueSelected, this, [this](const QString &name) {
        m_pendingSecrets.prepend(name);
        promptNextSecret();
    });
    picker->open();
}

} // namespace hd
