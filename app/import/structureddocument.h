#pragma once

// JSON or YAML text → nlohmann::json, for importers of untrusted files. JSON goes through
// nlohmann, YAML through yaml-cpp (anchors and aliases resolved, "<<" merge keys applied).
// Both are bounded: nesting deeper than ImportMaxDepth and YAML whose aliases expand beyond
// a node budget (a "billion laughs" file) are refused with ImportError, never a crash.

#include <QByteArray>

#include <nlohmann/json.hpp>

namespace hd {

class StructuredDocument
{
public:
    // Throws ImportError ("line L:C", "not valid JSON/YAML …").
    static nlohmann::json parse(const QByteArray &text);
    static nlohmann::json parseJson(const QByteArray &text);
    static nlohmann::json parseYaml(const QByteArray &text);
    static constexpr int MaxNodes = 500'000;
};

} // namespace hd
