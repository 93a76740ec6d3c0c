// Issue #16: the shared redactor is used by network worker threads while the main thread adds
// and expires secret values. Readers take an immutable snapshot, so this must be clean under
// ThreadSanitizer (the CI's TSan job runs this test) and every value held before a call must
// be masked by it.

#include "clock.h"
#include "eventjson.h"
#include "redactor.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <thread>
#include <vector>

using namespace hd;

class TestRedactorThreads : public QObject
{
    Q_OBJECT
private slots:
    void workersRedact_whileMainThreadAddsAndExpiresValues();
};

void TestRedactorThreads::workersRedact_whileMainThreadAddsAndExpiresValues()
{
    ManualClock clock;
    Redactor r(clock);
    r.setExpiryGraceMs(1000);
    const QString permanent = QStringLiteral("permanent-secret-0001");
    r.addSecretValue(permanent);

    constexpr int Workers = 4;
    constexpr int Rounds = 150;
    std::atomic<bool> stop{false};
    std::atomic<int> leaks{0};
    std::atomic<int> calls{0};
    // std::thread rather than QThread: Debian's Qt is not built with ThreadSanitizer, and
    // QThread's own join (a QWaitCondition in uninstrumented code) reads as a false race.
    std::vector<std::thread> threads;
    for (int w = 0; w < Workers; ++w) {
        threads.emplace_back([&, w] {
            int round = 0;
            while (!stop.load() || round < 20) {
                const QString token = QStringLiteral("rotating-token-%1").arg(round % 50);
                const QString body
                    = QStringLiteral(R"({"w":%1,"echo":"%2","also":"%3","password":"pw-%1"})")
                          .arg(w)
                          .arg(permanent, token);
                const QString out = r.redactBody(body);
                ApiEvent e;
                e.request = RequestInfo{QStringLiteral("GET"),
                                        QStringLiteral("https://h/p?x=") + permanent,
                                        {{QStringLiteral("X-Echo"), permanent}},
                                        body};
                e.error = ErrorInfo{QStringLiteral("E"), ErrorType::Unknown, permanent, {}};
                r.redactEvent(e);
                const QByteArray line = toJsonLine(e);
                if (out.contains(permanent) || out.contains(QStringLiteral("pw-"))
                    || line.contains(permanent.toUtf8()))
                    ++leaks;
                ++calls;
                ++round;
            }
        });
    }

    // Main thread: a token refresh every round, each with a lifetime; time moves on, so older
    // tokens expire and are pruned while the workers read.
    for (int round = 0; round < Rounds; ++round) {
        r.addSecretValue(QStringLiteral("rotating-token-%1").arg(round % 50), 500);
        if (round % 10 == 0)
            r.addSecretFieldName(QStringLiteral("desk_pin_%1").arg(round));
        clock.advance(300);
        if (round % 7 == 0)
            r.pruneExpiredValues();
        QThread::yieldCurrentThread();
    }
    stop = true;
    for (std::thread &t : threads)
        t.join();

    QCOMPARE(leaks.load(), 0);
    QVERIFY(calls.load() >= Workers * 20);
    // Old tokens were dropped: only the ones within lifetime + grace remain, plus the permanent.
    QVERIFY2(r.secretValueCount() < 10, qPrintable(QString::number(r.secretValueCount())));
    QCOMPARE(r.redactBody(permanent), Redactor::Mask);
    QVERIFY(r.isSecretField(QStringLiteral("deskPin140")) || r.isSecretField(u"desk_pin_140"));
}

QTEST_GUILESS_MAIN(TestRedactorThreads)
#include "tst_redactorthreads.moc"
