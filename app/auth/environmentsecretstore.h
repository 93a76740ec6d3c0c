#pragma once

// Secrets from the process environment, HDECK_SECRET_<NAME>, for headless runs (DESIGN §4).
// Read-only: HealthDeck never sets environment variables for others to find.

#include "secretstore.h"

#include <optional>

namespace hd {

class EnvironmentSecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;

    // HDECK_SECRET_<NAME>: upper case, anything outside [A-Z0-9] becomes '_'.
    static QString variableName(const QString &secretName);
    // Synchronous lookup (an environment read cannot block); empty variables count as unset.
    static std::optional<QString> lookup(const QString &secretName);

    Kind kind() const override { return Kind::Environment; }
    bool persistent() const override { return false; }
    QString description() const override;

    void read(const QString &name, QObject *context, ReadCallback done) override;
    void write(const QString &name, const QString &value, QObject *context,
               DoneCallback done) override;
    void remove(const QString &name, QObject *context, DoneCallback done) override;
};

} // namespace hd
