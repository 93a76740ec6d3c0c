#pragma once

// Routes requests to the simulated APIs (/s000 … /s004, optionally behind /dev, /preprod or
// /prod) and serves the control API under /_sim/. Runtime rules (injected faults, error rates,
// incidents, the demo schedule) are applied before the API answers. Main-thread only.

#include "simcontext.h"
#include "simrule.h"
#include "simwebhookinbox.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>

#include <optional>

namespace hd {

class SimRouter
{
public:
    explicit SimRouter(const SimConfig &config);

    void setPorts(quint16 port, quint16 refusedPort);
    quint16 port() const { return m_port; }
    quint16 refusedPort() const { return m_refusedPort; }

    // After the head, before the body: a route may answer (or fault) without reading it.
    std::optional<SimResponse> onHead(const SimRequest &req);
    SimResponse handle(const SimRequest &req);
    // Records what the connection finally did (status or fault) in the request log.
    void log(const SimRequest &req, const SimResponse &resp);

    SimContext &context() { return m_ctx; }
    void reset();
    int addRule(SimRule rule);
    QJsonArray scenarios();
    QJsonArray requestLog(int limit) const;

    static QString apiOf(const QString &path);

private:
    SimResponse control(const SimRequest &req);
    SimResponse dispatch(const SimRequest &req, const QString &api, const QString &sub);
    SimResponse apiError(const QString &api, int status, const QString &message);
    std::optional<SimResponse> applyRules(const SimRequest &req, const QString &api,
                                          int &latencyMs);
    void scheduleDemo(qint64 nowMs);
    QJsonObject configJson() const;
    bool applyConfig(const QJsonObject &o, QString *error);
    static QJsonObject ruleJson(const SimRule &r);

    SimConfig m_initialConfig;
    SimContext m_ctx;
    QList<SimRule> m_rules;
    QHash<QString, double> m_errorRates;
    QList<QJsonObject> m_log;
    qsizetype m_logHead = 0;
    int m_nextRuleId = 1;
    qint64 m_nextDemoCycleMs = 0;
    quint16 m_port = 0;
    quint16 m_refusedPort = 0;
    SimWebhookInbox m_inbox;
};

} // namespace hd
