// Every rate-limit header family of DESIGN §4, plus Retry-After in all its forms.

#include "ratelimitheaders.h"
#include "resourcelimits.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;

Q_DECLARE_METATYPE(std::optional<qint64>)
Q_DECLARE_METATYPE(std::optional<double>)

namespace {

constexpr qint64 Now = 1795298400000; // Sat, 21 Nov 2026 22:00:00 GMT

RawHeaders toHeaders(const QByteArrayList &lines)
{
    RawHeaders out;
    for (const QByteArray &line : lines) {
        const qsizetype colon = line.indexOf(':');
        out.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return out;
}

using OptInt = std::optional<qint64>;
using OptDouble = std::optional<double>;

} // namespace

class TestRateLimitHeaders : public QObject
{
    Q_OBJECT
private slots:
    void rateLimitHeaders_everyFamilyIsRead_data();
    void rateLimitHeaders_everyFamilyIsRead();
    void rateLimitHeaders_structuredFormPicksTheMostConstrainedPolicy_data();
    void rateLimitHeaders_structuredFormPicksTheMostConstrainedPolicy();
    void rateLimitHeaders_epochResetIsConvertedToDelta_data();
    void rateLimitHeaders_epochResetIsConvertedToDelta();
    void retryAfter_secondsAndHttpDates_data();
    void retryAfter_secondsAndHttpDates();
    void rateLimitHeaders_garbageValuesAreIgnored_data();
    void rateLimitHeaders_garbageValuesAreIgnored();
    void rateLimitHeaders_noHeadersMeansNoInfo();
    void retryAfter_longerThanAnHourIsClampedAndNoted_data();
    void retryAfter_longerThanAnHourIsClampedAndNoted();
    void duration_goStyleValues_data();
    void duration_goStyleValues();
    void retryAfterMs_isMilliseconds();
    void rateLimitHeaders_exhaustedOnlyWhenRemainingIsZero();
};

void TestRateLimitHeaders::rateLimitHeaders_everyFamilyIsRead_data()
{
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<OptInt>("limit");
    QTest::addColumn<OptInt>("remaining");
    QTest::addColumn<OptDouble>("resetS");
    QTest::addColumn<QString>("source");

    QTest::newRow("X-RateLimit-*")
        << QByteArrayList{"X-RateLimit-Limit: 100", "X-RateLimit-Remaining: 42",
                          "X-RateLimit-Reset: 17"}
        << OptInt(100) << OptInt(42) << OptDouble(17) << "X-RateLimit";
    QTest::newRow("x-ratelimit-* lower case")
        << QByteArrayList{"x-ratelimit-limit: 100", "x-ratelimit-remaining: 0",
                          "x-ratelimit-reset: 5"}
        << OptInt(100) << OptInt(0) << OptDouble(5) << "X-RateLimit";
    QTest::newRow("RateLimit-* (IETF draft)")
        << QByteArrayList{"RateLimit-Limit: 60", "RateLimit-Remaining: 59", "RateLimit-Reset: 30"}
        << OptInt(60) << OptInt(59) << OptDouble(30) << "RateLimit";
    QTest::newRow("X-Rate-Limit-*")
        << QByteArrayList{"X-Rate-Limit-Limit: 10", "X-Rate-Limit-Remaining: 1"} << OptInt(10)
        << OptInt(1) << OptDouble() << "X-Rate-Limit";
    QTest::newRow("one header: limit, remaining, reset")
        << QByteArrayList{"RateLimit: limit=100, remaining=50, reset=5"} << OptInt(100)
        << OptInt(50) << OptDouble(5) << "RateLimit";
    QTest::newRow("one header, other order and spacing")
        << QByteArrayList{"RateLimit: reset=5,remaining=0 , limit=10"} << OptInt(10) << OptInt(0)
        << OptDouble(5) << "RateLimit";
    QTest::newRow("IETF structured, one policy")
        << QByteArrayList{R"(RateLimit-Policy: "burst";q=100;w=60)",
                          R"(RateLimit: "burst";r=42;t=17)"}
        << OptInt(100) << OptInt(42) << OptDouble(17) << "RateLimit-Policy";
    QTest::newRow("IETF structured without policy header")
        << QByteArrayList{R"(RateLimit: "default";r=3;t=9)"} << OptInt() << OptInt(3)
        << OptDouble(9) << "RateLimit-Policy";
    QTest::newRow("comma-joined duplicates take the first")
        << QByteArrayList{"X-RateLimit-Limit: 100, 100", "X-RateLimit-Remaining: 7, 7"}
        << OptInt(100) << OptInt(7) << OptDouble() << "X-RateLimit";
    QTest::newRow("per resource: the tightest (requests) is reported")
        << QByteArrayList{"x-ratelimit-limit-requests: 60",
                          "x-ratelimit-remaining-requests: 6",
                          "x-ratelimit-reset-requests: 6m0s",
                          "x-ratelimit-limit-tokens: 150000",
                          "x-ratelimit-remaining-tokens: 149000",
                          "x-ratelimit-reset-tokens: 250ms"}
        << OptInt(60) << OptInt(6) << OptDouble(360) << "X-RateLimit-*-requests";
    QTest::newRow("per resource: the tightest (tokens) is reported")
        << QByteArrayList{"x-ratelimit-limit-requests: 60",   "x-ratelimit-remaining-requests: 59",
                          "x-ratelimit-reset-requests: 1s",   "x-ratelimit-limit-tokens: 1000",
                          "x-ratelimit-remaining-tokens: 10", "x-ratelimit-reset-tokens: 250ms"}
        << OptInt(1000) << OptInt(10) << OptDouble(0.25) << "X-RateLimit-*-tokens";
    QTest::newRow("duration reset on the plain family")
        << QByteArrayList{"X-RateLimit-Limit: 10", "X-RateLimit-Remaining: 0",
                          "X-RateLimit-Reset: 1m30s"}
        << OptInt(10) << OptInt(0) << OptDouble(90) << "X-RateLimit";
    QTest::newRow("GitHub style epoch reset")
        << QByteArrayList{"X-RateLimit-Limit: 5000", "X-RateLimit-Remaining: 4999",
                          "X-RateLimit-Reset: 1795300200"}
        << OptInt(5000) << OptInt(4999) << OptDouble(1800) << "X-RateLimit";
}

void TestRateLimitHeaders::rateLimitHeaders_everyFamilyIsRead()
{
    QFETCH(QByteArrayList, headers);
    QFETCH(OptInt, limit);
    QFETCH(OptInt, remaining);
    QFETCH(OptDouble, resetS);
    QFETCH(QString, source);

    const auto info = RateLimitHeaders::parse(toHeaders(headers), Now);
    QVERIFY(info);
    QCOMPARE(info->limit, limit);
    QCOMPARE(info->remaining, remaining);
    QCOMPARE(info->resetS, resetS);
    QCOMPARE(info->source, source);
    QVERIFY(!info->retryAfterS);
}

void TestRateLimitHeaders::rateLimitHeaders_structuredFormPicksTheMostConstrainedPolicy_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QByteArray>("rateLimit");
    QTest::addColumn<OptInt>("limit");
    QTest::addColumn<OptInt>("remaining");
    QTest::addColumn<OptDouble>("resetS");
    QTest::addColumn<QString>("policyName");

    const QByteArray policies = R"("burst";q=100;w=60, "daily";q=1000;w=86400)";
    QTest::newRow("daily exhausted")
        << policies << QByteArray(R"("burst";r=42;t=17, "daily";r=0;t=3600)") << OptInt(1000)
        << OptInt(0) << OptDouble(3600) << "daily;w=86400";
    QTest::newRow("burst nearly used up")
        << policies << QByteArray(R"("burst";r=5;t=17, "daily";r=900;t=3600)") << OptInt(100)
        << OptInt(5) << OptDouble(17) << "burst;w=60";
    QTest::newRow("order of members does not matter")
        << policies << QByteArray(R"("daily";r=0;t=3600, "burst";r=42;t=17)") << OptInt(1000)
        << OptInt(0) << OptDouble(3600) << "daily;w=86400";
    QTest::newRow("unquoted tokens") << QByteArray("burst;q=100;w=60, daily;q=1000;w=86400")
                                     << QByteArray("burst;r=10;t=17, daily;r=500;t=3600")
                                     << OptInt(100) << OptInt(10) << OptDouble(17) << "burst;w=60";
}

void TestRateLimitHeaders::rateLimitHeaders_structuredFormPicksTheMostConstrainedPolicy()
{
    QFETCH(QByteArray, policy);
    QFETCH(QByteArray, rateLimit);
    QFETCH(OptInt, limit);
    QFETCH(OptInt, remaining);
    QFETCH(OptDouble, resetS);
    QFETCH(QString, policyName);

    const auto info
        = RateLimitHeaders::parse({{"RateLimit-Policy", policy}, {"RateLimit", rateLimit}}, Now);
    QVERIFY(info);
    QCOMPARE(info->limit, limit);
    QCOMPARE(info->remaining, remaining);
    QCOMPARE(info->resetS, resetS);
    QCOMPARE(info->policy, policyName);
    QCOMPARE(info->source, QStringLiteral("RateLimit-Policy"));
}

void TestRateLimitHeaders::rateLimitHeaders_epochResetIsConvertedToDelta_data()
{
    QTest::addColumn<QByteArray>("reset");
    QTest::addColumn<double>("deltaS");

    QTest::newRow("delta seconds") << QByteArray("60") << 60.0;
    QTest::newRow("zero") << QByteArray("0") << 0.0;
    // Resets longer than limits::MaxRateLimitResetS (an hour) are clamped to it.
    QTest::newRow("a day as delta is clamped to an hour") << QByteArray("86400") << 3600.0;
    QTest::newRow("epoch seconds") << QByteArray("1795298460") << 60.0;
    QTest::newRow("epoch milliseconds") << QByteArray("1795298460000") << 60.0;
    QTest::newRow("fractional epoch seconds") << QByteArray("1795298460.5") << 60.5;
    QTest::newRow("epoch seconds in the past") << QByteArray("1795298000") << 0.0;
    QTest::newRow("epoch milliseconds in the past") << QByteArray("1795298000000") << 0.0;
}

void TestRateLimitHeaders::rateLimitHeaders_epochResetIsConvertedToDelta()
{
    QFETCH(QByteArray, reset);
    QFETCH(double, deltaS);
    const auto info = RateLimitHeaders::parse(
        {{"X-RateLimit-Remaining", "0"}, {"X-RateLimit-Reset", reset}}, Now);
    QVERIFY(info);
    QVERIFY(info->resetS);
    QCOMPARE(*info->resetS, deltaS);

    const auto oneHeader
        = RateLimitHeaders::parse({{"RateLimit", "limit=10, remaining=0, reset=" + reset}}, Now);
    QVERIFY(oneHeader && oneHeader->resetS);
    QCOMPARE(*oneHeader->resetS, deltaS);
}

void TestRateLimitHeaders::retryAfter_secondsAndHttpDates_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<OptDouble>("seconds");

    QTest::newRow("delay seconds") << QByteArray("120") << OptDouble(120);
    QTest::newRow("zero") << QByteArray("0") << OptDouble(0);
    QTest::newRow("padded") << QByteArray("  30 ") << OptDouble(30);
    QTest::newRow("IMF-fixdate") << QByteArray("Sat, 21 Nov 2026 22:01:30 GMT") << OptDouble(90);
    QTest::newRow("RFC 850") << QByteArray("Saturday, 21-Nov-26 22:01:30 GMT") << OptDouble(90);
    QTest::newRow("asctime two-digit day")
        << QByteArray("Sat Nov 21 22:01:30 2026") << OptDouble(90);
    QTest::newRow("asctime one-digit day")
        << QByteArray("Tue Dec  1 22:00:00 2026") << OptDouble(10 * 86400);
    QTest::newRow("date in the past is now")
        << QByteArray("Sun, 06 Nov 1994 08:49:37 GMT") << OptDouble(0);
    QTest::newRow("negative is ignored") << QByteArray("-5") << OptDouble();
    QTest::newRow("garbage is ignored") << QByteArray("soon") << OptDouble();
    QTest::newRow("empty is ignored") << QByteArray("") << OptDouble();
    QTest::newRow("nan is ignored") << QByteArray("nan") << OptDouble();
    QTest::newRow("inf is ignored") << QByteArray("inf") << OptDouble();
}

void TestRateLimitHeaders::retryAfter_secondsAndHttpDates()
{
    QFETCH(QByteArray, value);
    QFETCH(OptDouble, seconds);
    QCOMPARE(RateLimitHeaders::parseRetryAfter(value, Now), seconds);

    const auto info = RateLimitHeaders::parse({{"Retry-After", value}}, Now);
    if (!seconds) {
        QVERIFY(!info);
        return;
    }
    QVERIFY(info);
    // parseRetryAfter reads the header; parse() then bounds it to limits::MaxRetryAfterS.
    QCOMPARE(info->retryAfterS, OptDouble(std::min(*seconds, double(limits::MaxRetryAfterS))));
    QCOMPARE(info->clamped, *seconds > double(limits::MaxRetryAfterS));
    QCOMPARE(info->source, QStringLiteral("Retry-After"));
}

void TestRateLimitHeaders::retryAfter_longerThanAnHourIsClampedAndNoted_data()
{
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<OptDouble>("retryAfterS");
    QTest::addColumn<OptDouble>("resetS");
    QTest::addColumn<QString>("noteStart");

    QTest::newRow("ten years of Retry-After")
        << QByteArrayList{"Retry-After: 315360000"} << OptDouble(3600) << OptDouble()
        << QStringLiteral("Retry-After of 315360000 s clamped to 3600 s");
    QTest::newRow("1e300 Retry-After")
        << QByteArrayList{"Retry-After: 1e300"} << OptDouble(3600) << OptDouble()
        << QStringLiteral("Retry-After of 1e+300 s clamped to 3600 s");
    QTest::newRow("HTTP-date in year 9999")
        << QByteArrayList{"Retry-After: Fri, 31 Dec 9999 23:59:59 GMT"} << OptDouble(3600)
        << OptDouble() << QStringLiteral("Retry-After of ");
    QTest::newRow("1e300 reset") << QByteArrayList{"X-RateLimit-Remaining: 0",
                                                   "X-RateLimit-Reset: 1e300"}
                                 << OptDouble() << OptDouble(3600)
                                 << QStringLiteral("rate-limit reset of ");
    QTest::newRow("1e300 structured t")
        << QByteArrayList{R"(RateLimit-Policy: "b";q=10;w=60)", R"(RateLimit: "b";r=0;t=1e300)"}
        << OptDouble() << OptDouble(3600) << QStringLiteral("rate-limit reset of 1e+300 s");
    QTest::newRow("1e300 one-header reset")
        << QByteArrayList{"RateLimit: limit=10, remaining=0, reset=1e300"} << OptDouble()
        << OptDouble(3600) << QStringLiteral("rate-limit reset of ");
    QTest::newRow("both, each noted")
        << QByteArrayList{"X-RateLimit-Remaining: 0", "X-RateLimit-Reset: 999999",
                          "Retry-After: 999999"}
        << OptDouble(3600) << OptDouble(3600) << QStringLiteral("Retry-After of 999999 s");
}

void TestRateLimitHeaders::retryAfter_longerThanAnHourIsClampedAndNoted()
{
    QFETCH(QByteArrayList, headers);
    QFETCH(OptDouble, retryAfterS);
    QFETCH(OptDouble, resetS);
    QFETCH(QString, noteStart);
    QStringList notes;
    const auto info = RateLimitHeaders::parse(toHeaders(headers), Now, &notes);
    QVERIFY(info);
    QCOMPARE(info->retryAfterS, retryAfterS);
    QCOMPARE(info->resetS, resetS);
    QVERIFY(info->clamped);
    QVERIFY(!notes.isEmpty());
    QVERIFY2(notes.first().startsWith(noteStart), qPrintable(notes.join(u'|')));
    QCOMPARE(notes.size(), int(bool(retryAfterS)) + int(bool(resetS)));
    // Nothing clamped: no flag, no note.
    QStringList none;
    const auto plain = RateLimitHeaders::parse({{"Retry-After", "30"}}, Now, &none);
    QVERIFY(plain && !plain->clamped);
    QVERIFY(none.isEmpty());
}

void TestRateLimitHeaders::rateLimitHeaders_garbageValuesAreIgnored_data()
{
    QTest::addColumn<QByteArrayList>("headers");
    QTest::addColumn<OptInt>("limit");
    QTest::addColumn<OptInt>("remaining");
    QTest::addColumn<OptDouble>("resetS");

    QTest::newRow("words") << QByteArrayList{"X-RateLimit-Limit: lots",
                                             "X-RateLimit-Remaining: some",
                                             "X-RateLimit-Reset: later"}
                           << OptInt() << OptInt() << OptDouble();
    QTest::newRow("negative") << QByteArrayList{"X-RateLimit-Limit: -1",
                                                "X-RateLimit-Remaining: -3",
                                                "X-RateLimit-Reset: -10"}
                              << OptInt() << OptInt() << OptDouble();
    QTest::newRow("absurdly long number")
        << QByteArrayList{"X-RateLimit-Remaining: 99999999999999999999999"} << OptInt() << OptInt()
        << OptDouble();
    QTest::newRow("one good value among bad")
        << QByteArrayList{"X-RateLimit-Limit: ?", "X-RateLimit-Remaining: 12"} << OptInt()
        << OptInt(12) << OptDouble();
    QTest::newRow("one header with junk members")
        << QByteArrayList{"RateLimit: limit=abc, remaining=4, =, reset"} << OptInt() << OptInt(4)
        << OptDouble();
    QTest::newRow("structured without r")
        << QByteArrayList{R"(RateLimit: "burst";t=17)"} << OptInt() << OptInt() << OptDouble();
    QTest::newRow("structured with junk r")
        << QByteArrayList{R"(RateLimit-Policy: "b";q=x)", R"(RateLimit: "b";r=;t=y)"} << OptInt()
        << OptInt() << OptDouble();
}

void TestRateLimitHeaders::rateLimitHeaders_garbageValuesAreIgnored()
{
    QFETCH(QByteArrayList, headers);
    QFETCH(OptInt, limit);
    QFETCH(OptInt, remaining);
    QFETCH(OptDouble, resetS);
    const auto info = RateLimitHeaders::parse(toHeaders(headers), Now);
    QCOMPARE(info ? info->limit : OptInt(), limit);
    QCOMPARE(info ? info->remaining : OptInt(), remaining);
    QCOMPARE(info ? info->resetS : OptDouble(), resetS);
    if (info) {
        QVERIFY(!info->exhausted() || (remaining && *remaining == 0));
    }
}

void TestRateLimitHeaders::duration_goStyleValues_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<OptDouble>("seconds");
    QTest::newRow("1s") << QByteArray("1s") << OptDouble(1);
    QTest::newRow("6m0s") << QByteArray("6m0s") << OptDouble(360);
    QTest::newRow("250ms") << QByteArray("250ms") << OptDouble(0.25);
    QTest::newRow("1h2m3.5s") << QByteArray("1h2m3.5s") << OptDouble(3723.5);
    QTest::newRow("20us") << QByteArray(" 20us ") << OptDouble(0.00002);
    QTest::newRow("bare number is not a duration") << QByteArray("17") << OptDouble();
    QTest::newRow("unknown unit") << QByteArray("5d") << OptDouble();
    QTest::newRow("garbage") << QByteArray("soon") << OptDouble();
    QTest::newRow("empty") << QByteArray() << OptDouble();
    QTest::newRow("dots only") << QByteArray("..s") << OptDouble();
    QTest::newRow("too long") << QByteArray("1s").repeated(40) << OptDouble();
}

void TestRateLimitHeaders::duration_goStyleValues()
{
    QFETCH(QByteArray, text);
    QFETCH(OptDouble, seconds);
    const auto d = RateLimitHeaders::parseDuration(text);
    QCOMPARE(d.has_value(), seconds.has_value());
    if (d)
        QVERIFY2(qAbs(*d - *seconds) < 1e-9, qPrintable(QString::number(*d)));
}

void TestRateLimitHeaders::retryAfterMs_isMilliseconds()
{
    const auto info = RateLimitHeaders::parse(toHeaders({"retry-after-ms: 1500"}), Now);
    QVERIFY(info);
    QCOMPARE(info->retryAfterS, OptDouble(1.5));
    QCOMPARE(info->source, QStringLiteral("retry-after-ms"));
    // Retry-After in seconds wins when both are sent.
    const auto both
        = RateLimitHeaders::parse(toHeaders({"Retry-After: 2", "retry-after-ms: 1500"}), Now);
    QCOMPARE(both->retryAfterS, OptDouble(2));
}

void TestRateLimitHeaders::rateLimitHeaders_noHeadersMeansNoInfo()
{
    QVERIFY(!RateLimitHeaders::parse({}, Now));
    QVERIFY(!RateLimitHeaders::parse({{"Content-Type", "application/json"}, {"X-Request-Id", "r"}},
                                     Now));
}

void TestRateLimitHeaders::rateLimitHeaders_exhaustedOnlyWhenRemainingIsZero()
{
    QVERIFY(RateLimitHeaders::parse({{"X-RateLimit-Remaining", "0"}}, Now)->exhausted());
    QVERIFY(!RateLimitHeaders::parse({{"X-RateLimit-Remaining", "1"}}, Now)->exhausted());
    QVERIFY(!RateLimitHeaders::parse({{"X-RateLimit-Limit", "10"}}, Now)->exhausted());
    const auto both
        = RateLimitHeaders::parse({{"X-RateLimit-Remaining", "0"}, {"Retry-After", "30"}}, Now);
    QVERIFY(both);
    QVERIFY(both->exhausted());
    QCOMPARE(both->retryAfterS, OptDouble(30));
    QCOMPARE(both->source, QStringLiteral("X-RateLimit"));
}

QTEST_GUILESS_MAIN(TestRateLimitHeaders)
#include "tst_ratelimitheaders.moc"
