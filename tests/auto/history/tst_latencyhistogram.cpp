#include "latencyhistogram.h"

#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace hd;

class TestLatencyHistogram : public QObject
{
    Q_OBJECT
private slots:
    void slots_coverEveryValueContiguously();
    void percentiles_areWithinTheHistogramErrorOfTheExactValue();
    void percentile_ofEmptyHistogramIsZero();
    void merge_addsCounts();
    void hugeValues_areClampedNotLost();
};

void TestLatencyHistogram::slots_coverEveryValueContiguously()
{
    for (int slot = 0; slot + 1 < LatencyHistogram::SlotCount; ++slot)
        QCOMPARE(LatencyHistogram::slotHighUs(slot), LatencyHistogram::slotLowUs(slot + 1));
    const quint64 probes[] = {0, 1, 7, 8, 9, 15, 16, 1000, 12345, 999999, 123456789};
    for (quint64 v : probes) {
        const int slot = LatencyHistogram::slotOf(v);
        QVERIFY2(LatencyHistogram::slotLowUs(slot) <= v && v < LatencyHistogram::slotHighUs(slot),
                 qPrintable(QString::number(v)));
    }
}

void TestLatencyHistogram::percentiles_areWithinTheHistogramErrorOfTheExactValue()
{
    // A skewed distribution like real latencies: mostly fast, a long tail.
    QRandomGenerator rng(42);
    std::vector<double> values;
    LatencyHistogram h;
    for (int i = 0; i < 50000; ++i) {
        const double ms = 1.0 + std::exp(rng.generateDouble() * 7.0); // 2 ms … 1.1 s
        values.push_back(ms);
        h.record(ms);
    }
    std::sort(values.begin(), values.end()); // only the test sorts: it is the oracle
    for (double q : {0.5, 0.9, 0.95, 0.99, 0.999}) {
        const double exact = values[std::size_t(std::ceil(q * double(values.size()))) - 1];
        const double got = h.percentileMs(q);
        const double error = std::abs(got - exact) / exact;
        QVERIFY2(error <= LatencyHistogram::relativeError() + 1e-9,
                 qPrintable(QStringLiteral("q=%1 exact=%2 got=%3").arg(q).arg(exact).arg(got)));
    }
    QCOMPARE(h.count(), quint64(50000));
}

void TestLatencyHistogram::percentile_ofEmptyHistogramIsZero()
{
    LatencyHistogram h;
    QCOMPARE(h.percentileMs(0.99), 0.0);
}

void TestLatencyHistogram::merge_addsCounts()
{
    LatencyHistogram a;
    LatencyHistogram b;
    for (int i = 0; i < 100; ++i)
        a.record(10);
    for (int i = 0; i < 100; ++i)
        b.record(1000);
    a.merge(b);
    QCOMPARE(a.count(), quint64(200));
    QVERIFY(std::abs(a.percentileMs(0.25) - 10) <= 10 * LatencyHistogram::relativeError());
    QVERIFY(std::abs(a.percentileMs(0.75) - 1000) <= 1000 * LatencyHistogram::relativeError());
}

void TestLatencyHistogram::hugeValues_areClampedNotLost()
{
    LatencyHistogram h;
    h.record(1e12);
    h.record(-5);
    QCOMPARE(h.count(), quint64(2));
    QVERIFY(h.percentileMs(1.0) > 1000.0 * 1000);
}

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
