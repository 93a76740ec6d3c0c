#include "logfilter.h"

#include "saturating.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace hd {

namespace {

struct KeyName
{
    const char *name;
    LogFilter::Key key;
};

constexpr KeyName keyNames[] = {
    {"status", LogFilter::Key::Status},
    {"category", LogFilter::Key::Category},
    {"outcome", LogFilter::Key::Outcome},
    {"env", LogFilter::Key::Environment},
    {"environment", LogFilter::Key::Environment},
    {"endpoint", LogFilter::Key::Endpoint},
    {"code", LogFilter::Key::Code},
    {"trace", LogFilter::Key::Trace},
    {"since", LogFilter::Key::Since},
};

int editDistance(const QString &a, const QString &b)
{
    std::vector<int> row(std::size_t(b.size()) + 1);
    std::iota(row.begin(), row.end(), 0);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int up = row[std::size_t(j)];
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            row[std::size_t(j)] = std::min({up + 1, row[std::size_t(j) - 1] + 1, diagonal + cost});
            diagonal = up;
        }
    }
    return row[std::size_t(b.size())];
}

// The closest candidate within a small edit distance, for "did you mean" hints.
QString closest(const QString &word, const QStringList &candidates)
{
    QString best;
    int bestDistance = std::max(2, int(word.size()) / 3) + 1;
    for (const QString &c : candidates) {
        const int d = editDistance(word.toLower(), c.toLower());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    return best;
}

QString didYouMean(const QString &word, const QStringList &candidates)
{
    const QString hint = closest(word, candidates);
    return hint.isEmpty() ? QString() : QStringLiteral(" — did you mean '%1'?").arg(hint);
}

bool isGlob(const QString &s)
{
    return s.contains(QLatin1Char('*')) || s.contains(QLatin1Char('?'));
}

// * and ? only; unlike QRegularExpression's wildcard mode, '/' is an ordinary character.
QRegularExpression globExpression(const QString &glob)
{
    QString re;
    for (const QChar c : glob) {
        if (c == QLatin1Char('*'))
            re += QLatin1String(".*");
        else if (c == QLatin1Char('?'))
            re += QLatin1Char('.');
        else
            re += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(QRegularExpression::anchoredPattern(re),
                              QRegularExpression::CaseInsensitiveOption);
}

// Splits on unquoted whitespace; quotes group words and are removed.
struct Token
{
    QString text;
    bool literal = false; // began with a quote: free text even if it holds a colon
    bool negated = false; // -"quoted text"
};

bool tokenize(const QString &text, QList<Token> &tokens, QString &error)
{
    Token current;
    bool inQuotes = false;
    bool hasToken = false;
    for (const QChar c : text) {
        if (c == QLatin1Char('"')) {
            if (!inQuotes && (current.text.isEmpty() || current.text == QLatin1String("-"))) {
                current.literal = true;
                current.negated = !current.text.isEmpty();
                current.text.clear();
            }
            inQuotes = !inQuotes;
            hasToken = true;
        } else if (c.isSpace() && !inQuotes) {
            if (hasToken)
                tokens.append(current);
            current = Token{};
            hasToken = false;
        } else {
            current.text.append(c);
            hasToken = true;
        }
    }
    if (inQuotes) {
        error = QStringLiteral("unterminated quote — close it with \"");
        return false;
    }
    if (hasToken)
        tokens.append(current);
    return true;
}

QStringList categoryNames()
{
    QStringList names;
    for (int i = 0; i < CategoryCount; ++i)
        names.append(toQString(toString(Category(i))));
    return names;
}

QStringList outcomeNames()
{
    QStringList names;
    for (int i = 0; i <= int(Outcome::ConnectionError); ++i)
        names.append(toQString(toString(Outcome(i))));
    return names;
}

bool parseStatus(const QString &value, LogFilter::StatusRange &range)
{
    const QString v = value.toLower();
    if (v == QLatin1String("none") || v == QLatin1String("-")) {
        range = {0, 0};
        return true;
    }
    if (v.size() == 3 && v.endsWith(QLatin1String("xx")) && v[0] >= QLatin1Char('1')
        && v[0] <= QLatin1Char('5')) {
        const int hundreds = v[0].digitValue();
        range = {hundreds * 100, hundreds * 100 + 99};
        return true;
    }
    const qsizetype dash = v.indexOf(QLatin1Char('-'));
    bool okLow = false;
    bool okHigh = false;
    if (dash > 0) {
        range.low = v.left(dash).toInt(&okLow);
        range.high = v.mid(dash + 1).toInt(&okHigh);
    } else {
        range.low = range.high = v.toInt(&okLow);
        okHigh = okLow;
    }
    return okLow && okHigh && range.low >= 100 && range.high <= 599 && range.low <= range.high;
}

bool parseSince(const QString &value, LogFilter::Term &term)
{
    if (const auto abs = parseEventTime(value)) {
        term.sinceAbsMs = *abs;
        return true;
    }
    if (value.size() < 2)
        return false;
    bool ok = false;
    const qint64 n = value.left(value.size() - 1).toLongLong(&ok);
    if (!ok || n < 0)
        return false;
    switch (value.back().toLower().toLatin1()) {
    case 's':
        term.sinceAgoMs = saturatingMul(n, 1000); // saturates: "since:99999999999999d"
        return true;
    case 'm':
        term.sinceAgoMs = saturatingMul(n, 60 * 1000);
        return true;
    case 'h':
        term.sinceAgoMs = saturatingMul(n, 3600 * 1000);
        return true;
    case 'd':
        term.sinceAgoMs = saturatingMul(n, 24 * 3600 * 1000);
        return true;
    default:
        return false;
    }
}

bool contains(QStringView haystack, const QString &needle)
{
    return !haystack.isEmpty() && haystack.contains(needle, Qt::CaseInsensitive);
}

} // namespace

bool LogFilter::Pattern::matches(QStringView s) const
{
    if (glob.isValid() && !glob.pattern().isEmpty())
        return glob.match(s.toString()).hasMatch();
    return s.compare(text, Qt::CaseInsensitive) == 0;
}

bool LogFilter::Term::matchesStatus(std::optional<int> status) const
{
    for (const StatusRange &r : statuses) {
        if (r.low == 0 ? !status : (status && *status >= r.low && *status <= r.high))
            return true;
    }
    return false;
}

QStringList LogFilter::keys()
{
    QStringList k;
    for (const KeyName &n : keyNames)
        k.append(QLatin1String(n.name));
    return k;
}

LogFilter LogFilter::parse(const QString &text)
{
    LogFilter f;
    f.m_text = text;
    QList<Token> tokens;
    if (!tokenize(text, tokens, f.m_error))
        return f;

    for (const Token &t : std::as_const(tokens)) {
        QString token = t.text;
        Term term;
        if (t.literal) {
            term.negated = t.negated;
        } else if (token.size() > 1 && token.startsWith(QLatin1Char('-'))) {
            term.negated = true;
            token.remove(0, 1);
        }
        const qsizetype colon = token.indexOf(QLatin1Char(':'));
        const QString keyText = colon > 0 ? token.left(colon) : QString();
        const bool looksLikeKey
            = colon > 0 && std::all_of(keyText.cbegin(), keyText.cend(), [](QChar c) {
                  return c.isLetter() || c == QLatin1Char('_');
              });
        if (!looksLikeKey || t.literal) {
            term.key = Key::Text;
            term.text = token.toLower();
            f.m_terms.append(term);
            continue;
        }

        const auto known
            = std::find_if(std::begin(keyNames), std::end(keyNames), [&](const KeyName &n) {
                  return keyText.compare(QLatin1String(n.name), Qt::CaseInsensitive) == 0;
              });
        if (known == std::end(keyNames)) {
            const QString hint = didYouMean(keyText, keys());
            f.m_error = QStringLiteral("unknown key '%1'").arg(keyText)
                        + (hint.isEmpty()
                               ? QStringLiteral(" — known keys: %1 (put text in quotes to search "
                                                "for it literally)")
                                     .arg(keys().join(QStringLiteral(", ")))
                               : hint);
            return f;
        }
        term.key = known->key;
        const QString key = QLatin1String(known->name);
        const QString value = token.mid(colon + 1);
        if (value.isEmpty()) {
            static const QHash<QString, QString> examples{
                {QStringLiteral("status"), QStringLiteral("status:429")},
                {QStringLiteral("category"), QStringLiteral("category:rate_limited")},
                {QStringLiteral("outcome"), QStringLiteral("outcome:server_error")},
                {QStringLiteral("env"), QStringLiteral("env:prod")},
                {QStringLiteral("environment"), QStringLiteral("environment:prod")},
                {QStringLiteral("endpoint"), QStringLiteral("endpoint:orders*")},
                {QStringLiteral("code"), QStringLiteral("code:MaxPosLimitReached")},
                {QStringLiteral("trace"), QStringLiteral("trace:trx-123")},
                {QStringLiteral("since"), QStringLiteral("since:15m")}};
            f.m_error
                = QStringLiteral("'%1:' needs a value, e.g. %2").arg(key, examples.value(key));
            return f;
        }

        const QStringList alternatives = value.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString &alt : alternatives) {
            switch (term.key) {
            case Key::Status: {
                StatusRange r;
                if (!parseStatus(alt, r)) {
                    f.m_error = QStringLiteral("bad status '%1' — use a code (429), a class (5xx), "
                                               "a range (500-504) or none")
                                    .arg(alt);
                    return f;
                }
                term.statuses.append(r);
                break;
            }
            case Key::Category: {
                const QStringList names = categoryNames();
                bool any = false;
                if (isGlob(alt)) {
                    const QRegularExpression re = globExpression(alt);
                    for (int i = 0; i < CategoryCount; ++i) {
                        if (re.match(names[i]).hasMatch()) {
                            term.categories.append(Category(i));
                            any = true;
                        }
                    }
                } else if (const auto c = categoryFromString(alt.toLower().toStdString())) {
                    term.categories.append(*c);
                    any = true;
                }
                if (!any) {
                    const QString hint = didYouMean(alt, names);
                    f.m_error = QStringLiteral("unknown category '%1'").arg(alt)
                                + (hint.isEmpty() ? QStringLiteral(" — see the category list in "
                                                                   "the documentation")
                                                  : hint);
                    return f;
                }
                break;
            }
            case Key::Outcome: {
                const auto o = outcomeFromString(alt.toLower().toStdString());
                if (!o) {
                    const QString hint = didYouMean(alt, outcomeNames());
                    f.m_error
                        = QStringLiteral("unknown outcome '%1'").arg(alt)
                          + (hint.isEmpty() ? QStringLiteral(" — use one of %1")
                                                  .arg(outcomeNames().join(QStringLiteral(", ")))
                                            : hint);
                    return f;
                }
                term.outcomes.append(*o);
                break;
            }
            case Key::Since:
                if (alternatives.size() > 1 || !parseSince(alt, term)) {
                    f.m_error = QStringLiteral("bad time '%1' for since: — use an age such as "
                                               "30s, 15m, 2h, 1d or an ISO time "
                                               "2026-11-21T22:00:00Z")
                                    .arg(value);
                    return f;
                }
                break;
            case Key::Environment:
            case Key::Endpoint:
            case Key::Code:
            case Key::Trace: {
                Pattern p;
                p.text = alt;
                if (isGlob(alt)) {
                    p.glob = globExpression(alt);
                    p.glob.optimize();
                }
                term.patterns.append(p);
                break;
            }
            case Key::Text:
                break;
            }
        }
        if (alternatives.isEmpty()) {
            f.m_error = QStringLiteral("'%1:' needs a value").arg(key);
            return f;
        }
        f.m_terms.append(term);
    }
    return f;
}

bool LogFilter::textMatches(const ApiEvent &e, const QString &needle)
{
    if (needle.isEmpty())
        return true;
    return contains(e.endpoint, needle) || contains(e.environment, needle)
           || (e.httpStatus && contains(QString::number(*e.httpStatus), needle))
           || contains(toQString(toString(e.category)), needle)
           || (e.error && (contains(e.error->code, needle) || contains(e.error->message, needle)))
           || contains(e.networkError, needle) || contains(e.identifiers.traceId, needle);
}

bool LogFilter::matches(const ApiEvent &e, qint64 nowMs) const
{
    if (!isValid())
        return false;
    auto anyPattern = [](const QList<Pattern> &patterns, const QString &s) {
        return std::any_of(patterns.cbegin(), patterns.cend(),
                           [&](const Pattern &p) { return p.matches(s); });
    };
    for (const Term &t : m_terms) {
        bool hit = false;
        switch (t.key) {
        case Key::Text:
            hit = textMatches(e, t.text);
            break;
        case Key::Status:
            hit = t.matchesStatus(e.httpStatus);
            break;
        case Key::Category:
            hit = t.categories.contains(e.category);
            break;
        case Key::Outcome:
            hit = t.outcomes.contains(e.outcome);
            break;
        case Key::Environment:
            hit = anyPattern(t.patterns, e.environment);
            break;
        case Key::Endpoint:
            hit = anyPattern(t.patterns, e.endpoint);
            break;
        case Key::Code:
            hit = anyPattern(t.patterns, e.error ? e.error->code : QString());
            break;
        case Key::Trace:
            hit = anyPattern(t.patterns, e.identifiers.traceId);
            break;
        case Key::Since:
            hit = e.timeMs >= t.sinceThreshold(nowMs);
            break;
        }
        if (hit == t.negated)
            return false;
    }
    return true;
}

} // namespace hd
