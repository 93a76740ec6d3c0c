#pragma once

// Turning raw response bytes into something safe to look at: bounded JSON parsing (depth and
// size limits, so a hostile body cannot exhaust the stack or memory), a display copy capped at
// 64 KiB, and detection of binary bodies.

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QString>

#include <optional>

namespace hd {

struct ParsedBody
{
    std::optional<nlohmann::json> json; // set when the body is JSON within limits
    QString problem;                    // why JSON parsing was skipped or failed (empty if fine)
    bool looksLikeJson = false;
    bool isBinary = false;
    bool isHtml = false;
};

class ResponseBody
{
public:
    static constexpr qsizetype DisplayCap = 64 * 1024;
    static constexpr qsizetype ParseCap = 16 * 1024 * 1024;
    static constexpr int MaxDepth = 256;

    static ParsedBody parse(const QByteArray &body, const QByteArray &contentType);
    // The body as text for display/storage: capped at DisplayCap bytes on a UTF-8 boundary,
    // invalid UTF-8 replaced; binary bodies described instead of copied.
    static QString displayText(const QByteArray &body, bool isBinary);
    static bool looksBinary(const QByteArray &body);
    // Nesting depth of JSON-like text (brackets outside strings); stops counting past limit.
    static int nestingDepth(const QByteArray &text, int limit);
};

// JSON helpers used by profiles.
const nlohmann::json *jsonAt(const nlohmann::json &root, const std::string &pointer);
// Scalar rendered as text: strings as-is, numbers and booleans as JSON; others empty.
std::optional<QString> jsonScalarText(const nlohmann::json &v);

} // namespace hd
