#include "tlschainsummary.h"

#include "eventjson.h"

#include <QHash>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hd {

QByteArray TlsChainSummary::json(const QList<ApiEvent> &events)
{
    QHash<QString, const ApiEvent *> newest; // endpoint + environment → newest TLS event
    for (const ApiEvent &e : events)
        if (e.tls)
            newest.insert(e.endpoint + QChar(0x1f) + e.environment, &e);
    QList<const ApiEvent *> rows = newest.values();
    std::sort(rows.begin(), rows.end(), [](const ApiEvent *a, const ApiEvent *b) {
        return std::tie(a->environment, a->endpoint) < std::tie(b->environment, b->endpoint);
    });
    auto time = [](qint64 ms) {
        return ms ? nlohmann::ordered_json(toStd(formatEventTime(ms)))
                  : nlohmann::ordered_json(nullptr);
    };
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const ApiEvent *e : std::as_const(rows)) {
        const TlsInfo &t = *e->tls;
        nlohmann::ordered_json chain = nlohmann::ordered_json::array();
        for (const TlsCertificateSummary &c : t.chain)
            chain.push_back({{"subject", toStd(c.subject)},
                             {"issuer", toStd(c.issuer)},
                             {"not_after", time(c.notAfterMs)}});
        nlohmann::ordered_json problems = nlohmann::ordered_json::array();
        for (const QString &p : t.problems)
            problems.push_back(toStd(p));
        list.push_back({{"environment", toStd(e->environment)},
                        {"endpoint", toStd(e->endpoint)},
                        {"seen", time(e->timeMs)},
                        {"protocol", toStd(t.protocol)},
                        {"subject", toStd(t.subject)},
                        {"issuer", toStd(t.issuer)},
                        {"not_after", time(t.notAfterMs)},
                        {"days_left", t.daysLeft ? nlohmann::ordered_json(*t.daysLeft)
                                                 : nlohmann::ordered_json(nullptr)},
                        {"problems", problems},
                        {"chain", chain}});
    }
    const nlohmann::ordered_json doc{{"schema", "healthdeck.tls-certificates/1"},
                                     {"endpoints", list}};
    const std::string text = doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    return QByteArray(text.data(), qsizetype(text.size()));
}

} // namespace hd
