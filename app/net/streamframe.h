#pragma once

// One text frame of the seed 003 WebSocket protocol (SockJS framing), parsed:
//   "o"              the server opened the session
//   "h"              a server heartbeat
//   "a[…]"           an array of messages: answers {"s":status,"i":id,"d":…} and pushed
//                    events {"e":"md","d":…}
//   "c[code,"why"]"  the server closes the session
// Anything else, or an "a"/"c" frame whose JSON does not parse, is Malformed with a reason; the
// stream monitor turns it into an event and keeps the session.

#include <QString>

#include <nlohmann/json.hpp>

#include <vector>

namespace hd {

struct StreamFrame
{
    enum class Type { Open, Heartbeat, Messages, Close, Malformed };
    // Largest frame parsed; larger ones are Malformed rather than held and parsed.
    static constexpr qsizetype MaxFrameChars = 1024 * 1024;

    Type type = Type::Malformed;
    std::vector<nlohmann::json> messages; // Messages: every element, in order
    int closeCode = 0;                    // Close
    QString closeReason;                  // Close
    QString problem;                      // Malformed: what is wrong, one phrase

    static StreamFrame parse(const QString &text);

    // A message element that answers a request: an object with an integer "s" and an "i".
    static bool isResponse(const nlohmann::json &message);
    // A message element the server pushes: an object with an "e".
    static bool isPush(const nlohmann::json &message);
    // The request id of a response as text ("i" may be a number or a string).
    static QString requestId(const nlohmann::json &message);
};

} // namespace hd
