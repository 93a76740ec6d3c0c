#include "keychainsecretstore.h"

#include "redactor.h"
#include "sessionsecretstore.h"

#include <qt6keychain/keychain.h>

namespace hd {

namespace {

QString describe(const QKeychain::Job *job, const QString &what)
{
    // errorString() comes from the backend (D-Bus, OS) and never contains the secret.
    return QStringLiteral("keychain: cannot %1: %2").arg(what, job->errorString());
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QObject *parent)
    : SecretStore(parent)
{}

QString KeychainSecretStore::description() const
{
    return QStringLiteral("secrets are kept in the OS keychain (service \"%1\")")
        .arg(serviceName());
}

void KeychainSecretStore::read(const QString &name, QObject *context, ReadCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, context,
            [done = std::move(done), name](QKeychain::Job *j) {
                auto *job = static_cast<QKeychain::ReadPasswordJob *>(j);
                if (job->error() == QKeychain::NoError) {
                    const QString value = job->textData();
                    Redactor::shared().addSecretValue(value);
                    done(value, {});
                } else if (job->error() == QKeychain::EntryNotFound) {
                    done(std::nullopt, QStringLiteral("keychain has no entry \"%1\"").arg(name));
                } else {
                    done(std::nullopt, describe(job, QStringLiteral("read \"%1\"").arg(name)));
                }
            });
    job->start();
}

void KeychainSecretStore::write(const QString &name, const QString &value, QObject *context,
                                DoneCallback done)
{
    Redactor::shared().addSecretValue(value);
    auto *job = new QKeychain::WritePasswordJob(serviceName());
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(name);
    job->setTextData(value);
    connect(job, &QKeychain::Job::finished, context,
            [done = std::move(done), name](QKeychain::Job *job) {
                done(job->error() == QKeychain::NoError
                         ? QString()
                         : describe(job, QStringLiteral("store \"%1\"").arg(name)));
            });
    job->start();
}

void KeychainSecretStore::remove(const QString &name, QObject *context, DoneCallback done)
{
    auto *job = new QKeychain::DeletePasswordJob(serviceName());
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(name);
    connect(job, &QKeychain::Job::finished, context,
            [done = std::move(done), name](QKeychain::Job *job) {
                // Deleting what is not there leaves the keychain as asked: not an error.
                const bool ok = job->error() == QKeychain::NoError
                                || job->error() == QKeychain::EntryNotFound;
                done(ok ? QString() : describe(job, QStringLiteral("delete \"%1\"").arg(name)));
            });
    job->start();
}

QString KeychainProbe::message() const
{
    if (available)
        return {};
    return reason.isEmpty()
               ? SessionSecretStore::noKeychainMessage()
               : SessionSecretStore::noKeychainMessage() + QStringLiteral(" (%1)").arg(reason);
}

void KeychainSecretStore::detect(QObject *context, DetectCallback done)
{
    probe(context, [done = std::move(done)](KeychainProbe result) {
        const QString message = result.message();
        done(std::move(result.store), message);
    });
}

void KeychainSecretStore::probe(QObject *context, ProbeCallback done)
{
    auto *job = new QKeychain::ReadPasswordJob(serviceName());
    job->setInsecureFallback(false);
    job->setAutoDelete(true);
    job->setKey(QStringLiteral("healthdeck.keychain-probe"));
    connect(job, &QKeychain::Job::finished, context, [done = std::move(done)](QKeychain::Job *job) {
        KeychainProbe result;
        if (job->error() == QKeychain::NoError || job->error() == QKeychain::EntryNotFound) {
            result.store = std::make_unique<KeychainSecretStore>();
            result.available = true;
        } else {
            result.store = std::make_unique<SessionSecretStore>();
            result.reason = job->errorString();
        }
        done(std::move(result));
    });
    job->start();
}

} // namespace hd
