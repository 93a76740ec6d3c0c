// The reconnect schedule: full-jitter exponential backoff, a cap, a limit, and a reset.
#include "reconnectbackoff.h"

#include <QTest>

using namespace hd;

class TestReconnectBackoff : public QObject
{
    Q_OBJECT
private slots:
    void ceilingDoublesUpToTheCap();
    void fullJitter_spansZeroToTheCeiling();
    void limit_givesUpAfterMaxAttemptsInARow();
    void reset_startsFromTheBaseAgain();
    void zeroAttempts_givesUpAtOnce();
};

namespace {
StreamReconnect config(int base, int cap, int attempts)
{
    StreamReconnect c;
    c.baseMs = base;
    c.capMs = cap;
    c.maxAttempts = attempts;
    return c;
}
} // namespace

void TestReconnectBackoff::ceilingDoublesUpToTheCap()
{
    ReconnectBackoff b(config(100, 1000, 10), [] { return 0.9999999; });
    QList<qint64> delays;
    for (int i = 0; i < 6; ++i)
        delays.append(*b.next());
    QCOMPARE(delays, (QList<qint64>{100, 200, 400, 800, 1000, 1000}));
    QCOMPARE(b.lastCeiling(), 1000);
    QCOMPARE(b.failuresInRow(), 6);
}

void TestReconnectBackoff::fullJitter_spansZeroToTheCeiling()
{
    double r = 0.0;
    ReconnectBackoff b(config(1000, 30000, 10), [&r] { return r; });
    QCOMPARE(*b.next(), 0); // full jitter: the low end is zero, not half the ceiling
    r = 0.5;
    QCOMPARE(*b.next(), 1000); // 0.5 × (2000 + 1)
    r = 0.25;
    QCOMPARE(*b.next(), 1000); // 0.25 × (4000 + 1)
    QCOMPARE(b.lastCeiling(), 4000);
}

void TestReconnectBackoff::limit_givesUpAfterMaxAttemptsInARow()
{
    ReconnectBackoff b(config(10, 100, 3), [] { return 0.5; });
    QVERIFY(b.next());
    QVERIFY(b.next());
    QVERIFY(b.next());
    QVERIFY(!b.next());
    QVERIFY(!b.next());
}

void TestReconnectBackoff::reset_startsFromTheBaseAgain()
{
    ReconnectBackoff b(config(100, 10000, 3), [] { return 0.9999999; });
    QCOMPARE(*b.next(), 100);
    QCOMPARE(*b.next(), 200);
    b.reset();
    QCOMPARE(b.failuresInRow(), 0);
    QCOMPARE(*b.next(), 100);
    QVERIFY(b.next());
    QVERIFY(b.next());
    QVERIFY(!b.next());
}

void TestReconnectBackoff::zeroAttempts_givesUpAtOnce()
{
    ReconnectBackoff b(config(100, 1000, 0));
    QVERIFY(!b.next());
}

QTEST_GUILESS_MAIN(TestReconnectBackoff)
#include "tst_reconnectbackoff.moc"
