// The console's in-memory event cache is bounded by bytes, not by a count: big events push old
// ones out sooner, the newest always stays, and the drops are counted.
#include "eventbytes.h"
#include "eventcache.h"

#include <QTest>

using namespace hd;

class TestEventCache : public QObject
{
    Q_OBJECT
private slots:
    void defaultBound_isTheDocumentedLimit();
    void insert_dropsOldestFirstToStayWithinTheBytes();
    void bigBodies_countByBytesNotByEvents();
    void sameId_replacesInPlace();
    void newestOf_returnsOneEndpointsNewestFirst();
    void oneEventOverTheBound_isStillKept();
    void clear_emptiesButKeepsTheDropCount();
};

static ApiEvent makeEvent(const QString &id, qsizetype bodyChars = 0,
                          const QString &endpoint = QStringLiteral("orders"))
{
    ApiEvent e;
    e.id = id;
    e.endpoint = endpoint;
    e.environment = QStringLiteral("prod");
    e.response = ResponseInfo{{{QStringLiteral("Content-Type"), QStringLiteral("text/plain")}},
                              QString(bodyChars, u'x'),
                              bodyChars};
    return e;
}

void TestEventCache::defaultBound_isTheDocumentedLimit()
{
    EventCache cache;
    QCOMPARE(cache.maxBytes(), limits::MaxConsoleEventCacheBytes);
    QCOMPARE(cache.maxBytes(), qint64(64) * 1024 * 1024);
}

void TestEventCache::insert_dropsOldestFirstToStayWithinTheBytes()
{
    const qint64 one = approxEventBytes(makeEvent(QStringLiteral("e0"), 1000));
    EventCache cache(one * 10 + one / 2 + 64);
    for (int i = 0; i < 100; ++i)
        cache.insert(makeEvent(QStringLiteral("e%1").arg(i), 1000));
    QVERIFY2(cache.bytes() <= cache.maxBytes(), qPrintable(QString::number(cache.bytes())));
    QCOMPARE(cache.size(), 10);
    QCOMPARE(cache.dropped(), quint64(90));
    QVERIFY(!cache.contains(QStringLiteral("e89")));
    QVERIFY(cache.contains(QStringLiteral("e90")));
    QVERIFY(cache.find(QStringLiteral("e99")));
    const QList<ApiEvent> all = cache.all();
    QCOMPARE(all.size(), 10);
    QCOMPARE(all.first().id, QStringLiteral("e90"));
    QCOMPARE(all.last().id, QStringLiteral("e99"));
}

void TestEventCache::bigBodies_countByBytesNotByEvents()
{
    // 2 MiB of cache: a thousand small events (about 1 KiB each with the struct) fit, but only
    // a handful of 64 KiB bodies (128 KiB each in UTF-16).
    EventCache cache(2 * 1024 * 1024);
    for (int i = 0; i < 1000; ++i)
        cache.insert(makeEvent(QStringLiteral("s%1").arg(i), 10));
    QCOMPARE(cache.size(), 1000);
    QCOMPARE(cache.dropped(), quint64(0));
    for (int i = 0; i < 20; ++i)
        cache.insert(makeEvent(QStringLiteral("b%1").arg(i), 64 * 1024));
    QVERIFY(cache.bytes() <= 2 * 1024 * 1024);
    QVERIFY2(cache.size() <= 16, qPrintable(QString::number(cache.size())));
    QVERIFY(cache.contains(QStringLiteral("b19")));
    QVERIFY(!cache.contains(QStringLiteral("s999")));
    QCOMPARE(cache.dropped(), quint64(1000 + 20 - cache.size()));
}

void TestEventCache::sameId_replacesInPlace()
{
    EventCache cache(1024 * 1024);
    cache.insert(makeEvent(QStringLiteral("a"), 100));
    cache.insert(makeEvent(QStringLiteral("b"), 100));
    const qint64 before = cache.bytes();
    cache.insert(makeEvent(QStringLiteral("a"), 5000));
    QCOMPARE(cache.size(), 2);
    QCOMPARE(cache.bytes(), before + 4900 * qint64(sizeof(QChar)));
    QCOMPARE(cache.find(QStringLiteral("a"))->response->body.size(), 5000);
    QCOMPARE(cache.all().first().id, QStringLiteral("a"));
}

void TestEventCache::newestOf_returnsOneEndpointsNewestFirst()
{
    EventCache cache;
    for (int i = 0; i < 10; ++i) {
        cache.insert(makeEvent(QStringLiteral("o%1").arg(i), 0, QStringLiteral("orders")));
        cache.insert(makeEvent(QStringLiteral("q%1").arg(i), 0, QStringLiteral("quotes")));
    }
    const QList<ApiEvent> orders
        = cache.newestOf(QStringLiteral("orders"), QStringLiteral("prod"), 3);
    QCOMPARE(orders.size(), 3);
    QCOMPARE(orders[0].id, QStringLiteral("o9"));
    QCOMPARE(orders[2].id, QStringLiteral("o7"));
    QVERIFY(cache.newestOf(QStringLiteral("orders"), QStringLiteral("dev"), 3).isEmpty());
}

void TestEventCache::oneEventOverTheBound_isStillKept()
{
    EventCache cache(100);
    cache.insert(makeEvent(QStringLiteral("small")));
    cache.insert(makeEvent(QStringLiteral("huge"), 64 * 1024));
    QCOMPARE(cache.size(), 1);
    QVERIFY(cache.contains(QStringLiteral("huge")));
    QCOMPARE(cache.dropped(), quint64(1));
}

void TestEventCache::clear_emptiesButKeepsTheDropCount()
{
    EventCache cache(1);
    cache.insert(makeEvent(QStringLiteral("a")));
    cache.insert(makeEvent(QStringLiteral("b")));
    cache.clear();
    QCOMPARE(cache.size(), 0);
    QCOMPARE(cache.bytes(), qint64(0));
    QCOMPARE(cache.dropped(), quint64(1));
    QVERIFY(!cache.find(QStringLiteral("b")));
}

QTEST_GUILESS_MAIN(TestEventCache)
#include "tst_eventcache.moc"
