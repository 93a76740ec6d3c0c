#pragma once

// The detail pane: one event as an operator reads it during an incident — what happened, what
// to do (the seed's advice), the identifiers a support desk asks for, then request and response.

#include "apievent.h"

#include <QTextBrowser>

namespace hd {

class EventDetailView : public QTextBrowser
{
    Q_OBJECT
public:
    explicit EventDetailView(QWidget *parent = nullptr);
    void showEvent(const ApiEvent &event);
    void showNothing();
    static QString toHtml(const ApiEvent &event);
};

} // namespace hd
