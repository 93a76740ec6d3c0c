#pragma once

// tls-certificates.json of a support bundle: for every endpoint that answered over TLS, the
// newest certificate facts seen in the bundle's events — protocol, leaf subject, issuer,
// not-after, days left when seen, chain problems and the chain's names and dates. Certificates
// are public; no key, no PEM and no request data is written.

#include "apievent.h"

#include <QByteArray>
#include <QList>

namespace hd {

class TlsChainSummary
{
public:
    // events: oldest first. An empty "endpoints" array when no event carried TLS facts.
    static QByteArray json(const QList<ApiEvent> &events);
};

} // namespace hd
