#pragma once

// Classifier: (status, headers, body, network error, profile) → the classification part of an
// ApiEvent: outcome, category, error, identifiers, retry decision, rate limit, response.
// Pure and thread-safe: one instance may serve every worker thread.

#include "apievent.h"
#include "explanation.h"
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
    // What the engine observed about a connection error, in words ("closed by the server before
    // any response byte, on a fresh connection"); becomes error.message when set.
    QString networkErrorDetail;
};

class Classifier
{
public:
    explicit Classifier(std::shared_ptr<const ProfileRegistry> registry
                        = ProfileRegistry::shared());

    // Fills the classification fields of event (and its response); leaves id, time,
    // environment, endpoint, attempt, request and duration to the caller.
    // why, when given, says which profile and which rule decided category, code, message and
    // retry (built only then: explanations cost strings).
    void classify(const ClassifyInput &in, ApiEvent &event, Explanation *why = nullptr) const;
    ApiEvent classify(const ClassifyInput &in, Explanation *why = nullptr) const;

    const ProfileRegistry &profiles() const { return *m_registry; }
    // True for "auto" and any known profile name.
    bool knowsProfile(const QString &name) const;

private:
    std::shared_ptr<const ProfileRegistry> m_registry;
};

} // namespace hd
