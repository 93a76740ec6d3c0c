// report.pdf is a real PDF: poppler's pdfinfo reads it (pages, A4), pdftotext finds the report's
// words and identifiers — also in Japanese, Chinese and Russian, as exchanges write them — and
// pdftoppm renders page 1 with the chart's colours on it. The poppler tools and a CJK font must
// be installed (.ci/deps: poppler-utils, fonts-wqy-microhei); without them this test fails.

#include "bundletestevents.h"
#include "pdfreport.h"
#include "supportbundlewriter.h"

#include <JlCompress.h>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace hd;

class TestBundlePdf : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void pdfinfo_readsEveryPage();
    void pdftotext_findsTheReportAndIdentifiers();
    void pdftoppm_rendersTheTimelineChart();
    void nonLatinMessages_printAsTheyCame();
    void emptySummary_isOnePage();

private:
    QByteArray run(const QString &program, const QStringList &args);
    QTemporaryDir m_dir;
    QString m_pdf;
    QString m_poppler;
};

QByteArray TestBundlePdf::run(const QString &program, const QStringList &args)
{
    QProcess p;
    p.start(m_poppler + u'/' + program, args);
    if (!p.waitForFinished(30000) || p.exitCode() != 0) {
        qWarning() << program << p.readAllStandardError();
        return {};
    }
    return p.readAllStandardOutput();
}

void TestBundlePdf::initTestCase()
{
    m_poppler = qEnvironmentVariable("HDECK_POPPLER_DIR");
    QVERIFY2(QFile::exists(m_poppler + QStringLiteral("/pdftoppm"))
                 && QFile::exists(m_poppler + QStringLiteral("/pdfinfo")),
             "pdftoppm/pdfinfo not found: run .ci/deps (apt-get install poppler-utils) and "
             "reconfigure");
    SupportBundleRequest request;
    request.events
        = test::mixedEvents(1795298400000, 200) + test::plantedBundle(1795298800000).events;
    const QString zip = m_dir.filePath(QStringLiteral("b.zip"));
    const auto r = SupportBundleWriter::write(request, zip);
    QVERIFY2(r.ok(), qPrintable(r.error));
    m_pdf = JlCompress::extractFile(zip, QStringLiteral("report.pdf"),
                                    m_dir.filePath(QStringLiteral("report.pdf")));
    QVERIFY(!m_pdf.isEmpty());
}

void TestBundlePdf::pdfinfo_readsEveryPage()
{
    const QString info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), {m_pdf}));
    const auto has = [&info](const char *pattern) {
        return QRegularExpression(QLatin1String(pattern)).match(info).hasMatch();
    };
    QVERIFY2(has(R"(PDF version:\s+1\.[4-7])"), qPrintable(info));
    QVERIFY2(has(R"(Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\))"), qPrintable(info));
    QVERIFY(has(R"(Title:\s+HealthDeck support bundle)"));
    const auto pages = QRegularExpression(QStringLiteral(R"(Pages:\s+(\d+))")).match(info);
    QVERIFY(pages.hasMatch());
    QVERIFY(pages.captured(1).toInt() >= 3); // 50 failures do not fit on one page
    // Every page parses (pdftotext complains on stderr and fails otherwise).
    QVERIFY(!run(QStringLiteral("pdftotext"), {m_pdf, QStringLiteral("-")}).isEmpty());
}

void TestBundlePdf::pdftotext_findsTheReportAndIdentifiers()
{
    const QString text = QString::fromUtf8(
        run(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), m_pdf, QStringLiteral("-")}));
    for (const char *word :
         {"HealthDeck support bundle", "Timeline", "Failures by category", "Top failing endpoints",
          "Selected failures", "trace-7f3e9a01", "ORD-55120931", "EXEC-00917", "TRADE-44190",
          "Retry history", "rate_limited", "page 1 of"})
        QVERIFY2(text.contains(QLatin1String(word)), word);
}

void TestBundlePdf::pdftoppm_rendersTheTimelineChart()
{
    const QString prefix = m_dir.filePath(QStringLiteral("page"));
    run(QStringLiteral("pdftoppm"),
        {QStringLiteral("-r"), QStringLiteral("40"), QStringLiteral("-f"), QStringLiteral("1"),
         QStringLiteral("-l"), QStringLiteral("1"), QStringLiteral("-singlefile"), m_pdf, prefix});
    QFile f(prefix + QStringLiteral(".ppm"));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray ppm = f.readAll();
    // P6 <w> <h> 255 <rgb…>
    const auto header = QRegularExpression(QStringLiteral(R"(^P6\s+(\d+)\s+(\d+)\s+255\s)"))
                            .match(QString::fromLatin1(ppm.left(32)));
    QVERIFY(header.hasMatch());
    const int w = header.captured(1).toInt(), h = header.captured(2).toInt();
    QCOMPARE(w, 331); // 595.28 pt at 40 dpi
    QCOMPARE(h, 468);
    const char *pixels = ppm.constData() + header.capturedLength();
    int ink = 0, green = 0, red = 0;
    for (int i = 0; i < w * h; ++i) {
        const auto r = uchar(pixels[3 * i]), g = uchar(pixels[3 * i + 1]),
                   b = uchar(pixels[3 * i + 2]);
        ink += (r < 200 || g < 200 || b < 200) ? 1 : 0;
        green += (g > 140 && r < 130 && b < 130) ? 1 : 0; // success bars
        red += (r > 200 && g < 90 && b < 90) ? 1 : 0;     // server_error bars
    }
    QVERIFY2(ink > w * h / 50 && ink < w * h / 2, qPrintable(QString::number(ink)));
    QVERIFY2(green > 100, qPrintable(QString::number(green)));
    QVERIFY2(red > 20, qPrintable(QString::number(red)));
}

// Exchanges answer in their language: the message must print as it came, not as boxes or
// question marks. pdftotext reads the embedded fonts' text back.
void TestBundlePdf::nonLatinMessages_printAsTheyCame()
{
    const QStringList messages{
        QStringLiteral("注文数量が上限を超えています（最大 80 枚）"),
        QStringLiteral("Недостаточно средств на счёте для размещения заявки"),
        QStringLiteral("委托数量超过限额，请稍后再试"),
    };
    SupportBundleRequest request;
    request.events = test::mixedEvents(1795298400000, 20);
    for (int i = 0; i < messages.size(); ++i) {
        ApiEvent e = request.events.at(i);
        e.id = QStringLiteral("evt-intl-%1").arg(i);
        e.category = Category::BusinessRejected;
        e.outcome = outcomeOf(e.category);
        e.httpStatus = 200;
        e.error = ErrorInfo{};
        e.error->code = QStringLiteral("E%1").arg(4100 + i);
        e.error->message = messages.at(i);
        request.events.append(e);
    }
    const QString zip = m_dir.filePath(QStringLiteral("intl.zip"));
    const auto r = SupportBundleWriter::write(request, zip);
    QVERIFY2(r.ok(), qPrintable(r.error));
    const QString pdf = JlCompress::extractFile(zip, QStringLiteral("report.pdf"),
                                                m_dir.filePath(QStringLiteral("intl.pdf")));
    QVERIFY(!pdf.isEmpty());
    const QString text
        = QString::fromUtf8(run(QStringLiteral("pdftotext"), {pdf, QStringLiteral("-")}));
    for (const QString &m : messages)
        QVERIFY2(QString(text)
                     .remove(QRegularExpression(QStringLiteral("\\s")))
                     .contains(QString(m).remove(QRegularExpression(QStringLiteral("\\s")))),
                 qPrintable(m));
    QVERIFY(!text.contains(u'\uFFFD'));
}

// Nothing selected still gives a readable one-page report with its footer.
void TestBundlePdf::emptySummary_isOnePage()
{
    QVERIFY(PdfReport::available()); // this test runs a QGuiApplication
    const QByteArray bytes = PdfReport::render(BundleSummary{});
    QVERIFY(bytes.startsWith("%PDF-1."));
    const QString path = m_dir.filePath(QStringLiteral("empty.pdf"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    f.close();
    const QString info = QString::fromUtf8(run(QStringLiteral("pdfinfo"), {path}));
    QVERIFY2(QRegularExpression(QStringLiteral(R"(Pages:\s+1\n)")).match(info).hasMatch(),
             qPrintable(info));
    const QString text
        = QString::fromUtf8(run(QStringLiteral("pdftotext"), {path, QStringLiteral("-")}));
    QVERIFY(text.contains(QStringLiteral("page 1 of 1")));
    QVERIFY(text.contains(QStringLiteral("None.")));
}

QTEST_MAIN(TestBundlePdf)
#include "tst_bundlepdf.moc"
