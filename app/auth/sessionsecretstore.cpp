#include "sessionsecretstore.h"

#include "redactor.h"

namespace hd {

QString SessionSecretStore::noKeychainMessage()
{
    return QStringLiteral("no keychain: secrets are kept for this session only");
}

SessionSecretStore::~SessionSecretStore()
{
    // Overwrite before freeing so the values do not linger in freed heap pages.
    for (auto it = m_values.begin(); it != m_values.end(); ++it)
        it->fill(u'\0');
}

void SessionSecretStore::read(const QString &name, QObject *context, ReadCallback done)
{
    const auto it = m_values.constFind(name);
    std::optional<QString> value;
    if (it != m_values.constEnd())
        value = *it;
    answerLater(context, [done = std::move(done), value] {
        done(value, value ? QString() : QStringLiteral("not stored in this session"));
    });
}

void SessionSecretStore::write(const QString &name, const QString &value, QObject *context,
                               DoneCallback done)
{
    Redactor::shared().addSecretValue(value);
    m_values.insert(name, value);
    answerLater(context, [done = std::move(done)] { done({}); });
}

void SessionSecretStore::remove(const QString &name, QObject *context, DoneCallback done)
{
    m_values.remove(name);
    answerLater(context, [done = std::move(done)] { done({}); });
}

} // namespace hd
