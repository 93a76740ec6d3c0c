#pragma once

// Command line of the end-to-end benches: --key VALUE or --key=VALUE, and flags (--quick).

#include <map>
#include <string>

namespace hd::bench {

class BenchArgs
{
public:
    BenchArgs(int argc, char **argv);

    bool has(const std::string &key) const { return m_values.count(key) > 0; }
    std::string text(const std::string &key, const std::string &fallback = {}) const;
    double number(const std::string &key, double fallback) const;
    // First argument that is not --key[=value]; empty when all were understood.
    const std::string &error() const { return m_error; }

private:
    std::map<std::string, std::string> m_values;
    std::string m_error;
};

} // namespace hd::bench
