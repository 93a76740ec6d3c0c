#pragma once

// Real HS256 JSON Web Tokens for the simulated OAuth2 and Tradovate token endpoints, so
// HealthDeck's token tracking decodes genuine exp/iat/sub/aud/scope claims.

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace hd {

class SimJwt
{
public:
    explicit SimJwt(QByteArray secret = {});

    void setSecret(const QByteArray &secret) { m_secret = secret; }

    QByteArray mint(const QString &subject, const QString &audience, const QStringList &scopes,
                    qint64 issuedAtS, qint64 lifetimeS) const;

    enum class Check { Valid, Missing, Malformed, BadSignature, Expired };
    // Verifies signature and expiry against nowS; on success claims holds the payload.
    Check verify(const QByteArray &token, qint64 nowS, QJsonObject *claims = nullptr) const;

    static QStringList scopes(const QJsonObject &claims);
    static const char *checkText(Check c);

private:
    QByteArray sign(const QByteArray &signingInput) const;

    QByteArray m_secret;
};

} // namespace hd
