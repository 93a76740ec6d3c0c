#pragma once

// JSON (de)serialisation of ApiEvent as healthdeck.event/1. Lossless: fromJson(toJson(e)) == e.

#include "apievent.h"

#include <nlohmann/json.hpp>

#include <QByteArray>
#include <QString>

namespace hd {

using OrderedJson = nlohmann::ordered_json;

OrderedJson toJson(const ApiEvent &event);
// One compact JSON line without the trailing newline.
QByteArray toJsonLine(const ApiEvent &event);

struct EventParseResult
{
    std::optional<ApiEvent> event;
    QString error; // set when event is empty: what was wrong, and where
};

EventParseResult eventFromJson(const OrderedJson &j);
EventParseResult eventFromJsonText(const QByteArray &text);

// Helpers shared by the serialisers.
inline std::string toStd(const QString &s)
{
    return s.toStdString();
}
inline QString fromStd(const std::string &s)
{
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}

} // namespace hd
