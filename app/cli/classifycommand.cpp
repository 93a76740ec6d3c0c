#include "clicommand.h"

#include "classifier.h"
#include "clock.h"
#include "eventjson.h"
#include "harentries.h"
#include "networkerrors.h"
#include "redactor.h"

#include <QCommandLineParser>
#include <QFile>

#include <cstdio>

namespace hd::cli {
namespace {

constexpr qint64 MaxBodyFile = 256LL * 1024 * 1024;

bool readBody(const QString &path, QByteArray &out, QString &error)
{
    QFile f;
    bool opened = false;
    if (path == u"-")
        opened = f.open(stdin, QIODevice::ReadOnly);
    else {
        f.setFileName(path);
        opened = f.open(QIODevice::ReadOnly);
    }
    if (!opened) {
        error = QStringLiteral("cannot read body file %1: %2").arg(path, f.errorString());
        return false;
    }
    out = f.read(MaxBodyFile + 1);
    if (out.size() > MaxBodyFile) {
        error = QStringLiteral("body file %1 is larger than %2 MiB")
                    .arg(path)
                    .arg(MaxBodyFile / (1024 * 1024));
        return false;
    }
    return true;
}

int classifyHar(const Classifier &classifier, const QString &path, const QString &profile,
                bool explain, bool pretty)
{
    QByteArray text;
    QString error;
    if (!readBody(path, text, error)) {
        printError(QStringLiteral("classify: ") + error);
        return Failure;
    }
    const HarEntries har = HarReader::parse(text);
    if (!har.error.isEmpty()) {
        printError(QStringLiteral("classify: %1: %2").arg(path, har.error));
        return Failure;
    }
    for (const HarEntry &entry : har.entries) {
        ClassifyInput in = entry.input;
        in.profile = profile;
        if (in.nowMs == 0)
            in.nowMs = Clock::system().nowMs();
        Explanation why;
        ApiEvent e = classifier.classify(in, explain ? &why : nullptr);
        e.id = newEventId();
        e.timeMs = entry.startedMs > 0 ? entry.startedMs : in.nowMs;
        e.durationMs = entry.durationMs;
        e.request = entry.request;
        Redactor::shared().redactEvent(e);
        OrderedJson j = toJson(e);
        if (explain)
            j["explain"] = why.toJson();
        const std::string line
            = j.dump(pretty ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
        printLine(QByteArray(line.data(), qsizetype(line.size())));
    }
    return Ok;
}

} // namespace

int runClassify(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Classify one API response, or one connection "
                                               "error, into a healthdeck.event/1 JSON object."));
    p.addHelpOption();
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     QStringLiteral("Error-body profile, or auto."),
                                     QStringLiteral("NAME"), QStringLiteral("auto"));
    const QCommandLineOption status(QStringLiteral("status"), QStringLiteral("HTTP status code."),
                                    QStringLiteral("N"));
    const QCommandLineOption header(QStringLiteral("header"),
                                    QStringLiteral("Response header 'Name: value' (repeatable)."),
                                    QStringLiteral("HEADER"));
    const QCommandLineOption body(QStringLiteral("body"), QStringLiteral("Response body text."),
                                  QStringLiteral("TEXT"));
    const QCommandLineOption bodyFile(QStringLiteral("body-file"),
                                      QStringLiteral("Read the body from F (- for stdin)."),
                                      QStringLiteral("F"));
    const QCommandLineOption networkError(
        QStringLiteral("network-error"),
        QStringLiteral(
            "Connection error instead of a response: ECONNRESET, EPIPE, ECONNREFUSED, ETIMEDOUT, "
            "'other side closed', ENOTFOUND, CERT_HAS_EXPIRED, '14 UNAVAILABLE', …"),
        QStringLiteral("NAME"));
    const QCommandLineOption now(
        QStringLiteral("now"),
        QStringLiteral("Evaluate HTTP-date and epoch headers at this ISO time (default: now)."),
        QStringLiteral("TIME"));
    const QCommandLineOption pretty(QStringLiteral("pretty"), QStringLiteral("Indent the JSON."));
    const QCommandLineOption explain(
        QStringLiteral("explain"),
        QStringLiteral("Add an \"explain\" member to the event: which profile and which rule "
                       "decided its category, code, message and retry."));
    const QCommandLineOption har(
        QStringLiteral("har"),
        QStringLiteral("Classify every entry of a HAR 1.2 file (e.g. saved "
                       "from a browser's developer tools): one event per "
                       "line."),
        QStringLiteral("FILE"));
    p.addOptions(
        {profile, status, header, body, bodyFile, networkError, now, pretty, explain, har});

    if (!p.parse(QStringList{QStringLiteral("hdeck classify")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    if (!p.positionalArguments().isEmpty()) {
        printError(QStringLiteral("classify: unexpected argument '%1'")
                       .arg(p.positionalArguments().front()));
        return Usage;
    }

    Classifier classifier;
    ClassifyInput in;
    in.profile = p.value(profile);
    if (!classifier.knowsProfile(in.profile)) {
        printError(QStringLiteral("classify: unknown profile '%1' (see 'hdeck profiles')")
                       .arg(in.profile));
        return Usage;
    }
    if (p.isSet(status)) {
        bool ok = false;
        const int s = p.value(status).toInt(&ok);
        if (!ok || s < 100 || s > 999) {
            printError(
                QStringLiteral("classify: --status must be a number from 100 to 999, not '%1'")
                    .arg(p.value(status)));
            return Usage;
        }
        in.status = s;
    }
    if (p.isSet(networkError)) {
        if (!NetworkErrors::fromName(p.value(networkError))) {
            printError(QStringLiteral("classify: unknown --network-error '%1'; known: %2")
                           .arg(p.value(networkError),
                                NetworkErrors::knownNames().join(QStringLiteral(", "))));
            return Usage;
        }
        in.networkError = p.value(networkError);
    }
    const bool wantExplain = p.isSet(explain);
    if (p.isSet(har)) {
        if (in.status || !in.networkError.isEmpty() || p.isSet(body) || p.isSet(bodyFile)
            || !p.values(header).isEmpty()) {
            printError(
                QStringLiteral("classify: --har reads status, headers and body from the "
                               "file; give no --status, --header, --body or --network-error"));
            return Usage;
        }
        return classifyHar(classifier, p.value(har), in.profile, wantExplain, p.isSet(pretty));
    }
    if (!in.status && in.networkError.isEmpty()) {
        printError(QStringLiteral(
            "classify: give --status N, or --network-error NAME for a connection failure"));
        return Usage;
    }
    for (const QString &h : p.values(header)) {
        QString name, value;
        if (!parseHeaderArg(h, name, value)) {
            printError(
                QStringLiteral("classify: --header must look like 'Name: value', not '%1'").arg(h));
            return Usage;
        }
        in.headers.append({name.toLatin1(), value.toUtf8()});
    }
    if (p.isSet(body) && p.isSet(bodyFile)) {
        printError(QStringLiteral("classify: give --body or --body-file, not both"));
        return Usage;
    }
    if (p.isSet(body))
        in.body = p.value(body).toUtf8();
    if (p.isSet(bodyFile)) {
        QString error;
        if (!readBody(p.value(bodyFile), in.body, error)) {
            printError(QStringLiteral("classify: ") + error);
            return Failure;
        }
    }
    in.nowMs = Clock::system().nowMs();
    if (p.isSet(now)) {
        const auto t = parseEventTime(p.value(now));
        if (!t) {
            printError(QStringLiteral("classify: --now must be an ISO 8601 time, not '%1'")
                           .arg(p.value(now)));
            return Usage;
        }
        in.nowMs = *t;
    }

    Explanation why;
    ApiEvent e = classifier.classify(in, wantExplain ? &why : nullptr);
    e.id = newEventId();
    e.timeMs = in.nowMs;
    // DESIGN §5: stdout holds one event; --explain adds one optional member to it.
    OrderedJson j = toJson(e);
    if (wantExplain)
        j["explain"] = why.toJson();
    const std::string text
        = j.dump(p.isSet(pretty) ? 2 : -1, ' ', false, nlohmann::json::error_handler_t::replace);
    printLine(QByteArray(text.data(), qsizetype(text.size())));
    return Ok;
}

int runProfiles(const QStringList &args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("List the built-in and user error-body profiles."));
    p.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print JSON instead of a table."));
    p.addOption(json);
    if (!p.parse(QStringList{QStringLiteral("hdeck profiles")} + args)) {
        printError(p.errorText());
        return Usage;
    }
    if (p.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(p.helpText()), stdout);
        return Ok;
    }
    const auto registry = ProfileRegistry::shared();
    if (p.isSet(json)) {
        OrderedJson out = OrderedJson::array();
        for (const Profile *prof : registry->all())
            out.push_back({{"name", toStd(prof->name)},
                           {"origin", toStd(prof->origin)},
                           {"seed", toStd(prof->seed)},
                           {"description", toStd(prof->description)}});
        const std::string s = out.dump(2);
        printLine(QByteArray(s.data(), qsizetype(s.size())));
    } else {
        printLine(
            QByteArrayLiteral("auto            pick a profile by content type and body shape; "
                              "its rules (request ids, gRPC status, WWW-Authenticate, 408) "
                              "hold under every profile"));
        for (const Profile *prof : registry->all()) {
            if (prof->name == u"auto")
                continue;
            const QString line
                = QStringLiteral("%1 %2  %3")
                      .arg(prof->name, -15)
                      .arg(prof->origin == u"built-in" ? QStringLiteral("built-in")
                                                       : QStringLiteral("user: ") + prof->origin)
                      .arg(prof->description.left(100));
            printLine(line.toUtf8());
        }
    }
    for (const QString &e : registry->errors())
        printError(QStringLiteral("profile not loaded: ") + e);
    return registry->errors().isEmpty() ? Ok : Failure;
}

} // namespace hd::cli
