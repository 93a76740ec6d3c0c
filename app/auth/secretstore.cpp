#include "secretstore.h"

#include "redactor.h"

#include <QPointer>

#include <memory>

namespace hd {

void SecretStore::answerLater(QObject *context, std::function<void()> fn)
{
    QMetaObject::invokeMethod(context, std::move(fn), Qt::QueuedConnection);
}

void SecretStore::readMany(const QStringList &names, QObject *context, ReadManyCallback done)
{
    struct Pending
    {
        QHash<QString, QString> found;
        QStringList missing;
        qsizetype left = 0;
        ReadManyCallback done;
    };
    QStringList unique = names;
    unique.removeDuplicates();
    unique.removeAll(QString());
    auto pending = std::make_shared<Pending>();
    pending->left = unique.size();
    pending->done = std::move(done);
    if (unique.isEmpty()) {
        answerLater(context, [pending] { pending->done({}, {}); });
        return;
    }
    for (const QString &name : std::as_const(unique)) {
        read(name, context, [pending, name](std::optional<QString> value, const QString &) {
            if (value) {
                Redactor::shared().addSecretValue(*value);
                pending->found.insert(name, *value);
            } else {
                pending->missing.append(name);
            }
            if (--pending->left == 0)
                pending->done(pending->found, pending->missing);
        });
    }
}

} // namespace hd
