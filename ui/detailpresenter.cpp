#include "detailpresenter.h"

#include "errorlogmodel.h"
#include "eventcompare.h"
#include "eventdetailview.h"
#include "eventlookup.h"
#include "logview.h"

#include <QItemSelectionModel>

namespace hd {

DetailPresenter::DetailPresenter(LogView *view, ErrorLogModel *model, EventDetailView *detail,
                                 EventLookup *lookup, QWidget *window)
    : QObject(window)
    , m_view(view)
    , m_model(model)
    , m_detail(detail)
    , m_lookup(lookup)
    , m_window(window)
{
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DetailPresenter::onCurrentRowChanged);
    connect(view, &LogView::compareRequested, this,
            [this](const QModelIndex &a, const QModelIndex &b) { compareRows(a.row(), b.row()); });
}

void DetailPresenter::onCurrentRowChanged()
{
    ++m_request; // an event opened by id and still being read is no longer wanted
    const QModelIndex current = m_view->currentIndex();
    if (!current.isValid()) {
        m_lookup->cancelNeighbours();
        m_detail->showNothing();
        return;
    }
    const int row = current.row();
    EventLookup::Place place;
    place.id = m_model->eventId(row);
    place.timeMs = m_model->index(row, 0).data(ErrorLogModel::TimeMsRole).toLongLong();
    place.endpoint = m_model->index(row, ErrorLogModel::Endpoint).data().toString();
    place.environment = m_model->index(row, ErrorLogModel::Environment).data().toString();
    if (!m_lookup->find(place.id))
        m_detail->setHtml(tr("<p>Reading this event from history…</p>"));
    m_lookup->withNeighbours(place, this,
                             [this](std::optional<ApiEvent> e, QList<ApiEvent> near, QString why) {
                                 if (e)
                                     m_detail->showApiEvent(*e, near);
                                 else
                                     m_detail->setHtml(u"<p>" + why.toHtmlEscaped() + u"</p>");
                             });
}

void DetailPresenter::compareRows(int selectedRow, int clickedRow)
{
    const QStringList ids{m_model->eventId(selectedRow), m_model->eventId(clickedRow)};
    m_lookup->lookup(ids, this, [this](const QList<ApiEvent> &events, const QStringList &) {
        if (events.size() != 2) {
            emit statusMessage(tr("Cannot compare: one of the two events is neither in memory "
                                  "nor in this session's history."),
                               8000);
            return;
        }
        auto *dialog = new EventCompareDialog(m_window);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setEvents(events[0], events[1]);
        dialog->show();
    });
}

void DetailPresenter::showEvent(const QString &eventId)
{
    // The newest question wins: a row read still pending is void, and so is this answer once
    // the user picks a row before it arrives.
    m_lookup->cancelNeighbours();
    const quint64 request = ++m_request;
    if (!m_lookup->find(eventId))
        m_detail->setHtml(tr("<p>Reading this event from history…</p>"));
    m_lookup->lookup(
        {eventId}, this, [this, request](const QList<ApiEvent> &events, const QStringList &) {
            if (request != m_request)
                return;
            if (events.isEmpty())
                m_detail->setHtml(tr("<p>This event is no longer in memory or in this session's "
                                     "history; find it in the error log.</p>"));
            else
                m_detail->showApiEvent(events.first(), m_lookup->recentOf(events.first()));
        });
}

} // namespace hd
