#pragma once

// Classifier: (status, headers, body, network error, profile) → the classification part of an
// ApiEvent: outcome, category, error, identifiers, retry decision, rate limit, response.
// Pure and thread-safe: one instance may serve every worker thread.

#include "apievent.h"
#include "profileregistry.h"
#include "ratelimitheaders.h"

#include <QByteArray>

#include <memory>
#include <optional>

namespace hd {

struct ClassifyInput
{
    std::optional<int> status; // absent when no HTTP response arrived
    RawHeaders headers;
    QByteArray body;
    QString networkError; // a name NetworkErrors knows; empty when a response arrived
    QString profile = QStringLiteral("auto");
    qint64 nowMs = 0; // for HTTP-date Retry-After and epoch resets; 0 = system clock
};

class Classifier
{
public:
    explicit Classifier(std::shared_ptr<const ProfileRegistry> registry
                        = ProfileRegistry::shared());

    // Fills the classification fields of event (and its response); leaves id, time,
    // environment, endpoint, attempt, request and duration to the caller.
    void classify(const ClassifyInput &in, ApiEvent &event) const;
    ApiEvent classify(const ClassifyInput &in) const;

    const ProfileRegistry &profiles() const { return *m_registry; }
    // True for "auto" and any known profile name.
    bool knowsProfile(const QString &name) const;

private:
    std::shared_ptr<const ProfileRegistry> m_registry;
};

} // namespace hd
