// File → Import… in the console: the preview says what will be added, changed, left alone and
// not taken (and why), one checkbox per endpoint decides, a bad file is one line and offers
// nothing; accepting changes the running workspace and its file in one step that Undo takes
// back whole (and Redo brings back).
#include "consoletest.h"
#include "endpointtree.h"
#include "import/importdialog.h"
#include "monitorsession.h"
#include "simulator.h"
#include "testsupport.h"

#include <QAction>
#include <QCheckBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QUndoStack>

using namespace hd;

class TestConsoleImport : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void preview_listsAddedChangedUnchangedAndNotTaken();
    void badFile_isOneLineAndNothingIsOffered();
    void secrets_areNamedNeverShown();
    void importIntoRunningWorkspace_isPolledAndUndoneWhole();

private:
    QString writeFile(const QString &name, const QByteArray &contents);
    static QString previewText(const ImportDialog &d);
    QTemporaryDir m_home;
};

void TestConsoleImport::initTestCase()
{
    QVERIFY(m_home.isValid());
    test::isolateUserDirectories(m_home);
}

QString TestConsoleImport::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_home.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(contents) != contents.size())
        return {};
    return path;
}

QString TestConsoleImport::previewText(const ImportDialog &d)
{
    QStringList lines;
    auto *tree = d.findChild<QTreeWidget *>(QStringLiteral("importPreview"));
    for (QTreeWidgetItemIterator it(tree); *it; ++it)
        lines.append(
            QStringLiteral("%1 | %2 | %3").arg((*it)->text(0), (*it)->text(1), (*it)->text(2)));
    return lines.join(u'\n');
}

void TestConsoleImport::preview_listsAddedChangedUnchangedAndNotTaken()
{
    // The desk already polls /v1/health (its own interval) and /v1/orders.
    Workspace current;
    current.name = QStringLiteral("desk");
    current.environments.append({QStringLiteral("local"),
                                 QStringLiteral("Local"),
                                 QStringLiteral("http://127.0.0.1:8443"),
                                 {}});
    Endpoint health;
    health.id = QStringLiteral("health");
    health.environment = QStringLiteral("local");
    health.path = QStringLiteral("/v1/health");
    health.intervalMs = 5000;
    Endpoint orders = health;
    orders.id = QStringLiteral("orders");
    orders.path = QStringLiteral("/v1/orders");
    current.endpoints = {health, orders};

    const QString curl = QStringLiteral(
        "curl -H 'X-Desk: 7' http://127.0.0.1:8443/v1/health\n"
        "curl http://127.0.0.1:8443/v1/orders\n"
        "curl -H 'Authorization: Bearer $DESK_TOKEN' http://127.0.0.1:8443/v1/positions\n"
        "curl -X POST -d '{\"qty\":1}' http://127.0.0.1:8443/v1/orders\n");
    ImportDialog d(current);
    d.setCurlText(curl);
    QVERIFY(d.preview());
    QCOMPARE(d.candidates().size(), 4);
    QCOMPARE(d.checkedEndpoints().size(), 3); // the POST is not ticked
    const QString text = previewText(d);
    QVERIFY2(text.contains(QStringLiteral("change health")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("your interval and tuning stay")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("unchanged (orders)")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("add as")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("not taken: POST may change data")), qPrintable(text));
    auto *summary = d.findChild<QLabel *>(QStringLiteral("importSummary"));
    QVERIFY2(summary->text().startsWith(QStringLiteral("Endpoints: 1 to add, 1 to change, 1 "
                                                       "unchanged, 1 not taken")),
             qPrintable(summary->text()));
    auto *accept = d.findChild<QPushButton *>(QStringLiteral("importAccept"));
    QVERIFY(accept->isEnabled());
    test::docScreenshot(&d, "import-preview.png");
    // The merge keeps the user's tuning of the changed endpoint.
    const Endpoint *merged = d.merged().workspace.endpoint(QStringLiteral("health"));
    QVERIFY(merged);
    QCOMPARE(merged->intervalMs, 5000);
    QCOMPARE(merged->headers.size(), 1);
    QCOMPARE(d.merged().workspace.environments.size(), 1); // same base URL: reused

    // Unticking the new endpoint takes it out of the merge and the summary.
    const QString added = d.candidates().at(2);
    d.setEndpointChecked(added, false);
    QVERIFY(!d.merged().workspace.endpoint(added));
    QCOMPARE(d.merged().workspace.endpoints.size(), 2);
    QVERIFY2(summary->text().startsWith(QStringLiteral("Endpoints: 0 to add, 1 to change")),
             qPrintable(summary->text()));
    // Ticking the POST takes it (it was listed with its reason).
    d.setEndpointChecked(d.candidates().at(3), true);
    QCOMPARE(d.merged().workspace.endpoints.size(), 3);
    // Nothing ticked that changes anything: nothing to accept.
    for (const QString &id : d.candidates())
        d.setEndpointChecked(id, false);
    QVERIFY(!accept->isEnabled());
    QCOMPARE(d.merged().workspace.endpoints, current.endpoints);
}

void TestConsoleImport::badFile_isOneLineAndNothingIsOffered()
{
    const QString bad = writeFile(QStringLiteral("broken.yaml"),
                                  "openapi: 3.0.0\ninfo: {title: x\npaths:\n  /a: [\n");
    ImportDialog d(Workspace{});
    d.setFile(bad);
    QVERIFY(!d.preview());
    auto *message = d.findChild<QLabel *>(QStringLiteral("importMessage"));
    QVERIFY(!message->isHidden());
    QVERIFY2(message->text().contains(QStringLiteral("broken.yaml")), qPrintable(message->text()));
    QVERIFY(!message->text().contains(u'\n'));
    QVERIFY(!d.findChild<QPushButton *>(QStringLiteral("importAccept"))->isEnabled());
    QCOMPARE(d.findChild<QTreeWidget *>(QStringLiteral("importPreview"))->topLevelItemCount(), 0);

    const QString unknown = writeFile(QStringLiteral("notes.txt"), "hello, nothing to see\n");
    d.setFile(unknown);
    QVERIFY(!d.preview());
    QVERIFY2(message->text().contains(QStringLiteral("not a format HealthDeck recognises")),
             qPrintable(message->text()));
    d.setFile(m_home.filePath(QStringLiteral("missing.json")));
    QVERIFY(!d.preview());
    QVERIFY2(message->text().contains(QStringLiteral("cannot open")), qPrintable(message->text()));

    // The real-world fixtures are detected by content.
    ImportDialog postman(Workspace{});
    postman.setFile(
        test::sourcePath(QStringLiteral("tests/auto/import/data/trading.postman_collection.json")));
    QVERIFY(postman.preview());
    QCOMPARE(postman.importResult().format, QStringLiteral("postman"));
    ImportDialog har(Workspace{});
    har.setFile(test::sourcePath(QStringLiteral("tests/auto/import/data/session.har")));
    QVERIFY(har.preview());
    QCOMPARE(har.importResult().format, QStringLiteral("har"));
    ImportDialog openapi(Workspace{});
    openapi.setFile(test::sourcePath(QStringLiteral("tests/auto/import/data/petstore.yaml")));
    QVERIFY(openapi.preview());
    QCOMPARE(openapi.importResult().format, QStringLiteral("openapi"));
    QVERIFY(!openapi.checkedEndpoints().isEmpty());
    QVERIFY(openapi.checkedEndpoints().size() < openapi.candidates().size());
}

void TestConsoleImport::secrets_areNamedNeverShown()
{
    const QString token = QStringLiteral("tok-9f8e7d6c5b4a");
    ImportDialog d(Workspace{});
    d.setCurlText(QStringLiteral("curl -H 'Authorization: Bearer %1' "
                                 "http://127.0.0.1:8443/v1/accounts")
                      .arg(token));
    QVERIFY(d.preview());
    QCOMPARE(d.secretsFound().size(), 1);
    QCOMPARE(d.secretsFound().first().value, token);
    const QString text = previewText(d);
    QVERIFY2(text.contains(d.secretsFound().first().secretName), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("value found")), qPrintable(text));
    QVERIFY(!text.contains(token));
    QVERIFY(!QByteArray::fromStdString(WorkspaceFile::toJson(d.merged().workspace).dump())
                 .contains(token.toUtf8()));
    auto *store = d.findChild<QCheckBox *>(QStringLiteral("importStoreSecrets"));
    QVERIFY(!store->isHidden());
    QVERIFY(d.storeSecretsInKeychain());
    store->setChecked(false);
    QVERIFY(!d.storeSecretsInKeychain());
}

void TestConsoleImport::importIntoRunningWorkspace_isPolledAndUndoneWhole()
{
    Simulator sim;
    QVERIFY(sim.start(0) != 0);
    QString base = sim.baseUrl().toString();
    if (base.endsWith(u'/'))
        base.chop(1);
    const Workspace ws = test::simWorkspace(
        QStringLiteral("desk"), {test::simEndpoint(QStringLiteral("prod.health"),
                                                   QStringLiteral("/s004/v1/health"), 60000)});
    const QString path = m_home.filePath(QStringLiteral("desk.json"));
    QCOMPARE(WorkspaceFile::save(ws, path), QString());
    MainWindow w;
    w.show();
    QVERIFY(test::openAndWait(w, path));

    w.findChild<QAction *>(QStringLiteral("actionImport"))->trigger();
    auto *d = w.findChild<ImportDialog *>(QStringLiteral("importDialog"));
    QVERIFY(d);
    QTRY_VERIFY(d->isVisible());
    d->setCurlText(QStringLiteral("curl -sS %1/prod/s000/v1/health").arg(base));
    QVERIFY(d->preview());
    QCOMPARE(d->checkedEndpoints().size(), 1);
    const QString id = d->candidates().first();
    // Applied to the running session in place: history and the unchanged endpoint carry on.
    QSignalSpy reloaded(&w, &MainWindow::workspaceReloaded);
    MonitorSession *session = w.session();
    d->findChild<QPushButton *>(QStringLiteral("importAccept"))->click();
    QVERIFY(reloaded.size() > 0 || reloaded.wait(20000));
    QVERIFY2(reloaded.last().at(0).toString().contains(QStringLiteral("1 added")),
             qPrintable(reloaded.last().at(0).toString()));
    QCOMPARE(w.session(), session);
    QVERIFY(w.workspace().endpoint(id));
    QVERIFY(w.workspace().endpoint(QStringLiteral("prod.health")));
    QVERIFY(w.endpointTree()->itemForEndpoint(id));
    // Saved to the workspace file, and polled within seconds (not at its 60 s slot).
    QVERIFY(WorkspaceFile::load(path).workspace->endpoint(id));
    QTRY_VERIFY_WITH_TIMEOUT(
        w.session()->aggregator()->summary(ScopeKind::Endpoint, id, 60000).total > 0, 10000);
    QCOMPARE(w.undoStack()->count(), 1);
    auto *undo = w.findChild<QAction *>(QStringLiteral("actionUndo"));
    QVERIFY(undo->isEnabled());
    QVERIFY2(undo->text().contains(QStringLiteral("Import (curl)")), qPrintable(undo->text()));

    // Undo takes the whole import back: the running workspace and the file.
    undo->trigger();
    QTRY_VERIFY(!w.workspace().endpoint(id));
    QCOMPARE(w.workspace().environments.size(), 1);
    QVERIFY(!w.endpointTree()->itemForEndpoint(id));
    QCOMPARE(*WorkspaceFile::load(path).workspace, w.workspace());
    w.findChild<QAction *>(QStringLiteral("actionRedo"))->trigger();
    QTRY_VERIFY(w.workspace().endpoint(id));
    QCOMPARE(w.session(), session);
}

QTEST_MAIN(TestConsoleImport)
#include "tst_consoleimport.moc"
