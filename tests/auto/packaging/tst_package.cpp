// The .deb and .tar.gz as a user gets them: CPack builds both from this build tree, the .deb
// is unpacked with dpkg-deb into a temporary root, both programs run from there, its Depends
// name Debian's Qt 6 runtime packages, the desktop file and AppStream metainfo pass their
// validators, and lintian reports no errors (its warnings are printed, see docs/packaging.md).
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTest>

class TestPackage : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void deb_controlNamesQtRuntimeDependencies();
    void deb_installsEverythingInItsPlace();
    void deb_programsRunFromTheUnpackedRoot();
    void deb_binariesAreStripped();
    void deb_desktopFileAndMetainfoValidate();
    void deb_lintianReportsNoErrors();
    void tgz_holdsBothPrograms();

private:
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    static Run run(const QString &program, const QStringList &args, int timeoutMs = 120000,
                   const QString &workingDir = {});
    static QString tool(const char *name);

    QTemporaryDir m_dir;
    QString m_deb;
    QString m_tgz;
    QString m_root;
};

TestPackage::Run TestPackage::run(const QString &program, const QStringList &args, int timeoutMs,
                                  const QString &workingDir)
{
    QProcess p;
    if (!workingDir.isEmpty())
        p.setWorkingDirectory(workingDir);
    p.start(program, args);
    Run r;
    if (!p.waitForStarted(10000)) {
        r.err = p.errorString().toUtf8();
        return r;
    }
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = "timed out";
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

QString TestPackage::tool(const char *name)
{
    return QStandardPaths::findExecutable(QString::fromLatin1(name));
}

void TestPackage::initTestCase()
{
    for (const char *name : {"dpkg-deb", "dpkg-shlibdeps", "lintian", "desktop-file-validate",
                             "appstreamcli", "file", "tar"})
        QVERIFY2(!tool(name).isEmpty(),
                 qPrintable(QStringLiteral("%1 not found: run .ci/deps").arg(QLatin1String(name))));
    const QString cpack = qEnvironmentVariable("HDECK_CPACK", tool("cpack"));
    const QString binaryDir = qEnvironmentVariable("HDECK_BINARY_DIR");
    QVERIFY2(!binaryDir.isEmpty() && QFile::exists(binaryDir + u"/CPackConfig.cmake"),
             "HDECK_BINARY_DIR/CPackConfig.cmake not found");
    QVERIFY(m_dir.isValid());
    const QString out = m_dir.filePath(QStringLiteral("out"));
    const Run r = run(cpack,
                      {QStringLiteral("--config"), binaryDir + u"/CPackConfig.cmake",
                       QStringLiteral("-G"), QStringLiteral("DEB;TGZ"), QStringLiteral("-B"), out},
                      480000);
    QVERIFY2(r.exitCode == 0, QByteArray(r.out + r.err).right(4000).constData());
    const QString version = qEnvironmentVariable("HDECK_PACKAGE_VERSION");
    const QStringList debs
        = QDir(out).entryList({QStringLiteral("healthdeck_%1_*.deb").arg(version)});
    const QStringList tgzs
        = QDir(out).entryList({QStringLiteral("healthdeck-%1-*.tar.gz").arg(version)});
    QVERIFY2(debs.size() == 1, qPrintable(QDir(out).entryList().join(u' ')));
    QVERIFY2(tgzs.size() == 1, qPrintable(QDir(out).entryList().join(u' ')));
    m_deb = out + u'/' + debs.first();
    m_tgz = out + u'/' + tgzs.first();
    m_root = m_dir.filePath(QStringLiteral("root"));
    const Run x = run(tool("dpkg-deb"), {QStringLiteral("-x"), m_deb, m_root});
    QVERIFY2(x.exitCode == 0, x.err.constData());
}

void TestPackage::deb_controlNamesQtRuntimeDependencies()
{
    auto field = [&](const char *name) {
        return run(tool("dpkg-deb"), {QStringLiteral("-f"), m_deb, QString::fromLatin1(name)})
            .out.trimmed();
    };
    QCOMPARE(field("Package"), QByteArray("healthdeck"));
    QCOMPARE(field("Version"), qEnvironmentVariable("HDECK_PACKAGE_VERSION").toUtf8());
    QCOMPARE(field("Architecture"),
             run(QStringLiteral("dpkg"), {QStringLiteral("--print-architecture")}).out.trimmed());
    const QByteArray depends = field("Depends");
    // From dpkg-shlibdeps (the libraries the programs link) plus the plugins named by hand.
    // Libraries the linker drops as unused (HttpServer, Charts today) are rightly absent.
    for (const char *pkg :
         {"libc6", "libstdc++6", "libqt6core6", "libqt6network6", "libqt6sql6", "libqt6websockets6",
          "libqt6widgets6", "libqt6gui6", "libqt6keychain1", "libqt6sql6-sqlite", "qt6-qpa-plugins",
          // e-mail notifications (libcurl), desktop notifications (QtDBus)
          "libcurl4", "libqt6dbus6"})
        QVERIFY2(depends.contains(QByteArray(QByteArray(pkg) + ' '))
                     || depends.contains(QByteArray(QByteArray(pkg) + ','))
                     || depends.endsWith(pkg),
                 qPrintable(QStringLiteral("%1 missing from Depends: %2")
                                .arg(QLatin1String(pkg), QString::fromUtf8(depends))));
    // Versioned, as shlibdeps writes them.
    QVERIFY2(depends.contains("libqt6core6 (>= 6."), depends.constData());
    QVERIFY(!field("Description").isEmpty());
    QCOMPARE(field("Section"), QByteArray("net"));
}

void TestPackage::deb_installsEverythingInItsPlace()
{
    for (const char *path :
         {"usr/bin/hdeck", "usr/bin/healthdeck", "usr/share/applications/healthdeck.desktop",
          "usr/share/metainfo/invalid.healthdeck.HealthDeck.metainfo.xml",
          "usr/share/icons/hicolor/scalable/apps/healthdeck.svg", "usr/share/man/man1/hdeck.1.gz",
          "usr/share/man/man1/healthdeck.1.gz", "usr/share/doc/healthdeck/copyright",
          "usr/share/doc/healthdeck/changelog.gz", "usr/share/doc/healthdeck/metrics.md",
          "usr/share/doc/healthdeck/prometheus/healthdeck-rules.yml",
          "usr/share/doc/healthdeck/prometheus/grafana-dashboard.json"})
        QVERIFY2(QFile::exists(m_root + u'/' + QLatin1String(path)), path);
    QVERIFY(QFileInfo(m_root + u"/usr/bin/hdeck").isExecutable());
    // The man page is a real manual: it documents the commands and --metrics.
    const Run man = run(QStringLiteral("gzip"),
                        {QStringLiteral("-dc"), m_root + u"/usr/share/man/man1/hdeck.1.gz"});
    QVERIFY(man.out.startsWith(".TH HDECK 1"));
    for (const char *word : {"classify", "probe", "watch", "sim", "\\-\\-metrics", "EXIT STATUS"})
        QVERIFY2(man.out.contains(word), word);
}

void TestPackage::deb_programsRunFromTheUnpackedRoot()
{
    const QString version = qEnvironmentVariable("HDECK_PACKAGE_VERSION");
    const Run h = run(m_root + u"/usr/bin/hdeck", {QStringLiteral("--version")});
    QCOMPARE(h.exitCode, 0);
    QVERIFY2(h.out.startsWith(QString(u"hdeck " + version).toUtf8()), h.out.constData());
    const Run g = run(m_root + u"/usr/bin/healthdeck", {QStringLiteral("--version")});
    QCOMPARE(g.exitCode, 0);
    QVERIFY2(g.out.startsWith(QString(u"healthdeck " + version).toUtf8()), g.out.constData());
    // The packaged engine works, built-in profiles included (compiled-in resources).
    const Run c
        = run(m_root + u"/usr/bin/hdeck",
              {QStringLiteral("classify"), QStringLiteral("--profile"), QStringLiteral("tradovate"),
               QStringLiteral("--status"), QStringLiteral("429")});
    QCOMPARE(c.exitCode, 0);
    QVERIFY2(c.out.contains("\"category\":\"rate_limited\"") && c.out.contains("stop_lockout"),
             c.out.constData());
}

void TestPackage::deb_binariesAreStripped()
{
    for (const char *exe : {"usr/bin/hdeck", "usr/bin/healthdeck"}) {
        const Run f = run(tool("file"), {QStringLiteral("-b"), m_root + u'/' + QLatin1String(exe)});
        QVERIFY2(f.out.contains("ELF") && f.out.contains(", stripped"), f.out.constData());
    }
}

void TestPackage::deb_desktopFileAndMetainfoValidate()
{
    const Run d = run(tool("desktop-file-validate"),
                      {m_root + u"/usr/share/applications/healthdeck.desktop"});
    QVERIFY2(d.exitCode == 0 && QByteArray(d.out + d.err).trimmed().isEmpty(),
             QByteArray(d.out + d.err).constData());
    const Run a = run(tool("appstreamcli"),
                      {QStringLiteral("validate"), QStringLiteral("--no-net"),
                       m_root + u"/usr/share/metainfo/invalid.healthdeck.HealthDeck.metainfo.xml"});
    QVERIFY2(a.exitCode == 0, QByteArray(a.out + a.err).constData());
}

void TestPackage::deb_lintianReportsNoErrors()
{
    const Run l = run(
        tool("lintian"),
        {QStringLiteral("--tag-display-limit"), QStringLiteral("0"), QStringLiteral("-I"), m_deb},
        480000);
    const QList<QByteArray> lines = l.out.split('\n');
    QStringList errors;
    for (const QByteArray &line : lines) {
        if (line.startsWith("E:"))
            errors.append(QString::fromUtf8(line));
        else if (!line.trimmed().isEmpty())
            qInfo("lintian: %s", line.constData());
    }
    QVERIFY2(errors.isEmpty(), qPrintable(errors.join(u'\n')));
    QVERIFY2(l.exitCode == 0, QByteArray(l.out + l.err).constData());
}

void TestPackage::tgz_holdsBothPrograms()
{
    const Run t = run(tool("tar"), {QStringLiteral("-tzf"), m_tgz});
    QCOMPARE(t.exitCode, 0);
    QVERIFY2(t.out.contains("/bin/hdeck\n") && t.out.contains("/bin/healthdeck\n")
                 && t.out.contains("/share/man/man1/hdeck.1.gz\n"),
             t.out.constData());
}

QTEST_GUILESS_MAIN(TestPackage)
#include "tst_package.moc"
