// report.pdf is a real PDF: poppler's pdfinfo reads it (pages, A4), pdftotext finds the report's
// words and identifiers, and pdftoppm renders page 1 with the chart's colours on it. The poppler
// tools must be installed (.ci/deps: poppler-utils); without them this test fails.

#include "bundletestevents.h"
#include "pdfwriter.h"
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
    void xref_pointsAtEveryObject();
    void wrap_keepsLinesWithinTheWidth();

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
    QVERIFY2(has(R"(PDF version:\s+1\.4)"), qPrintable(info));
    QVERIFY(has(R"(Page size:\s+595\.28 x 841\.89 pts \(A4\))"));
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

void TestBundlePdf::xref_pointsAtEveryObject()
{
    PdfWriter pdf;
    pdf.text(40, 40, QStringLiteral("(parentheses) and \\ backslash, caf\u00e9 \u2192 \u20ac"),
             PdfWriter::Font::Helvetica, 10);
    pdf.newPage();
    pdf.fillRect(10, 10, 50, 50, {0.2, 0.4, 0.6});
    const QByteArray file = pdf.finish(QStringLiteral("t"), QStringLiteral("c"));
    QVERIFY(file.startsWith("%PDF-1.4\n"));
    QVERIFY(file.endsWith("%%EOF\n"));
    const qsizetype startxref = file.lastIndexOf("startxref\n");
    const qsizetype xref = file.mid(startxref + 10).split('\n').first().toLongLong();
    QVERIFY(file.mid(xref).startsWith("xref\n0 11\n"));
    const QList<QByteArray> lines = file.mid(xref).split('\n');
    for (int n = 1; n <= 10; ++n) {
        const qsizetype offset = lines[2 + n].left(10).toLongLong();
        QVERIFY2(file.mid(offset).startsWith(QByteArray(QByteArray::number(n) + " 0 obj\n")),
                 qPrintable(QString::number(n)));
        QCOMPARE(lines[2 + n].size(), 19); // 20 bytes with the newline
    }
    QVERIFY(file.contains("(\\(parentheses\\) and \\\\ backslash, caf\xe9 -> \x80) Tj"));
}

void TestBundlePdf::wrap_keepsLinesWithinTheWidth()
{
    const QString text = QStringLiteral("GET https://api.example/v1/orders?accountId=1&")
                         + QString(300, u'x') + QStringLiteral(" and some words after it");
    const QList<QString> lines = PdfWriter::wrap(text, PdfWriter::Font::Courier, 8, 200);
    QVERIFY(lines.size() > 3);
    QString joined;
    for (const QString &l : lines) {
        QVERIFY(PdfWriter::textWidth(l, PdfWriter::Font::Courier, 8) <= 200);
        joined += l;
    }
    QCOMPARE(QString(joined).remove(u' '), QString(text).remove(u' '));
}

QTEST_GUILESS_MAIN(TestBundlePdf)
#include "tst_bundlepdf.moc"
