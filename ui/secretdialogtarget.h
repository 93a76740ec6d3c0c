#pragma once

// SecretDialogTarget: where the secret dialogs (SecretDialog, the credential dialog) put a
// value — either a SecretStore (the OS keychain, or a SessionSecretStore when there is none)
// or a running MonitorSession, whose storeSecret() writes to the keychain or keeps the value
// for this session and makes it usable by the engine at once. Both answer asynchronously; the
// UI thread never waits. A value type: copy it freely.

#include <QPointer>
#include <QString>

#include <functional>

namespace hd {

class MonitorSession;
class SecretStore;

class SecretDialogTarget
{
public:
    using Done = std::function<void(QString error)>;

    SecretDialogTarget() = default;
    // message: what KeychainSecretStore::detect() said when it fell back (shown to the user).
    static SecretDialogTarget fromStore(SecretStore *store, const QString &message = {});
    static SecretDialogTarget fromSession(MonitorSession *session);

    bool isValid() const { return m_store || m_session; }
    // True when values outlive the process (an OS keychain answers).
    bool persistent() const;
    // One line about where values go; reason: why there is no keychain (may be empty).
    QString description() const;
    QString reason() const;

    // Stores value under name; done(error) runs on context's thread, only while context lives.
    // sessionOnly must be true when !persistent() (the user agreed to memory only).
    void write(const QString &name, const QString &value, bool sessionOnly, QObject *context,
               Done done) const;

private:
    // QObject pointers so the header needs neither class complete; cast in the .cpp.
    SecretStore *store() const;
    MonitorSession *session() const;
    QPointer<QObject> m_store;
    QPointer<QObject> m_session;
    QString m_message;
};

} // namespace hd
