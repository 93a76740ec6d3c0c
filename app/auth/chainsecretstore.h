#pragma once

// Several SecretStores asked in order, as one: a read answers with the first store that has
// the name (the OS keychain, then HDECK_SECRET_<NAME>, then — for the built-in simulator — its
// demo secrets). Writes and removes go to the first store only (the one the user chose to keep
// secrets in). Nothing here adds a place to keep secrets: there is still no plaintext store.

#include "secretstore.h"

#include <memory>
#include <vector>

namespace hd {

class ChainSecretStore : public SecretStore
{
    Q_OBJECT
public:
    using SecretStore::SecretStore;
    ~ChainSecretStore() override;

    // Appends a store; the chain owns it. Order = lookup order.
    void append(std::unique_ptr<SecretStore> store);
    int size() const { return int(m_stores.size()); }
    SecretStore *at(int i) const { return m_stores[std::size_t(i)].get(); }

    // The first store's kind and persistence (Session for an empty chain).
    Kind kind() const override;
    bool persistent() const override;
    QString description() const override;

    void read(const QString &name, QObject *context, ReadCallback done) override;
    void write(const QString &name, const QString &value, QObject *context,
               DoneCallback done) override;
    void remove(const QString &name, QObject *context, DoneCallback done) override;

private:
    void readFrom(std::size_t index, const QString &name, QObject *context, ReadCallback done,
                  QStringList errors);

    std::vector<std::unique_ptr<SecretStore>> m_stores;
};

} // namespace hd
