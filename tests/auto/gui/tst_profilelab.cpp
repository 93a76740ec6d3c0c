// The profile lab: a response and a profile in, the classification (and the rule behind each
// decision) out, updating as the profile is edited; Save writes a file the registry loads.
#include "profilelab.h"

#include "profileregistry.h"
#include "testsupport.h"

#include <QComboBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace hd;

class TestProfileLab : public QObject
{
    Q_OBJECT
private slots:
    void editingTheProfile_updatesTheVerdictLive();
    void brokenProfile_saysWhereAndStillClassifies();
    void save_writesAFileTheRegistryLoads();
    void samples_fillTheResponse();
};

void TestProfileLab::editingTheProfile_updatesTheVerdictLive()
{
    ProfileLab lab;
    lab.setResponse(
        200, QStringLiteral("Content-Type: application/json\nX-Request-Id: r-1"),
        QStringLiteral(
            R"({"state":"REJECTED","why":{"id":"BAND","text":"price outside the band"}})"));
    lab.setProfileText(QStringLiteral(R"({"schema":"healthdeck.profile/1","name":"acme2",
        "detect":{"priority":5,"shapes":[{"all":["state"]}]},
        "fields":{"code":["/why/id"],"message":["/why/text"]}})"));
    lab.refresh();
    HD_COMPARE_ENUM(lab.result().category, Category::Ok); // no rule says it failed yet
    QCOMPARE(lab.result().profile, QStringLiteral("acme2"));

    // Typing a businessFailure rule into the editor turns it into a business error.
    auto *editor = lab.findChild<QPlainTextEdit *>(QStringLiteral("labProfile"));
    QVERIFY(editor);
    QSignalSpy classified(&lab, &ProfileLab::classified);
    editor->setPlainText(QStringLiteral(R"({"schema":"healthdeck.profile/1","name":"acme2",
        "detect":{"priority":5,"shapes":[{"all":["state"]}]},
        "fields":{"code":["/why/id"],"message":["/why/text"]},
        "businessFailure":[{"pointer":"/state","equals":"REJECTED"}]})"));
    QTRY_VERIFY(classified.size() > 0);
    HD_COMPARE_ENUM(lab.result().category, Category::BusinessRejected);
    QCOMPARE(lab.result().error->code, QStringLiteral("BAND"));
    QCOMPARE(lab.result().error->message, QStringLiteral("price outside the band"));
    QCOMPARE(lab.result().identifiers.traceId, QStringLiteral("r-1"));
    const QString shown = lab.findChild<QTextBrowser *>(QStringLiteral("labResult"))->toPlainText();
    QVERIFY2(shown.contains(QStringLiteral("acme2:/businessFailure/0 (/state = \"REJECTED\")")),
             qPrintable(shown));
    QVERIFY(shown.contains(QStringLiteral("business_rejected")));
}

void TestProfileLab::brokenProfile_saysWhereAndStillClassifies()
{
    ProfileLab lab;
    lab.setResponse(503, {}, QStringLiteral(R"({"message":"down"})"));
    lab.setProfileText(QStringLiteral(
        R"({"schema":"healthdeck.profile/1","name":"x","statuses":{"503":{"category":"sort_of"}}})"));
    lab.refresh();
    QVERIFY2(lab.profileError().contains(QStringLiteral("/statuses/503/category")),
             qPrintable(lab.profileError()));
    HD_COMPARE_ENUM(lab.result().category,
                    Category::Unavailable); // the built-ins still read it
    QCOMPARE(lab.result().error->message, QStringLiteral("down"));
    QVERIFY(!lab.findChild<QPushButton *>(QStringLiteral("labSave"))->isEnabled());
    QVERIFY(lab.findChild<QTextBrowser *>(QStringLiteral("labResult"))
                ->toPlainText()
                .contains(QStringLiteral("does not load")));
}

void TestProfileLab::save_writesAFileTheRegistryLoads()
{
    QTemporaryDir dir;
    ProfileLab lab;
    lab.setProfileDirectory(dir.path() + QStringLiteral("/profiles"));
    lab.setProfileText(QStringLiteral(R"({"schema":"healthdeck.profile/1","name":"saved-one",
        "detect":{"priority":5,"shapes":[{"all":["state"]}]},"fields":{"message":["/why"]}})"));
    lab.findChild<QPushButton *>(QStringLiteral("labSave"))->click();
    const QString path = dir.path() + QStringLiteral("/profiles/saved-one.json");
    QVERIFY(QFile::exists(path));
    ProfileRegistry registry;
    registry.addDirectory(dir.path() + QStringLiteral("/profiles"));
    QVERIFY2(registry.errors().isEmpty(), qPrintable(registry.errors().join(u'\n')));
    QVERIFY(registry.find(QStringLiteral("saved-one")));

    // A screenshot for docs/ when asked for (HD_SCREENSHOT=path).
    if (const QString shot = qEnvironmentVariable("HD_SCREENSHOT"); !shot.isEmpty()) {
        ProfileLab shown;
        shown.resize(1100, 720);
        shown.findChild<QComboBox *>(QStringLiteral("labSamples"))->setCurrentIndex(1);
        shown.setResponse(
            200, QStringLiteral("Content-Type: application/json"),
            QStringLiteral(
                R"({"retCode":10001,"retMsg":"params error: symbol invalid","result":{},"time":1795298400000})"));
        QFile f(QStringLiteral(":/healthdeck/profiles/code-msg.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        shown.setProfileText(QString::fromUtf8(f.readAll()));
        shown.findChild<QComboBox *>(QStringLiteral("labStartFrom"))->setCurrentIndex(1);
        shown.refresh();
        shown.show();
        QVERIFY(QTest::qWaitForWindowExposed(&shown));
        QVERIFY(shown.grab().save(shot));
    }
}

void TestProfileLab::samples_fillTheResponse()
{
    ProfileLab lab;
    auto *samples = lab.findChild<QComboBox *>(QStringLiteral("labSamples"));
    QVERIFY(samples && samples->count() >= 6);
    for (int i = 1; i < samples->count(); ++i) {
        samples->setCurrentIndex(i);
        emit samples->activated(i);
        lab.refresh();
        QVERIFY2(
            !lab.findChild<QPlainTextEdit *>(QStringLiteral("labHeaders"))->toPlainText().isEmpty()
                || !lab.findChild<QPlainTextEdit *>(QStringLiteral("labBody"))
                        ->toPlainText()
                        .isEmpty(),
            qPrintable(samples->itemText(i)));
    }
    // The p-ticket sample under its own profile: rate limited, wait p-time.
    samples->setCurrentIndex(2);
    emit samples->activated(2);
    lab.setProfileText({});
    lab.refresh();
    QCOMPARE(lab.result().profile, QStringLiteral("tradovate"));
    QCOMPARE(lab.result().retry.delayMs, std::optional<qint64>(15000));
}

QTEST_MAIN(TestProfileLab)
#include "tst_profilelab.moc"
