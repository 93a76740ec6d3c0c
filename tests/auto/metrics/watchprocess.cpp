#include "watchprocess.h"

#include "testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>

#include <csignal>

namespace hd::test {

WatchProcess::~WatchProcess()
{
    if (m_proc.state() != QProcess::NotRunning) {
        m_proc.kill();
        m_proc.waitForFinished(5000);
    }
}

QString WatchProcess::writeSimWorkspace(const QString &dir, int intervalMs)
{
    const QString path = dir + QStringLiteral("/metrics-workspace.json");
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write(QStringLiteral(R"({"schema":"healthdeck.workspace/1","name":"metrics test",
 "simulator":{"enabled":true,"seed":5},
 "environments":[{"id":"prod","baseUrl":"sim:/prod"},{"id":"dev","baseUrl":"sim:/dev"}],
 "credentials":[{"id":"trading-oauth","method":"oauth2_client_credentials","tokenUrl":"sim:/s000/oauth/token",
   "clientId":"sim-client","audience":"s000","scope":"orders:read","secretName":"HDECK_SIM_CLIENT_SECRET"}],
 "endpoints":[
  {"id":"orders","environment":"prod","path":"/s000/v1/orders","intervalMs":%1,"credential":"trading-oauth","quotaShare":1.0},
  {"id":"health","environment":"dev","path":"/s000/v1/health","intervalMs":%1},
  {"id":"missing","environment":"dev","path":"/s000/v1/no-such-route","intervalMs":%1}
 ],
 "alerts":[{"id":"dev-errors","kind":"error_rate","scope":"dev","threshold":0.01,"windowS":60},
           {"id":"token-expiry","kind":"token_expiry","scope":"*","threshold":60}]})")
                .arg(intervalMs)
                .toUtf8());
    return path;
}

bool WatchProcess::start(const QString &workspace, const QString &metricsArg, int timeoutMs)
{
    m_proc.start(hdeckPath(), {QStringLiteral("watch"), QStringLiteral("--workspace"), workspace,
                               QStringLiteral("--metrics"), metricsArg});
    if (!m_proc.waitForStarted(10000))
        return false;
    static const QRegularExpression re(QStringLiteral("metrics at (http://\\S+/metrics)"));
    QElapsedTimer timer;
    timer.start();
    while (timer.elapsed() < timeoutMs) {
        m_proc.waitForReadyRead(100);
        m_err += m_proc.readAllStandardError();
        const auto match = re.match(QString::fromUtf8(m_err));
        if (match.hasMatch()) {
            m_url = QUrl(match.captured(1));
            return m_url.isValid() && m_url.port() > 0;
        }
        if (m_proc.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

bool WatchProcess::stop(int timeoutMs)
{
    if (m_proc.state() == QProcess::NotRunning)
        return false;
    ::kill(pid_t(m_proc.processId()), SIGTERM);
    const bool finished = m_proc.waitForFinished(timeoutMs);
    m_err += m_proc.readAllStandardError();
    return finished && m_proc.exitStatus() == QProcess::NormalExit && m_proc.exitCode() == 0;
}

} // namespace hd::test
