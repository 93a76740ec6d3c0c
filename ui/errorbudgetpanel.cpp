#include "errorbudgetpanel.h"

#include "alertengine.h"
#include "monitorsession.h"
#include "slotracker.h"
#include "theme.h"

#include <QApplication>
#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QStackedWidget>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace hd {

namespace {

constexpr int BudgetRole = Qt::UserRole + 1; // double: the share of the budget left
constexpr double FastBurn = 14.4;            // the burn_rate rule's pairs (docs/slo.md)
constexpr double SlowBurn = 6.0;

// Bar colours that read on the light and the dark palette.
QColor budgetColor(double left)
{
    const bool dark = Theme::isDark();
    if (left < 0.10)
        return dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
    if (left < 0.50)
        return dark ? QColor(0xff, 0xb3, 0x00) : QColor(0xe0, 0x8a, 0x00);
    return dark ? QColor(0x66, 0xbb, 0x6a) : QColor(0x2e, 0x7d, 0x32);
}

// The budget left as a bar with its percentage beside it; an overspent budget is a hatched
// red bar, so it differs from "just under 10 %" without relying on colour alone.
class BudgetBarDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *p, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        const QString text = opt.text;
        // Selection and alternating background as the style draws them; the text goes beside
        // the bar, not under it.
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, p, widget);
        const QVariant v = index.data(BudgetRole);
        if (!v.isValid())
            return;
        const double left = v.toDouble();
        const QRect cell = option.rect.adjusted(6, 0, -6, 0);
        const int textWidth
            = std::max(option.fontMetrics.horizontalAdvance(QStringLiteral("100 % left")),
                       option.fontMetrics.horizontalAdvance(text))
              + 12;
        const int barHeight = std::min(12, cell.height() - 8);
        QRect bar(cell.left(), cell.center().y() - barHeight / 2 + 1,
                  std::max(24, cell.width() - textWidth), barHeight);
        p->save();
        p->setRenderHint(QPainter::Antialiasing);
        const QPalette &pal = option.palette;
        QColor track = pal.color(QPalette::Mid);
        track.setAlpha(90);
        p->setPen(Qt::NoPen);
        p->setBrush(track);
        p->drawRoundedRect(bar, 3, 3);
        const QColor fill = budgetColor(left);
        if (left <= 0) {
            p->setBrush(QBrush(fill, Qt::BDiagPattern));
            p->setPen(QPen(fill, 1));
            p->drawRoundedRect(QRectF(bar).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
        } else {
            QRect filled = bar;
            filled.setWidth(std::max(3, int(std::round(bar.width() * std::min(1.0, left)))));
            p->setBrush(fill);
            p->drawRoundedRect(filled, 3, 3);
        }
        const bool selected = option.state & QStyle::State_Selected;
        p->setPen(selected      ? pal.color(QPalette::HighlightedText)
                  : left < 0.10 ? Theme::errorText()
                                : pal.color(QPalette::Text));
        const QRect textRect(bar.right() + 8, cell.top(), cell.right() - bar.right() - 8,
                             cell.height());
        p->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, text);
        p->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize s = QStyledItemDelegate::sizeHint(option, index);
        s.setWidth(std::max(s.width(), 200));
        return s;
    }
};

QString percent(double share, int decimals)
{
    return QStringLiteral("%1 %").arg(QLocale().toString(share * 100.0, 'f', decimals));
}

QString burnText(double burn)
{
    if (burn <= 0)
        return QStringLiteral("0");
    return QLocale().toString(burn, 'f', burn < 10 ? 2 : 1);
}

QString whereText(const Slo &slo)
{
    return slo.scope.isEmpty() || slo.scope == u"*" ? ErrorBudgetPanel::tr("all requests")
                                                    : slo.scope;
}

QString periodText(int days)
{
    return days == 30 ? ErrorBudgetPanel::tr("30 d (a month)")
                      : ErrorBudgetPanel::tr("%1 d").arg(days);
}

bool ruleWatches(const AlertRule &r, const Slo &slo)
{
    return r.kind == u"burn_rate"
           && (r.scope.isEmpty() || r.scope == u"*" || r.scope == slo.id || r.scope == slo.scope);
}

QTableWidgetItem *cell(QTableWidget *table, int row, int column)
{
    QTableWidgetItem *item = table->item(row, column);
    if (!item) {
        item = new QTableWidgetItem;
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        table->setItem(row, column, item);
    }
    return item;
}

void setCell(QTableWidget *table, int row, int column, const QString &text,
             const QString &toolTip = {}, Qt::Alignment align = Qt::AlignLeft | Qt::AlignVCenter)
{
    QTableWidgetItem *item = cell(table, row, column);
    if (item->text() != text)
        item->setText(text);
    if (item->toolTip() != toolTip)
        item->setToolTip(toolTip);
    item->setTextAlignment(align);
}

} // namespace

ErrorBudgetPanel::ErrorBudgetPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("errorBudgetPanel"));

    m_empty = new QLabel;
    m_empty->setObjectName(QStringLiteral("errorBudgetEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setTextFormat(Qt::RichText);
    m_empty->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_empty->setContentsMargins(12, 10, 12, 10);
    m_empty->setText(
        tr("<p><b>No workspace is running, so there is no error budget to show.</b></p>"
           "<p>An <b>SLO</b> (service level objective) says what share of the requests in a "
           "scope must succeed over a rolling period — for example 99 % of all requests over "
           "30 days, which is what seed 002 calls normal. Its <b>error budget</b> is the "
           "failures that share leaves room for; the <b>burn rate</b> says how fast the budget "
           "goes (at 1 it lasts exactly the period, at 14.4 a month's budget is gone in two "
           "days).</p>"
           "<p>Every workspace gets the built-in <i>error-rate</i> SLO (99 % of all requests over "
           "30 days) unless it declares one on \"*\"; add your own under <code>slos</code> in the "
           "workspace file, and a <code>burn_rate</code> alert rule to be told when a budget "
           "burns too fast. See <b>docs/slo.md</b>.</p>"));

    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("errorBudgetNote"));
    m_note->setWordWrap(true);
    m_note->setContentsMargins(4, 2, 4, 2);
    m_note->setText(tr("Counted over each SLO's period from the history (a restart carries on "
                       "where the last run stopped), leaving out maintenance windows and closed "
                       "trading hours. A burn_rate "
                       "alert fires fast (critical) when the 1 h and 5 min burn rates reach 14.4, "
                       "slow (warning) when the 6 h and 30 min ones reach 6. See docs/slo.md."));
    QFont small = m_note->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    m_note->setFont(small);
    m_note->setForegroundRole(QPalette::PlaceholderText);

    m_table = new QTableWidget(0, ColumnCount);
    m_table->setObjectName(QStringLiteral("errorBudgetTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("SLO"), tr("Objective"), tr("Availability"), tr("Budget left"), tr("Burn 1 h"),
         tr("Burn 6 h"), tr("Outlook"), tr("Burn-rate alert"), tr("Maintenance window")});
    m_table->horizontalHeaderItem(Burn1h)->setToolTip(
        tr("Error rate over the last hour divided by the rate the objective allows; 14.4 spends "
           "2 % of a 30-day budget in an hour"));
    m_table->horizontalHeaderItem(Burn6h)->setToolTip(
        tr("Error rate over the last 6 hours divided by the rate the objective allows; 6 spends "
           "5 % of a 30-day budget in 6 hours"));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 14);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setItemDelegateForColumn(BudgetLeft, new BudgetBarDelegate(m_table));
    QHeaderView *header = m_table->horizontalHeader();
    header->setStretchLastSection(false);
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(Outlook, QHeaderView::Stretch);
    const std::pair<int, int> widths[]
        = {{SloColumn, 265}, {Objective, 115}, {Availability, 100}, {BudgetLeft, 230},
           {Burn1h, 70},     {Burn6h, 70},     {Alert, 140},        {Window, 215}};
    for (const auto &[column, width] : widths)
        m_table->setColumnWidth(column, width);

    auto *tablePage = new QWidget;
    auto *tableLayout = new QVBoxLayout(tablePage);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->setSpacing(2);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_note);

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_empty);
    m_stack->addWidget(tablePage);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
}

void ErrorBudgetPanel::refresh(MonitorSession *session)
{
    m_session = session;
    if (isVisible())
        rebuild();
}

void ErrorBudgetPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    rebuild();
}

void ErrorBudgetPanel::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    // A theme change: the colours are the palette's.
    if (event->type() == QEvent::PaletteChange && isVisible())
        rebuild();
}

void ErrorBudgetPanel::rebuild()
{
    AlertEngine *alerts = m_session ? m_session->alerts() : nullptr;
    const QList<SloReport> reports = alerts ? alerts->slos().reports() : QList<SloReport>();
    if (reports.isEmpty()) {
        m_stack->setCurrentIndex(0);
        m_table->setRowCount(0);
        return;
    }
    m_stack->setCurrentIndex(1);
    const QList<AlertState> active = alerts->active();
    const QList<AlertState> held = alerts->held();
    if (m_table->rowCount() != reports.size())
        m_table->setRowCount(int(reports.size()));

    const QColor errorColor = Theme::errorText();
    const QColor warnColor = Theme::warningText();
    const QPalette pal = palette();
    for (int row = 0; row < reports.size(); ++row) {
        const SloReport &r = reports.at(row);
        const Slo &slo = r.slo;
        const QString where = whereText(slo);

        // SLO: its id and scope; the name and the counts in the tooltip.
        setCell(m_table, row, SloColumn,
                r.builtin ? tr("%1 · %2 (built-in)").arg(slo.id, where)
                          : tr("%1 · %2").arg(slo.id, where),
                (slo.name.isEmpty() ? slo.id : slo.name)
                    + (r.builtin ? tr("\nSeed 002: under 1 % of requests failing is normal. Used "
                                      "because the workspace has no SLO on \"*\".")
                                 : QString()));
        QFont bold = m_table->font();
        bold.setBold(true);
        cell(m_table, row, SloColumn)->setFont(bold);

        setCell(
            m_table, row, Objective,
            tr("%1 % over %2 d").arg(QLocale().toString(slo.objective, 'g', 6)).arg(slo.periodDays),
            tr("%1 % of the requests in %2 must succeed over a rolling %3; the error budget "
               "is the other %4 %.")
                .arg(QLocale().toString(slo.objective, 'g', 6), where, periodText(slo.periodDays),
                     QLocale().toString(100.0 - slo.objective, 'g', 6)));

        const QString counts = tr("%1 requests, %2 failed over the period so far")
                                   .arg(QLocale().toString(r.requests))
                                   .arg(QLocale().toString(r.failures));
        setCell(m_table, row, Availability,
                r.requests == 0 ? tr("no requests yet") : percent(r.availability, 2), counts,
                Qt::AlignRight | Qt::AlignVCenter);
        QTableWidgetItem *availability = cell(m_table, row, Availability);
        availability->setForeground(r.requests > 0 && r.availability * 100.0 < slo.objective
                                        ? QBrush(errorColor)
                                        : QBrush(pal.color(QPalette::Text)));

        const double left = r.budgetRemaining;
        const QString leftText = left < 0 ? tr("overspent by %1").arg(percent(-left, 0))
                                          : tr("%1 left").arg(percent(left, 0));
        // Failures the whole budget allows over the requests seen so far, and what is spent.
        const double allowed = double(r.requests) * r.allowedErrorRate();
        setCell(m_table, row, BudgetLeft, leftText,
                r.requests == 0
                    ? tr("Nothing counted yet: the budget is untouched.")
                    : tr("%1 failures spent of about %2 the objective allows for %3 requests")
                          .arg(QLocale().toString(r.failures))
                          .arg(QLocale().toString(allowed, 'f', allowed < 10 ? 1 : 0))
                          .arg(QLocale().toString(r.requests)));
        cell(m_table, row, BudgetLeft)->setData(BudgetRole, left);

        const QString burnTip = tr("Burn rate (error rate ÷ the %1 % the objective allows):\n"
                                   "  5 min: %2 (%3 of %4 requests failed)\n"
                                   "  30 min: %5 (%6 of %7 requests)\n"
                                   "  1 h: %8 (%9 failed)\n"
                                   "  6 h: %10 (%11 failed)")
                                    .arg(QLocale().toString(r.allowedErrorRate() * 100.0, 'g', 4))
                                    .arg(burnText(r.burn5m), percent(r.errorRate5m, 2))
                                    .arg(QLocale().toString(r.requests5m))
                                    .arg(burnText(r.burn30m), percent(r.errorRate30m, 2))
                                    .arg(QLocale().toString(r.requests30m))
                                    .arg(burnText(r.burn1h), percent(r.errorRate1h, 2))
                                    .arg(burnText(r.burn6h), percent(r.errorRate6h, 2));
        const auto burnCell = [&](int column, double burn, double threshold) {
            setCell(m_table, row, column, burnText(burn), burnTip,
                    Qt::AlignRight | Qt::AlignVCenter);
            cell(m_table, row, column)
                ->setForeground(burn >= threshold ? QBrush(errorColor)
                                : burn > 1.0      ? QBrush(warnColor)
                                                  : QBrush(pal.color(QPalette::Text)));
        };
        burnCell(Burn1h, r.burn1h, FastBurn);
        burnCell(Burn6h, r.burn6h, SlowBurn);

        QString outlook;
        if (r.requests == 0)
            outlook = tr("No requests counted yet");
        else if (left <= 0)
            outlook = tr("Spent; %1").arg(budgetExhaustionText(slo, r.burn1h));
        else
            outlook = budgetExhaustionText(slo, r.burn1h);
        if (!outlook.isEmpty())
            outlook[0] = outlook[0].toUpper();
        setCell(m_table, row, Outlook, outlook,
                tr("%1\n(at the burn rate of the last hour, %2, from a full budget)")
                    .arg(outlook, burnText(r.burn1h)));

        // The burn_rate alert for this SLO: firing (and how bad), held by a window, quiet, or
        // no rule watching it at all.
        QString alertText;
        QString alertTip;
        QBrush alertFg(pal.color(QPalette::Text));
        QBrush alertBg;
        const auto firing = std::find_if(active.cbegin(), active.cend(), [&](const AlertState &a) {
            return a.kind == u"burn_rate" && a.subject == slo.id;
        });
        const auto heldOne = std::find_if(held.cbegin(), held.cend(), [&](const AlertState &a) {
            return a.kind == u"burn_rate" && a.subject == slo.id;
        });
        const QList<AlertRule> &rules = alerts->rules();
        const bool watched = std::any_of(rules.cbegin(), rules.cend(), [&](const AlertRule &rule) {
            return ruleWatches(rule, slo);
        });
        if (firing != active.cend()) {
            const bool critical = firing->severity == u"critical";
            alertText = tr("FIRING (%1)%2")
                            .arg(critical ? tr("fast burn") : tr("slow burn"),
                                 firing->acknowledged ? tr(", acknowledged") : QString());
            alertTip = firing->message;
            alertFg = QBrush(critical ? Theme::criticalText() : Theme::warningText());
            alertBg = QBrush(critical ? Theme::criticalBackground() : Theme::warningBackground());
        } else if (heldOne != held.cend()) {
            alertText = tr("held: %1").arg(heldOne->heldName);
            alertTip = heldOne->message;
        } else if (watched) {
            alertText = tr("quiet");
            alertTip = tr("A burn_rate rule watches this SLO; neither pair of windows burns fast "
                          "enough to fire.");
        } else {
            alertText = tr("no burn_rate rule");
            alertTip = tr("No alert rule of kind burn_rate names this SLO, its scope or \"*\": "
                          "nobody is told when its budget burns fast (docs/slo.md).");
            alertFg = QBrush(pal.color(QPalette::PlaceholderText));
        }
        setCell(m_table, row, Alert, alertText, alertTip);
        cell(m_table, row, Alert)->setForeground(alertFg);
        cell(m_table, row, Alert)->setBackground(alertBg);

        const std::optional<ActiveWindow> window = alerts->windowNow(slo.scope);
        if (window) {
            const QDateTime until = QDateTime::fromMSecsSinceEpoch(window->untilMs);
            const bool today = until.date() == QDate::currentDate();
            setCell(m_table, row, Window,
                    tr("%1 until %2")
                        .arg(window->name, until.toString(today ? QStringLiteral("HH:mm")
                                                                : QStringLiteral("ddd HH:mm"))),
                    tr("Alerts for %1 are held and its requests do not count toward the budget "
                       "until %2.")
                        .arg(where, until.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
            cell(m_table, row, Window)->setForeground(QBrush(Theme::warningText()));
            cell(m_table, row, Window)->setBackground(QBrush(Theme::warningBackground()));
        } else {
            setCell(
                m_table, row, Window, tr("none now"),
                tr("%1 is not in a maintenance window or outside trading hours now.").arg(where));
            cell(m_table, row, Window)->setForeground(QBrush(pal.color(QPalette::PlaceholderText)));
            cell(m_table, row, Window)->setBackground(QBrush());
        }
    }
}

} // namespace hd
