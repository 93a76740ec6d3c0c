#pragma once

// Secrets in the OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows), service name "HealthDeck", one entry per secret name.
// Every call is a QKeychain job: asynchronous, never blocking the calling thread. QtKeychain's
// "insecure fallback" (plaintext in QSettings) is switched off explicitly.

#include "secretstore.h"

#include <memory>

namespace hd {

class KeychainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    static QString serviceName() { return QStringLiteral("HealthDeck"); }

    explicit KeychainSecretStore(QObject *parent = nullptr);

    Kind kind() const override { return Kind::Keychain; }
    bool persistent() const override { return true; }
    QString description() const override;

    void read(const QString &name, QObject *context, ReadCallback done) override;
    void write(const QString &name, const QString &value, QObject *context,
               DoneCallback done) override;
    void remove(const QString &name, QObject *context, DoneCallback done) override;

    // Finds out whether a keychain answers (by reading a probe entry) and hands back the
    // store to use: this one, or a SessionSecretStore with its message when there is none.
    using DetectCallback = std::function<void(std::unique_ptr<SecretStore> store, QString message)>;
    static void detect(QObject *context, DetectCallback done);
};

} // namespace hd
