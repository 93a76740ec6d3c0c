// The text exposition writer: escaping, number formatting, histogram layout, name grammar.
#include "exposition.h"
#include "promtextwriter.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace hd;
using hd::test::Exposition;

class TestPromTextWriter : public QObject
{
    Q_OBJECT
private slots:
    void labelValues_escapeBackslashQuoteAndNewline();
    void help_escapesBackslashAndNewline();
    void values_areIntegersShortestDecimalsAndSpecials();
    void histogram_writesCumulativeBucketsInfSumCount();
    void names_followTheGrammar();
    void output_readsBackThroughAStrictParser();
};

void TestPromTextWriter::labelValues_escapeBackslashQuoteAndNewline()
{
    QCOMPARE(PromTextWriter::escapeLabelValue(QStringLiteral("a\\b\"c") + u'\n' + u"d"),
             QByteArray("a\\\\b\\\"c\\nd"));
    QCOMPARE(PromTextWriter::escapeLabelValue(QStringLiteral("prod.orders:list")),
             QByteArray("prod.orders:list"));
    // UTF-8 passes through unchanged.
    QCOMPARE(PromTextWriter::escapeLabelValue(QStringLiteral("zürich")),
             QStringLiteral("zürich").toUtf8());
}

void TestPromTextWriter::help_escapesBackslashAndNewline()
{
    QCOMPARE(PromTextWriter::escapeHelp("a\\b\nc \"quoted\""), QByteArray("a\\\\b\\nc \"quoted\""));
}

void TestPromTextWriter::values_areIntegersShortestDecimalsAndSpecials()
{
    QCOMPARE(PromTextWriter::formatValue(0), QByteArray("0"));
    QCOMPARE(PromTextWriter::formatValue(42), QByteArray("42"));
    QCOMPARE(PromTextWriter::formatValue(-3), QByteArray("-3"));
    QCOMPARE(PromTextWriter::formatValue(0.005), QByteArray("0.005"));
    QCOMPARE(PromTextWriter::formatValue(2.5), QByteArray("2.5"));
    QCOMPARE(PromTextWriter::formatValue(1795298400.123), QByteArray("1795298400.123"));
    QCOMPARE(PromTextWriter::formatValue(std::numeric_limits<double>::infinity()),
             QByteArray("+Inf"));
    QCOMPARE(PromTextWriter::formatValue(-std::numeric_limits<double>::infinity()),
             QByteArray("-Inf"));
    QCOMPARE(PromTextWriter::formatValue(std::nan("")), QByteArray("NaN"));
}

void TestPromTextWriter::histogram_writesCumulativeBucketsInfSumCount()
{
    PromTextWriter w;
    w.family("x_seconds", PromTextWriter::Type::Histogram, "h");
    w.histogram("x_seconds", {{"a", QStringLiteral("1")}}, {0.1, 1.0}, {2, 5}, 7, 3.25);
    QCOMPARE(w.text(), QByteArray("# HELP x_seconds h\n"
                                  "# TYPE x_seconds histogram\n"
                                  "x_seconds_bucket{a=\"1\",le=\"0.1\"} 2\n"
                                  "x_seconds_bucket{a=\"1\",le=\"1\"} 5\n"
                                  "x_seconds_bucket{a=\"1\",le=\"+Inf\"} 7\n"
                                  "x_seconds_sum{a=\"1\"} 3.25\n"
                                  "x_seconds_count{a=\"1\"} 7\n"));
}

void TestPromTextWriter::names_followTheGrammar()
{
    QVERIFY(PromTextWriter::isValidMetricName("healthdeck_requests_total"));
    QVERIFY(PromTextWriter::isValidMetricName("job:rate5m"));
    QVERIFY(!PromTextWriter::isValidMetricName("1abc"));
    QVERIFY(!PromTextWriter::isValidMetricName("a-b"));
    QVERIFY(!PromTextWriter::isValidMetricName(""));
    QVERIFY(PromTextWriter::isValidLabelName("endpoint"));
    QVERIFY(!PromTextWriter::isValidLabelName("__name__"));
    QVERIFY(!PromTextWriter::isValidLabelName("a:b"));
}

void TestPromTextWriter::output_readsBackThroughAStrictParser()
{
    PromTextWriter w;
    w.family("t_total", PromTextWriter::Type::Counter, "with \\ and\nnewline");
    const QString nasty = QStringLiteral("he said \"hi\"\\\nbye");
    w.sample("t_total", {{"endpoint", nasty}, {"environment", QStringLiteral("prod")}}, 3);
    w.family("g", PromTextWriter::Type::Gauge, "g");
    w.sample("g", {}, 0.5);
    const Exposition x = Exposition::parse(w.text());
    QVERIFY2(x.errors.isEmpty(), qPrintable(x.errors.join(u'\n')));
    QCOMPARE(x.value(QStringLiteral("t_total"),
                     {{QStringLiteral("endpoint"), nasty},
                      {QStringLiteral("environment"), QStringLiteral("prod")}}),
             3.0);
    QCOMPARE(x.value(QStringLiteral("g")), 0.5);
    QCOMPARE(x.types.value(QStringLiteral("t_total")), QStringLiteral("counter"));
    QCOMPARE(x.help.value(QStringLiteral("t_total")), QStringLiteral("with \\\\ and\\nnewline"));
}

QTEST_GUILESS_MAIN(TestPromTextWriter)
#include "tst_promtextwriter.moc"
