// The seed 003 frame parser: every frame type, and every way a frame can be malformed.
#include "streamframe.h"

#include <QTest>

using namespace hd;

class TestStreamFrame : public QObject
{
    Q_OBJECT
private slots:
    void openAndHeartbeat_areRecognised();
    void messages_answersAndEventsAreTold();
    void close_codeAndReason();
    void malformed_data();
    void malformed();
    void requestId_numberOrString();
};

void TestStreamFrame::openAndHeartbeat_areRecognised()
{
    QCOMPARE(StreamFrame::parse(QStringLiteral("o")).type, StreamFrame::Type::Open);
    QCOMPARE(StreamFrame::parse(QStringLiteral("h")).type, StreamFrame::Type::Heartbeat);
}

void TestStreamFrame::messages_answersAndEventsAreTold()
{
    const StreamFrame f = StreamFrame::parse(
        QStringLiteral(R"(a[{"s":200,"i":7,"d":{"id":1}},{"e":"md","d":{}},{"s":401,"i":"x"}])"));
    QCOMPARE(f.type, StreamFrame::Type::Messages);
    QCOMPARE(f.messages.size(), std::size_t(3));
    QVERIFY(StreamFrame::isResponse(f.messages[0]));
    QVERIFY(!StreamFrame::isPush(f.messages[0]));
    QVERIFY(StreamFrame::isPush(f.messages[1]));
    QVERIFY(!StreamFrame::isResponse(f.messages[1]));
    QVERIFY(StreamFrame::isResponse(f.messages[2]));
    // "s" must be an integer and "i" present for an answer.
    const StreamFrame g = StreamFrame::parse(QStringLiteral(R"(a[{"s":"200","i":1},{"s":200}])"));
    QCOMPARE(g.type, StreamFrame::Type::Messages);
    QVERIFY(!StreamFrame::isResponse(g.messages[0]));
    QVERIFY(!StreamFrame::isResponse(g.messages[1]));
}

void TestStreamFrame::close_codeAndReason()
{
    const StreamFrame f = StreamFrame::parse(QStringLiteral(R"(c[1000,"Closed by request"])"));
    QCOMPARE(f.type, StreamFrame::Type::Close);
    QCOMPARE(f.closeCode, 1000);
    QCOMPARE(f.closeReason, QStringLiteral("Closed by request"));
    const StreamFrame bare = StreamFrame::parse(QStringLiteral("c[]"));
    QCOMPARE(bare.type, StreamFrame::Type::Close);
    QCOMPARE(bare.closeCode, 0);
}

void TestStreamFrame::malformed_data()
{
    QTest::addColumn<QString>("frame");
    QTest::addColumn<QString>("problem");
    QTest::newRow("empty") << QString() << "empty frame";
    QTest::newRow("unknown type") << QStringLiteral("x{}") << "unknown frame type";
    QTest::newRow("truncated JSON") << QStringLiteral(R"(a[{"s":200,"i":)") << "does not parse";
    QTest::newRow("not an array") << QStringLiteral(R"(a{"s":200})") << "not a JSON array";
    QTest::newRow("bad close") << QStringLiteral("c[1000,") << "does not parse";
    QTest::newRow("too deep") << QStringLiteral("a") + QString(300, u'[') + QString(300, u']')
                              << "nested deeper";
    QTest::newRow("too large") << QStringLiteral("a[\"") + QString(StreamFrame::MaxFrameChars, u'x')
                                      + QStringLiteral("\"]")
                               << "larger than";
    QTest::newRow("open with junk") << QStringLiteral("oh") << "unknown frame type";
}

void TestStreamFrame::malformed()
{
    QFETCH(QString, frame);
    QFETCH(QString, problem);
    const StreamFrame f = StreamFrame::parse(frame);
    QCOMPARE(f.type, StreamFrame::Type::Malformed);
    QVERIFY2(f.problem.contains(problem), qPrintable(f.problem));
    QVERIFY(f.messages.empty());
}

void TestStreamFrame::requestId_numberOrString()
{
    const StreamFrame f
        = StreamFrame::parse(QStringLiteral(R"(a[{"s":200,"i":123},{"s":200,"i":"abc"}])"));
    QCOMPARE(StreamFrame::requestId(f.messages[0]), QStringLiteral("123"));
    QCOMPARE(StreamFrame::requestId(f.messages[1]), QStringLiteral("abc"));
}

QTEST_GUILESS_MAIN(TestStreamFrame)
#include "tst_streamframe.moc"
