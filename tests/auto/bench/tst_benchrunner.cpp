// bench/run-all --quick: every bench program of this tree runs, a program that is not built is
// listed as such, and results.json / results.md are complete and agree with each other. The
// figures themselves are wall-clock measurements and are never asserted; the verdicts are
// checked against the figures and budgets the report carries.

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

class TestBenchRunner : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void quickRunWritesReport();
    void budgetsAreDesignBudgets();
    void verdictsFollowFigures();
    void markdownListsEveryMeasure();
    void rejectsABuildDirectoryThatIsNone();

private:
    QString runAll() const
    {
        return QString::fromLocal8Bit(qgetenv("HDECK_SOURCE_DIR"))
               + QStringLiteral("/bench/run-all");
    }
    QJsonObject measure(const QString &bench, const QString &name) const;

    QTemporaryDir m_out;
    QString m_run;
    QJsonObject m_results;
    QByteArray m_markdown;
    QString m_log;
};

void TestBenchRunner::initTestCase()
{
    QVERIFY(!qEnvironmentVariableIsEmpty("HDECK_SOURCE_DIR"));
    QVERIFY(!qEnvironmentVariableIsEmpty("HDECK_BINARY_DIR"));
    QVERIFY(m_out.isValid());
    QVERIFY(QFileInfo(runAll()).isExecutable());
}

void TestBenchRunner::quickRunWritesReport()
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("bash"),
            {runAll(), QString::fromLocal8Bit(qgetenv("HDECK_BINARY_DIR")),
             QStringLiteral("--quick"), QStringLiteral("--out"), m_out.path(),
             QStringLiteral("--only"),
             QStringLiteral(
                 "classify,history,scheduler_1000,scheduler_5000,scheduler_5000_8w,idle_100,store,"
                 "bench_not_in_this_tree")});
    QVERIFY(p.waitForStarted());
    QVERIFY2(p.waitForFinished(240000), "run-all --quick did not finish");
    m_log = QString::fromLocal8Bit(p.readAll());
    QVERIFY2(p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0, qPrintable(m_log));

    const QStringList runs = QDir(m_out.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(runs.size(), 1);
    QVERIFY2(QRegularExpression(QStringLiteral("^\\d{8}T\\d{6}Z$")).match(runs[0]).hasMatch(),
             qPrintable(runs[0]));
    m_run = m_out.filePath(runs[0]);
    QVERIFY(m_log.contains(m_run + QStringLiteral("/results.md")));

    QFile json(m_run + QStringLiteral("/results.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    m_results = doc.object();
    QCOMPARE(m_results.value(QStringLiteral("schema")).toString(),
             QStringLiteral("healthdeck.bench/1"));
    QCOMPARE(m_results.value(QStringLiteral("mode")).toString(), QStringLiteral("quick"));

    // Machine info.
    const QJsonObject machine = m_results.value(QStringLiteral("machine")).toObject();
    for (const char *key : {"cpu_model", "kernel", "os", "compiler", "build_type", "timestamp"})
        QVERIFY2(!machine.value(QLatin1String(key)).toString().isEmpty(), key);
    QCOMPARE(machine.value(QStringLiteral("qt_version")).toString(),
             QString::fromLatin1(qVersion()));
    QVERIFY(machine.value(QStringLiteral("logical_cpus")).toInt() >= 1);
    QVERIFY(machine.value(QStringLiteral("ram_bytes")).toDouble() > 0);
    // A git checkout (or worktree) names its commit; a source tarball has none.
    if (QFileInfo::exists(qEnvironmentVariable("HDECK_SOURCE_DIR") + QStringLiteral("/.git"))) {
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{40}$"))
                    .match(machine.value(QStringLiteral("git_commit")).toString())
                    .hasMatch());
    }
    for (const char *key : {"load_average_start", "load_average_end"}) {
        const QJsonArray load = machine.value(QLatin1String(key)).toArray();
        QCOMPARE(load.size(), 3);
        for (const QJsonValue &v : load)
            QVERIFY(v.isDouble() && v.toDouble() >= 0);
    }

    // Every program of this tree ran, the absent one is named as not built.
    QHash<QString, QString> status;
    for (const QJsonValue &v : m_results.value(QStringLiteral("runs")).toArray())
        status.insert(v[QStringLiteral("name")].toString(), v[QStringLiteral("status")].toString());
    for (const char *id : {"classify", "history", "scheduler_1000", "scheduler_5000",
                           "scheduler_5000_8w", "idle_100", "store"}) {
        QCOMPARE(status.value(QLatin1String(id)), QStringLiteral("ok"));
        QVERIFY(QFileInfo::exists(m_run + QStringLiteral("/raw/%1.json").arg(QLatin1String(id))));
        QVERIFY(m_results.value(QStringLiteral("raw")).toObject().contains(QLatin1String(id)));
    }
    QCOMPARE(status.value(QStringLiteral("bench_not_in_this_tree")), QStringLiteral("not_built"));

    QFile md(m_run + QStringLiteral("/results.md"));
    QVERIFY(md.open(QIODevice::ReadOnly));
    m_markdown = md.readAll();
}

QJsonObject TestBenchRunner::measure(const QString &bench, const QString &name) const
{
    for (const QJsonValue &v : m_results.value(QStringLiteral("measures")).toArray()) {
        const QJsonObject m = v.toObject();
        if (m.value(QStringLiteral("bench")).toString() == bench
            && m.value(QStringLiteral("name")).toString() == name)
            return m;
    }
    return {};
}

void TestBenchRunner::budgetsAreDesignBudgets()
{
    QVERIFY(!m_results.isEmpty());
    struct Expected
    {
        const char *bench, *name, *op;
        double budget;
    };
    // DESIGN §8, as the report must carry them.
    const Expected expected[] = {
        {"classify", "small_responses_per_s_per_core", ">=", 200000},
        {"history", "ingest_events_per_s", ">=", 200000},
        {"history", "begin_insert_rows_per_frame", "<=", 1},
        {"history", "filter_ms", "<=", 50},
        {"history", "sort_ms", "<=", 150},
        {"history", "bytes_per_event_held", "<=", 200},
        {"idle_100", "idle_cpu_percent", "<=", 1},
    };
    for (const Expected &e : expected) {
        const QJsonObject m = measure(QLatin1String(e.bench), QLatin1String(e.name));
        QVERIFY2(!m.isEmpty(), e.name);
        QCOMPARE(m.value(QStringLiteral("budget")).toDouble(), e.budget);
        QCOMPARE(m.value(QStringLiteral("budget_op")).toString(), QLatin1String(e.op));
    }
    // Measures without a DESIGN budget are there, with a figure and no budget.
    for (const auto &[bench, name] : {std::pair{"scheduler_1000", "start_jitter_p50_ms"},
                                      {"scheduler_5000", "cpu_ms_per_1000_requests"},
                                      {"scheduler_5000", "rss_mb"},
                                      {"store", "inserts_per_s"},
                                      {"store", "disk_bytes_per_event"},
                                      {"history", "scroll_viewport_ms"},
                                      {"classify", "BM_Body1MiB"}}) {
        const QJsonObject m = measure(QLatin1String(bench), QLatin1String(name));
        QVERIFY2(!m.isEmpty(), name);
        QVERIFY2(m.value(QStringLiteral("value")).isDouble(), name);
    }
    // The 1,000-endpoint budget applies only at 1,000 endpoints: the quick run polls 50.
    QVERIFY(!measure(QStringLiteral("scheduler_1000"), QStringLiteral("start_jitter_p99_ms"))
                 .contains(QStringLiteral("budget")));
}

void TestBenchRunner::verdictsFollowFigures()
{
    const QJsonArray measures = m_results.value(QStringLiteral("measures")).toArray();
    QVERIFY(measures.size() >= 30);
    int met = 0, missed = 0;
    for (const QJsonValue &v : measures) {
        const QJsonObject m = v.toObject();
        const QString what = m.value(QStringLiteral("bench")).toString() + QLatin1Char('/')
                             + m.value(QStringLiteral("name")).toString();
        QVERIFY2(!m.value(QStringLiteral("label")).toString().isEmpty(), qPrintable(what));
        QVERIFY2(!m.value(QStringLiteral("unit")).toString().isEmpty(), qPrintable(what));
        QVERIFY2(m.value(QStringLiteral("value")).isDouble(), qPrintable(what));
        const double value = m.value(QStringLiteral("value")).toDouble();
        QVERIFY2(std::isfinite(value), qPrintable(what));
        const QString verdict = m.value(QStringLiteral("verdict")).toString();
        if (!m.contains(QStringLiteral("budget"))) {
            QCOMPARE(verdict, QStringLiteral("—"));
            continue;
        }
        const double budget = m.value(QStringLiteral("budget")).toDouble();
        const QString op = m.value(QStringLiteral("budget_op")).toString();
        const bool ok = op == QLatin1String("<=") ? value <= budget : value >= budget;
        QCOMPARE(verdict, ok ? QStringLiteral("met") : QStringLiteral("missed"));
        (ok ? met : missed)++;
    }
    const QJsonObject summary = m_results.value(QStringLiteral("summary")).toObject();
    QCOMPARE(summary.value(QStringLiteral("met")).toInt(), met);
    QCOMPARE(summary.value(QStringLiteral("missed")).toInt(), missed);
    QCOMPARE(summary.value(QStringLiteral("measures")).toInt(), int(measures.size()));

    // Behaviour, not timing: every poll of the simulator's health routes succeeded, the log
    // model made exactly one beginInsertRows per frame, the store kept what it was given.
    for (const char *id : {"scheduler_1000", "scheduler_5000"}) {
        QCOMPARE(measure(QLatin1String(id), QStringLiteral("failures"))
                     .value(QStringLiteral("value"))
                     .toDouble(),
                 0.0);
        QVERIFY(measure(QLatin1String(id), QStringLiteral("jitter_samples"))
                    .value(QStringLiteral("value"))
                    .toDouble()
                > 0);
    }
    QCOMPARE(measure(QStringLiteral("history"), QStringLiteral("begin_insert_rows_per_frame"))
                 .value(QStringLiteral("value"))
                 .toDouble(),
             1.0);
    QVERIFY(measure(QStringLiteral("store"), QStringLiteral("disk_bytes_per_event"))
                .value(QStringLiteral("value"))
                .toDouble()
            > 0);
}

void TestBenchRunner::markdownListsEveryMeasure()
{
    const QString md = QString::fromUtf8(m_markdown);
    QVERIFY(md.startsWith(QStringLiteral("# HealthDeck benchmarks")));
    QVERIFY(md.contains(QStringLiteral("Quick smoke run")));
    QVERIFY(md.contains(QStringLiteral("| area | measure | figure | budget | verdict | note |")));
    QVERIFY(md.contains(QStringLiteral("| load average at start (1/5/15 min) |")));
    QVERIFY(md.contains(QStringLiteral("Not built in this tree: bench_not_in_this_tree.")));
    // One table row per measure, each with six cells.
    const QStringList lines = md.split(QLatin1Char('\n'));
    const qsizetype header
        = lines.indexOf(QStringLiteral("| area | measure | figure | budget | verdict | note |"));
    QVERIFY(header >= 0);
    int rows = 0;
    for (qsizetype i = header + 2; i < lines.size() && lines[i].startsWith(QLatin1Char('|')); ++i) {
        QCOMPARE(QString(lines[i]).remove(QStringLiteral("\\|")).count(QLatin1Char('|')), 7);
        ++rows;
    }
    QCOMPARE(rows, int(m_results.value(QStringLiteral("measures")).toArray().size()));
    for (const QJsonValue &v : m_results.value(QStringLiteral("measures")).toArray())
        QVERIFY(md.contains(v[QStringLiteral("label")].toString()));
}

void TestBenchRunner::rejectsABuildDirectoryThatIsNone()
{
    QProcess p;
    p.start(QStringLiteral("bash"), {runAll(), m_out.path(), QStringLiteral("--quick")});
    QVERIFY(p.waitForFinished(30000));
    QCOMPARE(p.exitCode(), 2);
    QVERIFY(p.readAllStandardError().contains("is not a CMake build directory"));
}

QTEST_GUILESS_MAIN(TestBenchRunner)
#include "tst_benchrunner.moc"
