#include "firstrundialog.h"

#include "curlimporter.h"
#include "filedialogs.h"
#include "importdialog.h"
#include "importmerge.h"

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace hd {

FirstRunDialog::FirstRunDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("firstRunDialog"));
    setWindowTitle(tr("Welcome to HealthDeck"));
    resize(720, 460);

    auto *title = new QLabel(tr("<h2>Watch your trading APIs in two minutes</h2>"), this);
    auto *intro = new QLabel(
        tr("HealthDeck polls the endpoints you care about, tells a rate limit from an outage "
           "and an expired token from a wrong password, and alerts before the desk notices."),
        this);
    intro->setWordWrap(true);

    auto *demoBox = new QGroupBox(tr("Look around first"), this);
    auto *demoText = new QLabel(tr("A simulated trading desk having a bad day: token expiry, "
                                   "rate limits, lockouts and outages on a built-in simulator. "
                                   "Nothing leaves this machine."),
                                demoBox);
    demoText->setWordWrap(true);
    auto *demo = new QPushButton(tr("Open the &demo"), demoBox);
    demo->setObjectName(QStringLiteral("firstRunDemo"));
    connect(demo, &QPushButton::clicked, this, &FirstRunDialog::chooseDemo);
    auto *demoLayout = new QHBoxLayout(demoBox);
    demoLayout->addWidget(demoText, 1);
    demoLayout->addWidget(demo);

    auto *apiBox = new QGroupBox(tr("Add your API"), this);
    auto *curlLabel = new QLabel(tr("Paste a curl command from your vendor's documentation "
                                    "(tokens and passwords go to the keychain, never into the "
                                    "workspace file):"),
                                 apiBox);
    curlLabel->setWordWrap(true);
    m_curl = new QPlainTextEdit(apiBox);
    m_curl->setObjectName(QStringLiteral("firstRunCurl"));
    m_curl->setPlaceholderText(
        QStringLiteral("curl -H 'Authorization: Bearer $API_TOKEN' https://api.example-broker.com"
                       "/v1/accounts"));
    auto *add = new QPushButton(tr("&Add and start polling"), apiBox);
    add->setObjectName(QStringLiteral("firstRunAddCurl"));
    add->setDefault(true);
    connect(add, &QPushButton::clicked, this, [this] { addCurl(m_curl->toPlainText()); });
    auto *file = new QPushButton(tr("Import a &file (OpenAPI, Postman, HAR)…"), apiBox);
    file->setObjectName(QStringLiteral("firstRunImportFile"));
    connect(file, &QPushButton::clicked, this, &FirstRunDialog::importFile);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(file);
    buttons->addStretch(1);
    buttons->addWidget(add);
    auto *apiLayout = new QVBoxLayout(apiBox);
    apiLayout->addWidget(curlLabel);
    apiLayout->addWidget(m_curl, 1);
    apiLayout->addLayout(buttons);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("firstRunMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addWidget(intro);
    layout->addWidget(apiBox, 1);
    layout->addWidget(m_message);
    layout->addWidget(demoBox);
}

void FirstRunDialog::showError(const QString &message)
{
    m_message->setText(message);
    m_message->show();
}

void FirstRunDialog::chooseDemo()
{
    m_choice = Choice::Demo;
    accept();
}

bool FirstRunDialog::addCurl(const QString &commandLine)
{
    if (commandLine.trimmed().isEmpty()) {
        showError(tr("Paste a curl command first (or open the demo)."));
        return false;
    }
    const ImportResult r = importCurl(commandLine.toUtf8(), tr("the pasted command"));
    if (!r.ok()) {
        showError(r.error);
        return false;
    }
    if (r.endpoints.isEmpty()) {
        showError(tr("That command has no request HealthDeck can poll%1")
                      .arg(r.skipped.isEmpty() ? QStringLiteral(".")
                                               : QStringLiteral(": ") + r.skipped.first().why));
        return false;
    }
    // What you pasted is what you meant: requests that are not safe to repeat come along
    // paused (with the reason), not dropped.
    ImportMergeOptions options;
    options.includeUnselectedPaused = true;
    const ImportMergeResult merged = mergeImport(Workspace(), r, options);
    if (!merged.ok()) {
        showError(merged.error);
        return false;
    }
    m_workspace = merged.workspace;
    if (m_workspace.name.isEmpty())
        m_workspace.name = tr("My API");
    for (const ImportedSecret &s : r.secrets)
        if (s.hasValue())
            m_secrets.append(s);
    m_keychain = true;
    QStringList paused;
    for (const ImportedEndpoint &e : r.endpoints)
        if (!e.selected)
            paused.append(QStringLiteral("%1 (%2)").arg(e.endpoint.id, e.note));
    m_summary = paused.isEmpty()
                    ? tr("Added %n endpoint(s); polling every 60 s", "", int(r.endpoints.size()))
                    : tr("Added %1 endpoint(s); paused until you resume them: %2")
                          .arg(r.endpoints.size())
                          .arg(paused.join(QStringLiteral(", ")));
    m_choice = Choice::Workspace;
    accept();
    return true;
}

void FirstRunDialog::importFile()
{
    const QString path = FileDialogs::openFile(
        this, tr("Import an API description"),
        tr("API descriptions (*.json *.yaml *.yml *.har *.sh *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    auto *dialog = new ImportDialog(Workspace(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFile(path);
    dialog->preview(); // a refused file shows its one-line reason in the dialog
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        m_workspace = dialog->merged().workspace;
        if (m_workspace.name.isEmpty())
            m_workspace.name = tr("My API");
        m_secrets = dialog->secretsFound();
        m_keychain = dialog->storeSecretsInKeychain();
        m_summary = dialog->summary();
        m_choice = Choice::Workspace;
        accept();
    });
    dialog->open();
}

} // namespace hd
