#include "profilelab.h"

#include "classifier.h"
#include "profileregistry.h"

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSpinBox>
#include <QSplitter>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

namespace hd {
namespace {

struct Sample
{
    const char *name;
    int status;
    const char *headers;
    const char *body;
};

// Real-world shapes from docs/profiles.md, each a starting point to paste over.
constexpr Sample kSamples[] = {
    {"Exchange: retCode/retMsg in a 200", 200, "Content-Type: application/json",
     R"({"retCode":10001,"retMsg":"params error: symbol invalid","result":{},"time":1795298400000})"},
    {"Tradovate penalty ticket", 200, "Content-Type: application/json",
     R"({"p-ticket":"…","p-time":15,"p-captcha":false})"},
    {"GraphQL error in a 200", 200, "Content-Type: application/json",
     R"({"errors":[{"message":"Not authorised","extensions":{"code":"UNAUTHENTICATED"}}],"data":null})"},
    {"S3 XML error", 403, "Content-Type: application/xml\nx-amz-request-id: 4442587FB7D0A2F9",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access "
     "Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>"},
    {"Bearer token expired (empty body)", 401,
     "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", "
     "error_description=\"The access token expired\"",
     ""},
    {"Unknown vendor envelope", 200, "Content-Type: application/json\nX-Request-Id: r-77",
     R"({"result":"FAILED","reason":{"id":"ORD_REJ","text":"price outside the band"}})"},
};

const char *const kStartFrom[] = {"(empty profile)", "code-msg",    "tradovate", "graphql",
                                  "json-rpc",        "error-array", "xml-error", "problem-json"};

const char kEmptyProfile[] = R"({
  "schema": "healthdeck.profile/1",
  "name": "my-vendor",
  "description": "What this vendor's errors look like",
  "detect": { "priority": 5, "shapes": [ { "all": ["result", "reason"] } ] },
  "fields": {
    "code": ["/reason/id"],
    "message": ["/reason/text"]
  },
  "businessFailure": [ { "pointer": "/result", "equals": "FAILED" } ]
}
)";

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

QPlainTextEdit *codeEditor(const char *objectName)
{
    auto *e = new QPlainTextEdit;
    e->setObjectName(QLatin1String(objectName));
    e->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    e->setLineWrapMode(QPlainTextEdit::NoWrap);
    return e;
}

} // namespace

ProfileLab::ProfileLab(QWidget *parent)
    : QWidget(parent)
    , m_dir(ProfileRegistry::userDirectory())
{
    setObjectName(QStringLiteral("profileLab"));
    setWindowTitle(tr("Profile lab"));

    m_samples = new QComboBox;
    m_samples->setObjectName(QStringLiteral("labSamples"));
    m_samples->addItem(tr("Pick a sample response…"));
    for (const Sample &s : kSamples)
        m_samples->addItem(QString::fromUtf8(s.name));
    m_status = new QSpinBox;
    m_status->setObjectName(QStringLiteral("labStatus"));
    m_status->setRange(100, 599);
    m_status->setValue(200);
    m_headers = codeEditor("labHeaders");
    m_headers->setPlaceholderText(tr("Name: value, one header per line"));
    m_headers->setMaximumHeight(90);
    m_body = codeEditor("labBody");
    m_body->setPlaceholderText(tr("Paste the response body here"));
    m_body->setLineWrapMode(QPlainTextEdit::WidgetWidth); // bodies are often one long line

    auto *response = new QWidget;
    auto *responseLayout = new QFormLayout(response);
    responseLayout->addRow(tr("Sample"), m_samples);
    responseLayout->addRow(tr("Status"), m_status);
    responseLayout->addRow(tr("Headers"), m_headers);
    responseLayout->addRow(tr("Body"), m_body);

    m_startFrom = new QComboBox;
    m_startFrom->setObjectName(QStringLiteral("labStartFrom"));
    for (const char *n : kStartFrom)
        m_startFrom->addItem(QString::fromLatin1(n));
    m_profile = codeEditor("labProfile");
    m_save = new QPushButton(tr("Save to my profiles"));
    m_save->setObjectName(QStringLiteral("labSave"));
    m_note = new QLabel;
    m_note->setObjectName(QStringLiteral("labSaveNote"));
    m_note->setWordWrap(true);
    auto *profilePane = new QWidget;
    auto *profileLayout = new QVBoxLayout(profilePane);
    auto *startRow = new QHBoxLayout;
    startRow->addWidget(new QLabel(tr("Start from")));
    startRow->addWidget(m_startFrom, 1);
    profileLayout->addLayout(startRow);
    profileLayout->addWidget(m_profile, 1);
    auto *saveRow = new QHBoxLayout;
    saveRow->addWidget(m_note, 1);
    saveRow->addWidget(m_save);
    profileLayout->addLayout(saveRow);

    m_result = new QTextBrowser;
    m_result->setObjectName(QStringLiteral("labResult"));

    auto *top = new QSplitter(Qt::Horizontal);
    top->addWidget(response);
    top->addWidget(profilePane);
    auto *split = new QSplitter(Qt::Vertical);
    split->addWidget(top);
    split->addWidget(m_result);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(split);

    // Classify after a short typing pause, so each keystroke does not re-parse the profile.
    m_debounce = new QTimer(this);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(150);
    connect(m_debounce, &QTimer::timeout, this, &ProfileLab::refresh);
    for (QPlainTextEdit *e : {m_headers, m_body, m_profile})
        connect(e, &QPlainTextEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_status, &QSpinBox::valueChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_samples, &QComboBox::activated, this, &ProfileLab::pickSample);
    connect(m_startFrom, &QComboBox::activated, this, &ProfileLab::startFrom);
    connect(m_save, &QPushButton::clicked, this, &ProfileLab::save);

    m_profile->setPlainText(QString::fromUtf8(kEmptyProfile));
    pickSample(6);
    refresh();
}

void ProfileLab::setResponse(int status, const QString &headers, const QString &body)
{
    m_status->setValue(status);
    m_headers->setPlainText(headers);
    m_body->setPlainText(body);
}

void ProfileLab::setProfileText(const QString &json)
{
    m_profile->setPlainText(json);
}

void ProfileLab::pickSample(int index)
{
    if (index < 1 || index > int(std::size(kSamples)))
        return;
    const Sample &s = kSamples[index - 1];
    setResponse(s.status, QString::fromUtf8(s.headers), QString::fromUtf8(s.body));
}

void ProfileLab::startFrom(int index)
{
    if (index <= 0) {
        m_profile->setPlainText(QString::fromUtf8(kEmptyProfile));
        return;
    }
    QFile f(QStringLiteral(":/healthdeck/profiles/%1.json").arg(QLatin1String(kStartFrom[index])));
    if (f.open(QIODevice::ReadOnly))
        m_profile->setPlainText(QString::fromUtf8(f.readAll()));
}

void ProfileLab::refresh()
{
    m_debounce->stop();
    // A fresh registry each time: the built-ins plus the profile being edited (which may
    // replace a built-in of the same name, exactly as a saved file would).
    auto registry = std::make_shared<ProfileRegistry>();
    const QByteArray text = m_profile->toPlainText().toUtf8();
    m_profileError
        = text.trimmed().isEmpty() ? QString() : registry->addText(text, QStringLiteral("profile"));
    m_profileName.clear();
    if (m_profileError.isEmpty() && !text.trimmed().isEmpty())
        if (const auto p = ProfileParser::parse(text, QStringLiteral("profile")); p.profile)
            m_profileName = p.profile->name;

    ClassifyInput in;
    in.status = m_status->value();
    for (const QString &line : m_headers->toPlainText().split(u'\n', Qt::SkipEmptyParts)) {
        const qsizetype colon = line.indexOf(u':');
        if (colon > 0)
            in.headers.append(
                {line.left(colon).trimmed().toLatin1(), line.mid(colon + 1).trimmed().toUtf8()});
    }
    in.body = m_body->toPlainText().toUtf8();
    in.profile = m_profileName.isEmpty() ? QStringLiteral("auto") : m_profileName;
    const Classifier classifier(registry);
    m_why = {};
    m_event = classifier.classify(in, &m_why);
    m_result->setHtml(resultHtml());
    m_save->setEnabled(!m_profileName.isEmpty());
    emit classified();
}

QString ProfileLab::resultHtml() const
{
    const ApiEvent &e = m_event;
    QString h;
    if (!m_profileError.isEmpty())
        h += QStringLiteral("<p style='color:#c62828'><b>%1</b> %2</p>")
                 .arg(tr("The profile does not load:"), esc(m_profileError));
    const bool ok = e.category == Category::Ok;
    h += QStringLiteral("<p style='font-size:large'><b style='color:%1'>%2</b> &nbsp;%3</p>")
             .arg(ok ? QStringLiteral("#2e7d32") : QStringLiteral("#c62828"),
                  esc(toQString(toString(e.category))), esc(toQString(toString(e.outcome))));
    QStringList facts;
    if (e.error) {
        facts << tr("code <code>%1</code>")
                     .arg(esc(e.error->code.isEmpty() ? tr("(none)") : e.error->code))
              << tr("message <b>%1</b>").arg(esc(e.error->message))
              << tr("type %1").arg(esc(toQString(toString(e.error->type))));
        for (const auto &d : e.error->details)
            facts << tr("detail <code>%1</code> %2").arg(esc(d.field), esc(d.message));
    }
    facts << tr("retry <b>%1</b>%2")
                 .arg(esc(toQString(toString(e.retry.action))),
                      e.retry.delayMs ? tr(" after %1 ms").arg(*e.retry.delayMs) : QString());
    if (!e.identifiers.traceId.isEmpty())
        facts << tr("traceId <code>%1</code>").arg(esc(e.identifiers.traceId));
    h += QStringLiteral("<p>") + facts.join(QStringLiteral(" · ")) + QStringLiteral("</p>");
    h += QStringLiteral("<p style='margin-bottom:0'><b>%1</b></p><table cellpadding=1>")
             .arg(tr("Why"));
    const std::pair<QString, QString> rows[] = {{tr("profile"), m_why.profile},
                                                {tr("category"), m_why.category},
                                                {tr("code"), m_why.code},
                                                {tr("message"), m_why.message},
                                                {tr("retry"), m_why.retry}};
    for (const auto &[label, text] : rows)
        if (!text.isEmpty())
            h += QStringLiteral(
                     "<tr><td style='color:gray'>%1&nbsp;</td><td><code>%2</code></td></tr>")
                     .arg(esc(label), esc(text));
    return h + QStringLiteral("</table>");
}

QString ProfileLab::save()
{
    refresh();
    if (m_profileName.isEmpty()) {
        m_note->setText(m_profileError.isEmpty() ? tr("Nothing to save.") : m_profileError);
        return {};
    }
    if (m_dir.isEmpty() || !QDir().mkpath(m_dir)) {
        m_note->setText(tr("Cannot create the profile folder %1").arg(m_dir));
        return {};
    }
    const QString path = QDir(m_dir).filePath(m_profileName + QStringLiteral(".json"));
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(m_profile->toPlainText().toUtf8()) < 0
        || !f.commit()) {
        m_note->setText(tr("Cannot save %1: %2").arg(path, f.errorString()));
        return {};
    }
    m_note->setText(tr("Saved to %1 — the engine loads it at its next start.").arg(path));
    return path;
}

} // namespace hd
