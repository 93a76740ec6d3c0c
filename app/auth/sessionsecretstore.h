#pragma once

// Secrets in memory for this session only: what HealthDeck offers when no keychain is
// available. Nothing is written anywhere; quitting forgets everything. Deliberately not a
// file or QSettings fallback (DESIGN §4: no plaintext, ever).

#include "secretstore.h"

namespace hd {

class SessionSecretStore : public SecretStore
{
    Q_OBJECT
public:
    // What the user is told when this store stands in for a missing keychain.
    static QString noKeychainMessage();

    using SecretStore::SecretStore;
    ~SessionSecretStore() override;

    Kind kind() const override { return Kind::Session; }
    bool persistent() const override { return false; }
    QString description() const override { return noKeychainMessage(); }

    void read(const QString &name, QObject *context, ReadCallback done) override;
    void write(const QString &name, const QString &value, QObject *context,
               DoneCallback done) override;
    void remove(const QString &name, QObject *context, DoneCallback done) override;

private:
    QHash<QString, QString> m_values;
};

} // namespace hd
