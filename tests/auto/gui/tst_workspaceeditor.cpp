// Workspace editing through the dialogs, by object name: edit and save an endpoint (the file
// on disk changes), a bad value gets an inline message from the workspace file's own rules,
// delete + undo (+ redo), a delete refused while endpoints still use an environment, and a
// credential's secret going to the secret store with only its name in the file.
#include "editor/alertruledialog.h"
#include "editor/credentialdialog.h"
#include "editor/endpointdialog.h"
#include "editor/environmentdialog.h"
#include "editor/workspaceeditordialog.h"
#include "editor/workspacevalidator.h"

#include "sessionsecretstore.h"
#include "testsupport.h"
#include "workspacefile.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QUndoStack>

using namespace hd;

class TestWorkspaceEditor : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void editEndpoint_saveWritesTheFile();
    void badValue_showsInlineMessageAndKeepsDialogOpen();
    void duplicateId_isReportedUnderTheIdField();
    void deleteEndpoint_undoRestoresItInPlace();
    void deleteEnvironmentInUse_isRefusedWithMessage();
    void deleteCredentialUsedByAStream_namesTheStream();
    void addEnvironmentAndAlertRule();
    void credential_secretGoesToStoreAndOnlyItsNameToTheFile();
    void validator_takesThePointerFromTheLoader();

private:
    // Item dialogs delete themselves when closed: hold them in a QPointer.
    template<typename T>
    QPointer<T> waitForDialog(QWidget *parent)
    {
        T *d = nullptr;
        if (!QTest::qWaitFor([&] { return (d = parent->findChild<T *>()) && d->isVisible(); },
                             5000))
            return nullptr;
        return d;
    }
    static void select(QTreeWidget *tree, const QString &id);

    QTemporaryDir m_dir;
    QString m_path;
    Workspace m_ws;
};

void TestWorkspaceEditor::init()
{
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("ws.json"));
    QFile::remove(m_path);
    QVERIFY(
        QFile::copy(hd::test::sourcePath(QStringLiteral("resources/demo/workspace.json")), m_path));
    QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
    const auto loaded = WorkspaceFile::load(m_path);
    QVERIFY2(loaded.workspace, qPrintable(loaded.error));
    m_ws = *loaded.workspace;
}

void TestWorkspaceEditor::select(QTreeWidget *tree, const QString &id)
{
    const auto items = tree->findItems(id, Qt::MatchExactly, 0);
    QVERIFY2(items.size() == 1, qPrintable(id));
    tree->setCurrentItem(items.first());
}

void TestWorkspaceEditor::editEndpoint_saveWritesTheFile()
{
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    QSignalSpy changed(&editor, &WorkspaceEditorDialog::workspaceChanged);
    select(editor.findChild<QTreeWidget *>(QStringLiteral("editorEndpoints")),
           QStringLiteral("prod.orders.health"));
    editor.findChild<QPushButton *>(QStringLiteral("editorEditEndpoint"))->click();
    auto dialog = waitForDialog<EndpointDialog>(&editor);
    QVERIFY(dialog);
    auto *interval = dialog->findChild<QSpinBox *>(QStringLiteral("endpointInterval"));
    auto *path = dialog->findChild<QLineEdit *>(QStringLiteral("endpointPath"));
    QCOMPARE(path->text(), QStringLiteral("/s000/v1/health"));
    interval->setValue(45000);
    path->setText(QStringLiteral("/s000/v1/health?deep=1"));
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QTRY_VERIFY(dialog.isNull()); // accepted, closed and deleted
    QVERIFY(editor.isModified());

    editor.findChild<QPushButton *>(QStringLiteral("editorSave"))->click();
    QCOMPARE(changed.size(), 1);
    QVERIFY(!editor.isModified());
    const auto reloaded = WorkspaceFile::load(m_path);
    QVERIFY2(reloaded.workspace, qPrintable(reloaded.error));
    const Endpoint *ep = reloaded.workspace->endpoint(QStringLiteral("prod.orders.health"));
    QVERIFY(ep);
    QCOMPARE(ep->intervalMs, 45000);
    QCOMPARE(ep->path, QStringLiteral("/s000/v1/health?deep=1"));
    // Nothing else changed.
    Workspace expected = m_ws;
    for (auto &e : expected.endpoints)
        if (e.id == u"prod.orders.health") {
            e.intervalMs = 45000;
            e.path = QStringLiteral("/s000/v1/health?deep=1");
        }
    QVERIFY(*reloaded.workspace == expected);
}

void TestWorkspaceEditor::badValue_showsInlineMessageAndKeepsDialogOpen()
{
    const QByteArray before = [&] {
        QFile f(m_path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    select(editor.findChild<QTreeWidget *>(QStringLiteral("editorEndpoints")),
           QStringLiteral("prod.orders.health"));
    editor.findChild<QPushButton *>(QStringLiteral("editorEditEndpoint"))->click();
    auto dialog = waitForDialog<EndpointDialog>(&editor);
    QVERIFY(dialog);
    // 50 ms is below the file's minimum interval: the workspace file's rule says so inline.
    dialog->findChild<QSpinBox *>(QStringLiteral("endpointInterval"))->setValue(50);
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    auto *error = dialog->findChild<QLabel *>(QStringLiteral("error_intervalMs"));
    QVERIFY(error);
    QVERIFY(!error->isHidden());
    QVERIFY2(error->text().contains(QStringLiteral("must be between 100")),
             qPrintable(error->text()));
    QVERIFY(dialog->isVisible());

    // A header line without a colon: a local message under the headers field.
    dialog->findChild<QSpinBox *>(QStringLiteral("endpointInterval"))->setValue(30000);
    dialog->findChild<QPlainTextEdit *>(QStringLiteral("endpointHeaders"))
        ->setPlainText(QStringLiteral("Accept application/json"));
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QVERIFY(error->isHidden());
    auto *headerError = dialog->findChild<QLabel *>(QStringLiteral("error_headers"));
    QVERIFY(!headerError->isHidden());
    QVERIFY(headerError->text().contains(QStringLiteral("line 1")));
    QVERIFY(dialog->isVisible());
    dialog->findChild<QPushButton *>(QStringLiteral("itemCancel"))->click();
    QVERIFY(!editor.isModified());
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before);
}

void TestWorkspaceEditor::duplicateId_isReportedUnderTheIdField()
{
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    editor.findChild<QPushButton *>(QStringLiteral("editorAddEndpoint"))->click();
    auto dialog = waitForDialog<EndpointDialog>(&editor);
    QVERIFY(dialog);
    dialog->findChild<QLineEdit *>(QStringLiteral("endpointId"))
        ->setText(QStringLiteral("prod.positions"));
    dialog->findChild<QLineEdit *>(QStringLiteral("endpointPath"))->setText(QStringLiteral("/x"));
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    auto *error = dialog->findChild<QLabel *>(QStringLiteral("error_id"));
    QVERIFY(!error->isHidden());
    QCOMPARE(error->text(), QStringLiteral("\"prod.positions\" is used twice"));
    dialog->findChild<QLineEdit *>(QStringLiteral("endpointId"))
        ->setText(QStringLiteral("has space"));
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QCOMPARE(error->text(), QStringLiteral("\"has space\" must not contain spaces"));
    dialog->findChild<QLineEdit *>(QStringLiteral("endpointId"))
        ->setText(QStringLiteral("prod.new"));
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QTRY_VERIFY(dialog.isNull()); // accepted, closed and deleted
    QVERIFY(editor.workspace().endpoint(QStringLiteral("prod.new")));
    QCOMPARE(editor.workspace().endpoints.size(), m_ws.endpoints.size() + 1);
}

void TestWorkspaceEditor::deleteEndpoint_undoRestoresItInPlace()
{
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    auto *tree = editor.findChild<QTreeWidget *>(QStringLiteral("editorEndpoints"));
    select(tree, QStringLiteral("prod.signals.list"));
    const int row = tree->indexOfTopLevelItem(tree->currentItem());
    editor.findChild<QPushButton *>(QStringLiteral("editorDeleteEndpoint"))->click();
    QVERIFY(!editor.workspace().endpoint(QStringLiteral("prod.signals.list")));
    QCOMPARE(tree->topLevelItemCount(), m_ws.endpoints.size() - 1);

    editor.findChild<QAction *>(QStringLiteral("editorUndo"))->trigger();
    QVERIFY(editor.workspace() == m_ws);
    QCOMPARE(tree->topLevelItem(row)->text(0), QStringLiteral("prod.signals.list"));
    QVERIFY(!editor.isModified());

    editor.findChild<QAction *>(QStringLiteral("editorRedo"))->trigger();
    QVERIFY(!editor.workspace().endpoint(QStringLiteral("prod.signals.list")));
    QVERIFY(editor.save());
    const auto reloaded = WorkspaceFile::load(m_path);
    QVERIFY(reloaded.workspace);
    QVERIFY(!reloaded.workspace->endpoint(QStringLiteral("prod.signals.list")));
    QCOMPARE(reloaded.workspace->endpoints.size(), m_ws.endpoints.size() - 1);
}

void TestWorkspaceEditor::deleteEnvironmentInUse_isRefusedWithMessage()
{
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    select(editor.findChild<QTreeWidget *>(QStringLiteral("editorEnvironments")),
           QStringLiteral("dev"));
    editor.findChild<QPushButton *>(QStringLiteral("editorDeleteEnvironment"))->click();
    QVERIFY(editor.workspace() == m_ws);
    const QString message = editor.findChild<QLabel *>(QStringLiteral("editorMessage"))->text();
    QVERIFY2(message.contains(QStringLiteral("still used by")), qPrintable(message));
    QVERIFY(message.contains(QStringLiteral("dev.signals.list")));
    QVERIFY(!editor.undoStack()->canUndo());
}

void TestWorkspaceEditor::deleteCredentialUsedByAStream_namesTheStream()
{
    // The demo's Tradovate credential also authorizes its WebSocket stream (docs/streams.md).
    QVERIFY(m_ws.stream(QStringLiteral("prod.tradovate.stream")));
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    select(editor.findChild<QTreeWidget *>(QStringLiteral("editorCredentials")),
           QStringLiteral("tradovate"));
    editor.findChild<QPushButton *>(QStringLiteral("editorDeleteCredential"))->click();
    QVERIFY(editor.workspace() == m_ws);
    const QString message = editor.findChild<QLabel *>(QStringLiteral("editorMessage"))->text();
    QVERIFY2(message.contains(QStringLiteral("prod.tradovate.stream")), qPrintable(message));
    // Saving what the editor holds keeps the stream.
    QVERIFY(editor.save());
    const auto reloaded = WorkspaceFile::load(m_path);
    QVERIFY(reloaded.workspace);
    QCOMPARE(reloaded.workspace->streams, m_ws.streams);
}

void TestWorkspaceEditor::addEnvironmentAndAlertRule()
{
    WorkspaceEditorDialog editor(m_ws, m_path, nullptr);
    editor.show();
    editor.findChild<QPushButton *>(QStringLiteral("editorAddEnvironment"))->click();
    auto env = waitForDialog<EnvironmentDialog>(&editor);
    QVERIFY(env);
    env->findChild<QLineEdit *>(QStringLiteral("envId"))->setText(QStringLiteral("staging"));
    env->findChild<QLineEdit *>(QStringLiteral("envBaseUrl"))
        ->setText(QStringLiteral("ftp://staging"));
    env->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    auto *urlError = env->findChild<QLabel *>(QStringLiteral("error_baseUrl"));
    QVERIFY(!urlError->isHidden());
    QVERIFY(urlError->text().contains(QStringLiteral("http://")));
    env->findChild<QLineEdit *>(QStringLiteral("envBaseUrl"))
        ->setText(QStringLiteral("https://staging.example.com"));
    env->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    // An id the demo does not use yet (it already has "uat"): the add is a new environment.
    QVERIFY(!m_ws.environment(QStringLiteral("staging")));
    QTRY_VERIFY(editor.workspace().environment(QStringLiteral("staging")));
    QCOMPARE(editor.workspace().environments.size(), m_ws.environments.size() + 1);

    editor.findChild<QPushButton *>(QStringLiteral("editorAddAlert"))->click();
    auto alert = waitForDialog<AlertRuleDialog>(&editor);
    QVERIFY(alert);
    alert->findChild<QLineEdit *>(QStringLiteral("alertId"))
        ->setText(QStringLiteral("staging-down"));
    alert->findChild<QComboBox *>(QStringLiteral("alertKind"))
        ->setCurrentText(QStringLiteral("down"));
    alert->findChild<QComboBox *>(QStringLiteral("alertScope"))
        ->setCurrentText(QStringLiteral("nowhere"));
    alert->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QVERIFY(!alert->findChild<QLabel *>(QStringLiteral("error_scope"))->isHidden());
    alert->findChild<QComboBox *>(QStringLiteral("alertScope"))
        ->setCurrentText(QStringLiteral("staging"));
    alert->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QTRY_COMPARE(editor.workspace().alerts.size(), m_ws.alerts.size() + 1);
    QCOMPARE(editor.workspace().alerts.last().kind, QStringLiteral("down"));
    QCOMPARE(editor.undoStack()->count(), 2);
    QVERIFY(editor.save());
    const auto reloaded = WorkspaceFile::load(m_path);
    QVERIFY(reloaded.workspace);
    QCOMPARE(reloaded.workspace->alerts.last().scope, QStringLiteral("staging"));
}

void TestWorkspaceEditor::credential_secretGoesToStoreAndOnlyItsNameToTheFile()
{
    const QString secret = QStringLiteral("very-secret-client-value-7781");
    SessionSecretStore store;
    WorkspaceEditorDialog editor(m_ws, m_path, &store);
    editor.show();
    editor.findChild<QPushButton *>(QStringLiteral("editorAddCredential"))->click();
    auto dialog = waitForDialog<CredentialDialog>(&editor);
    QVERIFY(dialog);
    dialog->findChild<QLineEdit *>(QStringLiteral("credId"))->setText(QStringLiteral("uat-key"));
    auto *method = dialog->findChild<QComboBox *>(QStringLiteral("credMethod"));
    method->setCurrentIndex(method->findData(QStringLiteral("api_key_header")));
    dialog->findChild<QLineEdit *>(QStringLiteral("credSecretName"))
        ->setText(QStringLiteral("UAT_API_KEY"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("credSecretValue")), secret);
    // Session store: not stored until the user agrees to session-only.
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QVERIFY(!dialog->findChild<QLabel *>(QStringLiteral("error_secretValue"))->isHidden());
    QVERIFY(dialog->isVisible());
    dialog->findChild<QCheckBox *>(QStringLiteral("credSessionOnly"))->setChecked(true);
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QTRY_VERIFY(editor.workspace().credential(QStringLiteral("uat-key")));
    QVERIFY(editor.save());

    std::optional<QString> stored;
    bool done = false;
    store.read(QStringLiteral("UAT_API_KEY"), &store,
               [&](std::optional<QString> v, const QString &) {
                   stored = v;
                   done = true;
               });
    QTRY_VERIFY(done);
    QCOMPARE(stored, std::optional<QString>(secret));
    QFile f(m_path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray file = f.readAll();
    QVERIFY(file.contains("UAT_API_KEY"));
    QVERIFY(!file.contains(secret.toUtf8()));
}

void TestWorkspaceEditor::validator_takesThePointerFromTheLoader()
{
    QVERIFY(!WorkspaceValidator::check(m_ws));
    Workspace ws = m_ws;
    QVERIFY(ws.endpoints.size() > 2);
    ws.endpoints[2].intervalMs = 5;
    const auto problem = WorkspaceValidator::check(ws);
    QVERIFY(problem);
    QCOMPARE(problem->pointer, QStringLiteral("/endpoints/2/intervalMs"));
    QCOMPARE(problem->field(), QStringLiteral("intervalMs"));
    QCOMPARE(problem->index(QStringLiteral("endpoints")), 2);
    QCOMPARE(problem->index(QStringLiteral("environments")), -1);
    // The loader's own words, identical to what loading the saved file would say.
    const auto loaded = WorkspaceFile::parseJson(WorkspaceFile::toJson(ws), QStringLiteral("ws"));
    QCOMPARE(problem->message, loaded.problem);
    QVERIFY(loaded.error.endsWith(problem->message));
}

QTEST_MAIN(TestWorkspaceEditor)
#include "tst_workspaceeditor.moc"
