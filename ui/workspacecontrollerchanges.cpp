// WorkspaceController, part two: changes to the running workspace (imports, bulk edits, the
// first run's new workspace), each an undoable step applied in place when it can be
// (MonitorSession::reload), and the hand-over of secret values an import found. Part one
// (workspacecontroller.cpp) opens, saves and closes.
#include "workspacecontroller.h"

#include "datadirectory.h"
#include "editor/bulkeditdialog.h"
#include "editor/workspaceeditcommand.h"
#include "import/firstrundialog.h"
#include "import/importdialog.h"
#include "monitorsession.h"
#include "secrethostprompt.h"
#include "secrethosttrust.h"
#include "workspacefile.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QUndoStack>

#include <memory>

namespace hd {

namespace {

QList<std::pair<QString, QString>> valuesOf(const QList<ImportedSecret> &secrets)
{
    QList<std::pair<QString, QString>> out;
    for (const ImportedSecret &s : secrets)
        if (s.hasValue())
            out.append({s.secretName, s.value});
    return out;
}

} // namespace

QString WorkspaceController::newWorkspacePath(const QString &name)
{
    const QString dir = DataDirectory::path() + QStringLiteral("/workspaces");
    QString slug = name.toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    slug = slug.left(48);
    while (slug.startsWith(u'-'))
        slug.remove(0, 1);
    while (slug.endsWith(u'-'))
        slug.chop(1);
    if (slug.isEmpty())
        slug = QStringLiteral("workspace");
    QString path = QDir(dir).filePath(slug + QStringLiteral(".json"));
    for (int i = 2; QFileInfo::exists(path); ++i)
        path = QDir(dir).filePath(QStringLiteral("%1-%2.json").arg(slug).arg(i));
    return path;
}

void WorkspaceController::importIntoWorkspace()
{
    auto *dialog = new ImportDialog(m_workspace, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        setImportedSecrets(valuesOf(dialog->secretsFound()), dialog->storeSecretsInKeychain());
        const QString what = dialog->importResult().format;
        changeWorkspace(tr("Import (%1)").arg(what), dialog->merged().workspace);
        emit statusMessage(tr("Imported: %1").arg(dialog->summary()), 10000);
        m_lastMessage = dialog->summary();
    });
    dialog->open();
}

void WorkspaceController::bulkEdit(const QStringList &ids)
{
    if (ids.isEmpty()) {
        report(tr("Bulk edit"), tr("Select the endpoints to change in the tree first."));
        return;
    }
    auto *dialog = new BulkEditDialog(m_workspace, ids, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const QString what = dialog->edit().describe();
        changeWorkspace(
            tr("Edit %n endpoint(s): %1", "", int(dialog->endpointIds().size())).arg(what),
            dialog->result());
    });
    dialog->open();
}

void WorkspaceController::changeWorkspace(const QString &text, const Workspace &after)
{
    // WorkspaceEditCommand applies "after" on push and "before" on undo.
    m_undo->push(new WorkspaceEditCommand(
        text, m_workspace, after, [this](const Workspace &ws) { applyWorkspaceChange(ws); }));
}

void WorkspaceController::applyWorkspaceChange(const Workspace &ws)
{
    if (!m_workspacePath.isEmpty()) {
        const QString error = WorkspaceFile::save(ws, m_workspacePath);
        if (!error.isEmpty())
            report(tr("Save workspace"), tr("The change runs but was not saved: %1").arg(error));
    }
    // New hosts that would receive stored secrets need the user's yes: the full open asks.
    const bool trusted = SecretHostTrust(SecretHostPrompt::approvedHosts(m_workspacePath))
                             .untrustedHosts(ws)
                             .isEmpty()
                         || (m_demo && m_workspacePath.isEmpty());
    if (!m_session || m_opening || !trusted) {
        openWorkspace(ws, m_workspacePath, m_demo && m_workspacePath.isEmpty());
        return;
    }
    // Secret values the import found go into the running session first, then the reload
    // resolves the new endpoints with them.
    const auto values = std::exchange(m_importedSecrets, {});
    const bool keychain = std::exchange(m_importedToKeychain, false);
    auto pending = std::make_shared<int>(int(values.size()));
    MonitorSession *session = m_session.get();
    auto proceed = [this, ws, session] {
        if (m_session.get() != session)
            return; // another workspace was opened meanwhile
        if (!reloadRunningWorkspace(ws))
            openWorkspace(ws, m_workspacePath, m_demo && m_workspacePath.isEmpty());
    };
    if (values.isEmpty()) {
        proceed();
        return;
    }
    const bool toKeychain = keychain && session->secretStoreStatus().keychainAvailable();
    for (const auto &[name, value] : values)
        session->storeSecret(
            name, value, toKeychain ? SecretPersistence::Keychain : SecretPersistence::SessionOnly,
            [this, pending, proceed, name = name](const QString &error) {
                if (!error.isEmpty())
                    emit statusMessage(tr("Secret %1: %2").arg(name, error), 10000);
                if (--*pending == 0)
                    proceed();
            });
    if (keychain && !toKeychain)
        emit statusMessage(tr("No keychain: the imported secrets are kept for this session only"),
                           10000);
}

bool WorkspaceController::reloadRunningWorkspace(const Workspace &ws)
{
    ReloadSummary summary;
    const QString error = m_session->reload(ws, &summary);
    if (!error.isEmpty()) {
        m_warnings.append(error);
        return false;
    }
    m_workspace = ws;
    emit workspaceReloaded(summary.text());
    return true;
}

void WorkspaceController::setImportedSecrets(const QList<std::pair<QString, QString>> &values,
                                             bool keychain)
{
    m_importedSecrets = values;
    m_importedToKeychain = keychain && !values.isEmpty();
}

void WorkspaceController::handOverImportedSecrets(MonitorSession *session)
{
    const auto values = std::exchange(m_importedSecrets, {});
    const bool keychain = std::exchange(m_importedToKeychain, false);
    // For this session at once, so the new endpoints run without asking again.
    for (const auto &[name, value] : values)
        session->storeSecret(name, value, SecretPersistence::SessionOnly, [](const QString &) {});
    if (!keychain)
        return;
    // The keychain answers (or not) once the session has asked it: then store them there.
    auto done = std::make_shared<bool>(false);
    connect(session, &MonitorSession::secretStoreChanged, this,
            [this, session, values, done](const SecretStoreStatus &status) {
                if (*done || status.state == SecretStoreStatus::State::Detecting
                    || status.state == SecretStoreStatus::State::NotChecked)
                    return;
                *done = true;
                if (!status.keychainAvailable()) {
                    emit statusMessage(tr("No keychain: the imported secrets are kept for "
                                          "this session only (%1)")
                                           .arg(status.reason),
                                       15000);
                    return;
                }
                for (const auto &[name, value] : values)
                    session->storeSecret(name, value, SecretPersistence::Keychain,
                                         [this, name = name](const QString &error) {
                                             emit statusMessage(
                                                 error.isEmpty()
                                                     ? tr("Stored %1 in the keychain").arg(name)
                                                     : tr("Keychain: %1: %2").arg(name, error),
                                                 8000);
                                         });
            });
}

void WorkspaceController::showFirstRun()
{
    auto *dialog = new FirstRunDialog(m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowModality(Qt::WindowModal);
    connect(dialog, &QDialog::finished, this, [this, dialog] {
        if (dialog->choice() != FirstRunDialog::Choice::Workspace) {
            // The demo was chosen, or the dialog closed: something must run.
            openDemoWorkspace();
            return;
        }
        const Workspace ws = dialog->workspace();
        const QString path = newWorkspacePath(ws.name);
        QDir().mkpath(QFileInfo(path).absolutePath());
        const QString error = WorkspaceFile::save(ws, path);
        if (!error.isEmpty()) {
            report(tr("Add your API"), error);
            openDemoWorkspace();
            return;
        }
        setImportedSecrets(valuesOf(dialog->secrets()), dialog->keychain());
        openWorkspace(ws, path, false);
        m_lastMessage = dialog->summary();
        emit statusMessage(tr("%1 — saved as %2").arg(dialog->summary(), path), 20000);
    });
    dialog->open();
}

} // namespace hd
