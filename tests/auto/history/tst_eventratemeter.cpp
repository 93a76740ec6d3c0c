// The status bar's events/s: a moving average that does not read 0/s between sparse polls.
#include "eventratemeter.h"

#include <QTest>

using namespace hd;

class TestEventRateMeter : public QObject
{
    Q_OBJECT
private slots:
    void sparsePolls_averageOverTheWindowInsteadOfZero();
    void firstSeconds_divideByElapsedTimeNotTheWindow();
    void quietLongerThanTheWindow_readsZero();
    void reset_forgetsEverything();
};

void TestEventRateMeter::sparsePolls_averageOverTheWindowInsteadOfZero()
{
    ManualClock clock;
    EventRateMeter meter(clock, 10);
    // 5 events every 2.5 s: 2 events/s on average, with whole seconds of nothing between.
    for (int i = 0; i < 8; ++i) {
        meter.add(5);
        clock.advance(2500);
    }
    QVERIFY2(meter.rate() > 1.4 && meter.rate() < 2.6, qPrintable(QString::number(meter.rate())));
    QCOMPARE(meter.total(), 40);
}

void TestEventRateMeter::firstSeconds_divideByElapsedTimeNotTheWindow()
{
    ManualClock clock;
    EventRateMeter meter(clock, 10);
    meter.add(3);
    QCOMPARE(meter.rate(), 3.0); // at least one second elapsed is assumed
    clock.advance(2000);
    meter.add(3);
    QCOMPARE(meter.rate(), 3.0); // 6 events over 2 s
}

void TestEventRateMeter::quietLongerThanTheWindow_readsZero()
{
    ManualClock clock;
    EventRateMeter meter(clock, 5);
    meter.add(100);
    clock.advance(6000);
    QCOMPARE(meter.rate(), 0.0);
    QCOMPARE(meter.total(), 100);
}

void TestEventRateMeter::reset_forgetsEverything()
{
    ManualClock clock;
    EventRateMeter meter(clock);
    meter.add(7);
    meter.reset();
    QCOMPARE(meter.rate(), 0.0);
    QCOMPARE(meter.total(), 0);
}

QTEST_GUILESS_MAIN(TestEventRateMeter)
#include "tst_eventratemeter.moc"
