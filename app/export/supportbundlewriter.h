#pragma once

// The support bundle (issue 8, DESIGN §7): one ZIP, written with QuaZip, holding
//   report.html, report.pdf   the summary (ReportBuilder, PdfReport over BundleSummary)
//   requests.har              HAR 1.2 of the selected requests (HarWriter)
//   events.jsonl, events.csv  every selected event (healthdeck.event/1; EventCsvWriter)
//   curl/*.sh                 one reproduction per failing request (CurlScriptWriter)
//   environment.json          versions and the workspace without secrets (EnvironmentInfo)
//   REDACTIONS.txt            what was masked, where and why (RedactionReport)
//   incidents.json            the incidents of the range with their timelines
//   (healthdeck.incidents/1)
// Every event goes through one Redactor built for the bundle: the built-in rules, the user's
// own fields and every secret value held for the workspace; each finished file gets a last
// pass for held values. Runs on any thread (no QObject); progress() may cancel.

#include "supportbundlerequest.h"

#include <QString>
#include <QStringList>

#include <functional>

namespace hd {

class SupportBundleWriter
{
public:
    // percent 0…100 and what is being done; return false to cancel.
    using Progress = std::function<bool(int percent, const QString &stage)>;

    struct Result
    {
        QString error; // empty: written
        QString path;
        int events = 0;
        int failures = 0;
        int harEntries = 0;
        int curlScripts = 0;
        int redactions = 0;
        int incidents = 0;
        qint64 bytes = 0;
        QStringList files;
        QStringList warnings; // written, but something is missing and why
        bool ok() const { return error.isEmpty(); }
    };

    // Writes zipPath (through zipPath.part, renamed at the end: never a half bundle).
    static Result write(SupportBundleRequest request, const QString &zipPath,
                        const Progress &progress = {});
};

} // namespace hd
