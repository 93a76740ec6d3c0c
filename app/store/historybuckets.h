#pragma once

// Buckets built from the SQLite history for charts that reach beyond the live aggregator's
// window (24 h, a custom range): one BucketRing for the chart's scope (with latency
// histograms) and one per credential (headroom and token expiry), built on the history
// store's reader thread and handed to the UI thread whole. SeriesBuilder reads them exactly
// like the live rings.

#include "aggregatortypes.h"
#include "bucketring.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>

namespace hd {

struct HistoryBucketQuery
{
    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0;   // exclusive
    qint64 resolutionMs = 60 * 1000;
    ScopeKind kind = ScopeKind::All;
    QString name; // endpoint or environment id, credential name
    // endpoint id → credential name (the workspace's mapping; token:<id> maps to <id> by
    // itself). Needed for credential scopes and the per-credential rings.
    QHash<QString, QString> credentialOfEndpoint;
    // Credentials to build rings for (headroom and token charts).
    QStringList credentials;

    // The finest of 1 s, 10 s, 1 min, 5 min, 15 min, 1 h that keeps a span within
    // maxBuckets buckets.
    static qint64 resolutionFor(qint64 spanMs, int maxBuckets = 2880);
};

struct HistoryBuckets
{
    HistoryBucketQuery query;
    std::shared_ptr<const BucketRing> scope; // null when nothing was read (see error)
    QHash<QString, std::shared_ptr<const BucketRing>> credentials;
    qint64 rows = 0;
    QString error;
};

} // namespace hd
