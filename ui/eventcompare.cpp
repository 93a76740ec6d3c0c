#include "eventcompare.h"

#include "theme.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hd {

namespace {

QString ms(const std::optional<double> &v)
{
    return v ? QStringLiteral("%1 ms").arg(*v, 0, 'f', 1) : QString();
}

template<typename T>
QString num(const std::optional<T> &v)
{
    return v ? QString::number(*v) : QString();
}

QString headerValue(const HeaderList &headers, const QString &name)
{
    QStringList values;
    for (const auto &[n, v] : headers)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            values.append(v);
    return values.join(QStringLiteral(", "));
}

// Header names of both lists, in the order they first appear, case-insensitively unique.
QStringList headerNames(const HeaderList &a, const HeaderList &b)
{
    QStringList names;
    QSet<QString> seen;
    for (const HeaderList *list : {&a, &b})
        for (const auto &h : *list)
            if (!seen.contains(h.first.toLower())) {
                seen.insert(h.first.toLower());
                names.append(h.first);
            }
    return names;
}

} // namespace

QList<EventCompareDialog::Fact> EventCompareDialog::facts(const ApiEvent &a, const ApiEvent &b)
{
    QList<Fact> out;
    const auto add = [&out](const QString &name, const QString &l, const QString &r) {
        if (!l.isEmpty() || !r.isEmpty())
            out.append({name, l, r});
    };
    const auto both = [&](const QString &name, const auto &of) {
        add(name, of(a), of(b));
    };
    both(tr("time"), [](const ApiEvent &e) { return formatEventTime(e.timeMs); });
    both(tr("environment"), [](const ApiEvent &e) { return e.environment; });
    both(tr("endpoint"), [](const ApiEvent &e) { return e.endpoint; });
    both(tr("attempt"), [](const ApiEvent &e) { return QString::number(e.attempt); });
    both(tr("request"), [](const ApiEvent &e) {
        return e.request ? e.request->method + u' ' + e.request->url : QString();
    });
    both(tr("status"), [](const ApiEvent &e) { return num(e.httpStatus); });
    both(tr("protocol"),
         [](const ApiEvent &e) { return e.response ? e.response->httpVersion : QString(); });
    both(tr("outcome"), [](const ApiEvent &e) { return toQString(toString(e.outcome)); });
    both(tr("category"), [](const ApiEvent &e) { return toQString(toString(e.category)); });
    both(tr("network error"), [](const ApiEvent &e) { return e.networkError; });
    both(tr("error code"), [](const ApiEvent &e) { return e.error ? e.error->code : QString(); });
    both(tr("error type"), [](const ApiEvent &e) {
        return e.error ? toQString(toString(e.error->type)) : QString();
    });
    both(tr("message"), [](const ApiEvent &e) { return e.error ? e.error->message : QString(); });
    both(tr("retry"), [](const ApiEvent &e) { return toQString(toString(e.retry.action)); });
    both(tr("duration"), [](const ApiEvent &e) { return ms(e.durationMs); });
    const std::pair<QString, std::optional<double> TimingInfo::*> phases[]{
        {tr("DNS"), &TimingInfo::dnsMs},
        {tr("connect"), &TimingInfo::connectMs},
        {tr("connect + TLS"), &TimingInfo::tlsMs},
        {tr("sent"), &TimingInfo::sentMs},
        {tr("first byte"), &TimingInfo::firstByteMs},
        {tr("transfer"), &TimingInfo::transferMs}};
    for (const auto &phase : phases) {
        const auto member = phase.second;
        both(phase.first, [member](const ApiEvent &e) {
            return e.timing ? ms((*e.timing).*member) : QString();
        });
    }
    both(tr("connection"), [](const ApiEvent &e) {
        if (!e.timing || !e.timing->reusedConnection)
            return QString();
        return *e.timing->reusedConnection ? tr("reused") : tr("new");
    });
    both(tr("TLS"), [](const ApiEvent &e) {
        if (!e.tls)
            return QString();
        return e.tls->daysLeft ? tr("%1, %2 days left").arg(e.tls->protocol).arg(*e.tls->daysLeft)
                               : e.tls->protocol;
    });
    both(tr("proxy"), [](const ApiEvent &e) { return e.proxy; });
    both(tr("rate limit"), [](const ApiEvent &e) {
        if (!e.rateLimit)
            return QString();
        return tr("%1 of %2 left").arg(num(e.rateLimit->remaining), num(e.rateLimit->limit));
    });
    both(tr("response size"), [](const ApiEvent &e) {
        return e.response ? tr("%1 bytes").arg(e.response->size) : QString();
    });
    for (std::string_view id : Identifiers::names())
        both(toQString(id), [id](const ApiEvent &e) {
            const QString *v = e.identifiers.field(id);
            return v ? *v : QString();
        });
    const HeaderList noHeaders;
    const HeaderList &ra = a.response ? a.response->headers : noHeaders;
    const HeaderList &rb = b.response ? b.response->headers : noHeaders;
    for (const QString &h : headerNames(ra, rb))
        add(tr("response %1").arg(h), headerValue(ra, h), headerValue(rb, h));
    const HeaderList &qa = a.request ? a.request->headers : noHeaders;
    const HeaderList &qb = b.request ? b.request->headers : noHeaders;
    for (const QString &h : headerNames(qa, qb))
        add(tr("request %1").arg(h), headerValue(qa, h), headerValue(qb, h));
    return out;
}

EventCompareDialog::EventCompareDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("eventCompare"));
    setWindowTitle(tr("Compare two events"));
    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("eventCompareSummary"));
    m_summary->setWordWrap(true);
    m_onlyDifferences = new QCheckBox(tr("Only differences"));
    m_onlyDifferences->setObjectName(QStringLiteral("eventCompareOnlyDifferences"));
    connect(m_onlyDifferences, &QCheckBox::toggled, this, &EventCompareDialog::applyFilter);
    m_table = new QTableWidget(0, 3);
    m_table->setObjectName(QStringLiteral("eventCompareTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(true);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_onlyDifferences);
    layout->addWidget(m_table, 1);
    layout->addWidget(buttons);
    resize(980, 640);
}

void EventCompareDialog::setEvents(const ApiEvent &a, const ApiEvent &b)
{
    const QList<Fact> list = facts(a, b);
    m_table->setHorizontalHeaderLabels({tr("Fact"),
                                        tr("Selected: %1").arg(formatEventTime(a.timeMs)),
                                        tr("Ctrl+clicked: %1").arg(formatEventTime(b.timeMs))});
    m_table->setRowCount(int(list.size()));
    m_differences = 0;
    QColor tint = Theme::errorText();
    tint.setAlpha(40);
    for (int row = 0; row < list.size(); ++row) {
        const Fact &f = list[row];
        const bool differs = f.left != f.right;
        auto *name = new QTableWidgetItem(f.name);
        auto *left = new QTableWidgetItem(f.left);
        auto *right = new QTableWidgetItem(f.right);
        left->setToolTip(f.left);
        right->setToolTip(f.right);
        if (differs) {
            ++m_differences;
            QFont bold = name->font();
            bold.setBold(true);
            name->setFont(bold);
            for (QTableWidgetItem *i : {name, left, right})
                i->setBackground(tint);
        }
        name->setData(Qt::UserRole, differs);
        m_table->setItem(row, 0, name);
        m_table->setItem(row, 1, left);
        m_table->setItem(row, 2, right);
    }
    m_summary->setText(tr("%1 of %2 facts differ (marked). Left: %3 %4; right: %5 %6.")
                           .arg(m_differences)
                           .arg(list.size())
                           .arg(a.endpoint, toQString(toString(a.category)), b.endpoint,
                                toQString(toString(b.category))));
    applyFilter();
    m_table->resizeRowsToContents();
}

int EventCompareDialog::factCount() const
{
    return m_table->rowCount();
}

void EventCompareDialog::applyFilter()
{
    const bool only = m_onlyDifferences->isChecked();
    for (int row = 0; row < m_table->rowCount(); ++row)
        m_table->setRowHidden(row, only && !m_table->item(row, 0)->data(Qt::UserRole).toBool());
}

} // namespace hd
