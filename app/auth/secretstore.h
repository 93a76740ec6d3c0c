#pragma once

// Where secret values live (DESIGN §4): the OS keychain, or — when there is none — memory for
// this session only, or for headless runs the process environment. There is no plaintext
// store: nothing here ever writes a secret to a file or to QSettings.
//
// Every call is asynchronous and answers through the callback, on the thread of `context`,
// only while `context` is alive. A keychain may have to ask the user or talk D-Bus, and the
// UI thread must never wait for it.

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace hd {

class SecretStore : public QObject
{
    Q_OBJECT
public:
    enum class Kind { Keychain, Session, Environment };

    // value is nullopt when the secret is not stored (error then says why, or is empty).
    using ReadCallback = std::function<void(std::optional<QString> value, QString error)>;
    // error is empty on success.
    using DoneCallback = std::function<void(QString error)>;
    using ReadManyCallback
        = std::function<void(QHash<QString, QString> found, QStringList missing)>;

    using QObject::QObject;

    virtual Kind kind() const = 0;
    // True when secrets outlive the process (only the keychain).
    virtual bool persistent() const = 0;
    // One line for the user about where secrets are kept.
    virtual QString description() const = 0;

    virtual void read(const QString &name, QObject *context, ReadCallback done) = 0;
    virtual void write(const QString &name, const QString &value, QObject *context,
                       DoneCallback done)
        = 0;
    virtual void remove(const QString &name, QObject *context, DoneCallback done) = 0;

    // Reads several names; answers once, after the last one. Values read are registered with
    // the shared Redactor before the callback runs.
    void readMany(const QStringList &names, QObject *context, ReadManyCallback done);

protected:
    // Runs fn on context's thread after the current call returns (so even an in-memory store
    // answers asynchronously and callers have one code path), and not at all once context
    // is gone.
    static void answerLater(QObject *context, std::function<void()> fn);
};

} // namespace hd
