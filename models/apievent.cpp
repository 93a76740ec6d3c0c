#include "apievent.h"

#include <QDateTime>
#include <QUuid>

namespace hd {

const std::array<std::string_view, 8> &Identifiers::names()
{
    static const std::array<std::string_view, 8> n{
        "traceId", "accountId",           "orderId",           "execId", "tradeId",
        "clOrdId", "conflictingSignalId", "conflictingTradeId"};
    return n;
}

QString *Identifiers::field(std::string_view name)
{
    return const_cast<QString *>(std::as_const(*this).field(name));
}

const QString *Identifiers::field(std::string_view name) const
{
    const std::array<const QString *, 8> fields{
        &traceId, &accountId,           &orderId,           &execId, &tradeId,
        &clOrdId, &conflictingSignalId, &conflictingTradeId};
    const auto &n = names();
    for (std::size_t i = 0; i < n.size(); ++i) {
        if (n[i] == name)
            return fields[i];
    }
    return nullptr;
}

QString newEventId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

QString formatEventTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<qint64> parseEventTime(const QString &iso)
{
    QDateTime dt = QDateTime::fromString(iso, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(iso, Qt::ISODate);
    if (!dt.isValid())
        return std::nullopt;
    return dt.toMSecsSinceEpoch();
}

} // namespace hd
