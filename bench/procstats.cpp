#include "procstats.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace hd::bench {

namespace {

long long statusField(const char *key)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(key);
    while (std::getline(in, line)) {
        if (line.compare(0, n, key) == 0)
            return std::atoll(line.c_str() + n) * 1024; // "VmRSS:   1234 kB"
    }
    return 0;
}

} // namespace

double processCpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
           + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double processCpuSeconds(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat;
    if (!std::getline(in, stat))
        return -1;
    // Fields after the command name (which may contain spaces) end at the last ')'.
    const std::size_t close = stat.rfind(')');
    if (close == std::string::npos)
        return -1;
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    // state(3) … utime(14) stime(15): skip 11 fields after the name.
    for (int i = 3; i < 14; ++i)
        rest >> field;
    long long utime = 0, stime = 0;
    rest >> utime >> stime;
    return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

long long residentBytes()
{
    return statusField("VmRSS:");
}

long long peakResidentBytes()
{
    return statusField("VmHWM:");
}

} // namespace hd::bench
