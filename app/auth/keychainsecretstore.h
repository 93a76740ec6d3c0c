#pragma once

// Secrets in the OS keychain through QtKeychain (Secret Service on Linux, Keychain on macOS,
// Credential Manager on Windows), service name "HealthDeck", one entry per secret name.
// Every call is a QKeychain job: asynchronous, never blocking the calling thread. QtKeychain's
// "insecure fallback" (plaintext in QSettings) is switched off explicitly.

#include "secretstore.h"

#include <memory>

namespace hd {

// What asking the keychain found, as data: whether it answers and, when not, the backend's
// own reason. Callers read the fields; nobody takes a message apart to find them.
struct KeychainProbe
{
    std::unique_ptr<SecretStore> store; // the keychain, or a SessionSecretStore standing in
    bool available = false;             // the OS keychain answers
    QString reason;                     // !available: why, in the backend's words (D-Bus, OS)
    // One line for people: empty when available, else "no keychain: … (reason)".
    QString message() const;
};

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
    // store to use: this one, or a SessionSecretStore with the reason when there is none.
    using ProbeCallback = std::function<void(KeychainProbe result)>;
    static void probe(QObject *context, ProbeCallback done);
    // The same for callers that only show the outcome: the store and KeychainProbe::message().
    using DetectCallback = std::function<void(std::unique_ptr<SecretStore> store, QString message)>;
    static void detect(QObject *context, DetectCallback done);
};

} // namespace hd
