// BundleBasket (issue 22): the support-bundle basket out of MainWindow — each event once, a
// count for the status bar, and the export dialog with the events found in memory or history.
#include "../history/historytestevents.h"
#include "bundlebasket.h"
#include "eventlookup.h"

#include <QDialog>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace hd;
using namespace hd::test;

class TestBundleBasket : public QObject
{
    Q_OBJECT
private slots:
    void add_keepsEachEventOnceInOrder();
    void export_opensTheDialogAndNamesWhatIsGone();
};

void TestBundleBasket::add_keepsEachEventOnceInOrder()
{
    BundleBasket basket;
    QSignalSpy changed(&basket, &BundleBasket::changed);
    QVERIFY(basket.add(QStringLiteral("b")));
    QVERIFY(basket.add(QStringLiteral("a")));
    QVERIFY(!basket.add(QStringLiteral("b"))); // already in
    QVERIFY(!basket.add(QString()));
    QCOMPARE(basket.ids(), (QStringList{QStringLiteral("b"), QStringLiteral("a")}));
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.last().at(0).toInt(), 2);
    basket.clear();
    QCOMPARE(basket.size(), 0);
    QCOMPARE(changed.last().at(0).toInt(), 0);
    basket.clear(); // empty already: no signal
    QCOMPARE(changed.size(), 3);
}

void TestBundleBasket::export_opensTheDialogAndNamesWhatIsGone()
{
    QWidget window;
    EventLookup lookup;
    const ApiEvent kept = makeEvent(1795298400000, 503, Category::Unavailable);
    lookup.insert(kept);
    BundleBasket basket;
    basket.add(kept.id);
    QSignalSpy missing(&basket, &BundleBasket::eventsMissing);
    basket.exportBundle(&window, nullptr, &lookup,
                        {kept.id, QStringLiteral("evt-retained-away"), QString()});
    QCOMPARE(missing.size(), 1);
    QCOMPARE(missing.first().at(0).toStringList(),
             QStringList{QStringLiteral("evt-retained-away")});
    auto *dialog = window.findChild<QDialog *>(QStringLiteral("exportBundleDialog"));
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(basket.size(), 1); // emptied only by a successful export
}

QTEST_MAIN(TestBundleBasket)
#include "tst_bundlebasket.moc"
