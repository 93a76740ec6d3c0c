#include "logpane.h"

#include "errorlogmodel.h"
#include "filtercompleter.h"
#include "logview.h"
#include "theme.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace hd {

LogPane::LogPane(ErrorLogModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("logPane"));
    m_filter = new QLineEdit;
    m_filter->setObjectName(QStringLiteral("logFilter"));
    m_filter->setPlaceholderText(
        tr("Filter (Ctrl+F): text, status:5xx, category:rate_limited, env:prod, endpoint:orders*, "
           "code:…, trace:…, since:15m, -negated"));
    m_filter->setClearButtonEnabled(true);
    m_completer = new FilterCompleter(m_filter);
    m_filterError = new QLabel;
    m_filterError->setObjectName(QStringLiteral("logFilterError"));
    m_filterError->setWordWrap(true);
    m_filterError->hide();

    m_follow = new QToolButton;
    m_follow->setObjectName(QStringLiteral("logFollow"));
    m_follow->setText(tr("Follow"));
    m_follow->setCheckable(true);
    m_follow->setChecked(true);
    m_follow->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_follow->setToolTip(tr("On: the log shows new events as they arrive whenever you are not "
                            "looking at it (pointer away, nothing selected, scrolled to the "
                            "newest). Off: the log stays where it is."));

    m_newEvents = new QPushButton;
    m_newEvents->setObjectName(QStringLiteral("logNewEvents"));
    m_newEvents->setFlat(true);
    m_newEvents->setCursor(Qt::PointingHandCursor);
    m_newEvents->setToolTip(tr("The log holds still while you look at it. Click (or press Home "
                               "in the log) to show the newest events."));
    m_newEvents->hide();

    m_view = new LogView;
    m_view->setObjectName(QStringLiteral("errorLog"));
    m_view->setModel(model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(true);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(ErrorLogModel::Message, QHeaderView::Stretch);
    const QList<std::pair<int, int>> widths{
        {ErrorLogModel::Time, 178},     {ErrorLogModel::Environment, 58},
        {ErrorLogModel::Endpoint, 165}, {ErrorLogModel::Status, 50},
        {ErrorLogModel::Category, 115}, {ErrorLogModel::Code, 80},
        {ErrorLogModel::Trace, 90},     {ErrorLogModel::Duration, 50},
        {ErrorLogModel::Attempt, 34}};
    for (const auto &[column, width] : widths)
        m_view->setColumnWidth(column, width);
    // Newest first: during an incident the latest failure is what matters.
    m_view->sortByColumn(ErrorLogModel::Time, Qt::DescendingOrder);
    // Never shorter than a handful of rows, whatever the detail pane below asks for.
    m_view->setMinimumHeight(m_view->verticalHeader()->defaultSectionSize() * 6
                             + m_view->horizontalHeader()->sizeHint().height());

    connect(m_follow, &QToolButton::toggled, m_view, &LogView::setFollowEnabled);
    connect(m_newEvents, &QPushButton::clicked, m_view, [this] {
        m_view->jumpToLive();
        m_view->setFocus();
    });
    connect(m_view, &LogView::stateChanged, this, &LogPane::updateLiveState);
    m_filterDebounce = new QTimer(this);
    m_filterDebounce->setSingleShot(true);
    m_filterDebounce->setInterval(150);
    connect(m_filter, &QLineEdit::textChanged, m_filterDebounce, qOverload<>(&QTimer::start));
    connect(m_filterDebounce, &QTimer::timeout, this, &LogPane::applyFilter);

    auto *filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(0, 0, 0, 0);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_follow);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(filterRow);
    layout->addWidget(m_filterError);
    layout->addWidget(m_newEvents);
    layout->addWidget(m_view, 1);
}

void LogPane::setFilterError(const QString &message)
{
    if (message.isEmpty()) {
        m_filterError->hide();
        m_filter->setStyleSheet(QString());
        return;
    }
    m_filterError->setText(message);
    const QString colour = Theme::errorText().name();
    m_filterError->setStyleSheet(QStringLiteral("color: %1;").arg(colour));
    m_filterError->show();
    m_filter->setStyleSheet(QStringLiteral("border: 1px solid %1;").arg(colour));
}

void LogPane::applyFilter()
{
    m_filterDebounce->stop();
    setFilterError(m_model->setFilterText(m_filter->text()) ? QString() : m_model->errorMessage());
}

void LogPane::focusFilter()
{
    m_filter->setFocus(Qt::ShortcutFocusReason);
    m_filter->selectAll();
}

void LogPane::clearFilter()
{
    m_filter->clear();
    applyFilter();
}

bool LogPane::selectFailure(int direction)
{
    const int rows = m_model->rowCount();
    const QModelIndex current = m_view->currentIndex();
    const int start = current.isValid() ? current.row() : (direction > 0 ? -1 : rows);
    for (int r = start + direction; r >= 0 && r < rows; r += direction) {
        if (m_model->index(r, 0).data(ErrorLogModel::CategoryRole).toString() != u"ok") {
            m_view->setCurrentIndex(m_model->index(r, 0));
            m_view->scrollTo(m_model->index(r, 0));
            return true;
        }
    }
    return false;
}

void LogPane::updateLiveState()
{
    const int n = m_view->newCount();
    const bool show = !m_view->isFollowing() && n > 0;
    if (show)
        m_newEvents->setText(n == 1 ? tr("▲ 1 new event — show the newest")
                                    : tr("▲ %1 new events — show the newest").arg(n));
    m_newEvents->setVisible(show);
    m_follow->setText(m_view->isFollowing() || !m_view->followEnabled() ? tr("Follow")
                                                                        : tr("Follow (held)"));
}

} // namespace hd
