#include "bundleeventloader.h"

#include "eventjson.h"
#include "historyreader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <algorithm>
#include <atomic>
#include <cstdio>

namespace hd {

bool BundleEventLoader::Filter::matches(const ApiEvent &e) const
{
    return e.timeMs >= fromMs && e.timeMs < toMs
           && (endpoints.isEmpty() || endpoints.contains(e.endpoint));
}

BundleEventLoader::Result BundleEventLoader::fromHistory(const QString &dbPath,
                                                         const Filter &filter)
{
    Result r;
    // SQLite would create a missing file; an export must never write anything there.
    if (!QFileInfo(dbPath).isFile()) {
        r.error = QStringLiteral("no history database at %1").arg(dbPath);
        return r;
    }
    // A read-only connection of its own (PRAGMA query_only), so an export works while
    // `hdeck watch` or the console keeps writing the same database, from any thread.
    static std::atomic_int serial{0};
    HistoryReader reader(Clock::system());
    QString error;
    if (!reader.open(dbPath, QStringLiteral("hd-export-%1").arg(serial++), &error)) {
        r.error = error;
        return r;
    }
    EventRange range;
    range.fromMs = filter.fromMs;
    range.toMs = filter.toMs;
    range.newestFirst = false;
    reader.stream(
        range, 5000, [] { return false; },
        [&r, &filter](QList<ApiEvent> batch, bool, QString batchError) {
            if (!batchError.isEmpty())
                r.error
                    = QStringLiteral("%1 (is it a HealthDeck history database?)").arg(batchError);
            for (ApiEvent &e : batch)
                if (filter.matches(e))
                    r.events.append(std::move(e));
        });
    // Incidents of the range; with an endpoint filter, those about one of the endpoints.
    for (Incident &inc : reader.incidents(filter.fromMs, filter.toMs, 1000))
        if (filter.endpoints.isEmpty() || filter.endpoints.contains(inc.subject))
            r.incidents.append(std::move(inc));
    reader.close();
    if (!r.error.isEmpty())
        r.events.clear();
    return r;
}

BundleEventLoader::Result BundleEventLoader::fromJsonLines(const QString &path,
                                                           const Filter &filter)
{
    Result r;
    QFile f;
    const bool ok = path == u"-" ? f.open(stdin, QIODevice::ReadOnly)
                                 : (f.setFileName(path), f.open(QIODevice::ReadOnly));
    if (!ok) {
        r.error = QStringLiteral("cannot read events from %1: %2").arg(path, f.errorString());
        return r;
    }
    qint64 lineNumber = 0;
    auto skip = [&](const QString &why) {
        if (r.skippedLines++ == 0)
            r.firstSkipped = QStringLiteral("%1:%2: %3").arg(path).arg(lineNumber).arg(why);
    };
    while (!f.atEnd()) {
        ++lineNumber;
        QByteArray line = f.readLine(MaxLineBytes + 2);
        if (line.size() > MaxLineBytes && !line.endsWith('\n')) {
            // Drain the rest of the over-long line in bounded pieces.
            while (!f.atEnd() && !line.endsWith('\n'))
                line = f.readLine(1024 * 1024);
            skip(QStringLiteral("line longer than %1 MiB").arg(MaxLineBytes / (1024 * 1024)));
            continue;
        }
        line = line.trimmed();
        if (line.isEmpty())
            continue;
        EventParseResult parsed = eventFromJsonText(line);
        if (!parsed.event) {
            skip(parsed.error);
            continue;
        }
        if (filter.matches(*parsed.event))
            r.events.append(std::move(*parsed.event));
    }
    std::stable_sort(r.events.begin(), r.events.end(),
                     [](const ApiEvent &a, const ApiEvent &b) { return a.timeMs < b.timeMs; });
    return r;
}

std::optional<qint64> BundleEventLoader::parseTime(const QString &text, qint64 nowMs)
{
    static const QRegularExpression age(QStringLiteral(R"(^(\d+)([smhd])$)"));
    if (const auto m = age.match(text.trimmed()); m.hasMatch()) {
        const qint64 n = m.captured(1).toLongLong();
        const QChar unit = m.captured(2).front();
        const qint64 factor = unit == u's'   ? 1000
                              : unit == u'm' ? 60000
                              : unit == u'h' ? 3600000
                                             : 86400000;
        return nowMs - n * factor;
    }
    if (const auto t = parseEventTime(text.trimmed()))
        return t;
    QDateTime dt = QDateTime::fromString(text.trimmed(), Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC); // a time without a zone is UTC, as everywhere in HealthDeck
    return dt.toMSecsSinceEpoch();
}

} // namespace hd
