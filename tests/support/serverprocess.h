#pragma once

// A real server program a test starts on loopback (tinyproxy, microsocks, nghttpd, …): a free
// port to give it, a wait until it accepts connections, and a process that never outlives
// the test.

#include <QProcess>
#include <QString>
#include <QStringList>

namespace hd::test {

// A port free on 127.0.0.1 a moment ago. The probe socket is closed on return and the program
// binds it next: a tiny race, on loopback only; callers that care retry with a new port.
quint16 freeLoopbackPort();
// True once something accepts connections on 127.0.0.1:port, within timeoutMs.
bool waitForLoopbackPort(quint16 port, int timeoutMs = 5000);

class ServerProcess
{
public:
    ServerProcess() = default;
    ServerProcess(const ServerProcess &) = delete;
    ServerProcess &operator=(const ServerProcess &) = delete;
    ~ServerProcess();

    // Starts program and waits until it listens on port. False (with the program's own
    // words in lastOutput()) when it did not start, exited, or never listened.
    bool start(const QString &program, const QStringList &args, quint16 port);
    void stop();
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    QString lastOutput();

private:
    QProcess m_process;
};

} // namespace hd::test
