#include "benchmetrics.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>

namespace hd::bench {

BenchMetrics::BenchMetrics(std::string bench)
    : m_bench(std::move(bench))
{}

void BenchMetrics::add(std::string name, double value, std::string unit, std::string label)
{
    m_metrics.push_back(
        {std::move(name), value, std::move(unit), std::nullopt, {}, std::move(label)});
}

void BenchMetrics::add(std::string name, double value, std::string unit, double budget,
                       std::string budgetOp, std::string label)
{
    m_metrics.push_back(
        {std::move(name), value, std::move(unit), budget, std::move(budgetOp), std::move(label)});
}

void BenchMetrics::setConfig(const std::string &key, double value)
{
    m_numberConfig.emplace_back(key, value);
}

void BenchMetrics::setConfig(const std::string &key, const std::string &value)
{
    m_textConfig.emplace_back(key, value);
}

bool BenchMetrics::finish(const std::string &jsonPath) const
{
    nlohmann::json doc;
    doc["bench"] = m_bench;
    nlohmann::json config = nlohmann::json::object();
    for (const auto &[k, v] : m_numberConfig)
        config[k] = v;
    for (const auto &[k, v] : m_textConfig)
        config[k] = v;
    doc["config"] = config;
    nlohmann::json metrics = nlohmann::json::array();
    for (const Metric &m : m_metrics) {
        nlohmann::json j{{"name", m.name}, {"value", m.value}, {"unit", m.unit}};
        if (!m.label.empty())
            j["label"] = m.label;
        if (m.budget) {
            j["budget"] = *m.budget;
            j["budget_op"] = m.budgetOp;
        }
        metrics.push_back(std::move(j));
        std::printf("%-40s %14.3f %s%s\n", m.name.c_str(), m.value, m.unit.c_str(),
                    m.budget ? (std::string("   (budget ") + m.budgetOp + " "
                                + std::to_string(*m.budget) + ")")
                                   .c_str()
                             : "");
    }
    doc["metrics"] = metrics;
    if (jsonPath.empty())
        return true;
    std::ofstream out(jsonPath);
    out << doc.dump(2) << '\n';
    out.close();
    if (!out) {
        std::fprintf(stderr, "cannot write %s\n", jsonPath.c_str());
        return false;
    }
    return true;
}

} // namespace hd::bench
