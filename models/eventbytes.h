#pragma once

// Roughly how many bytes an ApiEvent holds in memory: the struct plus the UTF-16 payload of its
// strings (bodies, headers, messages). Queues and caches that keep whole events are bounded by
// this rather than by a count, since one event with a 64 KiB body weighs as much as a thousand
// small ones. An estimate (allocator overhead is ignored), but never an underestimate of the
// text, which is what a hostile server controls.

#include "apievent.h"

namespace hd {

qint64 approxEventBytes(const ApiEvent &event);

} // namespace hd
