#include "historytestevents.h"
#include "logfilter.h"
#include "testsupport.h"

#include <QTest>

using namespace hd;
using hd::test::makeEvent;

class TestLogFilter : public QObject
{
    Q_OBJECT
private slots:
    void empty_matchesEverything();
    void freeText_searchesEndpointMessageCodeAndTrace();
    void freeText_quotedPhraseKeepsItsSpaces();
    void status_exactClassRangeListAndNone();
    void category_byNameAndGlob();
    void outcome_byName();
    void env_isCaseInsensitive();
    void endpoint_globMatchesPrefix();
    void code_matchesVendorCode();
    void trace_matchesTraceId();
    void since_countsBackFromTheClock();
    void since_acceptsAnIsoTime();
    void terms_combineWithAnd();
    void minus_negatesATerm();
    void badFilter_unknownKeySuggestsTheClosestKey();
    void badFilter_explainsEveryMistake_data();
    void badFilter_explainsEveryMistake();

private:
    static constexpr qint64 Now = 1795298400000;
    static ApiEvent sample();
    static bool matches(const QString &filter, const ApiEvent &e)
    {
        const LogFilter f = LogFilter::parse(filter);
        if (!f.isValid())
            qWarning("%s: %s", qPrintable(filter), qPrintable(f.errorMessage()));
        return f.matches(e, Now);
    }
};

ApiEvent TestLogFilter::sample()
{
    ApiEvent e = makeEvent(Now - 60 * 1000, 429, Category::RateLimited,
                           QStringLiteral("orders.place"), QStringLiteral("prod"));
    e.error->code = QStringLiteral("MaxPosLimitReached");
    e.error->message = QStringLiteral("Position limit reached for account");
    e.identifiers.traceId = QStringLiteral("trx-123");
    return e;
}

void TestLogFilter::empty_matchesEverything()
{
    const LogFilter f = LogFilter::parse(QStringLiteral("   "));
    QVERIFY(f.isValid());
    QVERIFY(f.isEmpty());
    QVERIFY(f.matches(sample(), Now));
}

void TestLogFilter::freeText_searchesEndpointMessageCodeAndTrace()
{
    const ApiEvent e = sample();
    QVERIFY(matches(QStringLiteral("orders"), e));
    QVERIFY(matches(QStringLiteral("POSITION limit"), e)); // two words: both must hold
    QVERIFY(matches(QStringLiteral("maxpos"), e));
    QVERIFY(matches(QStringLiteral("trx-12"), e));
    QVERIFY(matches(QStringLiteral("rate_lim"), e));
    QVERIFY(matches(QStringLiteral("429"), e));
    QVERIFY(!matches(QStringLiteral("gateway"), e));
}

void TestLogFilter::freeText_quotedPhraseKeepsItsSpaces()
{
    const ApiEvent e = sample();
    QVERIFY(matches(QStringLiteral("\"limit reached\""), e));
    QVERIFY(!matches(QStringLiteral("\"reached limit\""), e));
    // Quotes also let text with a colon be searched literally.
    ApiEvent colon = e;
    colon.error->message = QStringLiteral("upstream: timeout");
    QVERIFY(matches(QStringLiteral("\"upstream: timeout\""), colon));
    QVERIFY(!matches(QStringLiteral("-\"upstream: timeout\""), colon));
}

void TestLogFilter::status_exactClassRangeListAndNone()
{
    const ApiEvent e = sample();
    QVERIFY(matches(QStringLiteral("status:429"), e));
    QVERIFY(matches(QStringLiteral("status:4xx"), e));
    QVERIFY(!matches(QStringLiteral("status:5xx"), e));
    QVERIFY(matches(QStringLiteral("status:400-429"), e));
    QVERIFY(matches(QStringLiteral("status:503,429"), e));
    QVERIFY(!matches(QStringLiteral("status:none"), e));
    const ApiEvent reset = makeEvent(Now, std::nullopt, Category::ConnectionReset);
    QVERIFY(matches(QStringLiteral("status:none"), reset));
    QVERIFY(!matches(QStringLiteral("status:5xx"), reset));
}

void TestLogFilter::category_byNameAndGlob()
{
    const ApiEvent e = sample();
    QVERIFY(matches(QStringLiteral("category:rate_limited"), e));
    QVERIFY(!matches(QStringLiteral("category:locked"), e));
    QVERIFY(matches(QStringLiteral("category:rate_*"), e));
    const LogFilter f = LogFilter::parse(QStringLiteral("category:*timeout*"));
    QVERIFY(f.isValid());
    QCOMPARE(f.terms().first().categories.size(), 2); // timeout, gateway_timeout
    HD_COMPARE_ENUM(f.terms().first().categories.first(), Category::Timeout);
}

void TestLogFilter::outcome_byName()
{
    QVERIFY(matches(QStringLiteral("outcome:client_error"), sample()));
    QVERIFY(!matches(QStringLiteral("outcome:server_error"), sample()));
}

void TestLogFilter::env_isCaseInsensitive()
{
    QVERIFY(matches(QStringLiteral("env:prod"), sample()));
    QVERIFY(matches(QStringLiteral("env:PROD"), sample()));
    QVERIFY(matches(QStringLiteral("environment:prod"), sample()));
    QVERIFY(!matches(QStringLiteral("env:pro"), sample())); // exact unless globbed
    QVERIFY(matches(QStringLiteral("env:pr*"), sample()));
}

void TestLogFilter::endpoint_globMatchesPrefix()
{
    QVERIFY(matches(QStringLiteral("endpoint:orders*"), sample()));
    QVERIFY(matches(QStringLiteral("endpoint:orders.place"), sample()));
    QVERIFY(matches(QStringLiteral("endpoint:*.pl?ce"), sample()));
    QVERIFY(!matches(QStringLiteral("endpoint:accounts*"), sample()));
}

void TestLogFilter::code_matchesVendorCode()
{
    QVERIFY(matches(QStringLiteral("code:MaxPosLimitReached"), sample()));
    QVERIFY(matches(QStringLiteral("code:maxposlimitreached"), sample()));
    QVERIFY(!matches(QStringLiteral("code:MaxPos"), sample()));
    QVERIFY(!matches(QStringLiteral("code:x"), makeEvent(Now, 200, Category::Ok)));
}

void TestLogFilter::trace_matchesTraceId()
{
    QVERIFY(matches(QStringLiteral("trace:trx-123"), sample()));
    QVERIFY(!matches(QStringLiteral("trace:trx-12"), sample()));
    QVERIFY(matches(QStringLiteral("trace:trx-*"), sample()));
}

void TestLogFilter::since_countsBackFromTheClock()
{
    const ApiEvent e = sample(); // one minute old
    QVERIFY(matches(QStringLiteral("since:15m"), e));
    QVERIFY(matches(QStringLiteral("since:61s"), e));
    QVERIFY(!matches(QStringLiteral("since:30s"), e));
    QVERIFY(matches(QStringLiteral("since:1h"), e));
    QVERIFY(matches(QStringLiteral("since:2d"), e));
    // The same filter against a later clock.
    QVERIFY(!LogFilter::parse(QStringLiteral("since:15m")).matches(e, Now + 20 * 60 * 1000));
}

void TestLogFilter::since_acceptsAnIsoTime()
{
    QVERIFY(matches(QStringLiteral("since:2026-11-21T21:58:00Z"), sample()));
    QVERIFY(!matches(QStringLiteral("since:2026-11-21T21:59:30Z"), sample()));
}

void TestLogFilter::terms_combineWithAnd()
{
    const ApiEvent e = sample();
    QVERIFY(matches(QStringLiteral("status:429 env:prod endpoint:orders* since:15m"), e));
    QVERIFY(!matches(QStringLiteral("status:429 env:dev"), e));
    QVERIFY(matches(
        QStringLiteral("category:rate_limited code:MaxPosLimitReached trace:trx-123 limit"), e));
}

void TestLogFilter::minus_negatesATerm()
{
    QVERIFY(matches(QStringLiteral("-env:dev"), sample()));
    QVERIFY(!matches(QStringLiteral("-status:4xx"), sample()));
    QVERIFY(!matches(QStringLiteral("-orders"), sample()));
}

void TestLogFilter::badFilter_unknownKeySuggestsTheClosestKey()
{
    const LogFilter f = LogFilter::parse(QStringLiteral("stauts:429"));
    QVERIFY(!f.isValid());
    QCOMPARE(f.errorMessage(), QStringLiteral("unknown key 'stauts' — did you mean 'status'?"));
    QVERIFY(!f.matches(sample(), Now));
}

void TestLogFilter::badFilter_explainsEveryMistake_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown key, no hint")
        << QStringLiteral("colour:red") << QStringLiteral("unknown key 'colour' — known keys:");
    QTest::newRow("typo in env") << QStringLiteral("evn:prod")
                                 << QStringLiteral("did you mean 'env'?");
    QTest::newRow("empty value") << QStringLiteral("status:")
                                 << QStringLiteral("'status:' needs a value, e.g. status:429");
    QTest::newRow("bad status") << QStringLiteral("status:abc")
                                << QStringLiteral("bad status 'abc' — use a code (429)");
    QTest::newRow("status out of range")
        << QStringLiteral("status:700") << QStringLiteral("bad status '700'");
    QTest::newRow("typo in category")
        << QStringLiteral("category:rate_limit")
        << QStringLiteral("unknown category 'rate_limit' — did you mean 'rate_limited'?");
    QTest::newRow("bad outcome") << QStringLiteral("outcome:sucess")
                                 << QStringLiteral("did you mean 'success'?");
    QTest::newRow("bad since") << QStringLiteral("since:15 minutes")
                               << QStringLiteral("bad time '15' for since:");
    QTest::newRow("since unit") << QStringLiteral("since:15w")
                                << QStringLiteral("use an age such as 30s, 15m, 2h, 1d");
    QTest::newRow("unterminated quote")
        << QStringLiteral("\"limit reached") << QStringLiteral("unterminated quote");
}

void TestLogFilter::badFilter_explainsEveryMistake()
{
    QFETCH(QString, filter);
    QFETCH(QString, message);
    const LogFilter f = LogFilter::parse(filter);
    QVERIFY(!f.isValid());
    QVERIFY2(f.errorMessage().contains(message), qPrintable(f.errorMessage()));
}

QTEST_GUILESS_MAIN(TestLogFilter)
#include "tst_logfilter.moc"
