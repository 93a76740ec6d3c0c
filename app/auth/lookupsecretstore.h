#pragma once

// A read-only SecretStore over a synchronous lookup function: the built-in simulator's demo
// secrets (SimDemoSecrets) take part in a ChainSecretStore this way. Holds no values itself.

#include "secretstore.h"

#include <functional>
#include <optional>

namespace hd {

class LookupSecretStore : public SecretStore
{
    Q_OBJECT
public:
    using Lookup = std::function<std::optional<QString>(const QString &name)>;
    LookupSecretStore(Lookup lookup, QString description, QObject *parent = nullptr);

    Kind kind() const override { return Kind::Environment; }
    bool persistent() const override { return false; }
    QString description() const override { return m_description; }

    void read(const QString &name, QObject *context, ReadCallback done) override;
    void write(const QString &name, const QString &value, QObject *context,
               DoneCallback done) override;
    void remove(const QString &name, QObject *context, DoneCallback done) override;

private:
    Lookup m_lookup;
    QString m_description;
};

} // namespace hd
