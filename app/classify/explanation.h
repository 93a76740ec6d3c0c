#pragma once

// Why the classifier decided what it did (hdeck classify --explain, the console's detail
// pane): for each decision, the profile and the rule — a JSON pointer into the profile file
// ("tradovate:/businessFailure/1 (/ok = false)") or a built-in rule ("builtin:HTTP status 503 →
// unavailable"). Built only when asked for: explanations cost strings.

#include <QString>

#include <nlohmann/json.hpp>

namespace hd {

struct Explanation
{
    QString profile;  // which profile read the body, and why it was picked
    QString category; // the rule that decided the category
    QString code;     // where error.code came from (empty for a success)
    QString message;  // where error.message came from (empty for a success)
    QString retry;    // what decided the retry action and delay
    bool operator==(const Explanation &) const = default;

    // The "explain" member hdeck classify --explain adds to the event.
    nlohmann::ordered_json toJson() const
    {
        return {{"profile", profile.toStdString()},
                {"category", category.toStdString()},
                {"code", code.toStdString()},
                {"message", message.toStdString()},
                {"retry", retry.toStdString()}};
    }
};

} // namespace hd
