// Workspace editing from the window: Workspace → Endpoints… opens the editor on the running
// workspace, an endpoint is edited and saved — the file on disk changes atomically and the
// window reopens the session with the new definition.
#include "consoletest.h"
#include "editor/endpointdialog.h"
#include "editor/workspaceeditordialog.h"
#include "filedialogs.h"
#include "monitorsession.h"

#include <QAction>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTreeWidget>

using namespace hd;

class TestConsoleEditor : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void editAndSaveEndpoint_writesFileAndReopens();
    void newWorkspace_writesAnEmptyValidFileAndOpensIt();

private:
    QTemporaryDir m_home;
};

void TestConsoleEditor::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

void TestConsoleEditor::editAndSaveEndpoint_writesFileAndReopens()
{
    const Workspace ws = test::simWorkspace(
        QStringLiteral("editing"), {test::simEndpoint(QStringLiteral("prod.health"),
                                                      QStringLiteral("/s004/v1/health"), 30000)});
    const QString path = m_home.filePath(QStringLiteral("editing.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    MainWindow w;
    w.show();
    QVERIFY(test::openAndWait(w, path));

    w.findChild<QAction *>(QStringLiteral("actionEditEndpoints"))->trigger();
    QPointer<WorkspaceEditorDialog> editor = w.findChild<WorkspaceEditorDialog *>();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    QCOMPARE(editor->findChild<QTabWidget *>(QStringLiteral("editorTabs"))->currentIndex(), 2);
    auto *list = editor->findChild<QTreeWidget *>(QStringLiteral("editorEndpoints"));
    const auto items = list->findItems(QStringLiteral("prod.health"), Qt::MatchExactly, 0);
    QCOMPARE(items.size(), 1);
    list->setCurrentItem(items.front());
    editor->findChild<QPushButton *>(QStringLiteral("editorEditEndpoint"))->click();
    QPointer<EndpointDialog> dialog;
    QTRY_VERIFY((dialog = editor->findChild<EndpointDialog *>()) && dialog->isVisible());
    dialog->findChild<QSpinBox *>(QStringLiteral("endpointInterval"))->setValue(45000);
    dialog->findChild<QPushButton *>(QStringLiteral("itemOk"))->click();
    QTRY_VERIFY(dialog.isNull());

    QSignalSpy reopened(&w, &MainWindow::workspaceOpened);
    editor->findChild<QPushButton *>(QStringLiteral("editorSave"))->click();
    const auto onDisk = WorkspaceFile::load(path);
    QVERIFY2(onDisk.workspace, qPrintable(onDisk.error));
    QCOMPARE(onDisk.workspace->endpoint(QStringLiteral("prod.health"))->intervalMs, 45000);

    QVERIFY(reopened.wait(20000));
    QCOMPARE(w.workspace().endpoint(QStringLiteral("prod.health"))->intervalMs, 45000);
    QCOMPARE(w.session()->engine()->workspace().endpoint(QStringLiteral("prod.health"))->intervalMs,
             45000);
    QCOMPARE(w.workspacePath(), QFileInfo(path).absoluteFilePath());
    editor->close();
}

void TestConsoleEditor::newWorkspace_writesAnEmptyValidFileAndOpensIt()
{
    MainWindow w;
    w.show();
    const QString path = m_home.filePath(QStringLiteral("fresh.json"));
    QSignalSpy opened(&w, &MainWindow::workspaceOpened);
    FileDialogs::setNextAnswer(path);
    w.findChild<QAction *>(QStringLiteral("actionNewWorkspace"))->trigger();
    QVERIFY(opened.wait(20000));
    const auto onDisk = WorkspaceFile::load(path);
    QVERIFY2(onDisk.workspace, qPrintable(onDisk.error));
    QCOMPARE(onDisk.workspace->name, QStringLiteral("fresh"));
    QCOMPARE(w.workspacePath(), QFileInfo(path).absoluteFilePath());
    // The editor opens on it, on the environments tab, to start filling it in.
    auto *editor = w.findChild<WorkspaceEditorDialog *>();
    QVERIFY(editor);
    QTRY_VERIFY(editor->isVisible());
    QCOMPARE(editor->findChild<QTabWidget *>(QStringLiteral("editorTabs"))->currentIndex(), 0);
    editor->close();
}

QTEST_MAIN(TestConsoleEditor)
#include "tst_consoleeditor.moc"
