// Calendar files are untrusted input (models/tradingcalendar): the shipped CME Globex calendar
// loads, and every broken file gives one line naming the file, where and what.
#include "tradingcalendar.h"

#include <QTemporaryDir>
#include <QTest>

using namespace hd;

namespace {

QByteArray calendar(const QByteArray &sessions
                    = R"([{"days":["mon"],"open":"09:00","close":"17:00"}])",
                    const QByteArray &more = {})
{
    return R"({"schema":"healthdeck.calendar/1","id":"x","timeZone":"Europe/London","sessions":)"
           + sessions + more + "}";
}

QString errorOf(const QByteArray &text)
{
    QString error;
    const auto c = TradingCalendar::parse(text, QStringLiteral("cal.json"), &error);
    if (c)
        return QStringLiteral("(parsed)");
    if (error.contains(u'\n'))
        return QStringLiteral("(more than one line) ") + error;
    return error;
}

} // namespace

class TestTradingCalendar : public QObject
{
    Q_OBJECT
private slots:
    void cmeGlobex_isBuiltIn();
    void file_loadsFromAPath();
    void minimal_parses();
    void errors_nameFileWhereAndWhat_data();
    void errors_nameFileWhereAndWhat();
    void tooLarge_isRefusedBeforeParsing();
    void tooDeep_isRefused();
    void tooManySessions_isRefused();
    void controlCharacters_doNotBreakTheLine();
    void holidays_closeAndShorten();
};

void TestTradingCalendar::cmeGlobex_isBuiltIn()
{
    QVERIFY(TradingCalendar::builtinNames().contains(QStringLiteral("cme-globex")));
    QString error;
    const auto c = TradingCalendar::load(QStringLiteral("cme-globex"), &error);
    QVERIFY2(c, qPrintable(error));
    QCOMPARE(c->name, QStringLiteral("CME Globex"));
    QCOMPARE(c->timeZoneId, QStringLiteral("America/Chicago"));
    QCOMPARE(c->sessions.size(), 1);
    QCOMPARE(c->sessions.first().days, (QList<int>{7, 1, 2, 3, 4}));
    QCOMPARE(c->sessions.first().open, QTime(17, 0));
    QCOMPARE(c->sessions.first().close, QTime(16, 0));
    QVERIFY(c->holidays.size() >= 12);
}

void TestTradingCalendar::file_loadsFromAPath()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("lse.json"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(calendar());
    f.close();
    QString error;
    QVERIFY2(TradingCalendar::load(path, &error), qPrintable(error));
    QVERIFY(!TradingCalendar::load(dir.filePath(QStringLiteral("missing.json")), &error));
    QVERIFY2(error.startsWith(dir.filePath(QStringLiteral("missing.json")) + u':'),
             qPrintable(error));
}

void TestTradingCalendar::minimal_parses()
{
    QCOMPARE(errorOf(calendar()), QStringLiteral("(parsed)"));
}

void TestTradingCalendar::errors_nameFileWhereAndWhat_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::newRow("not json") << QByteArray("{") << QStringLiteral("cal.json:1:1: not valid JSON");
    QTest::newRow("schema") << QByteArray(R"({"schema":"x"})")
                            << QStringLiteral(
                                   "cal.json: at /schema: must be \"healthdeck.calendar/1\"");
    QTest::newRow("zone") << QByteArray(
        R"({"schema":"healthdeck.calendar/1","id":"x","timeZone":"Mars/Olympus"})")
                          << QStringLiteral(
                                 "cal.json: at /timeZone: \"Mars/Olympus\" is not a time zone this "
                                 "system knows (an IANA name such as America/Chicago)");
    QTest::newRow("no sessions") << calendar("[]")
                                 << QStringLiteral("cal.json: at /sessions: needs at least one "
                                                   "session");
    QTest::newRow("bad time")
        << calendar(R"([{"days":["mon"],"open":"25:00","close":"17:00"}])")
        << QStringLiteral("cal.json: at /sessions/0/open: must be a time \"HH:mm\", not \"25:00\"");
    QTest::newRow("bad day") << calendar(R"([{"days":["moon"],"open":"09:00","close":"17:00"}])")
                             << QStringLiteral("cal.json: at /sessions/0/days/0: must be a "
                                               "weekday: \"mon\" … \"sun\"");
    QTest::newRow("day twice")
        << calendar(R"([{"days":["mon","monday"],"open":"09:00","close":"17:00"}])")
        << QStringLiteral("cal.json: at /sessions/0/days/1: \"mon\" is listed twice");
    QTest::newRow("bad date") << calendar(R"([{"days":["mon"],"open":"09:00","close":"17:00"}])",
                                          R"(,"holidays":[{"date":"2026-02-30","name":"x"}])")
                              << QStringLiteral("cal.json: at /holidays/0/date: must be a date "
                                                "\"yyyy-MM-dd\", not \"2026-02-30\"");
    QTest::newRow("date twice") << calendar(
        R"([{"days":["mon"],"open":"09:00","close":"17:00"}])",
        R"(,"holidays":[{"date":"2026-12-25","name":"x"},{"date":"2026-12-25","name":"y"}])")
                                << QStringLiteral(
                                       "cal.json: at /holidays/1/date: 2026-12-25 is listed twice");
    QTest::newRow("empty halt") << calendar(R"([{"days":["mon"],"open":"09:00","close":"17:00"}])",
                                            R"(,"halts":[{"from":"12:00","to":"12:00"}])")
                                << QStringLiteral(
                                       "cal.json: at /halts/0/to: must differ from \"from\"");
    QTest::newRow("type") << calendar(R"({"days":["mon"]})")
                          << QStringLiteral("cal.json: at /sessions: must be an array");
}

void TestTradingCalendar::errors_nameFileWhereAndWhat()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QCOMPARE(errorOf(text), error);
}

void TestTradingCalendar::tooLarge_isRefusedBeforeParsing()
{
    const QByteArray big = calendar() + QByteArray(TradingCalendar::MaxBytes, ' ');
    QCOMPARE(errorOf(big), QStringLiteral("cal.json: larger than 256 KiB; not a calendar"));
}

void TestTradingCalendar::tooDeep_isRefused()
{
    const QByteArray deep = QByteArray(100, '[') + QByteArray(100, ']');
    const QString error = errorOf(deep);
    QVERIFY2(error.startsWith(QStringLiteral("cal.json:1:9: not valid JSON")), qPrintable(error));
}

void TestTradingCalendar::tooManySessions_isRefused()
{
    QByteArray sessions = "[";
    for (int i = 0; i <= TradingCalendar::MaxSessions; ++i)
        sessions += QByteArray(i ? "," : "") + R"({"days":["mon"],"open":"09:00","close":"17:00"})";
    sessions += "]";
    QCOMPARE(errorOf(calendar(sessions)),
             QStringLiteral("cal.json: at /sessions: has more than 16 sessions"));
}

void TestTradingCalendar::controlCharacters_doNotBreakTheLine()
{
    const QString error
        = errorOf(calendar(R"([{"days":["mon"],"open":"09:00\nrm -rf","close":"17:00"}])"));
    QVERIFY2(!error.startsWith(u'('), qPrintable(error));
    QVERIFY(error.contains(QStringLiteral("09:00?rm -rf")));
}

void TestTradingCalendar::holidays_closeAndShorten()
{
    QString error;
    const auto c = TradingCalendar::parse(
        calendar(R"([{"days":["mon","tue"],"open":"08:00","close":"16:30"}])",
                 R"j(,"halts":[{"from":"12:00","to":"12:02"}],)j"
                 R"j("holidays":[{"date":"2026-12-28","name":"Boxing Day (substitute)"},)j"
                 R"j({"date":"2026-12-29","name":"Short day","closeAt":"12:30"}])j"),
        QStringLiteral("lse.json"), &error);
    QVERIFY2(c, qPrintable(error));
    auto utc = [](int d, int h, int m) {
        return QDateTime(QDate(2026, 12, d), QTime(h, m), QTimeZone::utc()).toMSecsSinceEpoch();
    };
    const auto closed = c->closedIntervals(utc(28, 0, 0), utc(30, 0, 0));
    // Tuesday 22nd's close → Tuesday 29th 08:00 (Monday is a holiday), the halt 12:00–12:02,
    // then the early close at 12:30 until the next Monday.
    QCOMPARE(closed.size(), 3);
    QCOMPARE(closed.at(0).reason, QStringLiteral("x closed: Boxing Day (substitute)"));
    QCOMPARE(closed.at(0).endMs, utc(29, 8, 0));
    QCOMPARE(closed.at(1).reason, QStringLiteral("x daily halt"));
    QCOMPARE(closed.at(1).startMs, utc(29, 12, 0));
    QCOMPARE(closed.at(1).endMs, utc(29, 12, 2));
    QCOMPARE(closed.at(2).reason, QStringLiteral("x closed early: Short day"));
    QCOMPARE(closed.at(2).startMs, utc(29, 12, 30));
}

QTEST_GUILESS_MAIN(TestTradingCalendar)
#include "tst_tradingcalendar.moc"
