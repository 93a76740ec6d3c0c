#pragma once

// Turning raw response bytes into something safe to look at: bounded JSON parsing (depth and
// size limits, so a hostile body cannot exhaust the stack or memory), a display copy capped at
// 64 KiB, and detection of binary bodies.

#include "htmltext.h"

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
    bool isXml = false;      // json holds the XML tree (XmlBody)
    bool hadBom = false;     // a UTF-8 byte-order mark was skipped
    QString charset;         // declared non-UTF-8 charset that was decoded
    QByteArray utf8;         // the body as UTF-8 when it was not already; else empty
    HtmlText::Headline html; // HTML pages: title or heading
};

class ResponseBody
{
public:
    static constexpr qsizetype DisplayCap = 64 * 1024;
    static constexpr qsizetype ParseCap = 16 * 1024 * 1024;
    static constexpr int MaxDepth = 256;

    // JSON (a UTF-8 BOM skipped, a declared charset such as ISO-8859-1, windows-1252 or
    // Shift_JIS decoded, whatever the content type says), XML as a JSON tree, HTML headline.
    static ParsedBody parse(const QByteArray &body, const QByteArray &contentType);
    // The charset parameter of a Content-Type, lower-cased; empty when absent.
    static QByteArray charsetOf(const QByteArray &contentType);
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
