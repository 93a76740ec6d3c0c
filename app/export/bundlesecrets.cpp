#include "bundlesecrets.h"

namespace hd {

QStringList BundleSecrets::secretNames(const Workspace &ws)
{
    QStringList names;
    for (const Credential &c : ws.credentials) {
        if (c.method == Credential::Method::None)
            continue;
        for (const QString &n : {c.secretName, c.secondSecretName})
            if (!n.isEmpty() && !names.contains(n))
                names.append(n);
    }
    for (const NotificationChannel &c : ws.channels) // webhook addresses, routing keys
        if (!c.secretName.isEmpty() && !names.contains(c.secretName))
            names.append(c.secretName);
    return names;
}

QStringList BundleSecrets::extraFields(const Workspace &ws)
{
    QStringList out;
    if (ws.extra.is_object() && ws.extra.contains("redactFields")
        && ws.extra["redactFields"].is_array())
        for (const auto &f : ws.extra["redactFields"])
            if (f.is_string())
                out.append(QString::fromStdString(f.get<std::string>()));
    return out;
}

void BundleSecrets::collect(const Workspace &ws, const Lookup &lookup,
                            SupportBundleRequest &request)
{
    for (const QString &name : secretNames(ws)) {
        request.secretNames.append(name);
        if (auto v = lookup(name))
            request.secretValues.append(*v);
    }
    for (const Credential &c : ws.credentials)
        if (!c.username.isEmpty() && !c.secretName.isEmpty())
            if (auto v = lookup(c.secretName))
                request.secretValues.append(c.username + u':' + *v);
    request.extraSecretFields += extraFields(ws);
}

} // namespace hd
