#pragma once

// XML error bodies (S3-style <Error><Code>…, AWS <ErrorResponse>, SOAP 1.1/1.2 faults) turned
// into a JSON tree, so profiles read them with the same JSON pointers as JSON bodies:
//   <Error><Code>NoSuchKey</Code><RequestId>R1</RequestId></Error>
//   → {"Error": {"Code": "NoSuchKey", "RequestId": "R1"}}
// Element names lose their namespace prefix (soap:Fault → Fault); an element holding only text
// becomes a string; repeated siblings become an array; attributes are dropped. Read with
// QXmlStreamReader (no regular expressions, no external entities) under hard limits.

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QString>

#include <optional>

namespace hd {

class XmlBody
{
public:
    static constexpr int MaxDepth = 32;
    static constexpr int MaxElements = 4096;
    static constexpr qsizetype MaxText = 16 * 1024;

    // The tree of a well-formed XML document, or nullopt (not XML, malformed, over a limit).
    static std::optional<nlohmann::json> toJson(const QByteArray &body);
    // The same for text already decoded (a charset from the Content-Type header).
    static std::optional<nlohmann::json> toJson(const QString &text);
};

} // namespace hd
