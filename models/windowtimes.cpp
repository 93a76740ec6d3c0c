#include "windowtimes.h"

#include <QRegularExpression>

namespace hd::windowtimes {

std::optional<QTime> parseClock(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([01][0-9]|2[0-3]):([0-5][0-9])$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    return QTime(m.captured(1).toInt(), m.captured(2).toInt());
}

std::optional<QDate> parseDate(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^([0-9]{4})-([0-9]{2})-([0-9]{2})$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const QDate d(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    if (!d.isValid() || d.year() < 1970 || d.year() > 9999)
        return std::nullopt;
    return d;
}

std::optional<std::pair<QDate, QTime>> parseLocalDateTime(const QString &text)
{
    static const QRegularExpression re(
        QStringLiteral("^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):([0-5][0-9])"
                       "(?::([0-5][0-9]))?$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    const auto date = parseDate(m.captured(1));
    if (!date)
        return std::nullopt;
    return std::pair{*date, QTime(m.captured(2).toInt(), m.captured(3).toInt(),
                                  m.captured(4).isEmpty() ? 0 : m.captured(4).toInt())};
}

std::optional<int> parseWeekday(const QString &text)
{
    static const char *names[]
        = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
    const QString t = text.toLower();
    for (int i = 0; i < 7; ++i) {
        const QString full = QString::fromLatin1(names[i]);
        if (t == full || t == full.left(3))
            return i + 1;
    }
    return std::nullopt;
}

QString weekdayName(int day)
{
    static const char *names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    return day >= 1 && day <= 7 ? QString::fromLatin1(names[day - 1]) : QString();
}

std::optional<QTimeZone> zone(const QString &ianaId)
{
    if (ianaId.isEmpty() || ianaId.size() > 64)
        return std::nullopt;
    const QByteArray id = ianaId.toUtf8();
    if (id == "UTC")
        return QTimeZone(QTimeZone::utc());
    if (!QTimeZone::isTimeZoneIdAvailable(id))
        return std::nullopt;
    QTimeZone z(id);
    if (!z.isValid())
        return std::nullopt;
    return z;
}

qint64 toUtcMs(const QDate &date, const QTime &time, const QTimeZone &zone)
{
    return QDateTime(date, time, zone).toMSecsSinceEpoch();
}

QString shown(const QString &text, int max)
{
    QString out = text.left(max);
    for (QChar &c : out)
        if (c.category() == QChar::Other_Control || c.category() == QChar::Separator_Line
            || c.category() == QChar::Separator_Paragraph)
            c = u'?';
    return text.size() > max ? out + QStringLiteral("…") : out;
}

} // namespace hd::windowtimes
