// Bulk edit in the console: several endpoints selected in the tree (Ctrl+click) get a new
// interval, timeout, credential, profile, quota share or pause state in one dialog; fields
// left unticked keep each endpoint's own value; a change the loader would refuse is not
// applied; the whole edit is one Undo.
#include "consoletest.h"
#include "editor/bulkeditdialog.h"
#include "endpointtree.h"
#include "monitorsession.h"
#include "pollscheduler.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QUndoStack>

using namespace hd;

class TestConsoleBulkEdit : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void applyTo_changesOnlyTickedFieldsOfNamedEndpoints();
    void applyTo_refusesWhatTheLoaderRefuses();
    void selectedEndpoints_bulkEditedAndUndone();

private:
    static Workspace desk();
    QTemporaryDir m_home;
};

void TestConsoleBulkEdit::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

Workspace TestConsoleBulkEdit::desk()
{
    Workspace ws = test::simWorkspace(
        QStringLiteral("bulk"),
        {test::simEndpoint(QStringLiteral("a"), QStringLiteral("/s004/v1/health"), 60000),
         test::simEndpoint(QStringLiteral("b"), QStringLiteral("/s004/v1/health"), 61000),
         test::simEndpoint(QStringLiteral("c"), QStringLiteral("/s004/v1/health"), 62000)});
    Credential key;
    key.id = QStringLiteral("key");
    key.method = Credential::Method::ApiKeyHeader;
    key.headerName = QStringLiteral("X-API-Key");
    key.secretName = QStringLiteral("HDECK_SIM_API_KEY");
    ws.credentials.append(key);
    return ws;
}

void TestConsoleBulkEdit::applyTo_changesOnlyTickedFieldsOfNamedEndpoints()
{
    const Workspace ws = desk();
    BulkEdit e;
    e.intervalMs = 15000;
    e.paused = true;
    e.credential = QStringLiteral("key");
    e.quotaShare = 0.25;
    const auto out = e.applyTo(ws, {QStringLiteral("a"), QStringLiteral("c")});
    QVERIFY(out);
    for (const char *id : {"a", "c"}) {
        const Endpoint *ep = out->endpoint(QLatin1String(id));
        QCOMPARE(ep->intervalMs, 15000);
        QVERIFY(ep->paused);
        QCOMPARE(ep->credential, QStringLiteral("key"));
        QCOMPARE(ep->quotaShare, 0.25);
        QCOMPARE(ep->timeoutMs, 3000); // not ticked: its own value
    }
    QCOMPARE(*out->endpoint(QStringLiteral("b")), *ws.endpoint(QStringLiteral("b")));
    QCOMPARE(e.describe(),
             QStringLiteral("interval 15 s, credential key, quota share 25 %, paused"));
}

void TestConsoleBulkEdit::applyTo_refusesWhatTheLoaderRefuses()
{
    BulkEdit e;
    e.credential = QStringLiteral("nobody");
    QString error;
    QVERIFY(!e.applyTo(desk(), {QStringLiteral("a")}, &error));
    QVERIFY2(error.contains(QStringLiteral("nobody")), qPrintable(error));
    BulkEdit p;
    p.profile = QStringLiteral("no-such-profile");
    QVERIFY(!p.applyTo(desk(), {QStringLiteral("a")}, &error));
    QVERIFY(!error.isEmpty());
}

void TestConsoleBulkEdit::selectedEndpoints_bulkEditedAndUndone()
{
    const Workspace ws = desk();
    const QString path = m_home.filePath(QStringLiteral("bulk.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    MainWindow w;
    w.show();
    QVERIFY(test::openAndWait(w, path));
    const Workspace before = w.workspace();
    MonitorSession *session = w.session();

    // Ctrl+click a and c in the tree.
    EndpointTree *tree = w.endpointTree();
    QVERIFY(tree->selectScope(ScopeKind::Endpoint, QStringLiteral("a")));
    tree->itemForEndpoint(QStringLiteral("c"))->setSelected(true);
    QCOMPARE(tree->selectedEndpoints(), (QStringList{QStringLiteral("a"), QStringLiteral("c")}));

    // The tree's context menu offers it beside pause, resume and send now.
    QCOMPARE(tree->contextMenuPolicy(), Qt::ActionsContextMenu);
    QVERIFY(tree->actions().contains(w.findChild<QAction *>(QStringLiteral("actionBulkEdit"))));
    w.findChild<QAction *>(QStringLiteral("actionBulkEdit"))->trigger();
    auto *d = w.findChild<BulkEditDialog *>(QStringLiteral("bulkEditDialog"));
    QVERIFY(d);
    QTRY_VERIFY(d->isVisible());
    QVERIFY(d->findChild<QLabel *>(QStringLiteral("bulkEditTargets"))
                ->text()
                .contains(QStringLiteral("a, c")));
    auto *apply = d->findChild<QPushButton *>(QStringLiteral("bulkEditApply"));
    // Nothing ticked: nothing to apply.
    apply->click();
    QVERIFY(d->isVisible());
    QVERIFY(!d->findChild<QLabel *>(QStringLiteral("bulkEditMessage"))->isHidden());
    auto *interval = d->findChild<QDoubleSpinBox *>(QStringLiteral("bulkInterval"));
    QVERIFY(!interval->isEnabled()); // only a ticked field can be edited
    d->findChild<QCheckBox *>(QStringLiteral("bulkChangeInterval"))->setChecked(true);
    QVERIFY(interval->isEnabled());
    interval->setValue(45);
    d->findChild<QCheckBox *>(QStringLiteral("bulkChangePaused"))->setChecked(true);
    auto *paused = d->findChild<QComboBox *>(QStringLiteral("bulkPaused"));
    paused->setCurrentIndex(paused->findData(true));
    d->findChild<QCheckBox *>(QStringLiteral("bulkChangeCredential"))->setChecked(true);
    auto *cred = d->findChild<QComboBox *>(QStringLiteral("bulkCredential"));
    cred->setCurrentIndex(cred->findData(QStringLiteral("key")));
    test::docScreenshot(d, "bulk-edit.png");
    QSignalSpy reloaded(&w, &MainWindow::workspaceReloaded);
    apply->click();
    QVERIFY(reloaded.size() > 0 || reloaded.wait(20000));
    QCOMPARE(w.session(), session); // applied in place, not reopened
    QVERIFY2(reloaded.last().at(0).toString().contains(QStringLiteral("2 changed (a, c)")),
             qPrintable(reloaded.last().at(0).toString()));

    for (const char *id : {"a", "c"}) {
        const Endpoint *ep = w.workspace().endpoint(QLatin1String(id));
        QCOMPARE(ep->intervalMs, 45000);
        QVERIFY(ep->paused);
        QCOMPARE(ep->credential, QStringLiteral("key"));
        QVERIFY(w.session()->engine()->scheduler()->isEndpointPaused(QLatin1String(id)));
    }
    QCOMPARE(w.workspace().endpoint(QStringLiteral("b"))->intervalMs, 61000);
    QVERIFY(!w.session()->engine()->scheduler()->isEndpointPaused(QStringLiteral("b")));
    QCOMPARE(*WorkspaceFile::load(path).workspace, w.workspace()); // saved
    auto *undo = w.findChild<QAction *>(QStringLiteral("actionUndo"));
    QVERIFY2(undo->text().contains(QStringLiteral("Edit 2 endpoint(s): interval 45 s")),
             qPrintable(undo->text()));

    undo->trigger();
    QTRY_COMPARE(w.workspace(), before);
    QCOMPARE(*WorkspaceFile::load(path).workspace, before);
    QVERIFY(!w.session()->engine()->scheduler()->isEndpointPaused(QStringLiteral("a")));
}

QTEST_MAIN(TestConsoleBulkEdit)
#include "tst_consolebulkedit.moc"
