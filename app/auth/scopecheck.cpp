#include "scopecheck.h"

namespace hd {

QStringList ScopeCheck::missing(const QStringList &tokenScopes, const QStringList &requiredScopes)
{
    QStringList out;
    for (const QString &s : requiredScopes)
        if (!tokenScopes.contains(s))
            out.append(s);
    return out;
}

QString ScopeCheck::explain(const QStringList &tokenScopes, const QStringList &requiredScopes)
{
    const QString carried = tokenScopes.isEmpty()
                                ? QStringLiteral("no scopes")
                                : QStringLiteral("scopes: ") + tokenScopes.join(u' ');
    if (requiredScopes.isEmpty())
        return QStringLiteral("the token carries %1; the endpoint declares no required scopes")
            .arg(carried);
    const QStringList lack = missing(tokenScopes, requiredScopes);
    if (lack.isEmpty())
        return QStringLiteral("the token carries %1, which covers the endpoint's required %2; "
                              "the refusal is about something else (roles, account, resource)")
            .arg(carried, requiredScopes.join(u' '));
    return QStringLiteral("the token carries %1; the endpoint needs %2; missing: %3 — ask the "
                          "provider to add the scope to this client")
        .arg(carried, requiredScopes.join(u' '), lack.join(u' '));
}

void ScopeCheck::annotate(ApiEvent &event, const QStringList &tokenScopes,
                          const QStringList &requiredScopes)
{
    if (event.httpStatus != 403)
        return;
    if (!event.error)
        event.error = ErrorInfo{};
    const QString why = explain(tokenScopes, requiredScopes);
    event.error->message
        = event.error->message.isEmpty() ? why : event.error->message + QStringLiteral(" — ") + why;
    const QStringList lack = missing(tokenScopes, requiredScopes);
    if (!lack.isEmpty())
        event.error->details.append(
            {QStringLiteral("scope"), QStringLiteral("missing: ") + lack.join(u' ')});
}

} // namespace hd
