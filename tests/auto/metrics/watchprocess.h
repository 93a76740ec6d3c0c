#pragma once

// `hdeck watch --metrics` as a child process against the built-in simulator: writes a small
// workspace (two sim: environments, an OAuth2 credential, an endpoint with rate-limit headers,
// a healthy one, one that answers 404, alert rules), starts hdeck, and reads the address it
// prints. Stops it with SIGTERM.

#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

namespace hd::test {

class WatchProcess
{
public:
    ~WatchProcess();

    // Writes the workspace into dir and returns its path.
    static QString writeSimWorkspace(const QString &dir, int intervalMs = 200);

    // Starts hdeck watch with --metrics metricsArg; true once the metrics URL was printed.
    bool start(const QString &workspace, const QString &metricsArg = QStringLiteral("127.0.0.1:0"),
               int timeoutMs = 15000);
    // SIGTERM, then waits; true on a clean exit 0.
    bool stop(int timeoutMs = 10000);

    QUrl metricsUrl() const { return m_url; }
    quint16 port() const { return quint16(m_url.port()); }
    QByteArray stderrText() const { return m_err; }
    QProcess &process() { return m_proc; }

private:
    QProcess m_proc;
    QUrl m_url;
    QByteArray m_err;
};

} // namespace hd::test
