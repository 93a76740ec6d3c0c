#include "secretdialogtarget.h"

#include "monitorsession.h"
#include "secretstore.h"
#include "sessionsecretstore.h"

namespace hd {

SecretDialogTarget SecretDialogTarget::fromStore(SecretStore *store, const QString &message)
{
    SecretDialogTarget t;
    t.m_store = store;
    t.m_message = message;
    return t;
}

SecretDialogTarget SecretDialogTarget::fromSession(MonitorSession *session)
{
    SecretDialogTarget t;
    t.m_session = session;
    return t;
}

SecretStore *SecretDialogTarget::store() const
{
    return static_cast<SecretStore *>(m_store.data());
}

MonitorSession *SecretDialogTarget::session() const
{
    return static_cast<MonitorSession *>(m_session.data());
}

bool SecretDialogTarget::persistent() const
{
    if (m_session)
        return session()->secretStoreStatus().keychainAvailable();
    return m_store && store()->persistent();
}

QString SecretDialogTarget::description() const
{
    if (m_session)
        return session()->secretStoreStatus().message.isEmpty()
                   ? SessionSecretStore::noKeychainMessage()
                   : session()->secretStoreStatus().message;
    return m_store ? store()->description() : SessionSecretStore::noKeychainMessage();
}

QString SecretDialogTarget::reason() const
{
    if (m_session)
        return session()->secretStoreStatus().reason;
    return m_message;
}

void SecretDialogTarget::write(const QString &name, const QString &value, bool sessionOnly,
                               QObject *context, Done done) const
{
    if (!isValid()) {
        QMetaObject::invokeMethod(
            context, [done] { done(QObject::tr("there is no secret store in this session")); },
            Qt::QueuedConnection);
        return;
    }
    if (m_session) {
        const auto where = persistent() && !sessionOnly ? SecretPersistence::Keychain
                                                        : SecretPersistence::SessionOnly;
        QPointer<QObject> guard(context);
        session()->storeSecret(name, value, where, [guard, done](const QString &error) {
            if (guard)
                done(error);
        });
        return;
    }
    store()->write(name, value, context, done);
}

} // namespace hd
