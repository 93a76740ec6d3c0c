// Issue #16, "redaction as a proof": plants random secrets of every kind — held values in every
// encoding, secret fields in JSON (plain, nested, escaped inside a string), form, multipart,
// query, fragment, URL user info and header lines — at random places in random bodies up to
// 1 MiB, redacts the events with the redactor, and then looks for every planted secret in every
// output HealthDeck writes: event JSON, HAR, CSV, curl command and script, the HTML report, the
// PDF (its text through pdftotext, and its bytes) and history rows read back from a database.
// None may be found. Seeds are fixed; each round prints its seed, so a failure is reproducible.

#include "bundlesummary.h"
#include "curlcommand.h"
#include "curlscriptwriter.h"
#include "eventcsvwriter.h"
#include "eventjson.h"
#include "harwriter.h"
#include "historyquery.h"
#include "historystore.h"
#include "pdfreport.h"
#include "redactor.h"
#include "reportbuilder.h"

#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace hd;

namespace {

constexpr qsizetype MaxBody = 1024 * 1024;

const char *const FieldKeys[] = {"password",
                                 "client_secret",
                                 "access_token",
                                 "refresh_token",
                                 "api_key",
                                 "Authorization",
                                 "cookie",
                                 "key",
                                 "signature",
                                 "sig",
                                 "passphrase",
                                 "jwt",
                                 "credentials",
                                 "X-Amz-Signature",
                                 "p-ticket",
                                 "newPassword",
                                 "aws_secret_access_key",
                                 "mdAccessToken",
                                 "sec",
                                 "otp"};

const char *const HeaderNames[] = {
    "Authorization", "Access-Token", "Private-Token", "APCA-API-SECRET-KEY", "CB-ACCESS-PASSPHRASE",
    "X-Api-Key",     "Cookie",       "X-Auth-Token",  "CB-ACCESS-SIGN"};

class Planter
{
public:
    explicit Planter(quint32 seed)
        : m_rng(seed)
    {}

    int bounded(int n) { return int(m_rng.bounded(n)); }

    // Secrets are long and start with a marker no filler produces, so a hit is never chance.
    QString fieldSecret()
    {
        static const char alphabet[]
            = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._~-";
        QString s = QStringLiteral("Zq%1").arg(m_serial++);
        const int len = 10 + bounded(20);
        for (int i = 0; i < len; ++i)
            s += QLatin1Char(alphabet[bounded(int(sizeof(alphabet) - 1))]);
        return s;
    }

    // Held values may hold anything a password can: quotes, slashes, spaces, non-ASCII.
    QString heldSecret()
    {
        static const QString alphabet = QStringLiteral(
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+=\"\\&<>' %#:;éü€");
        QString s = QStringLiteral("Hv%1").arg(m_serial++);
        const int len = 8 + bounded(24);
        for (int i = 0; i < len; ++i)
            s += alphabet[bounded(int(alphabet.size()))];
        return s;
    }

    // Random text: JSON-ish and form-ish fragments, words, stray quotes, backslashes, braces.
    QString filler(qsizetype len)
    {
        static const char *const pieces[]
            = {"{\"id\":", "\"name\":\"", "\",",    "}",  "[", "]", " ",        "\n",
               "a=1&",     "x",           "\\",     "\"", "'", "%", "%2",       "&amp;",
               "orderId",  ":",           "=",      "?",  "#", "/", "tokenUrl", "\\u00",
               "\r\n",     "--",          "https:", "@",  "é", "0", "true",     ",\"a\":"};
        QString out;
        while (out.size() < len) {
            if (bounded(3) == 0) {
                const int n = 1 + bounded(12);
                for (int i = 0; i < n; ++i)
                    out += QLatin1Char(char('a' + bounded(26)));
            } else {
                out += QString::fromUtf8(pieces[bounded(int(std::size(pieces)))]);
            }
        }
        return out.left(len);
    }

    QString fieldKey()
    {
        return QString::fromLatin1(FieldKeys[bounded(int(std::size(FieldKeys)))]);
    }

    // One secret planted in one of the structural forms; the secret goes to `planted`.
    QString fieldPlant(QStringList &planted)
    {
        const QString s = fieldSecret();
        planted << s;
        const QString k = fieldKey();
        switch (bounded(10)) {
        case 0:
            return QStringLiteral("\"%1\":\"%2\"").arg(k, s);
        case 1:
            return QStringLiteral("\"%1\" : { \"user\": \"u\", \"v\": [\"%2\"] }").arg(k, s);
        case 2:
            return QStringLiteral("&%1=%2&").arg(k, s);
        case 3:
            return QStringLiteral(
                       "\r\n--Bnd%1\r\nContent-Disposition: form-data; name=\"%2\"\r\n\r\n"
                       "%3\r\n--Bnd%1--\r\n")
                .arg(bounded(1000))
                .arg(k, s);
        case 4:
            return QStringLiteral(" https://h.test/p?a=1&%1=%2#f ").arg(k, s);
        case 5:
            return QStringLiteral(" https://app.test/cb#%1=%2&x=1 ").arg(k, s);
        case 6:
            return QStringLiteral(" https://%1@git.test/r ").arg(s);
        case 7:
            return QStringLiteral(" https://user:%1@h.test/ ").arg(s);
        case 8:
            return QStringLiteral("\r\n%1: %2\r\n")
                .arg(QString::fromLatin1(HeaderNames[bounded(int(std::size(HeaderNames)))]), s);
        default:
            return QStringLiteral("\\\"%1\\\":\\\"%2\\\"").arg(k, s);
        }
    }

    // A held value in one of the encodings it may take.
    QString heldPlant(const QString &v)
    {
        const QByteArray utf8 = v.toUtf8();
        switch (bounded(9)) {
        case 0:
            return v;
        case 1:
            return QString::fromLatin1(QUrl::toPercentEncoding(v));
        case 2:
            return QString::fromLatin1(QUrl::toPercentEncoding(v)).toLower();
        case 3:
            return QString::fromLatin1(utf8.toBase64());
        case 4:
            return QString::fromLatin1(
                utf8.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
        case 5: {
            QString j;
            for (QChar c : v)
                j += c == u'"'    ? QStringLiteral("\\\"")
                     : c == u'\\' ? QStringLiteral("\\\\")
                     : c == u'/'  ? QStringLiteral("\\/")
                                  : QString(c);
            return j;
        }
        case 6: {
            QString j;
            for (QChar c : v)
                j += QStringLiteral("\\u%1").arg(int(c.unicode()), 4, 16, QLatin1Char('0'));
            return j;
        }
        case 7:
            return v.toHtmlEscaped();
        default:
            return QStringLiteral("Basic ")
                   + QString::fromLatin1(QByteArray("u:" + utf8).toBase64());
        }
    }

    QString body(qsizetype size, int plants, QStringList &planted, const QStringList &held)
    {
        QString out;
        const qsizetype gap = std::max<qsizetype>(1, size / (plants + 1));
        for (int i = 0; i < plants; ++i) {
            out += filler(bounded(int(gap)) + 1);
            if (!held.isEmpty() && bounded(3) == 0)
                out += heldPlant(held[bounded(int(held.size()))]);
            else
                out += fieldPlant(planted);
        }
        out += filler(bounded(int(gap)) + 1);
        return out.left(MaxBody - 1024);
    }

private:
    QRandomGenerator m_rng;
    int m_serial = 100;
};

// Every form in which a surviving secret could appear in an output.
QList<QByteArray> needles(const QString &secret)
{
    QList<QByteArray> out{secret.toUtf8(), QUrl::toPercentEncoding(secret),
                          secret.toHtmlEscaped().toUtf8()};
    QString json;
    for (QChar c : secret)
        json += c == u'"'    ? QStringLiteral("\\\"")
                : c == u'\\' ? QStringLiteral("\\\\")
                             : QString(c);
    out << json.toUtf8();
    return out;
}

} // namespace

class TestRedactionProperty : public QObject
{
    Q_OBJECT
private slots:
    void plantedSecrets_neverReachAnyOutput_data();
    void plantedSecrets_neverReachAnyOutput();
};

void TestRedactionProperty::plantedSecrets_neverReachAnyOutput_data()
{
    QTest::addColumn<quint32>("seed");
    for (quint32 seed : {1u, 7u, 42u, 1337u, 20261121u, 99991u})
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed;
}

void TestRedactionProperty::plantedSecrets_neverReachAnyOutput()
{
    QFETCH(quint32, seed);
    qInfo("redaction property: seed %u", seed);
    Planter p(seed);
    Redactor r;
    QStringList held;
    for (int i = 0; i < 8; ++i) {
        held << p.heldSecret();
        r.addSecretValue(held.back());
    }
    QStringList planted;
    QList<ApiEvent> events;
    for (int i = 0; i < 6; ++i) {
        // One body of 1 MiB per seed, the rest from small to the 64 KiB an event holds.
        const qsizetype size = i == 0 ? MaxBody - 4096 : qsizetype(64) << p.bounded(11);
        ApiEvent e;
        e.id = QStringLiteral("ev-%1-%2").arg(seed).arg(i);
        e.timeMs = 1795298400000 + i * 1000;
        e.environment = QStringLiteral("prod");
        e.endpoint = QStringLiteral("orders.place");
        e.outcome = Outcome::ClientError;
        e.category = Category::Unauthorized;
        e.httpStatus = 401;
        const QString secretHeader = p.fieldSecret();
        planted << secretHeader;
        e.request = RequestInfo{
            QStringLiteral("POST"),
            // A query field of a random secret name, then access_token.
            QStringLiteral("https://api.test/v1/orders?limit=5&") + p.fieldKey() + u'=' +
                [&] {
                    planted << p.fieldSecret();
                    return planted.back();
                }()
                + QStringLiteral("&access_token=") +
                [&] {
                    planted << p.fieldSecret();
                    return planted.back();
                }(),
            {{QString::fromLatin1(HeaderNames[p.bounded(int(std::size(HeaderNames)))]),
              QStringLiteral("Bearer ") + secretHeader},
             {QStringLiteral("X-Echo"), p.heldPlant(held[p.bounded(int(held.size()))])}},
            p.body(size / 2, 12, planted, held)};
        e.response = ResponseInfo{{{QStringLiteral("Set-Cookie"), QStringLiteral("sid=") +
                                                                      [&] {
                                                                          planted
                                                                              << p.fieldSecret();
                                                                          return planted.back();
                                                                      }()}},
                                  p.body(size / 2, 12, planted, held),
                                  size};
        e.error = ErrorInfo{QStringLiteral("E401"),
                            ErrorType::Authentication,
                            QStringLiteral("rejected ") + p.body(200, 2, planted, held),
                            {{QStringLiteral("password"),
                              [&] {
                                  planted << p.fieldSecret();
                                  return planted.back();
                              }()},
                             {QStringLiteral("x"), p.body(100, 1, planted, held)}}};
        r.redactEvent(e);
        events << e;
    }
    QStringList secrets = planted + held;

    // Every output, as bytes.
    QList<QPair<QString, QByteArray>> outputs;
    for (const ApiEvent &e : events) {
        outputs.append({QStringLiteral("event JSON %1").arg(e.id), toJsonLine(e)});
        outputs.append({QStringLiteral("CSV %1").arg(e.id), EventCsvWriter::row(e)});
        outputs.append(
            {QStringLiteral("curl %1").arg(e.id), CurlCommand::fromEvent(e).command().toUtf8()});
        outputs.append(
            {QStringLiteral("curl script %1").arg(e.id), CurlScriptWriter::write(e, 1).text});
    }
    QList<const ApiEvent *> pointers;
    for (const ApiEvent &e : events)
        pointers << &e;
    outputs.append({QStringLiteral("HAR"), HarWriter::write(pointers, QStringLiteral("test"))});
    SupportBundleRequest request;
    request.events = events;
    const BundleSummary summary = BundleSummary::build(events, request);
    outputs.append({QStringLiteral("HTML report"), ReportBuilder::html(summary)});
    const QByteArray pdf = PdfReport::render(summary);
    outputs.append({QStringLiteral("PDF bytes"), pdf});

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
    QVERIFY2(!pdftotext.isEmpty(), "pdftotext (Debian poppler-utils) is needed");
    {
        QFile f(dir.filePath(QStringLiteral("r.pdf")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(pdf);
    }
    QProcess proc;
    proc.start(pdftotext, {dir.filePath(QStringLiteral("r.pdf")), QStringLiteral("-")});
    QVERIFY(proc.waitForFinished(60000));
    const QByteArray pdfText = proc.readAllStandardOutput();
    QVERIFY(pdfText.contains("orders.place"));
    outputs.append({QStringLiteral("PDF text"), pdfText});

    {
        HistoryStore store;
        const QString db = dir.filePath(QStringLiteral("history.db"));
        QVERIFY(store.open(db).ok);
        store.append(events);
        store.flush();
        HistoryQuery q;
        q.limit = 100;
        const HistoryQueryResult rows = store.query(q);
        QVERIFY2(rows.ok(), qPrintable(rows.error));
        QCOMPARE(rows.events.size(), events.size());
        QByteArray all;
        for (const ApiEvent &e : rows.events)
            all += toJsonLine(e) + '\n';
        outputs.append({QStringLiteral("history rows"), all});
        store.close();
        QFile f(db);
        QVERIFY(f.open(QIODevice::ReadOnly));
        outputs.append({QStringLiteral("history file bytes"), f.readAll()});
    }

    int checked = 0;
    for (const QString &secret : secrets) {
        for (const QByteArray &needle : needles(secret)) {
            for (const auto &[name, bytes] : outputs) {
                if (bytes.contains(needle)) {
                    const qsizetype at = bytes.indexOf(needle);
                    QFAIL(qPrintable(QStringLiteral("seed %1: a planted secret is in %2: …%3…")
                                         .arg(seed)
                                         .arg(name, QString::fromUtf8(bytes.mid(
                                                        std::max<qsizetype>(0, at - 80), 200)))));
                }
                ++checked;
            }
        }
    }
    QVERIFY(planted.size() > 100);
    QVERIFY(checked > 1000);
}

QTEST_MAIN(TestRedactionProperty)
#include "tst_redactionproperty.moc"
