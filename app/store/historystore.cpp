#include "historystore.h"

#include "eventjson.h"
#include "logfilter.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <atomic>

namespace hd {

namespace {

std::atomic<int> connectionCounter{0};

// Glob (* and ?) to an SQL LIKE pattern with '\' as the escape character.
QString likePattern(const QString &glob)
{
    QString out;
    for (const QChar c : glob) {
        if (c == QLatin1Char('%') || c == QLatin1Char('_') || c == QLatin1Char('\\'))
            out += QLatin1Char('\\') + QString(c);
        else if (c == QLatin1Char('*'))
            out += QLatin1Char('%');
        else if (c == QLatin1Char('?'))
            out += QLatin1Char('_');
        else
            out += c;
    }
    return out;
}

bool isAscii(const QString &s)
{
    return std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

} // namespace

HistoryStore::HistoryStore(const Clock &clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock)
{
    m_thread.setObjectName(QStringLiteral("history-writer"));
}

HistoryStore::~HistoryStore()
{
    close();
}

QString HistoryStore::lockFilePath(const QString &databasePath)
{
    return databasePath + QStringLiteral(".lock");
}

HistoryStore::OpenResult HistoryStore::open(const QString &path)
{
    close();
    OpenResult result;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    // A history next to a workspace in a folder that does not exist yet is still a history.
    QDir().mkpath(QFileInfo(absolute).absolutePath());

    auto lock = std::make_unique<QLockFile>(lockFilePath(absolute));
    // Never steal a live lock; QLockFile still clears one whose process has died (SIGKILL).
    lock->setStaleLockTime(0);
    if (!lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        if (lock->error() == QLockFile::LockFailedError && lock->getLockInfo(&pid, &host, &app)) {
            result.error
                = QStringLiteral("History database %1 is already in use by %2 (pid %3 on "
                                 "%4). Close that instance, or choose another database "
                                 "file.")
                      .arg(absolute, app.isEmpty() ? QStringLiteral("another process") : app)
                      .arg(pid)
                      .arg(host);
        } else {
            result.error = QStringLiteral("Cannot lock history database %1 (lock file %2 is not "
                                          "writable).")
                               .arg(absolute, lockFilePath(absolute));
        }
        return result;
    }

    const int id = ++connectionCounter;
    m_writerName = QStringLiteral("hd-history-writer-%1").arg(id);
    m_readerName = QStringLiteral("hd-history-reader-%1").arg(id);

    m_writer = new HistoryWriter(m_clock);
    m_writer->moveToThread(&m_thread);
    connect(m_writer, &HistoryWriter::committed, this, &HistoryStore::committed);
    connect(m_writer, &HistoryWriter::writeFailed, this, &HistoryStore::writeFailed);
    connect(m_writer, &HistoryWriter::retentionFinished, this, &HistoryStore::retentionFinished);
    m_thread.start();

    HistoryWriter *writer = m_writer;
    const QString writerName = m_writerName;
    const int interval = m_commitIntervalMs;
    QMetaObject::invokeMethod(
        m_writer,
        [&result, writer, absolute, writerName, interval] {
            result = writer->open(absolute, writerName, interval);
        },
        Qt::BlockingQueuedConnection);

    if (result.ok) {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_readerName);
        db.setDatabaseName(absolute);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open()) {
            result.ok = false;
            result.error = QStringLiteral("Cannot open history database %1 for reading: %2")
                               .arg(absolute, db.lastError().text());
        } else {
            QSqlQuery(db).exec(QStringLiteral("PRAGMA query_only = 1"));
        }
    }

    m_path = absolute;
    m_lock = std::move(lock);
    m_open = true; // so close() below tears down whatever did start
    if (!result.ok) {
        close();
        return result;
    }
    m_schemaVersion = result.schemaVersion;
    return result;
}

void HistoryStore::close()
{
    if (!m_open)
        return;
    m_open = false;
    if (m_writer) {
        HistoryWriter *writer = m_writer;
        QMetaObject::invokeMethod(
            m_writer, [writer] { writer->close(); }, Qt::BlockingQueuedConnection);
        m_thread.quit();
        m_thread.wait();
        // The thread has stopped, so nothing else can touch the writer now.
        delete m_writer;
        m_writer = nullptr;
    }
    if (QSqlDatabase::contains(m_readerName)) {
        {
            QSqlDatabase db = QSqlDatabase::database(m_readerName, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_readerName);
    }
    if (m_lock)
        m_lock->unlock();
    m_lock.reset();
    m_schemaVersion = 0;
}

void HistoryStore::append(const ApiEvent &event)
{
    if (m_writer)
        m_writer->enqueue(event);
}

void HistoryStore::append(const QList<ApiEvent> &events)
{
    if (m_writer)
        m_writer->enqueue(events);
}

void HistoryStore::flush()
{
    if (!m_writer)
        return;
    HistoryWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        m_writer, [writer] { writer->commitPending(); }, Qt::BlockingQueuedConnection);
}

void HistoryStore::setRetention(const HistoryRetention &retention)
{
    if (!m_writer)
        return;
    HistoryWriter *writer = m_writer;
    QMetaObject::invokeMethod(
        m_writer, [writer, retention] { writer->setRetention(retention); }, Qt::QueuedConnection);
}

void HistoryStore::runRetentionNow()
{
    if (!m_writer)
        return;
    QMetaObject::invokeMethod(m_writer, &HistoryWriter::runRetention, Qt::QueuedConnection);
}

qint64 HistoryStore::count() const
{
    if (!m_open)
        return 0;
    QSqlQuery q(QSqlDatabase::database(m_readerName, false));
    if (!q.exec(QStringLiteral("SELECT count(*) FROM events")) || !q.next())
        return 0;
    return q.value(0).toLongLong();
}

qint64 HistoryStore::fileBytes() const
{
    return QFileInfo(m_path).size() + QFileInfo(m_path + QStringLiteral("-wal")).size();
}

std::optional<ApiEvent> HistoryStore::eventById(const QString &id) const
{
    if (!m_open)
        return std::nullopt;
    QSqlQuery q(QSqlDatabase::database(m_readerName, false));
    q.prepare(QStringLiteral("SELECT json FROM events WHERE id = ? LIMIT 1"));
    q.addBindValue(id);
    if (!q.exec() || !q.next())
        return std::nullopt;
    return eventFromJsonText(q.value(0).toString().toUtf8()).event;
}

HistoryQueryResult HistoryStore::query(const HistoryQuery &request) const
{
    HistoryQueryResult result;
    if (!m_open) {
        result.error = QStringLiteral("no history database is open");
        return result;
    }
    const LogFilter filter = LogFilter::parse(request.filter);
    if (!filter.isValid()) {
        result.error = filter.errorMessage();
        return result;
    }
    const qint64 now = m_clock.nowMs();

    // The indexed columns narrow the scan in SQL; LogFilter::matches() then decides exactly,
    // so both paths share one definition of the language.
    QStringList where{QStringLiteral("time_ms >= ?"), QStringLiteral("time_ms < ?")};
    QVariantList binds{request.fromMs, request.toMs};
    auto likeAny = [&](const char *column, const QList<LogFilter::Pattern> &patterns) {
        QStringList ors;
        for (const LogFilter::Pattern &p : patterns) {
            ors.append(QStringLiteral("%1 LIKE ? ESCAPE '\\'").arg(QLatin1String(column)));
            binds.append(likePattern(p.text));
        }
        where.append(QLatin1Char('(') + ors.join(QStringLiteral(" OR ")) + QLatin1Char(')'));
    };
    for (const LogFilter::Term &t : filter.terms()) {
        if (t.negated)
            continue;
        switch (t.key) {
        case LogFilter::Key::Status: {
            QStringList ors;
            for (const LogFilter::StatusRange &r : t.statuses) {
                if (r.low == 0) {
                    ors.append(QStringLiteral("status IS NULL"));
                } else {
                    ors.append(QStringLiteral("status BETWEEN ? AND ?"));
                    binds << r.low << r.high;
                }
            }
            where.append(QLatin1Char('(') + ors.join(QStringLiteral(" OR ")) + QLatin1Char(')'));
            break;
        }
        case LogFilter::Key::Category: {
            QStringList marks;
            for (const Category c : t.categories) {
                marks.append(QStringLiteral("?"));
                binds.append(toQString(toString(c)));
            }
            where.append(QStringLiteral("category IN (%1)").arg(marks.join(QLatin1Char(','))));
            break;
        }
        case LogFilter::Key::Outcome: {
            QStringList marks;
            for (const Outcome o : t.outcomes) {
                marks.append(QStringLiteral("?"));
                binds.append(toQString(toString(o)));
            }
            where.append(QStringLiteral("outcome IN (%1)").arg(marks.join(QLatin1Char(','))));
            break;
        }
        case LogFilter::Key::Environment:
            likeAny("environment", t.patterns);
            break;
        case LogFilter::Key::Endpoint:
            likeAny("endpoint", t.patterns);
            break;
        case LogFilter::Key::Code:
            likeAny("code", t.patterns);
            break;
        case LogFilter::Key::Trace:
            likeAny("trace_id", t.patterns);
            break;
        case LogFilter::Key::Since:
            where.append(QStringLiteral("time_ms >= ?"));
            binds.append(t.sinceThreshold(now));
            break;
        case LogFilter::Key::Text:
            // Every searched field is in the JSON verbatim unless JSON escaping changed it.
            if (isAscii(t.text) && !t.text.contains(QLatin1Char('"'))
                && !t.text.contains(QLatin1Char('\\'))) {
                where.append(QStringLiteral("json LIKE ? ESCAPE '\\'"));
                binds.append(QString(QLatin1Char('%') + likePattern(t.text) + QLatin1Char('%')));
            }
            break;
        }
    }

    QSqlQuery q(QSqlDatabase::database(m_readerName, false));
    q.setForwardOnly(true);
    const QString order = request.newestFirst ? QStringLiteral("DESC") : QStringLiteral("ASC");
    q.prepare(QStringLiteral("SELECT json FROM events WHERE %1 ORDER BY time_ms %2, seq %2")
                  .arg(where.join(QStringLiteral(" AND ")), order));
    for (qsizetype i = 0; i < binds.size(); ++i)
        q.bindValue(int(i), binds[i]);
    if (!q.exec()) {
        result.error = QStringLiteral("history query failed: %1").arg(q.lastError().text());
        return result;
    }
    while ((request.limit <= 0 || result.events.size() < request.limit) && q.next()) {
        EventParseResult parsed = eventFromJsonText(q.value(0).toString().toUtf8());
        if (parsed.event && filter.matches(*parsed.event, now))
            result.events.append(std::move(*parsed.event));
    }
    return result;
}

} // namespace hd
