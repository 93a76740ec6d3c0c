#include "eventdetailview.h"

#include "safejson.h"

#include "classifier.h"
#include "curlcommand.h"
#include "eventjson.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hd {
namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QString statusText(const ApiEvent &e)
{
    if (e.httpStatus)
        return QString::number(*e.httpStatus);
    return e.networkError.isEmpty() ? QStringLiteral("—") : e.networkError;
}

// Colours that read on light and dark palettes alike: tinted backgrounds with dark text.
QString categoryColour(const ApiEvent &e)
{
    switch (e.outcome) {
    case Outcome::Success:
        return QStringLiteral("#2e7d32");
    case Outcome::ClientError:
        return e.category == Category::RateLimited ? QStringLiteral("#8e24aa")
                                                   : QStringLiteral("#e65100");
    case Outcome::ServerError:
        return QStringLiteral("#c62828");
    case Outcome::BusinessError:
        return QStringLiteral("#ad1457");
    case Outcome::ConnectionError:
        return QStringLiteral("#6d4c41");
    }
    return QStringLiteral("#455a64");
}

QTableWidget *makeHeadersTable(const QString &objectName)
{
    auto *t = new QTableWidget(0, 2);
    t->setObjectName(objectName);
    t->setHorizontalHeaderLabels({QObject::tr("Header"), QObject::tr("Value")});
    t->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    t->horizontalHeader()->setStretchLastSection(true);
    t->verticalHeader()->hide();
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(false);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
    return t;
}

void fillHeaders(QTableWidget *t, const HeaderList &headers)
{
    t->setRowCount(int(headers.size()));
    for (int i = 0; i < headers.size(); ++i) {
        t->setItem(i, 0, new QTableWidgetItem(headers[i].first));
        t->setItem(i, 1, new QTableWidgetItem(headers[i].second));
    }
}

QPlainTextEdit *makeBodyView(const QString &objectName)
{
    auto *b = new QPlainTextEdit;
    b->setObjectName(objectName);
    b->setReadOnly(true);
    b->setLineWrapMode(QPlainTextEdit::NoWrap);
    b->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return b;
}

} // namespace

EventDetailView::EventDetailView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("eventDetailView"));

    m_headline = new QLabel;
    m_headline->setObjectName(QStringLiteral("detailHeadline"));
    m_headline->setTextFormat(Qt::RichText);
    m_headline->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_copyCurl = new QPushButton(tr("Copy as curl"));
    m_copyCurl->setObjectName(QStringLiteral("detailCopyCurl"));
    m_copyCurl->setToolTip(
        tr("Copies the request as a curl command; secrets appear as $VARIABLES, never values"));
    m_copyJson = new QPushButton(tr("Copy JSON"));
    m_copyJson->setObjectName(QStringLiteral("detailCopyJson"));
    m_copyJson->setToolTip(tr("Copies the event as one healthdeck.event/1 JSON line (redacted)"));
    m_addToBundle = new QPushButton(tr("Add to support bundle"));
    m_addToBundle->setObjectName(QStringLiteral("detailAddToBundle"));
    m_copied = new QLabel;
    m_copied->setObjectName(QStringLiteral("detailCopiedNote"));
    m_copied->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_headline, 1);
    actions->addWidget(m_copied);
    actions->addWidget(m_copyCurl);
    actions->addWidget(m_copyJson);
    actions->addWidget(m_addToBundle);

    connect(m_copyCurl, &QPushButton::clicked, this,
            [this] { copyToClipboard(curlCommand(), tr("curl command")); });
    connect(m_copyJson, &QPushButton::clicked, this,
            [this] { copyToClipboard(QString::fromUtf8(toJsonLine(m_event)), tr("event JSON")); });
    connect(m_addToBundle, &QPushButton::clicked, this, [this] {
        if (!m_hasEvent)
            return;
        emit addToSupportBundleRequested(m_event.id);
        m_copied->setText(tr("added to the support bundle selection"));
    });

    // Summary: what happened and what to do, then the identifiers a support desk asks for.
    m_summary = new QTextBrowser;
    m_summary->setObjectName(QStringLiteral("eventDetail"));
    m_summary->setOpenExternalLinks(false);
    m_summary->setFrameShape(QFrame::NoFrame);
    m_idBox = new QGroupBox(tr("Identifiers"));
    m_idBox->setObjectName(QStringLiteral("detailIdentifiers"));
    m_idGrid = new QGridLayout(m_idBox);
    m_idGrid->setColumnStretch(1, 1);
    m_timelineBox = new QGroupBox(tr("Attempts of this request"));
    m_timelineBox->setObjectName(QStringLiteral("detailAttempts"));
    auto *timelineLayout = new QVBoxLayout(m_timelineBox);
    auto *summaryPage = new QWidget;
    auto *summaryLayout = new QVBoxLayout(summaryPage);
    summaryLayout->addWidget(m_summary, 1);
    summaryLayout->addWidget(m_timelineBox);
    summaryLayout->addWidget(m_idBox);

    m_requestLine = new QLabel;
    m_requestLine->setObjectName(QStringLiteral("detailRequestLine"));
    m_requestLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestLine->setWordWrap(true);
    m_requestHeaders = makeHeadersTable(QStringLiteral("detailRequestHeaders"));
    m_requestBody = makeBodyView(QStringLiteral("detailRequestBody"));
    auto *requestPage = new QWidget;
    auto *requestLayout = new QVBoxLayout(requestPage);
    requestLayout->addWidget(m_requestLine);
    requestLayout->addWidget(m_requestHeaders, 1);
    requestLayout->addWidget(m_requestBody, 2);

    m_responseLine = new QLabel;
    m_responseLine->setObjectName(QStringLiteral("detailResponseLine"));
    m_responseLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_responseHeaders = makeHeadersTable(QStringLiteral("detailResponseHeaders"));
    m_responseBody = makeBodyView(QStringLiteral("detailResponseBody"));
    auto *responsePage = new QWidget;
    auto *responseLayout = new QVBoxLayout(responsePage);
    responseLayout->addWidget(m_responseLine);
    responseLayout->addWidget(m_responseHeaders, 1);
    responseLayout->addWidget(m_responseBody, 2);

    m_timeline = new QTableWidget(0, 6);
    m_timeline->setObjectName(QStringLiteral("detailTimeline"));
    m_timeline->setHorizontalHeaderLabels({tr("Attempt"), tr("Time (UTC)"), tr("Status"),
                                           tr("Category"), tr("Duration"),
                                           tr("Then (retry decision)")});
    m_timeline->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_timeline->horizontalHeader()->setStretchLastSection(true);
    m_timeline->verticalHeader()->hide();
    m_timeline->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_timeline->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_timeline->setAlternatingRowColors(true);
    m_timeline->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_timeline->verticalHeader()->setDefaultSectionSize(m_timeline->fontMetrics().height() + 6);
    timelineLayout->addWidget(m_timeline);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(summaryPage, tr("Summary"));
    m_tabs->addTab(requestPage, tr("Request"));
    m_tabs->addTab(responsePage, tr("Response"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(actions);
    layout->addWidget(m_tabs, 1);
    showNothing();
}

void EventDetailView::setActionsEnabled(bool enabled)
{
    m_copyCurl->setEnabled(enabled && !curlCommand().isEmpty());
    m_copyJson->setEnabled(enabled);
    m_addToBundle->setEnabled(enabled);
}

void EventDetailView::showNothing()
{
    setHtml(tr("<p style='color:gray'>Select a row to see what happened, what to do about it, "
               "and the exact request and response.</p>"));
}

void EventDetailView::setHtml(const QString &html)
{
    m_hasEvent = false;
    m_event = ApiEvent{};
    m_headline->clear();
    m_copied->clear();
    m_summary->setHtml(html);
    fillIdentifiers(m_event);
    m_requestLine->clear();
    m_requestHeaders->setRowCount(0);
    m_requestBody->clear();
    m_responseLine->clear();
    m_responseHeaders->setRowCount(0);
    m_responseBody->clear();
    m_timeline->setRowCount(0);
    m_timelineBox->hide();
    m_tabs->setCurrentIndex(0);
    setActionsEnabled(false);
}

void EventDetailView::showApiEvent(const ApiEvent &e, const QList<ApiEvent> &attempts)
{
    m_event = e;
    m_hasEvent = true;
    m_copied->clear();
    m_headline->setText(QStringLiteral("<span style='font-size:large'><b>%1</b> &nbsp;<span "
                                       "style='color:%2'><b>%3 · %4</b></span></span>")
                            .arg(esc(e.endpoint), categoryColour(e), esc(statusText(e)),
                                 esc(toQString(toString(e.category)))));
    m_summary->setHtml(toHtml(e) + whyHtml(e));
    fillIdentifiers(e);
    fillRequest(e);
    fillResponse(e);
    fillTimeline(attemptChain(e, attempts));
    setActionsEnabled(true);
}

QString EventDetailView::prettyBody(const QString &body)
{
    // A hostile body may nest a million levels: parsed with the depth limit, like every body.
    const std::string text = body.toStdString();
    const auto j = safeJsonParseOrDiscarded<nlohmann::json>(text.data(), text.data() + text.size());
    if (j.is_discarded() || !(j.is_object() || j.is_array()))
        return body;
    return QString::fromStdString(j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
}

QString EventDetailView::whyHtml(const ApiEvent &e)
{
    if (!e.httpStatus && e.networkError.isEmpty())
        return {};
    ClassifyInput in;
    in.status = e.httpStatus;
    in.networkError = e.networkError;
    in.profile = e.profile.isEmpty() ? QStringLiteral("auto") : e.profile;
    in.nowMs = e.timeMs;
    if (e.response) {
        for (const auto &[name, value] : e.response->headers)
            in.headers.append({name.toLatin1(), value.toUtf8()});
        in.body = e.response->body.toUtf8();
    }
    static const Classifier classifier;
    if (!classifier.knowsProfile(in.profile))
        in.profile = QStringLiteral("auto");
    Explanation why;
    const ApiEvent again = classifier.classify(in, &why);
    QString h = QStringLiteral("<p style='margin-bottom:0'><b>%1</b>").arg(tr("Why this verdict"));
    if (again.category != e.category)
        h += QStringLiteral(" <small>(%1)</small>")
                 .arg(esc(tr("the stored response, redacted and capped, now reads as %1; the rules "
                             "below are for that reading")
                              .arg(toQString(toString(again.category)))));
    h += QStringLiteral("</p><table cellspacing=0 cellpadding=1 style='font-size:small'>");
    const std::pair<QString, QString> rows[] = {{tr("profile"), why.profile},
                                                {tr("category"), why.category},
                                                {tr("code"), why.code},
                                                {tr("message"), why.message},
                                                {tr("retry"), why.retry}};
    for (const auto &[label, text] : rows)
        if (!text.isEmpty())
            h += QStringLiteral(
                     "<tr><td style='color:gray'>%1&nbsp;</td><td><code>%2</code></td></tr>")
                     .arg(esc(label), esc(text));
    return h + QStringLiteral("</table>");
}

QString EventDetailView::toHtml(const ApiEvent &e)
{
    QString h;
    if (e.error) {
        h += QStringLiteral("<p style='font-size:large'><b>%1</b>%2%3</p>")
                 .arg(esc(e.error->message.isEmpty() ? tr("(no message in the response)")
                                                     : e.error->message),
                      e.error->code.isEmpty()
                          ? QString()
                          : QStringLiteral(" &nbsp;<code>%1</code>").arg(esc(e.error->code)),
                      QStringLiteral(" &nbsp;<small>type %1</small>")
                          .arg(esc(toQString(toString(e.error->type)))));
    }
    if (!e.retry.advice.isEmpty()) {
        QString retry = toQString(toString(e.retry.action));
        if (e.retry.delayMs)
            retry += tr(", after %1 ms").arg(*e.retry.delayMs);
        h += QStringLiteral("<table width='100%' cellpadding=8 style='background:#fff4d6;"
                            "color:#4a3700'><tr><td><b>What to do:</b> %1<br>"
                            "<small>retry: %2 (%3)</small></td></tr></table>")
                 .arg(esc(e.retry.advice), esc(retry),
                      e.retry.retryable ? tr("retryable") : tr("not retryable"));
    }
    if (!e.notes.isEmpty()) {
        // What HealthDeck clamped, cut or ignored (docs/limits.md): shown, never hidden in JSON.
        h += QStringLiteral("<p style='margin-bottom:0'><b>%1</b></p><ul style='margin-top:2px'>")
                 .arg(tr("Not taken at face value"));
        for (const QString &note : e.notes)
            h += QStringLiteral("<li>%1</li>").arg(esc(note));
        h += QStringLiteral("</ul>");
    }
    if (e.error && !e.error->details.isEmpty()) {
        h += QStringLiteral("<p style='margin-bottom:0'><b>%1</b></p><ul style='margin-top:2px'>")
                 .arg(tr("Details"));
        for (const auto &d : e.error->details)
            h += QStringLiteral("<li><code>%1</code> %2</li>").arg(esc(d.field), esc(d.message));
        h += QStringLiteral("</ul>");
    }
    h += QStringLiteral("<p><small>%1 UTC · %2 · attempt %3 · %4 ms · profile %5 · outcome "
                        "%6</small></p>")
             .arg(esc(formatEventTime(e.timeMs)), esc(e.environment))
             .arg(e.attempt)
             .arg(e.durationMs, 0, 'f', 1)
             .arg(esc(e.profile), esc(toQString(toString(e.outcome))));
    if (e.rateLimit && !e.rateLimit->isEmpty()) {
        const auto &r = *e.rateLimit;
        h += QStringLiteral("<p><b>%1</b> %2 of %3 left, resets in %4 s%5 <small>(%6)</small></p>")
                 .arg(tr("Rate limit:"),
                      r.remaining ? QString::number(*r.remaining) : QStringLiteral("?"),
                      r.limit ? QString::number(*r.limit) : QStringLiteral("?"),
                      r.resetS ? QString::number(*r.resetS, 'f', 0) : QStringLiteral("?"),
                      r.retryAfterS ? tr(", Retry-After %1 s").arg(*r.retryAfterS) : QString(),
                      esc(r.source));
    }
    if (e.token) {
        const auto &t = *e.token;
        h += QStringLiteral("<p><b>%1</b> %2%3%4</p>")
                 .arg(tr("Token:"),
                      t.expiresInS ? tr("expires in %1 s").arg(*t.expiresInS)
                                   : tr("expiry unknown"),
                      t.subject.isEmpty() ? QString() : tr(", subject %1").arg(esc(t.subject)),
                      t.scopes.isEmpty()
                          ? QString()
                          : tr(", scopes %1").arg(esc(t.scopes.join(QLatin1Char(' ')))));
    }
    if (e.timing) {
        // Only the phases Qt let us observe (docs/network.md, Timings); the rest are absent.
        const TimingInfo &t = *e.timing;
        QStringList phases;
        auto add = [&phases](const QString &name, const std::optional<double> &v) {
            if (v)
                phases.append(QStringLiteral("%1 %2 ms").arg(name).arg(*v, 0, 'f', 1));
        };
        add(tr("dns"), t.dnsMs);
        add(tr("connect"), t.connectMs);
        add(tr("connect+TLS"), t.tlsMs);
        add(tr("sent"), t.sentMs);
        add(tr("first byte"), t.firstByteMs);
        add(tr("transfer"), t.transferMs);
        if (t.reusedConnection)
            phases.append(*t.reusedConnection ? tr("reused connection") : tr("new connection"));
        h += QStringLiteral("<p><b>%1</b> %2</p>")
                 .arg(tr("Timing:"), esc(phases.join(QStringLiteral(" · "))));
    }
    if (e.tls) {
        const TlsInfo &t = *e.tls;
        h += QStringLiteral("<p><b>%1</b> %2 %3, %4 %5, %6 %7%8</p>")
                 .arg(tr("TLS:"), esc(t.protocol), esc(t.subject), tr("issued by"), esc(t.issuer),
                      tr("valid until"), esc(formatEventTime(t.notAfterMs)),
                      t.daysLeft ? tr(" (%1 days left)").arg(*t.daysLeft) : QString());
        for (const QString &p : t.problems)
            h += QStringLiteral("<p style='margin-top:0'><small>%1</small></p>").arg(esc(p));
    }
    if (!e.proxy.isEmpty())
        h += QStringLiteral("<p><b>%1</b> %2</p>").arg(tr("Proxy:"), esc(e.proxy));
    if (e.request)
        h += QStringLiteral("<p><small>%1</small> <code>%2 %3</code></p>")
                 .arg(tr("Request"), esc(e.request->method), esc(e.request->url));
    return h;
}

void EventDetailView::fillIdentifiers(const ApiEvent &e)
{
    while (QLayoutItem *item = m_idGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    int row = 0;
    for (auto name : Identifiers::names()) {
        const QString *v = e.identifiers.field(name);
        if (!v || v->isEmpty())
            continue;
        const QString n = toQString(name);
        auto *label = new QLabel(n);
        auto *value = new QLineEdit(*v);
        value->setObjectName(QStringLiteral("detailId_") + n);
        value->setReadOnly(true);
        value->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        auto *copy = new QToolButton;
        copy->setObjectName(QStringLiteral("detailCopyId_") + n);
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy %1 to the clipboard").arg(n));
        connect(copy, &QToolButton::clicked, this,
                [this, text = *v, n] { copyToClipboard(text, n); });
        m_idGrid->addWidget(label, row, 0);
        m_idGrid->addWidget(value, row, 1);
        m_idGrid->addWidget(copy, row, 2);
        ++row;
    }
    m_idBox->setVisible(row > 0);
}

void EventDetailView::fillRequest(const ApiEvent &e)
{
    if (!e.request) {
        m_requestLine->setText(tr("No request recorded (a token or stream event)."));
        m_requestHeaders->setRowCount(0);
        m_requestBody->clear();
        return;
    }
    m_requestLine->setText(QStringLiteral("<code><b>%1</b> %2</code>")
                               .arg(esc(e.request->method), esc(e.request->url)));
    fillHeaders(m_requestHeaders, e.request->headers);
    m_requestBody->setPlainText(e.request->body.isEmpty() ? QString()
                                                          : prettyBody(e.request->body));
    m_requestBody->setPlaceholderText(tr("(no request body)"));
}

void EventDetailView::fillResponse(const ApiEvent &e)
{
    if (!e.response) {
        m_responseLine->setText(
            e.networkError.isEmpty()
                ? tr("No response.")
                : tr("No response: %1 (%2).").arg(e.networkError, toQString(toString(e.category))));
        m_responseHeaders->setRowCount(0);
        m_responseBody->clear();
        return;
    }
    m_responseLine->setText(tr("<code><b>HTTP %1</b></code> · %2 bytes · %3 ms%4")
                                .arg(esc(statusText(e)))
                                .arg(e.response->size)
                                .arg(e.durationMs, 0, 'f', 1)
                                .arg(e.response->httpVersion.isEmpty()
                                         ? QString()
                                         : QStringLiteral(" · ") + esc(e.response->httpVersion)));
    fillHeaders(m_responseHeaders, e.response->headers);
    m_responseBody->setPlainText(prettyBody(e.response->body));
    m_responseBody->setPlaceholderText(tr("(empty body)"));
}

QList<ApiEvent> EventDetailView::attemptChain(const ApiEvent &event,
                                              const QList<ApiEvent> &candidates)
{
    // Attempts of one request share environment and endpoint and count up 1, 2, 3… in time.
    QList<ApiEvent> same;
    for (const auto &c : candidates)
        if (c.id != event.id && c.endpoint == event.endpoint && c.environment == event.environment)
            same.append(c);
    std::sort(same.begin(), same.end(),
              [](const ApiEvent &a, const ApiEvent &b) { return a.timeMs < b.timeMs; });
    QList<ApiEvent> chain{event};
    // Backwards: the latest earlier event with the previous attempt number.
    for (ApiEvent cur = event; cur.attempt > 1;) {
        const auto it = std::find_if(same.crbegin(), same.crend(), [&](const ApiEvent &c) {
            return c.attempt == cur.attempt - 1 && c.timeMs <= cur.timeMs;
        });
        if (it == same.crend())
            break;
        cur = *it;
        chain.prepend(cur);
    }
    // Forwards: the first later event with the next attempt number, until a new request
    // (attempt 1) starts.
    for (ApiEvent cur = event;;) {
        const auto it = std::find_if(same.cbegin(), same.cend(), [&](const ApiEvent &c) {
            return c.timeMs >= cur.timeMs && (c.attempt == cur.attempt + 1 || c.attempt == 1);
        });
        if (it == same.cend() || it->attempt != cur.attempt + 1)
            break;
        cur = *it;
        chain.append(cur);
    }
    return chain;
}

void EventDetailView::fillTimeline(const QList<ApiEvent> &chain)
{
    m_timeline->setRowCount(int(chain.size()));
    // Shown once there is a retry to tell about; sized to its rows (up to six, then scrolls).
    m_timelineBox->setVisible(chain.size() > 1);
    const int rows = int(std::min<qsizetype>(chain.size(), 6));
    m_timeline->setFixedHeight(m_timeline->horizontalHeader()->sizeHint().height()
                               + rows * m_timeline->verticalHeader()->defaultSectionSize()
                               + 2 * m_timeline->frameWidth() + 6);
    for (int i = 0; i < chain.size(); ++i) {
        const ApiEvent &a = chain[i];
        QString then;
        if (i + 1 < chain.size()) {
            then = a.retry.delayMs ? tr("%1, retried after %2 ms")
                                         .arg(toQString(toString(a.retry.action)))
                                         .arg(*a.retry.delayMs)
                                   : tr("%1, retried").arg(toQString(toString(a.retry.action)));
        } else {
            then = a.isFailure() ? tr("%1 — last attempt").arg(toQString(toString(a.retry.action)))
                                 : tr("done");
        }
        const QStringList cells{QString::number(a.attempt),
                                formatEventTime(a.timeMs),
                                statusText(a),
                                toQString(toString(a.category)),
                                tr("%1 ms").arg(a.durationMs, 0, 'f', 1),
                                then};
        for (int c = 0; c < cells.size(); ++c) {
            auto *item = new QTableWidgetItem(cells[c]);
            if (c == 3)
                item->setForeground(QColor(categoryColour(a)));
            if (a.id == m_event.id) {
                QFont f = item->font();
                f.setBold(true);
                item->setFont(f);
            }
            m_timeline->setItem(i, c, item);
        }
    }
}

QString EventDetailView::curlCommand() const
{
    if (!m_hasEvent)
        return {};
    CurlCommand::Options options;
    if (const Endpoint *ep = m_workspace.endpoint(m_event.endpoint))
        options.credential = m_workspace.credential(ep->credential);
    const CurlCommand curl = CurlCommand::fromEvent(m_event, options);
    return curl.isValid() ? curl.command() : QString();
}

void EventDetailView::copyToClipboard(const QString &text, const QString &what)
{
    if (text.isEmpty())
        return;
    QApplication::clipboard()->setText(text);
    m_copied->setText(tr("%1 copied").arg(what));
    QTimer::singleShot(4000, m_copied, [label = m_copied, t = m_copied->text()] {
        if (label->text() == t)
            label->clear();
    });
}

} // namespace hd
