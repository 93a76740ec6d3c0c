#pragma once

// hd::Simulator: the built-in API simulator of the seed APIs, on 127.0.0.1 only. One object
// runs in-process (the GUI's demo workspace, `hdeck watch` when a workspace asks for it, tests)
// or on its own (`hdeck sim`). Lives on the thread that created it; everything runs on that
// thread's event loop.
//
// Workspaces point at it with base URLs "sim:" or "sim:/prod"; resolveUrl() turns them into
// http://127.0.0.1:PORT and http://127.0.0.1:PORT/prod (see docs/simulator.md).

#include "simconfig.h"

#include <QHash>
#include <QJsonArray>
#include <QObject>
#include <QUrl>

#include <memory>

class QTemporaryDir;

class QWebSocketServer;

namespace hd {

class SimRouter;
class SimServer;
class SimTlsServer;

class Simulator : public QObject
{
    Q_OBJECT
public:
    explicit Simulator(const SimConfig &config = {}, QObject *parent = nullptr);
    ~Simulator() override;

    // Listens on 127.0.0.1:port (0 = a free port). Returns the port, or 0 with errorString().
    quint16 start(quint16 port = 0);
    void stop();
    bool isRunning() const;
    quint16 port() const;
    QString errorString() const { return m_error; }
    // http://127.0.0.1:PORT
    QUrl baseUrl() const;

    // Same as GET /_sim/scenarios.
    QJsonArray scenarios();
    // Same as POST /_sim/reset.
    void reset();
    int connectionCount() const;

    // "sim:[/ENV][/path]" (also "sim://ENV…") → "http://127.0.0.1:PORT[/ENV][/path]"; the
    // placeholder "http://127.0.0.1:0…" gets the port. Other URLs are returned unchanged.
    static QString resolveUrl(const QString &url, quint16 port);

    // HTTPS (SimConfig::tls; docs/simulator.md "TLS"). Routes: "" (a good certificate for
    // 127.0.0.1 and localhost), "short" (expires SimConfig::tlsShortLivedDays after start),
    // "expired", "wronghost" (issued for another name), "mtls" (requires a client certificate
    // signed by the simulator's CA), "h2" (offers HTTP/2 through ALPN, served by
    // SimH2Connection; HTTP/1.1 clients still get HTTP/1.1). Each is its own port; every route
    // serves the same APIs.
    static const QStringList &tlsRoutes();
    // https://127.0.0.1:PORT of a route; empty when TLS is not running.
    QUrl tlsBaseUrl(const QString &route = {}) const;
    // Files exported at start (a temporary directory removed with the simulator): the CA
    // certificate to trust, and a client certificate and its unencrypted key for "mtls".
    QString caFile() const;
    QString clientCertificateFile() const;
    QString clientKeyFile() const;
    // What a workspace may write instead of the above (the engine replaces them at load):
    // base URLs "sim+tls:", "sim+tls-short:", … (+ path) and files "sim:ca.pem",
    // "sim:client.pem", "sim:client.key".
    QHash<QString, QString> placeholders() const;

private:
    bool startTls();

    SimConfig m_config;
    std::unique_ptr<SimRouter> m_router;
    QWebSocketServer *m_webSockets = nullptr;
    SimServer *m_server = nullptr;
    QHash<QString, SimTlsServer *> m_tlsServers; // route → listener
    std::unique_ptr<QTemporaryDir> m_tlsDir;
    QString m_error;
};

} // namespace hd
