#pragma once

// A small token issuer and protected API on 127.0.0.1 (port 0) for the auth tests: OAuth2
// client credentials (form POST /oauth/token), a Tradovate-style access-token request and its
// renewal (/auth/accesstokenrequest, /auth/renewaccesstoken), and /api/* routes that accept
// only tokens it issued and has not revoked. JWTs are real in shape (the signature is junk:
// HealthDeck never verifies). Everything it issued is kept so tests can look for leaks.

#include "clock.h"

#include <QHash>
#include <QJsonObject>
#include <QStringList>
#include <QTcpServer>

class QTcpSocket;

namespace hd::test {

class TokenTestServer : public QTcpServer
{
    Q_OBJECT
public:
    static constexpr const char *ClientId = "hd-client";
    static constexpr const char *ClientSecret = "s3cr3t+&=value-never-logged";
    static constexpr const char *UserName = "hd-user";
    static constexpr const char *Password = "pa55word-never-logged";
    static constexpr const char *Sec = "sec-8d7f6e5d-never-logged";

    explicit TokenTestServer(QObject *parent = nullptr);
    bool start();
    QString url(const QString &path) const;

    void setLifetimeS(int s) { m_lifetimeS = s; }
    void setScopes(const QStringList &scopes) { m_scopes = scopes; }
    // The token endpoints answer with this status and an OAuth2 error body (0: normally).
    void setTokenFailure(int status) { m_tokenFailure = status; }
    void setTokenDelayMs(int ms) { m_tokenDelayMs = ms; }
    // Seconds the server's Date header is ahead of real time.
    void setDateSkewS(int s) { m_dateSkewS = s; }
    // The server's time (Date header, iat/exp, expiry checks); default the system clock. A
    // test shares its ManualClock with the engine so tokens expire on the same clock.
    void setClock(const Clock &clock) { m_clock = &clock; }
    // Reject tokens past their exp (the server's clock) with 401.
    void setCheckExpiry(bool on) { m_checkExpiry = on; }
    // The renewal call answers 401 whatever the token (a token past renewing).
    void setRefuseRenewal(bool on) { m_refuseRenewal = on; }
    void revokeAll() { m_revoked += m_issued; }
    // Tradovate's penalty: the access-token request is answered {"p-ticket", "p-time",
    // "p-captcha"} until a request carries the ticket (with captcha: always).
    void setPenalty(int pTimeS, bool captcha)
    {
        m_penaltyS = pTimeS;
        m_captcha = captcha;
    }
    static constexpr const char *Ticket = "ticket-7b1e-never-logged";

    int tokenRequests() const { return m_tokenRequests; }
    int renewals() const { return m_renewals; }
    int apiRequests() const { return m_apiRequests; }
    int unauthorized() const { return m_unauthorized; }
    QStringList issuedTokens() const { return m_issued; }
    QHash<QString, QString> lastForm() const { return m_lastForm; }
    QJsonObject lastJson() const { return m_lastJson; }
    QByteArray lastContentType() const { return m_lastContentType; }

protected:
    void incomingConnection(qintptr handle) override;

private:
    void onReadyRead(QTcpSocket *socket);
    QByteArray handle(const QByteArray &method, const QByteArray &path,
                      const QHash<QByteArray, QByteArray> &headers, const QByteArray &body,
                      int *delayMs);
    QString mint(const QString &subject, const QString &audience);
    QByteArray reply(int status, const QByteArray &body) const;
    bool accepted(const QByteArray &authorization, QStringList *scopes) const;

    int m_lifetimeS = 60;
    QStringList m_scopes{QStringLiteral("read:orders")};
    int m_tokenFailure = 0;
    int m_tokenDelayMs = 0;
    int m_dateSkewS = 0;
    bool m_checkExpiry = false;
    bool m_refuseRenewal = false;
    int m_penaltyS = -1;
    bool m_captcha = false;
    int m_tokenRequests = 0;
    int m_renewals = 0;
    int m_apiRequests = 0;
    int m_unauthorized = 0;
    int m_serial = 0;
    const Clock *m_clock = &Clock::system();
    QStringList m_issued;
    QStringList m_revoked;
    QHash<QString, qint64> m_expiry; // token → expiry on the server's clock (ms)
    QHash<QString, QStringList> m_tokenScopes;
    QHash<QString, QString> m_lastForm;
    QJsonObject m_lastJson;
    QByteArray m_lastContentType;
};

} // namespace hd::test
