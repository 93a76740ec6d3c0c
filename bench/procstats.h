#pragma once

// Process figures for the end-to-end benches (Linux /proc and getrusage).

#include <sys/types.h>

namespace hd::bench {

// User + system CPU of this process so far, in seconds.
double processCpuSeconds();
// User + system CPU of another process (from /proc/PID/stat), in seconds; -1 if unreadable.
double processCpuSeconds(pid_t pid);
// Resident set size now and at its peak (VmRSS, VmHWM), in bytes; 0 if unreadable.
long long residentBytes();
long long peakResidentBytes();

} // namespace hd::bench
