#pragma once

// A profile tells the classifier how one vendor family writes its errors (DESIGN §3).
// Profiles are data — resources/profiles/*.json, or a user's own file — never code paths.
// The file format is documented in docs/profiles.md.

#include "eventtypes.h"

#include <nlohmann/json.hpp>

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace hd {

// A rule over the parsed body: pointer plus one test.
struct BodyRule
{
    std::string pointer;
    enum class Test { Exists, Equals, NotEquals, NotIn, NonEmpty, EndsWith } test = Test::Exists;
    nlohmann::json value; // for Equals / NotEquals / EndsWith; array for NotIn
    std::string where;    // its place in the profile file ("/businessFailure/1"), for explain

    bool matches(const nlohmann::json &root) const;
    // "/errorText nonEmpty", for explanations.
    QString describe() const;
};

// One source of a field (code, message, type): the first source that yields text wins.
//  "/pointer"                                   the scalar at a pointer
//  {"when": {rule}, "value": "p-captcha"}       a constant when the rule matches
//  {"template": "{/title}[: {/detail}]"}        text with pointers; a [segment] is dropped when
//                                               one of its pointers is empty or its text is
//                                               already there; a required {pointer} that is
//                                               empty makes the whole template yield nothing
struct FieldSource
{
    enum class Kind { Pointer, Constant, Template } kind = Kind::Pointer;
    std::string pointer;
    std::optional<BodyRule> when;
    QString text;      // the constant, or the template
    std::string where; // "/fields/message/0", for explain

    std::optional<QString> evaluate(const nlohmann::json &root) const;
    QString describe() const;
};

// A delay the body states (Tradovate's p-time): wait this long before retrying.
struct BodyDelay
{
    std::string pointer;
    double unitMs = 1000; // "s" (default) or "ms"
};

// Where per-field error details live: an array of objects, or an object whose members are
// the details (seed 001's conflictingSignalId form).
struct DetailsSpec
{
    std::string pointer;
    std::vector<std::string> field; // pointers relative to each array item
    std::vector<std::string> message;
};

// Per-status semantics a vendor gives a code (tradovate 423/429).
struct StatusRule
{
    std::optional<Category> category;
    std::optional<RetryAction> action;
    std::optional<ErrorType> type;
    std::optional<bool> retryable;
    std::optional<qint64> delayMs;
    QString advice;
};

// Per vendor error code: its type, whether retrying can help, and what to do.
struct CodeRule
{
    std::optional<ErrorType> type;
    std::optional<bool> retryable;
    std::optional<RetryAction> action;
    std::optional<Category> category;
    QString advice;
    QString code;                   // headerCodes: the code to report ("14 UNAVAILABLE")
    std::optional<BodyDelay> delay; // "delayFrom": wait what the body says
};

// A header whose value is a code with its own table (grpc-status → gRPC status codes).
struct HeaderCodes
{
    QByteArray header;
    QByteArray messageHeader; // where the message is (grpc-message)
    bool percentDecode = false;
    QHash<QString, CodeRule> codes;
    std::string where;
};

struct DetectShape
{
    std::vector<std::string> allKeys; // top-level keys that must all be present
    std::vector<std::pair<std::string, std::string>> types;                // key → json type name
    std::vector<std::pair<std::string, std::vector<std::string>>> valueIn; // key → allowed values
};

struct Profile
{
    QString name;
    QString description;
    QString seed;
    QString origin; // "built-in" or the file path

    // auto detection
    int priority = 100; // lower runs first
    QStringList contentTypes;
    std::vector<DetectShape> shapes;

    // field extraction: first source that yields a non-empty scalar wins
    std::vector<FieldSource> code;
    std::vector<FieldSource> message;
    std::vector<FieldSource> type;
    std::vector<DetailsSpec> details;
    QStringList successValues; // code values that mean success (tradovate "Success")
    std::vector<std::pair<std::string, std::vector<std::string>>> identifiers; // name → pointers
    // name → response headers, in order of preference (traceparent and X-Cloud-Trace-Context
    // are read for their trace id part)
    std::vector<std::pair<std::string, std::vector<QByteArray>>> identifierHeaders;

    // generic search (the `generic` profile and fallback for any profile)
    bool search = false;
    std::vector<std::string> searchMessageKeys;
    std::vector<std::string> searchCodeKeys;

    std::vector<BodyRule> businessFailure; // any match on a 2xx → business_rejected
    std::vector<BodyRule> quotaExceeded;   // any match → rate_limited
    QHash<QString, ErrorType> typeMap;     // vendor error type → ours
    QHash<int, StatusRule> statusRules;
    QHash<QString, CodeRule> codes;
    std::vector<HeaderCodes> headerCodes;    // grpc-status and the like
    QHash<QString, CodeRule> authErrorCodes; // WWW-Authenticate error="…" (RFC 6750)

    // why: on a match, what matched ("content type application/problem+json",
    // "shape /detect/shapes/0 {errorText}").
    bool matchesContent(const QByteArray &contentType, const nlohmann::json *body,
                        QString *why = nullptr) const;
};

struct ProfileLoadResult
{
    std::optional<Profile> profile;
    QString error; // "<file>: <where>: <problem>"
};

class ProfileParser
{
public:
    // Larger files are refused before parsing: a real profile is a few kilobytes.
    static constexpr qsizetype MaxBytes = 4 * 1024 * 1024;
    static ProfileLoadResult parse(const QByteArray &text, const QString &origin);
};

} // namespace hd
