#include "benchargs.h"

#include <cstdlib>

namespace hd::bench {

BenchArgs::BenchArgs(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) {
            if (m_error.empty())
                m_error = "unexpected argument '" + a + "'";
            continue;
        }
        a.erase(0, 2);
        if (const auto eq = a.find('='); eq != std::string::npos) {
            m_values[a.substr(0, eq)] = a.substr(eq + 1);
        } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
            m_values[a] = argv[++i];
        } else {
            m_values[a] = "1";
        }
    }
}

std::string BenchArgs::text(const std::string &key, const std::string &fallback) const
{
    const auto it = m_values.find(key);
    return it == m_values.end() ? fallback : it->second;
}

double BenchArgs::number(const std::string &key, double fallback) const
{
    const auto it = m_values.find(key);
    if (it == m_values.end())
        return fallback;
    char *end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    return end && *end == '\0' ? v : fallback;
}

} // namespace hd::bench
