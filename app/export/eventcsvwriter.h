#pragma once

// events.csv: one row per event (RFC 4180 quoting), the columns a spreadsheet user filters
// on. Text cells that a spreadsheet would run as a formula (=, +, @, …) get a leading quote.

#include "apievent.h"

#include <QByteArray>

namespace hd {

class EventCsvWriter
{
public:
    static QByteArray header();
    static QByteArray row(const ApiEvent &event);
    static QByteArray cell(const QString &text);
    // True when a spreadsheet could take text for a formula (it then gets a leading ').
    static bool needsFormulaGuard(const QString &text);
};

} // namespace hd
