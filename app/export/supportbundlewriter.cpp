#include "supportbundlewriter.h"

#include "tlschainsummary.h"

#include "bundlesummary.h"
#include "curlcommand.h"
#include "curlscriptwriter.h"
#include "environmentinfo.h"
#include "eventcsvwriter.h"
#include "eventjson.h"
#include "harwriter.h"
#include "pdfreport.h"
#include "redactionreport.h"
#include "redactor.h"
#include "reportbuilder.h"

#include <quazip.h>
#include <quazipfile.h>
#include <quazipnewinfo.h>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace hd {
namespace {

class Cancelled
{
};

class BundleZip
{
public:
    BundleZip(const QString &path, const Redactor &redactor, RedactionReport &report)
        : m_zip(path)
        , m_redactor(redactor)
        , m_report(report)
    {}

    bool open(const QStringList &secretValues)
    {
        for (const QString &v : secretValues)
            m_secretsUtf8.append(v.toUtf8());
        m_zip.setUtf8Enabled(true);
        return m_zip.open(QuaZip::mdCreate);
    }
    QString error() const
    {
        return QStringLiteral("cannot write the ZIP (error %1)").arg(m_zip.getZipError());
    }

    // Whole small files.
    void add(const QString &name, const QByteArray &data, bool executable = false)
    {
        begin(name, executable);
        append(data);
        end();
    }
    // Streamed files: begin, append…, end. Each chunk gets the held-value pass.
    void begin(const QString &name, bool executable = false)
    {
        m_currentName = name;
        m_currentMasks = 0;
        QuaZipNewInfo info(name);
        info.setFileDateTime(QString()); // no source file: "now"
        QFile::Permissions perms
            = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;
        if (executable)
            perms |= QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther;
        info.setPermissions(perms);
        m_file = std::make_unique<QuaZipFile>(&m_zip);
        if (!m_file->open(QIODevice::WriteOnly, info, nullptr, 0, Z_DEFLATED, 6))
            throw std::runtime_error("open entry");
        m_files.append(name);
    }
    void append(const QByteArray &chunk)
    {
        const QByteArray &data = scrub(chunk);
        if (m_file->write(data) != data.size())
            throw std::runtime_error("write entry");
    }
    void end()
    {
        m_file->close();
        if (m_file->getZipError() != 0)
            throw std::runtime_error("close entry");
        m_file.reset();
        m_report.addFilePass(m_currentName, m_currentMasks);
    }
    void close() { m_zip.close(); }
    const QStringList &files() const { return m_files; }

private:
    // The last line of defence: a held secret value that survived the field and header rules
    // (in a field nobody thought of) is masked here. A byte search first, so the common chunk
    // costs one scan per held value and no conversion.
    const QByteArray &scrub(const QByteArray &chunk)
    {
        bool hit = false;
        for (const QByteArray &s : m_secretsUtf8)
            if (chunk.contains(s)) {
                hit = true;
                break;
            }
        if (!hit)
            return chunk;
        QString text = QString::fromUtf8(chunk);
        for (const QByteArray &s : m_secretsUtf8)
            m_currentMasks += int(text.count(QString::fromUtf8(s)));
        m_scrubbed = m_redactor.maskKnownValues(text).toUtf8();
        return m_scrubbed;
    }

    QuaZip m_zip;
    const Redactor &m_redactor;
    RedactionReport &m_report;
    std::unique_ptr<QuaZipFile> m_file;
    QList<QByteArray> m_secretsUtf8;
    QByteArray m_scrubbed;
    QStringList m_files;
    QString m_currentName;
    int m_currentMasks = 0;
};

QString describeRange(const SupportBundleRequest &r)
{
    const bool from = r.fromMs != std::numeric_limits<qint64>::min();
    const bool to = r.toMs != std::numeric_limits<qint64>::max();
    if (!from && !to)
        return QStringLiteral("everything");
    return QStringLiteral("%1 to %2")
        .arg(from ? formatEventTime(r.fromMs) : QStringLiteral("the beginning"),
             to ? formatEventTime(r.toMs) : QStringLiteral("now"));
}

} // namespace

SupportBundleWriter::Result SupportBundleWriter::write(SupportBundleRequest request,
                                                       const QString &zipPath,
                                                       const Progress &progress)
{
    Result result;
    result.path = QFileInfo(zipPath).absoluteFilePath();
    if (request.createdMs == 0)
        request.createdMs = QDateTime::currentMSecsSinceEpoch();
    if (request.selection.isEmpty())
        request.selection = QStringLiteral("time range: %1").arg(describeRange(request));
    const auto step = [&progress](int percent, const QString &stage) {
        if (progress && !progress(percent, stage))
            throw Cancelled{};
    };

    // One redactor for the whole bundle: built-in rules, the user's fields, held values.
    Redactor redactor;
    for (const QString &f : request.extraSecretFields)
        if (!f.trimmed().isEmpty())
            redactor.addSecretFieldName(f.trimmed());
    for (const QString &v : request.secretValues)
        redactor.addSecretValue(v);
    // Only ever replace a regular file: never a device, a directory or anything else.
    if (const QFileInfo target(zipPath); target.exists() && !target.isFile()) {
        result.error = QStringLiteral("%1 exists and is not a regular file").arg(zipPath);
        return result;
    }
    RedactionReport redactions;
    const QString partPath = zipPath + QStringLiteral(".part");
    QFile::remove(partPath);

    try {
        step(0, QStringLiteral("Redacting events"));
        QList<ApiEvent> &events = request.events;
        std::stable_sort(events.begin(), events.end(),
                         [](const ApiEvent &a, const ApiEvent &b) { return a.timeMs < b.timeMs; });
        redactor.setRecording(true);
        const qsizetype n = events.size();
        for (qsizetype i = 0; i < n; ++i) {
            ApiEvent &e = events[i];
            redactor.redactEvent(e);
            if (e.error) {
                e.error->code = redactor.maskKnownValues(e.error->code);
                for (ErrorDetail &d : e.error->details)
                    d.field = redactor.maskKnownValues(d.field);
            }
            if (e.token)
                e.token->subject = redactor.maskKnownValues(e.token->subject);
            redactions.add(redactor.takeRecords(), e.id);
            if (e.isFailure())
                ++result.failures;
            if ((i & 4095) == 4095)
                step(int(30 * i / n), QStringLiteral("Redacting events"));
        }
        redactor.setRecording(false);
        result.events = int(n);

        // Created owner-only (0600) before QuaZip opens it, so the bundle is never readable by
        // others, not even for a moment; the rename below keeps the mode. NewOnly (O_EXCL)
        // also refuses to follow a link someone planted at the .part path.
        {
            QFile part(partPath);
            if (!part.open(QIODevice::WriteOnly | QIODevice::NewOnly,
                           QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
                result.error
                    = QStringLiteral("cannot create %1: %2").arg(partPath, part.errorString());
                return result;
            }
        }
        BundleZip zip(partPath, redactor, redactions);
        if (!zip.open(redactor.heldValueForms())) {
            result.error = QStringLiteral("cannot create %1").arg(partPath);
            return result;
        }

        step(30, QStringLiteral("Writing events.jsonl"));
        zip.begin(QStringLiteral("events.jsonl"));
        QByteArray chunk;
        for (qsizetype i = 0; i < n; ++i) {
            chunk += toJsonLine(events[i]);
            chunk += '\n';
            if (chunk.size() > (1 << 20)) {
                zip.append(chunk);
                chunk.clear();
                step(30 + int(25 * i / n), QStringLiteral("Writing events.jsonl"));
            }
        }
        zip.append(chunk);
        zip.end();

        step(55, QStringLiteral("Writing events.csv"));
        zip.begin(QStringLiteral("events.csv"));
        chunk = EventCsvWriter::header();
        for (qsizetype i = 0; i < n; ++i) {
            chunk += EventCsvWriter::row(events[i]);
            if (chunk.size() > (1 << 20)) {
                zip.append(chunk);
                chunk.clear();
                step(55 + int(15 * i / n), QStringLiteral("Writing events.csv"));
            }
        }
        zip.append(chunk);
        zip.end();

        step(70, QStringLiteral("Writing requests.har"));
        QList<const ApiEvent *> har;
        for (qsizetype i = n - 1; i >= 0 && har.size() < request.maxHarEntries; --i)
            if (events[i].request)
                har.append(&events[i]);
        std::reverse(har.begin(), har.end());
        result.harEntries = int(har.size());
        qsizetype withRequest = 0;
        for (const ApiEvent &e : events)
            withRequest += e.request ? 1 : 0;
        QString harComment = QStringLiteral("HealthDeck support bundle: %1 request(s), secrets "
                                            "masked as [REDACTED] (see REDACTIONS.txt)")
                                 .arg(har.size());
        if (withRequest > har.size())
            harComment += QStringLiteral("; the newest %1 of %2, all in events.jsonl")
                              .arg(har.size())
                              .arg(withRequest);
        zip.add(QStringLiteral("requests.har"), HarWriter::write(har, harComment));

        step(80, QStringLiteral("Writing curl scripts"));
        int index = 0;
        for (qsizetype i = n - 1; i >= 0 && index < request.maxCurlScripts; --i) {
            const ApiEvent &e = events[i];
            if (!e.isFailure() || !e.request || e.request->url.isEmpty())
                continue;
            // The endpoint's credential names the variables like the console's Copy as curl.
            const Credential *credential = nullptr;
            if (request.workspace)
                if (const Endpoint *ep = request.workspace->endpoint(e.endpoint))
                    credential = request.workspace->credential(ep->credential);
            if (!CurlCommand::fromEvent(e, {credential, false}).isValid())
                continue; // a WebSocket frame: nothing curl could send again
            const CurlScriptWriter::Script s = CurlScriptWriter::write(e, ++index, credential);
            zip.add(s.fileName, s.text, true);
        }
        result.curlScripts = index;

        // Incidents: what fired, who was told, who took it, their notes. Notes are people's
        // words: redacted like a body (they were when typed; this bundle's rules and held
        // values apply again), every other text against the held values.
        for (Incident &inc : request.incidents) {
            inc.summary = redactor.maskKnownValues(inc.summary);
            for (IncidentEntry &e : inc.timeline) {
                e.text = e.kind == IncidentEntry::Kind::Note ? redactor.redactBody(e.text)
                                                             : redactor.maskKnownValues(e.text);
                e.author = redactor.maskKnownValues(e.author);
            }
            inc.acknowledgedBy = redactor.maskKnownValues(inc.acknowledgedBy);
        }
        if (!request.incidents.isEmpty()) {
            nlohmann::json list = nlohmann::json::array();
            for (const Incident &inc : std::as_const(request.incidents))
                list.push_back(inc.toJson());
            const nlohmann::json doc{{"schema", "healthdeck.incidents/1"},
                                     {"incidents", std::move(list)}};
            zip.add(QStringLiteral("incidents.json"),
                    QByteArray::fromStdString(
                        doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)));
        }
        result.incidents = int(request.incidents.size());

        step(85, QStringLiteral("Writing the report"));
        const BundleSummary summary = BundleSummary::build(events, request);
        zip.add(QStringLiteral("report.html"), ReportBuilder::html(summary));
        step(92, QStringLiteral("Writing the PDF report"));
        if (PdfReport::available())
            zip.add(QStringLiteral("report.pdf"), PdfReport::render(summary));
        else // a program without QtGui's text engine; report.html says the same
            result.warnings.append(QStringLiteral("report.pdf not written: this program cannot "
                                                  "lay out text (no QGuiApplication); "
                                                  "report.html has the same report"));
        zip.add(QStringLiteral("environment.json"),
                EnvironmentInfo::json(request.workspace, redactor, request.createdMs));
        // The server certificates the endpoints presented (names and dates, never keys).
        zip.add(QStringLiteral("tls-certificates.json"), TlsChainSummary::json(events));
        QStringList extra = request.extraSecretFields;
        extra.removeAll(QString());
        zip.add(QStringLiteral("REDACTIONS.txt"),
                redactions.toText(redactor, request.secretNames, extra,
                                  int(request.secretValues.size())));
        zip.close();
        result.files = zip.files();
        result.redactions = redactions.total();
    } catch (const Cancelled &) {
        QFile::remove(partPath);
        result.error = QStringLiteral("cancelled");
        return result;
    } catch (const std::exception &) {
        QFile::remove(partPath);
        result.error
            = QStringLiteral("cannot write %1: the ZIP library failed (disk full?)").arg(zipPath);
        return result;
    }

    QFile::remove(zipPath);
    if (!QFile::rename(partPath, zipPath)) {
        QFile::remove(partPath);
        result.error = QStringLiteral("cannot move the bundle to %1").arg(zipPath);
        return result;
    }
    result.bytes = QFileInfo(zipPath).size();
    if (progress)
        progress(100, QStringLiteral("Done"));
    return result;
}

} // namespace hd
