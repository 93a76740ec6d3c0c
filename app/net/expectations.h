#pragma once

// An endpoint's expectations (accepted statuses, a JSON-pointer condition on the body, a
// latency limit) turn an otherwise successful response into a failure the operator asked for.

#include "apievent.h"
#include "workspace.h"

namespace hd {

// Downgrades a successful event to business_rejected (code "expectation_failed") when it does
// not meet the expectation. Failed events are left as the classifier made them.
void applyExpectations(const Expectation &expect, ApiEvent &event);

} // namespace hd
