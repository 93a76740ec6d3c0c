// File → Export Support Bundle… on the running demo workspace: the action is found by object
// name, the dialog exports the selected rows (plus one marked from the detail pane) and then a time
// range off the UI thread, shows progress and the result, and the ZIP holds exactly what was asked
// for.

#include "alertengine.h"
#include "errorlogmodel.h"
#include "export/exportbundledialog.h"
#include "mainwindow.h"

#include <JlCompress.h>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QFile>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestExportBundle : public QObject
{
    Q_OBJECT
private slots:
    void exportAction_writesTheSelectionAndATimeRange();
    void alertWindow_coversTheRuleWindowUntilResolved();

private:
    static QByteArray entry(const QString &zip, const QString &name, const QTemporaryDir &dir);
};

QByteArray TestExportBundle::entry(const QString &zip, const QString &name,
                                   const QTemporaryDir &dir)
{
    const QString path
        = JlCompress::extractFile(zip, name, dir.filePath(QFileInfo(zip).baseName() + name));
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestExportBundle::exportAction_writesTheSelectionAndATimeRange()
{
    QTemporaryDir dir;
    MainWindow w;
    w.show();
    QVERIFY(w.openDemoWorkspace());
    QTRY_VERIFY_WITH_TIMEOUT(w.logModel()->rowCount() >= 4, 30000);

    auto *view = w.findChild<QTableView *>(QStringLiteral("errorLog"));
    QVERIFY(view);
    const QAbstractItemModel *model = view->model();
    // Row 3 is marked from the detail pane ("Add to support bundle"), rows 0–2 are selected.
    view->setCurrentIndex(model->index(3, 0));
    auto *add = w.findChild<QPushButton *>(QStringLiteral("detailAddToBundle"));
    QVERIFY(add);
    QTRY_VERIFY(add->isEnabled());
    add->click();
    view->selectionModel()->select(QItemSelection(model->index(0, 0), model->index(2, 0)),
                                   QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(view->selectionModel()->selectedRows().size(), 3);

    auto *action = w.findChild<QAction *>(QStringLiteral("actionExportBundle"));
    QVERIFY(action);
    action->trigger();
    ExportBundleDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = w.findChild<ExportBundleDialog *>(QStringLiteral("exportBundleDialog"))));
    auto *fromSelection = dialog->findChild<QRadioButton *>(QStringLiteral("bundleFromSelection"));
    auto *fromRange = dialog->findChild<QRadioButton *>(QStringLiteral("bundleFromRange"));
    auto *output = dialog->findChild<QLineEdit *>(QStringLiteral("bundleOutput"));
    auto *reveal = dialog->findChild<QCheckBox *>(QStringLiteral("bundleReveal"));
    auto *exportButton = dialog->findChild<QPushButton *>(QStringLiteral("bundleExport"));
    auto *status = dialog->findChild<QLabel *>(QStringLiteral("bundleStatus"));
    auto *progress = dialog->findChild<QProgressBar *>(QStringLiteral("bundleProgress"));
    QVERIFY(fromSelection && fromRange && output && reveal && exportButton && status && progress);
    QVERIFY(fromSelection->isChecked()); // a selection is the default when there is one
    QCOMPARE(fromSelection->text(), QStringLiteral("The 4 selected events"));
    QVERIFY(output->text().endsWith(QStringLiteral(".zip")));
    reveal->setChecked(false); // no file manager on a test machine

    const QString selectionZip = dir.filePath(QStringLiteral("selection.zip"));
    output->setText(selectionZip);
    QSignalSpy done(dialog, &ExportBundleDialog::exported);
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
    QVERIFY2(status->text().startsWith(QStringLiteral("Wrote ")), qPrintable(status->text()));
    QCOMPARE(progress->value(), 100);
    QVERIFY(exportButton->isEnabled());
    const QByteArray events = entry(selectionZip, QStringLiteral("events.jsonl"), dir);
    QCOMPARE(events.count('\n'), 4);
    const QByteArray html = entry(selectionZip, QStringLiteral("report.html"), dir);
    QVERIFY(html.contains("4 events selected in the console"));
    QVERIFY(html.contains("sim-client") || html.contains("sim-readonly")
            || html.contains("Client ids")); // the demo's client ids when its endpoints use them
    const QByteArray env = entry(selectionZip, QStringLiteral("environment.json"), dir);
    QVERIFY(env.contains("\"client_id\": \"sim-client\""));
    QVERIFY(!env.contains("sim-secret")); // no simulator demo secret value, only its name

    // A time range: everything the window holds from an hour ago on.
    fromRange->setChecked(true);
    const QString rangeZip = dir.filePath(QStringLiteral("range.zip"));
    output->setText(rangeZip);
    const int shownBefore = w.logModel()->rowCount();
    QTest::mouseClick(exportButton, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(done.size(), 2, 30000);
    QVERIFY2(status->text().startsWith(QStringLiteral("Wrote ")), qPrintable(status->text()));
    QVERIFY(entry(rangeZip, QStringLiteral("events.jsonl"), dir).count('\n') >= shownBefore);
    QVERIFY(!entry(rangeZip, QStringLiteral("report.pdf"), dir).isEmpty());
    dialog->close();
}

void TestExportBundle::alertWindow_coversTheRuleWindowUntilResolved()
{
    AlertState firing;
    firing.firedAtMs = 1'000'000;
    const auto open = ExportBundleDialog::alertWindow(firing, 600, 2'000'000);
    QCOMPARE(open.first, 1'000'000 - 600'000);
    QCOMPARE(open.second, 2'000'001);
    AlertState resolved = firing;
    resolved.resolvedAtMs = 1'500'000;
    QCOMPARE(ExportBundleDialog::alertWindow(resolved, 10, 2'000'000),
             std::make_pair(qint64(1'000'000 - 60'000), qint64(1'500'001)));
}

QTEST_MAIN(TestExportBundle)
#include "tst_exportbundle.moc"
