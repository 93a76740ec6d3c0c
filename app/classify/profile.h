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

    bool matches(const nlohmann::json &root) const;
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

    // field extraction: first pointer that yields a non-empty scalar wins
    std::vector<std::string> code;
    std::vector<std::string> message;
    std::vector<std::string> type;
    std::vector<DetailsSpec> details;
    QStringList successValues; // code values that mean success (tradovate "Success")
    std::vector<std::pair<std::string, std::vector<std::string>>> identifiers; // name → pointers

    // generic search (the `generic` profile and fallback for any profile)
    bool search = false;
    std::vector<std::string> searchMessageKeys;
    std::vector<std::string> searchCodeKeys;

    std::vector<BodyRule> businessFailure; // any match on a 2xx → business_rejected
    std::vector<BodyRule> quotaExceeded;   // any match → rate_limited
    QHash<QString, ErrorType> typeMap;     // vendor error type → ours
    QHash<int, StatusRule> statusRules;
    QHash<QString, CodeRule> codes;

    bool matchesContent(const QByteArray &contentType, const nlohmann::json *body) const;
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
