#include "engineprobe.h"

#include <QElapsedTimer>
#include <QTest>

namespace hd::test {

namespace {

ApiEvent noEvent(const QString &why)
{
    ApiEvent e;
    e.outcome = Outcome::ConnectionError;
    e.category = Category::NetworkOther;
    e.networkError = QStringLiteral("test: ") + why;
    return e;
}

} // namespace

ProbeResult probeOnce(const Workspace &ws, const QString &endpointId, EngineOptions options,
                      int timeoutMs)
{
    ProbeResult result;
    options.workerThreads = 1; // one request: one worker is all it needs
    MonitorEngine engine;
    QStringList messages;
    QObject::connect(&engine, &MonitorEngine::warning, &engine,
                     [&messages](const QString &w) { messages.append(w); });
    const QString error = engine.load(ws, options);
    if (!error.isEmpty())
        messages.prepend(error);
    result.loadMessages = messages.join(u'\n');
    if (!error.isEmpty()) {
        result.event = noEvent(QStringLiteral("load failed: ") + error);
        return result;
    }
    QObject::connect(&engine, &MonitorEngine::eventReady, &engine, [&result](const ApiEvent &e) {
        if (!result.gotEvent)
            result.event = e;
        result.gotEvent = true;
    });
    engine.start();
    engine.scheduler()->sendNow(endpointId);
    QElapsedTimer waited;
    waited.start();
    while (!result.gotEvent && waited.elapsed() < timeoutMs)
        QTest::qWait(20);
    engine.stop();
    if (!result.gotEvent)
        result.event = noEvent(QStringLiteral("no event within %1 ms").arg(timeoutMs));
    return result;
}

Workspace oneEndpointWorkspace(const Environment &env, const QString &url,
                               const QString &endpointId)
{
    Workspace ws;
    ws.name = QStringLiteral("probe");
    ws.environments.append(env);
    Endpoint ep;
    ep.id = endpointId;
    ep.environment = env.id;
    ep.path = url;
    ep.intervalMs = 60000;
    ep.timeoutMs = 5000;
    ep.quotaShare = 1.0;
    ws.endpoints.append(ep);
    return ws;
}

} // namespace hd::test
