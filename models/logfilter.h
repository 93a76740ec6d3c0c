#pragma once

// The filter language of the error log and the history search:
//
//   free text            case-insensitive substring of endpoint, environment, status, category,
//                        code, message, network error or trace id ("quoted phrases" allowed)
//   status:429           HTTP status; also 5xx, 500-504, none (no HTTP response at all)
//   category:rate_limited  schema category name, globs allowed (category:*timeout*)
//   outcome:server_error schema outcome name
//   env:prod             environment (alias environment:), globs allowed
//   endpoint:orders*     endpoint id, glob
//   code:MaxPosLimitReached  vendor error code, globs allowed
//   trace:trx-123        trace id, globs allowed
//   since:15m            newer than 15 s/m/h/d ago (against the Clock), or an ISO time
//
// Terms separated by spaces must all hold (AND); commas inside one value are alternatives
// (status:429,503); a leading '-' negates a term (-env:dev). A bad filter is reported with
// one sentence that names the problem and, where it can, the likely intended word.

#include "apievent.h"

#include <QList>
#include <QRegularExpression>
#include <QString>
#include <QStringList>

namespace hd {

class LogFilter
{
public:
    enum class Key { Text, Status, Category, Outcome, Environment, Endpoint, Code, Trace, Since };

    // One value of a string key: exact (case-insensitive) unless it holds * or ?.
    struct Pattern
    {
        QString text;
        QRegularExpression glob; // valid only for glob patterns
        bool matches(QStringView s) const;
    };

    struct StatusRange
    {
        int low = 0; // 0..0 stands for "no HTTP status"
        int high = 0;
    };

    struct Term
    {
        Key key = Key::Text;
        bool negated = false;
        QString text;                // Text: lower-cased needle
        QList<Pattern> patterns;     // Environment, Endpoint, Code, Trace
        QList<StatusRange> statuses; // Status
        QList<Category> categories;  // Category
        QList<Outcome> outcomes;     // Outcome
        qint64 sinceAgoMs = -1;      // Since, relative form
        qint64 sinceAbsMs = -1;      // Since, absolute form

        bool matchesStatus(std::optional<int> status) const;
        // The oldest time this term lets through at nowMs.
        qint64 sinceThreshold(qint64 nowMs) const
        {
            return sinceAbsMs >= 0 ? sinceAbsMs : nowMs - sinceAgoMs;
        }
    };

    LogFilter() = default;
    static LogFilter parse(const QString &text);

    bool isValid() const { return m_error.isEmpty(); }
    bool isEmpty() const { return m_terms.isEmpty(); }
    QString errorMessage() const { return m_error; }
    QString text() const { return m_text; }
    const QList<Term> &terms() const { return m_terms; }

    // The reference evaluation on a full event; the log model compiles the same terms into
    // a faster form, and both must agree.
    bool matches(const ApiEvent &event, qint64 nowMs) const;
    static bool textMatches(const ApiEvent &event, const QString &needle);

    static QStringList keys();

private:
    QString m_text;
    QString m_error;
    QList<Term> m_terms;
};

} // namespace hd
