// The data folder (issue 23): ~/.local/share/healthdeck, and the folder of older releases
// (~/.local/share/HealthDeck/HealthDeck) moved there once with everything in it. Run with
// XDG_DATA_HOME in a temporary directory: never the user's own.
#include "datadirectory.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestDataDirectory : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void path_isLowerCaseUnderTheDataHome();
    void migrate_movesTheOldFolderWithItsFiles();
    void migrate_withBothFolders_movesNothingAndSaysWhere();
    void migrate_withNothingOld_doesNothing();

private:
    static void write(const QString &path, const QByteArray &data);
    std::unique_ptr<QTemporaryDir> m_home;
};

void TestDataDirectory::init()
{
    m_home = std::make_unique<QTemporaryDir>();
    QVERIFY(m_home->isValid());
    qputenv("XDG_DATA_HOME", m_home->path().toUtf8());
    QStandardPaths::setTestModeEnabled(false);
}

void TestDataDirectory::write(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

void TestDataDirectory::path_isLowerCaseUnderTheDataHome()
{
    QCOMPARE(DataDirectory::path(), m_home->filePath(QStringLiteral("healthdeck")));
    QCOMPARE(DataDirectory::legacyPath(),
             m_home->filePath(QStringLiteral("HealthDeck/HealthDeck")));
}

void TestDataDirectory::migrate_movesTheOldFolderWithItsFiles()
{
    const QString old = DataDirectory::legacyPath();
    write(old + QStringLiteral("/history/demo.db"), "sqlite");
    write(old + QStringLiteral("/workspaces/desk.json"), "{}");
    // Until moved, the old folder is the one in use.
    QCOMPARE(DataDirectory::path(), old);

    const auto m = DataDirectory::migrate();
    QVERIFY(m.moved);
    QCOMPARE(m.problem, QString());
    const QString now = m_home->filePath(QStringLiteral("healthdeck"));
    QCOMPARE(DataDirectory::path(), now);
    QVERIFY(QFile::exists(now + QStringLiteral("/history/demo.db")));
    QVERIFY(QFile::exists(now + QStringLiteral("/workspaces/desk.json")));
    QVERIFY(!QFileInfo::exists(old));
    QVERIFY(!QFileInfo::exists(m_home->filePath(QStringLiteral("HealthDeck")))); // emptied parent
    // Once only.
    QVERIFY(!DataDirectory::migrate().moved);
}

void TestDataDirectory::migrate_withBothFolders_movesNothingAndSaysWhere()
{
    write(DataDirectory::legacyPath() + QStringLiteral("/history/old.db"), "old");
    write(m_home->filePath(QStringLiteral("healthdeck/history/new.db")), "new");
    const auto m = DataDirectory::migrate();
    QVERIFY(!m.moved);
    QVERIFY2(m.problem.contains(DataDirectory::legacyPath()), qPrintable(m.problem));
    QVERIFY(QFile::exists(DataDirectory::legacyPath() + QStringLiteral("/history/old.db")));
    QCOMPARE(DataDirectory::path(), m_home->filePath(QStringLiteral("healthdeck")));
}

void TestDataDirectory::migrate_withNothingOld_doesNothing()
{
    const auto m = DataDirectory::migrate();
    QVERIFY(!m.moved);
    QVERIFY(m.problem.isEmpty());
    QVERIFY(!QFileInfo::exists(DataDirectory::path())); // not created before it is needed
}

QTEST_GUILESS_MAIN(TestDataDirectory)
#include "tst_datadirectory.moc"
