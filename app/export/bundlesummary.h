#pragma once

// What a support bundle's report says, computed once from the (already redacted) events and
// drawn twice: as HTML with an inline SVG chart (ReportBuilder) and as PDF (PdfReport).

#include "apievent.h"
#include "supportbundlerequest.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>

namespace hd {

class BundleSummary
{
public:
    static constexpr int TimelineBuckets = 48;
    static constexpr int OutcomeCount = 5; // success, client, server, business, connection

    struct Bucket
    {
        qint64 startMs = 0;
        std::array<int, OutcomeCount> byOutcome{};
        int total() const;
    };
    struct CategoryCount
    {
        QString category;
        int count = 0;
    };
    struct EndpointCount
    {
        QString environment;
        QString endpoint;
        int failures = 0;
        int total = 0;
        QString topCategory;
        QString lastStatus;
    };
    struct ClientId
    {
        QString credential;
        QString environment;
        QString method;
        QString clientId; // or the user name / app id a desk asks for
    };
    struct Failure
    {
        ApiEvent event;
        QList<ApiEvent> attempts;       // the retry chain it belongs to, oldest first
        std::optional<TokenInfo> token; // its own, or the latest seen before it
        qint64 tokenSeenMs = 0;
        std::optional<RateLimitInfo> rateLimit;
        qint64 rateLimitSeenMs = 0;
    };

    // events: redacted, oldest first.
    static BundleSummary build(const QList<ApiEvent> &events, const SupportBundleRequest &request);

    qint64 createdMs = 0;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    QString selection;
    QString workspaceName;
    int total = 0;
    int failures = 0;
    QStringList environments;
    QList<ClientId> clientIds;
    qint64 bucketMs = 0;
    QList<Bucket> timeline;
    QList<CategoryCount> categories; // failures only, most first
    QList<EndpointCount> topEndpoints;
    QList<Failure> selectedFailures; // newest first, capped
    QList<Incident> incidents;       // newest first, already redacted
    int failuresLeftOut = 0;

    static QString outcomeName(int index);
    // One line: "503 unavailable", "ECONNRESET connection_reset".
    static QString statusText(const ApiEvent &e);
};

} // namespace hd
