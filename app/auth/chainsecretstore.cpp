#include "chainsecretstore.h"

#include <QPointer>

namespace hd {

ChainSecretStore::~ChainSecretStore() = default;

void ChainSecretStore::append(std::unique_ptr<SecretStore> store)
{
    if (store)
        m_stores.push_back(std::move(store));
}

SecretStore::Kind ChainSecretStore::kind() const
{
    return m_stores.empty() ? Kind::Session : m_stores.front()->kind();
}

bool ChainSecretStore::persistent() const
{
    return !m_stores.empty() && m_stores.front()->persistent();
}

QString ChainSecretStore::description() const
{
    QStringList parts;
    for (const auto &s : m_stores)
        parts.append(s->description());
    return parts.join(QStringLiteral("; then "));
}

void ChainSecretStore::read(const QString &name, QObject *context, ReadCallback done)
{
    readFrom(0, name, context, std::move(done), {});
}

void ChainSecretStore::readFrom(std::size_t index, const QString &name, QObject *context,
                                ReadCallback done, QStringList errors)
{
    if (index >= m_stores.size()) {
        answerLater(context, [done = std::move(done), errors] {
            done(std::nullopt, errors.join(QStringLiteral("; ")));
        });
        return;
    }
    // The chain must outlive the answers it waits for; a chain deleted mid-read stops there
    // (the guard) and the caller's context decides whether anybody still listens.
    QPointer<ChainSecretStore> self(this);
    m_stores[index]->read(name, context,
                          [self, index, name, context, done = std::move(done),
                           errors](std::optional<QString> value, const QString &error) mutable {
                              if (value) {
                                  done(value, {});
                                  return;
                              }
                              if (!error.isEmpty())
                                  errors.append(error);
                              if (!self) {
                                  done(std::nullopt, errors.join(QStringLiteral("; ")));
                                  return;
                              }
                              self->readFrom(index + 1, name, context, std::move(done),
                                             std::move(errors));
                          });
}

void ChainSecretStore::write(const QString &name, const QString &value, QObject *context,
                             DoneCallback done)
{
    if (m_stores.empty()) {
        answerLater(context, [done = std::move(done)] {
            done(QStringLiteral("there is no secret store to write to"));
        });
        return;
    }
    m_stores.front()->write(name, value, context, std::move(done));
}

void ChainSecretStore::remove(const QString &name, QObject *context, DoneCallback done)
{
    if (m_stores.empty()) {
        answerLater(context, [done = std::move(done)] { done({}); });
        return;
    }
    m_stores.front()->remove(name, context, std::move(done));
}

} // namespace hd
