#include "historysql.h"

#include <QVariant>

namespace hd {

namespace {

bool isAscii(const QString &s)
{
    return std::all_of(s.cbegin(), s.cend(), [](QChar c) { return c.unicode() < 0x80; });
}

} // namespace

QString HistorySql::likePattern(const QString &glob)
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

HistorySql HistorySql::forFilter(const LogFilter &filter, qint64 fromMs, qint64 toMs, qint64 nowMs)
{
    // The indexed columns narrow the scan in SQL; LogFilter::matches() then decides exactly,
    // so both paths share one definition of the language.
    QStringList where{QStringLiteral("time_ms >= ?"), QStringLiteral("time_ms < ?")};
    QVariantList binds{fromMs, toMs};
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
            binds.append(t.sinceThreshold(nowMs));
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

    return HistorySql{where, binds};
}

} // namespace hd
