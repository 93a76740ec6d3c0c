#include "environmentsecretstore.h"

#include "redactor.h"

namespace hd {

QString EnvironmentSecretStore::variableName(const QString &secretName)
{
    QString out = QStringLiteral("HDECK_SECRET_");
    for (QChar c : secretName.toUpper())
        out.append((c.isLetterOrNumber() && c.unicode() < 128) ? c : u'_');
    return out;
}

std::optional<QString> EnvironmentSecretStore::lookup(const QString &secretName)
{
    const QByteArray v = qgetenv(variableName(secretName).toLatin1().constData());
    if (v.isEmpty())
        return std::nullopt;
    const QString value = QString::fromUtf8(v);
    Redactor::shared().addSecretValue(value);
    return value;
}

QString EnvironmentSecretStore::description() const
{
    return QStringLiteral("secrets from HDECK_SECRET_<NAME> environment variables (read-only)");
}

void EnvironmentSecretStore::read(const QString &name, QObject *context, ReadCallback done)
{
    const auto value = lookup(name);
    const QString missing = QStringLiteral("%1 is not set").arg(variableName(name));
    answerLater(context, [done = std::move(done), value, missing] {
        done(value, value ? QString() : missing);
    });
}

void EnvironmentSecretStore::write(const QString &name, const QString &, QObject *context,
                                   DoneCallback done)
{
    const QString msg = QStringLiteral("environment secrets are read-only: set %1 before starting")
                            .arg(variableName(name));
    answerLater(context, [done = std::move(done), msg] { done(msg); });
}

void EnvironmentSecretStore::remove(const QString &name, QObject *context, DoneCallback done)
{
    const QString msg = QStringLiteral("environment secrets are read-only: unset %1 yourself")
                            .arg(variableName(name));
    answerLater(context, [done = std::move(done), msg] { done(msg); });
}

} // namespace hd
