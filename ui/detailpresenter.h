#pragma once

// What the event detail pane shows (issue 22: out of MainWindow): the log's current row's
// event with the other attempts of its request, an event asked for by id (a notification's
// "Open in HealthDeck", an incident), and Ctrl+click comparison of two rows. Events come from
// EventLookup: memory first, else history read on the store's reader thread.

#include <QObject>
#include <QString>

class QWidget;

namespace hd {

class ErrorLogModel;
class EventDetailView;
class EventLookup;
class LogView;

class DetailPresenter : public QObject
{
    Q_OBJECT
public:
    // window: the comparison dialog's parent.
    DetailPresenter(LogView *view, ErrorLogModel *model, EventDetailView *detail,
                    EventLookup *lookup, QWidget *window);

    void showEvent(const QString &eventId);

signals:
    void statusMessage(const QString &text, int timeoutMs);

private:
    void onCurrentRowChanged();
    void compareRows(int selectedRow, int clickedRow);

    LogView *m_view;
    ErrorLogModel *m_model;
    EventDetailView *m_detail;
    EventLookup *m_lookup;
    QWidget *m_window;
    quint64 m_request = 0; // showEvent()'s newest question
};

} // namespace hd
