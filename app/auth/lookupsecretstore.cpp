#include "lookupsecretstore.h"

#include "redactor.h"

namespace hd {

LookupSecretStore::LookupSecretStore(Lookup lookup, QString description, QObject *parent)
    : SecretStore(parent)
    , m_lookup(std::move(lookup))
    , m_description(std::move(description))
{}

void LookupSecretStore::read(const QString &name, QObject *context, ReadCallback done)
{
    const auto value = m_lookup ? m_lookup(name) : std::nullopt;
    if (value)
        Redactor::shared().addSecretValue(*value);
    answerLater(context, [done = std::move(done), value] { done(value, {}); });
}

void LookupSecretStore::write(const QString &, const QString &, QObject *context, DoneCallback done)
{
    const QString msg = QStringLiteral("%1: read-only").arg(m_description);
    answerLater(context, [done = std::move(done), msg] { done(msg); });
}

void LookupSecretStore::remove(const QString &, QObject *context, DoneCallback done)
{
    const QString msg = QStringLiteral("%1: read-only").arg(m_description);
    answerLater(context, [done = std::move(done), msg] { done(msg); });
}

} // namespace hd
