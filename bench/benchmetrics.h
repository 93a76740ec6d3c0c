#pragma once

// The result file of an end-to-end bench program, as bench/run-all collects it:
//   {"bench": "<name>", "machine": {...}, "metrics": [{"name", "value", "unit",
//    "budget", "budget_op", "label"}]}   (budget, budget_op and label optional)
// and the same figures as one line each on stdout.

#include <optional>
#include <string>
#include <vector>

namespace hd::bench {

class BenchMetrics
{
public:
    explicit BenchMetrics(std::string bench);

    // name: stable identifier; label: what a reader sees in the report.
    void add(std::string name, double value, std::string unit, std::string label = {});
    void add(std::string name, double value, std::string unit, double budget, std::string budgetOp,
             std::string label = {});
    // Free-form facts about the configuration (endpoints, seconds, …), written as "config".
    void setConfig(const std::string &key, double value);
    void setConfig(const std::string &key, const std::string &value);

    // Prints every metric to stdout; writes the JSON when path is not empty. False on an I/O
    // error (reported on stderr).
    bool finish(const std::string &jsonPath) const;

private:
    struct Metric
    {
        std::string name;
        double value;
        std::string unit;
        std::optional<double> budget;
        std::string budgetOp;
        std::string label;
    };
    std::string m_bench;
    std::vector<Metric> m_metrics;
    std::vector<std::pair<std::string, std::string>> m_textConfig;
    std::vector<std::pair<std::string, double>> m_numberConfig;
};

} // namespace hd::bench
