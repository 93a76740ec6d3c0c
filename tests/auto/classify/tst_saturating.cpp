// Saturating conversions of server numbers: NaN, infinities, 1e300, 2^63 and negatives must come
// out as a bounded integer, never as undefined behaviour (the suite runs under UBSan).
#include "resourcelimits.h"
#include "saturating.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace hd;

class TestSaturating : public QObject
{
    Q_OBJECT
private slots:
    void secondsToMs_clampsEveryOddValue_data();
    void secondsToMs_clampsEveryOddValue();
    void secondsToMs_integralSecondsSaturate();
    void checkedToInt64_rejectsWhatCannotConvert_data();
    void checkedToInt64_rejectsWhatCannotConvert();
    void saturatingToInt64_pinsToTheRange();
    void saturatingAddAndMul_neverOverflow();
    void clampSeconds_saysWhenItChangedTheValue();
    void secondsText_isShortAndExact();
};

static constexpr qint64 Max = std::numeric_limits<qint64>::max();
static constexpr qint64 Min = std::numeric_limits<qint64>::min();

void TestSaturating::secondsToMs_clampsEveryOddValue_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<qint64>("maxMs");
    QTest::addColumn<qint64>("ms");
    const double inf = std::numeric_limits<double>::infinity();
    const qint64 hour = 3600000;
    QTest::newRow("plain") << 30.0 << hour << qint64(30000);
    QTest::newRow("fractional rounds to nearest") << 1.2345 << hour << qint64(1235);
    QTest::newRow("sub-millisecond") << 0.0004 << hour << qint64(0);
    QTest::newRow("zero") << 0.0 << hour << qint64(0);
    QTest::newRow("negative") << -5.0 << hour << qint64(0);
    QTest::newRow("NaN") << std::nan("") << hour << qint64(0);
    QTest::newRow("+inf") << inf << hour << hour;
    QTest::newRow("-inf") << -inf << hour << qint64(0);
    QTest::newRow("1e300") << 1e300 << hour << hour;
    QTest::newRow("-1e300") << -1e300 << hour << qint64(0);
    QTest::newRow("2^63") << 9223372036854775808.0 << hour << hour;
    QTest::newRow("ten years") << 315360000.0 << hour << hour;
    QTest::newRow("exactly the bound") << 3600.0 << hour << hour;
    QTest::newRow("default bound, 1e300")
        << 1e300 << limits::MaxDurationMs << limits::MaxDurationMs;
    QTest::newRow("bound of qint64 max, 1e300") << 1e300 << Max << Max;
    QTest::newRow("negative bound is zero") << 10.0 << qint64(-1) << qint64(0);
}

void TestSaturating::secondsToMs_clampsEveryOddValue()
{
    QFETCH(double, seconds);
    QFETCH(qint64, maxMs);
    QFETCH(qint64, ms);
    QCOMPARE(secondsToMs(seconds, maxMs), ms);
}

void TestSaturating::secondsToMs_integralSecondsSaturate()
{
    QCOMPARE(secondsToMs(qint64(90)), qint64(90000));
    QCOMPARE(secondsToMs(qint64(-90)), qint64(0));
    QCOMPARE(secondsToMs(Max), limits::MaxDurationMs);
    QCOMPARE(secondsToMs(Max, Max), Max);
    QCOMPARE(secondsToMs(Min), qint64(0));
    QCOMPARE(secondsToMs(qint64(3601), qint64(3600000)), qint64(3600000));
}

void TestSaturating::checkedToInt64_rejectsWhatCannotConvert_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("result");
    QTest::newRow("integer") << 42.0 << true << qint64(42);
    QTest::newRow("fraction truncates toward zero") << -2.9 << true << qint64(-2);
    QTest::newRow("2^63 is out") << 9223372036854775808.0 << false << qint64(0);
    QTest::newRow("largest double below 2^63")
        << 9223372036854774784.0 << true << qint64(9223372036854774784LL);
    QTest::newRow("-2^63 is in") << -9223372036854775808.0 << true << Min;
    QTest::newRow("1e300") << 1e300 << false << qint64(0);
    QTest::newRow("-1e300") << -1e300 << false << qint64(0);
    QTest::newRow("NaN") << std::nan("") << false << qint64(0);
    QTest::newRow("inf") << std::numeric_limits<double>::infinity() << false << qint64(0);
}

void TestSaturating::checkedToInt64_rejectsWhatCannotConvert()
{
    QFETCH(double, value);
    QFETCH(bool, ok);
    QFETCH(qint64, result);
    const auto r = checkedToInt64(value);
    QCOMPARE(r.has_value(), ok);
    if (ok)
        QCOMPARE(*r, result);
}

void TestSaturating::saturatingToInt64_pinsToTheRange()
{
    QCOMPARE(saturatingToInt64(1e300), Max);
    QCOMPARE(saturatingToInt64(-1e300), Min);
    QCOMPARE(saturatingToInt64(std::numeric_limits<double>::infinity()), Max);
    QCOMPARE(saturatingToInt64(-std::numeric_limits<double>::infinity()), Min);
    QCOMPARE(saturatingToInt64(std::nan("")), qint64(0));
    QCOMPARE(saturatingToInt64(9223372036854775808.0), Max);
    QCOMPARE(saturatingToInt64(-7.5), qint64(-7));
}

void TestSaturating::saturatingAddAndMul_neverOverflow()
{
    QCOMPARE(saturatingAdd(Max, 1), Max);
    QCOMPARE(saturatingAdd(Min, -1), Min);
    QCOMPARE(saturatingAdd(1764000000000, limits::MaxDurationMs),
             1764000000000 + limits::MaxDurationMs);
    QCOMPARE(saturatingAdd(5, -7), qint64(-2));
    QCOMPARE(saturatingMul(Max / 2, 3), Max);
    QCOMPARE(saturatingMul(Max / 2, -3), Min);
    QCOMPARE(saturatingMul(-4, -5), qint64(20));
    QCOMPARE(saturatingMul(9223372036854775LL, 1000), 9223372036854775000LL);
    QCOMPARE(saturatingMul(9223372036854776LL, 1000), Max);
}

void TestSaturating::clampSeconds_saysWhenItChangedTheValue()
{
    auto c = clampSeconds(30, 3600);
    QCOMPARE(c.seconds, 30.0);
    QVERIFY(!c.clamped);
    c = clampSeconds(3600, 3600);
    QVERIFY(!c.clamped);
    c = clampSeconds(315360000, 3600);
    QCOMPARE(c.seconds, 3600.0);
    QVERIFY(c.clamped);
    c = clampSeconds(std::nan(""), 3600);
    QCOMPARE(c.seconds, 0.0);
    QVERIFY(c.clamped);
    c = clampSeconds(-1, 3600);
    QCOMPARE(c.seconds, 0.0);
    QVERIFY(c.clamped);
    c = clampSeconds(std::numeric_limits<double>::infinity(), 3600);
    QCOMPARE(c.seconds, 3600.0);
    QVERIFY(c.clamped);
}

void TestSaturating::secondsText_isShortAndExact()
{
    QCOMPARE(secondsText(315360000), QStringLiteral("315360000"));
    QCOMPARE(secondsText(2.5), QStringLiteral("2.5"));
    QCOMPARE(secondsText(1e300), QStringLiteral("1e+300"));
    QCOMPARE(secondsText(std::nan("")), QStringLiteral("NaN"));
    QCOMPARE(secondsText(std::numeric_limits<double>::infinity()), QStringLiteral("inf"));
}

QTEST_GUILESS_MAIN(TestSaturating)
#include "tst_saturating.moc"
