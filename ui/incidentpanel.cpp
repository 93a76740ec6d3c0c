#include "incidentpanel.h"

#include "monitorsession.h"
#include "theme.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QTextBrowser>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace hd {

namespace {

constexpr int IdRole = Qt::UserRole;
const auto AuthorKey = QStringLiteral("incidents/name");

QString timeText(qint64 ms)
{
    return ms ? QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
              : QString();
}

QString durationText(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    if (s < 60)
        return QStringLiteral("%1 s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1 min").arg(s / 60);
    if (s < 86400)
        return QStringLiteral("%1 h %2 min").arg(s / 3600).arg(s % 3600 / 60);
    return QStringLiteral("%1 d %2 h").arg(s / 86400).arg(s % 86400 / 3600);
}

QString entryLabel(IncidentEntry::Kind kind)
{
    switch (kind) {
    case IncidentEntry::Kind::Fired:
        return QObject::tr("Fired");
    case IncidentEntry::Kind::Escalated:
        return QObject::tr("Changed");
    case IncidentEntry::Kind::Notified:
        return QObject::tr("Told");
    case IncidentEntry::Kind::NotifyFailed:
        return QObject::tr("Not told");
    case IncidentEntry::Kind::Acknowledged:
        return QObject::tr("Acknowledged");
    case IncidentEntry::Kind::Note:
        return QObject::tr("Note");
    case IncidentEntry::Kind::Resolved:
        return QObject::tr("Resolved");
    }
    return {};
}

QColor entryColor(IncidentEntry::Kind kind)
{
    const bool dark = Theme::isDark();
    switch (kind) {
    case IncidentEntry::Kind::Fired:
    case IncidentEntry::Kind::NotifyFailed:
        return Theme::errorText();
    case IncidentEntry::Kind::Escalated:
        return Theme::warningText();
    case IncidentEntry::Kind::Resolved:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x2e, 0x7d, 0x32);
    case IncidentEntry::Kind::Acknowledged:
        return dark ? QColor(0x90, 0xca, 0xf9) : QColor(0x15, 0x65, 0xc0);
    case IncidentEntry::Kind::Notified:
    case IncidentEntry::Kind::Note:
        break;
    }
    return QGuiApplication::palette().color(QPalette::Text);
}

} // namespace

IncidentPanel::IncidentPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("incidentPanel"));
    m_tree = new QTreeWidget;
    m_tree->setObjectName(QStringLiteral("incidentTree"));
    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels(
        {tr("State"), tr("Fired"), tr("Alert"), tr("Subject"), tr("Acknowledged"), tr("Duration")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    // Every column as wide as its text (the tree scrolls sideways when the dock is narrow); the
    // subject is what people read first, so it never shrinks to "p…".
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    connect(m_tree, &QTreeWidget::currentItemChanged, this, &IncidentPanel::showCurrent);

    m_title = new QLabel;
    m_title->setObjectName(QStringLiteral("incidentTitle"));
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::RichText);
    m_timeline = new QTextBrowser;
    m_timeline->setObjectName(QStringLiteral("incidentTimeline"));
    m_timeline->setOpenLinks(false);
    connect(m_timeline, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() == u"event")
            emit eventRequested(url.path());
    });

    m_ack = new QPushButton(tr("Acknowledge"));
    m_ack->setObjectName(QStringLiteral("incidentAcknowledge"));
    m_ack->setToolTip(tr("Take this incident: reminders stop and the alert's channels are told "
                         "who took it (PagerDuty: acknowledged)"));
    connect(m_ack, &QPushButton::clicked, this, &IncidentPanel::acknowledgeCurrent);
    m_author = new QLineEdit(QSettings().value(AuthorKey, defaultAuthor()).toString());
    m_author->setObjectName(QStringLiteral("incidentAuthor"));
    m_author->setMaxLength(IncidentLog::MaxAuthorChars);
    m_author->setPlaceholderText(tr("your name"));
    m_author->setMaximumWidth(180);
    connect(m_author, &QLineEdit::editingFinished, this,
            [this] { QSettings().setValue(AuthorKey, m_author->text().trimmed()); });

    m_note = new QPlainTextEdit;
    m_note->setObjectName(QStringLiteral("incidentNote"));
    m_note->setPlaceholderText(tr("Add a note: what you found, who you called, the vendor's "
                                  "ticket number… (kept with the incident, secrets masked)"));
    m_note->setMaximumHeight(54);
    m_addNote = new QPushButton(tr("Add Note"));
    m_addNote->setObjectName(QStringLiteral("incidentAddNote"));
    connect(m_addNote, &QPushButton::clicked, this, &IncidentPanel::addNote);
    m_noteError = new QLabel;
    m_noteError->setObjectName(QStringLiteral("incidentNoteError"));
    m_noteError->hide();

    auto *right = new QWidget;
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 0, 0, 0);
    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(new QLabel(tr("As")));
    top->addWidget(m_author);
    top->addWidget(m_ack);
    rightLayout->addLayout(top);
    rightLayout->addWidget(m_timeline, 1);
    auto *noteRow = new QHBoxLayout;
    noteRow->addWidget(m_note, 1);
    noteRow->addWidget(m_addNote, 0, Qt::AlignBottom);
    rightLayout->addLayout(noteRow);
    rightLayout->addWidget(m_noteError);

    auto *split = new QSplitter(Qt::Horizontal);
    split->addWidget(m_tree);
    split->addWidget(right);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
    showCurrent();
}

QString IncidentPanel::defaultAuthor()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME");
    return IncidentLog::cleanAuthor(name);
}

QString IncidentPanel::author() const
{
    return IncidentLog::cleanAuthor(m_author->text());
}

void IncidentPanel::setSession(MonitorSession *session)
{
    if (m_session && m_session->incidents())
        disconnect(m_session->incidents(), nullptr, this, nullptr);
    m_session = session;
    if (m_session && m_session->incidents())
        connect(m_session->incidents(), &IncidentLog::changed, this, &IncidentPanel::onChanged);
    rebuild();
}

void IncidentPanel::rebuild()
{
    const QString current = currentIncidentId();
    m_tree->clear();
    if (m_session && m_session->incidents()) {
        for (const Incident &inc : m_session->incidents()->incidents()) {
            auto *item = new QTreeWidgetItem(m_tree);
            fill(item, inc);
        }
    }
    if (!current.isEmpty())
        showIncident(current);
    showCurrent();
}

void IncidentPanel::onChanged(const Incident &incident)
{
    QTreeWidgetItem *found = nullptr;
    for (int i = 0; i < m_tree->topLevelItemCount() && !found; ++i)
        if (m_tree->topLevelItem(i)->data(State, IdRole).toString() == incident.id)
            found = m_tree->topLevelItem(i);
    if (!found) {
        found = new QTreeWidgetItem;
        m_tree->insertTopLevelItem(0, found); // newest first
    }
    fill(found, incident);
    if (found == m_tree->currentItem())
        showCurrent();
}

void IncidentPanel::fill(QTreeWidgetItem *item, const Incident &inc) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    item->setData(State, IdRole, inc.id);
    item->setText(State, inc.state());
    item->setText(Fired, timeText(inc.firedAtMs));
    item->setText(Alert, QStringLiteral("%1 (%2)").arg(inc.ruleId, inc.kind));
    item->setText(Subject, inc.subject);
    item->setToolTip(Subject, inc.summary);
    item->setText(Acknowledged,
                  inc.acknowledged()
                      ? QStringLiteral("%1 via %2").arg(inc.acknowledgedBy, inc.acknowledgedVia)
                      : QString());
    item->setText(Duration, durationText((inc.open() ? now : inc.resolvedAtMs) - inc.firedAtMs));
    const QColor color = inc.open() && !inc.acknowledged() ? Theme::errorText()
                         : inc.open()                      ? Theme::warningText()
                                                           : QColor();
    for (int c = 0; c < ColumnCount; ++c)
        item->setForeground(c, color.isValid() ? QBrush(color) : QBrush());
}

bool IncidentPanel::showIncident(const QString &id)
{
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        if (m_tree->topLevelItem(i)->data(State, IdRole).toString() == id) {
            m_tree->setCurrentItem(m_tree->topLevelItem(i));
            return true;
        }
    }
    return false;
}

void IncidentPanel::refreshDurations()
{
    if (!m_session || !m_session->incidents())
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (int i = 0; i < m_tree->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_tree->topLevelItem(i);
        if (item->text(State) == u"resolved")
            continue;
        if (const auto inc = m_session->incidents()->incident(item->data(State, IdRole).toString()))
            item->setText(Duration, durationText(now - inc->firedAtMs));
    }
}

QString IncidentPanel::currentIncidentId() const
{
    return m_tree->currentItem() ? m_tree->currentItem()->data(State, IdRole).toString()
                                 : QString();
}

QString IncidentPanel::timelineHtml(const Incident &inc, qint64 nowMs)
{
    QString html = QStringLiteral("<table cellspacing='0' cellpadding='3' width='100%'>");
    for (const IncidentEntry &e : inc.timeline) {
        QString text = e.text.toHtmlEscaped();
        text.replace(u'\n', QStringLiteral("<br>"));
        const QString who = e.author.isEmpty()
                                ? QString()
                                : QStringLiteral(" <i>— %1</i>").arg(e.author.toHtmlEscaped());
        html
            += QStringLiteral("<tr><td style='white-space:pre' valign='top'>%1</td>"
                              "<td valign='top' style='color:%2'><b>%3</b></td>"
                              "<td valign='top'>%4%5</td></tr>")
                   .arg(timeText(e.atMs), entryColor(e.kind).name(), entryLabel(e.kind), text, who);
    }
    if (inc.open())
        html += QStringLiteral("<tr><td style='white-space:pre'>%1</td><td><b>Now</b></td>"
                               "<td>open for %2</td></tr>")
                    .arg(timeText(nowMs), durationText(nowMs - inc.firedAtMs));
    html += QStringLiteral("</table>");
    if (inc.eventCount > 0) {
        html += QStringLiteral("<p><b>%1</b> ")
                    .arg(QObject::tr("%n failed event(s) while it was open:", nullptr,
                                     inc.eventCount));
        QStringList links;
        for (const QString &id : inc.eventIds)
            links << QStringLiteral("<a href='event:%1'>%2</a>")
                         .arg(QString::fromLatin1(QUrl::toPercentEncoding(id)), id.toHtmlEscaped());
        html += links.join(QStringLiteral(", "));
        if (inc.eventCount > inc.eventIds.size())
            html += QObject::tr(" … and %1 more (in the history and the error log)")
                        .arg(inc.eventCount - inc.eventIds.size());
        html += QStringLiteral("</p>");
    }
    return html;
}

void IncidentPanel::showCurrent()
{
    const QString id = currentIncidentId();
    std::optional<Incident> inc;
    if (!id.isEmpty() && m_session && m_session->incidents())
        inc = m_session->incidents()->incident(id);
    m_ack->setEnabled(inc && inc->open() && !inc->acknowledged());
    m_addNote->setEnabled(bool(inc));
    m_note->setEnabled(bool(inc));
    if (!inc) {
        m_title->setText(m_tree->topLevelItemCount() == 0
                             ? tr("No incidents yet. An incident opens when an alert fires and "
                                  "keeps what happened until it resolves.")
                             : tr("Select an incident to see its timeline."));
        m_timeline->clear();
        return;
    }
    m_title->setText(QStringLiteral("<b>%1</b> — %2 · %3 · <code>%4</code>")
                         .arg(inc->summary.toHtmlEscaped(), inc->state(),
                              inc->severity.isEmpty() ? inc->kind : inc->severity, inc->id));
    const int scroll
        = m_timeline->verticalScrollBar() ? m_timeline->verticalScrollBar()->value() : 0;
    m_timeline->setHtml(timelineHtml(*inc, QDateTime::currentMSecsSinceEpoch()));
    m_timeline->verticalScrollBar()->setValue(scroll);
}

void IncidentPanel::acknowledgeCurrent()
{
    const QString id = currentIncidentId();
    if (id.isEmpty() || !m_session || !m_session->incidents())
        return;
    const std::optional<Incident> inc = m_session->incidents()->incident(id);
    if (!inc || !inc->open())
        return;
    QSettings().setValue(AuthorKey, m_author->text().trimmed());
    if (m_session->acknowledge(inc->ruleId, inc->subject, author(), QStringLiteral("console")))
        emit acknowledged(inc->ruleId, inc->subject);
    showCurrent();
}

void IncidentPanel::addNote()
{
    const QString id = currentIncidentId();
    if (id.isEmpty() || !m_session)
        return;
    QSettings().setValue(AuthorKey, m_author->text().trimmed());
    const QString error = m_session->addIncidentNote(id, author(), m_note->toPlainText());
    m_noteError->setText(error);
    m_noteError->setStyleSheet(QStringLiteral("color: %1").arg(Theme::errorText().name()));
    m_noteError->setVisible(!error.isEmpty());
    if (error.isEmpty())
        m_note->clear();
    showCurrent();
}

} // namespace hd
