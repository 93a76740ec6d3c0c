#pragma once

// The one way HealthDeck parses JSON that it did not write itself in this process: workspace
// files, profiles, event files, response bodies, stream frames. Nothing here throws, and no
// input can exhaust the stack:
//  - nesting is checked by a linear scan BEFORE a DOM is built, so neither nlohmann's parser
//    nor the recursive code that walks the result (copy, dump, compare) ever sees more than
//    maxDepth levels;
//  - every parse problem (syntax, a number too large for a double, depth, size) comes back as
//    a position and a short reason, ready for the one-line message of DESIGN §5.

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>

namespace hd {

struct SafeJsonLimits
{
    // Deep enough for any real workspace, profile, event or API body; shallow enough that
    // recursion over the DOM stays far from the stack limit of any thread.
    std::size_t maxDepth = 64;
    qsizetype maxBytes = 16 * 1024 * 1024;
};

struct SafeJsonError
{
    std::size_t byte = 0; // 1-based offset of the problem (as nlohmann reports); 0 = whole input
    QString reason;       // empty for a plain syntax error
    bool tooLarge = false;
};

// Byte offset (1-based) of the first bracket that opens level maxDepth + 1, or 0 when the text
// never nests deeper than maxDepth. Brackets inside strings do not count.
std::size_t jsonDepthViolation(const char *begin, const char *end, std::size_t maxDepth);

namespace detail {

template<typename Json>
class ErrorRecordingDomParser : public nlohmann::detail::json_sax_dom_parser<Json>
{
public:
    ErrorRecordingDomParser(Json &result, SafeJsonError &error)
        : nlohmann::detail::json_sax_dom_parser<Json>(result, false)
        , m_error(error)
    {}

    template<class Exception>
    bool parse_error(std::size_t position, const std::string &, const Exception &ex)
    {
        m_error.byte = position;
        // A number too large for a double is the only non-syntax problem nlohmann reports;
        // keep its own words ("number overflow parsing '1e999'") minus the "[json.exception…]".
        if (ex.id == 406) {
            std::string what = ex.what();
            if (const auto close = what.find("] "); close != std::string::npos)
                what.erase(0, close + 2);
            m_error.reason = QString::fromStdString(what);
        }
        nlohmann::detail::json_sax_dom_parser<Json>::parse_error(position, {}, ex);
        return false;
    }

private:
    SafeJsonError &m_error;
};

} // namespace detail

// Parses [begin, end) into out. Returns true on success; otherwise out is discarded/null and
// error says where and why.
template<typename Json>
bool safeJsonParse(const char *begin, const char *end, Json &out, SafeJsonError &error,
                   const SafeJsonLimits &limits = {})
{
    error = {};
    out = Json();
    if (end - begin > limits.maxBytes) {
        error.tooLarge = true;
        error.reason = QStringLiteral("larger than %1 bytes").arg(limits.maxBytes);
        return false;
    }
    if (const std::size_t at = jsonDepthViolation(begin, end, limits.maxDepth)) {
        error.byte = at;
        error.reason = QStringLiteral("nested deeper than %1 levels").arg(limits.maxDepth);
        return false;
    }
    try {
        detail::ErrorRecordingDomParser<Json> sax(out, error);
        const bool ok = Json::sax_parse(begin, end, &sax);
        if (!ok || out.is_discarded()) {
            out = Json();
            if (error.byte == 0)
                error.byte = std::size_t(end - begin) + 1;
            return false;
        }
        return true;
    } catch (const std::exception &ex) {
        // Not expected (allow_exceptions is off), but nothing may escape a parser of untrusted
        // input: bad_alloc on a hostile size, or a library version that throws after all.
        out = Json();
        error.byte = 0;
        error.reason = QString::fromUtf8(ex.what());
        return false;
    }
}

template<typename Json>
bool safeJsonParse(const QByteArray &text, Json &out, SafeJsonError &error,
                   const SafeJsonLimits &limits = {})
{
    return safeJsonParse(text.constBegin(), text.constEnd(), out, error, limits);
}

// Convenience for bodies and frames where only "JSON or not" matters: a discarded value when the
// text is not JSON or breaks a limit.
template<typename Json>
Json safeJsonParseOrDiscarded(const char *begin, const char *end, const SafeJsonLimits &limits = {})
{
    Json out;
    SafeJsonError error;
    if (!safeJsonParse(begin, end, out, error, limits))
        return Json(nlohmann::detail::value_t::discarded);
    return out;
}

// "<origin>:<line>:<column>: not valid JSON[: reason]" (or "<origin>: reason" for the whole
// input), with line:column computed from error.byte in text.
QString safeJsonMessage(const QString &origin, const QByteArray &text, const SafeJsonError &error);

} // namespace hd
