#include "importdialog.h"

#include "environmentsecretstore.h"
#include "filedialogs.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace hd {

namespace {

constexpr int IdRole = Qt::UserRole + 1;
// An id no importer proposes: "take no endpoint" (an empty list means "the importer's pick").
const QString NoEndpoint = QStringLiteral("\n");

QTreeWidgetItem *group(QTreeWidget *tree, const QString &title)
{
    auto *item = new QTreeWidgetItem(tree, {title});
    QFont f = item->font(0);
    f.setBold(true);
    item->setFont(0, f);
    item->setFirstColumnSpanned(true);
    item->setFlags(Qt::ItemIsEnabled);
    return item;
}

QString requestText(const Endpoint &e)
{
    return QStringLiteral("%1 %2  (%3)").arg(e.method, e.path, e.environment);
}

} // namespace

ImportDialog::ImportDialog(const Workspace &current, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(
        tr("Import into %1").arg(current.name.isEmpty() ? tr("the workspace") : current.name));
    resize(1040, 640);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("importFormat"));
    m_format->addItem(tr("Detect from the file"), QString());
    m_format->addItem(tr("curl command line"), QStringLiteral("curl"));
    m_format->addItem(tr("OpenAPI 3 / Swagger 2 (JSON or YAML)"), QStringLiteral("openapi"));
    m_format->addItem(tr("Postman collection v2.1"), QStringLiteral("postman"));
    m_format->addItem(tr("HAR 1.2 (browser network log)"), QStringLiteral("har"));

    m_file = new QLineEdit(this);
    m_file->setObjectName(QStringLiteral("importFile"));
    m_file->setPlaceholderText(tr("a .json, .yaml, .har or .sh file"));
    auto *browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("importBrowse"));
    connect(browse, &QPushButton::clicked, this, &ImportDialog::browse);
    auto *fileRow = new QHBoxLayout;
    fileRow->addWidget(m_file, 1);
    fileRow->addWidget(browse);

    m_environmentFile = new QLineEdit(this);
    m_environmentFile->setObjectName(QStringLiteral("importEnvironmentFile"));
    m_environmentFile->setPlaceholderText(tr("optional: a Postman environment file"));
    auto *browseEnv = new QPushButton(tr("Browse…"), this);
    browseEnv->setObjectName(QStringLiteral("importBrowseEnvironment"));
    connect(browseEnv, &QPushButton::clicked, this, &ImportDialog::browseEnvironment);
    auto *envRow = new QHBoxLayout;
    envRow->addWidget(m_environmentFile, 1);
    envRow->addWidget(browseEnv);

    m_curlText = new QPlainTextEdit(this);
    m_curlText->setObjectName(QStringLiteral("importCurlText"));
    m_curlText->setPlaceholderText(
        tr("…or paste curl command lines here (from the vendor's docs or a support bundle)"));
    m_curlText->setMaximumHeight(80);

    auto *previewButton = new QPushButton(tr("&Preview"), this);
    previewButton->setObjectName(QStringLiteral("importPreviewButton"));
    connect(previewButton, &QPushButton::clicked, this, [this] { preview(); });

    auto *form = new QFormLayout;
    form->addRow(tr("&Format:"), m_format);
    form->addRow(tr("File:"), fileRow);
    form->addRow(tr("Environment:"), envRow);
    form->addRow(tr("c&url:"), m_curlText);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("importMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setStyleSheet(QStringLiteral("color: palette(highlight);"));
    m_message->hide();

    m_preview = new QTreeWidget(this);
    m_preview->setObjectName(QStringLiteral("importPreview"));
    m_preview->setHeaderLabels({tr("Item"), tr("Request / detail"), tr("What happens")});
    m_preview->setRootIsDecorated(true);
    m_preview->setUniformRowHeights(true);
    m_preview->header()->setSectionResizeMode(QHeaderView::Interactive);
    m_preview->header()->setStretchLastSection(true);
    m_preview->setColumnWidth(0, 220);
    m_preview->setColumnWidth(1, 300);
    connect(m_preview, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem *item, int column) {
        if (!m_filling && column == 0 && !item->data(0, IdRole).toString().isEmpty())
            remerge();
    });

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("importSummary"));
    m_storeSecrets = new QCheckBox(this);
    m_storeSecrets->setObjectName(QStringLiteral("importStoreSecrets"));
    m_storeSecrets->setChecked(true);
    m_storeSecrets->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_accept = buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    m_accept->setObjectName(QStringLiteral("importAccept"));
    m_accept->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *top = new QHBoxLayout;
    top->addLayout(form, 1);
    top->addWidget(previewButton, 0, Qt::AlignBottom);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_message);
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_storeSecrets);
    layout->addWidget(buttons);
}

void ImportDialog::setFile(const QString &path, std::optional<ImportFormat> format)
{
    m_file->setText(path);
    m_format->setCurrentIndex(format ? m_format->findData(toString(*format)) : 0);
}

void ImportDialog::setCurlText(const QString &text)
{
    m_file->clear();
    m_curlText->setPlainText(text);
    m_format->setCurrentIndex(m_format->findData(QStringLiteral("curl")));
}

void ImportDialog::browse()
{
    const QString path = FileDialogs::openFile(
        this, tr("Import a file"),
        tr("API descriptions (*.json *.yaml *.yml *.har *.sh *.txt);;All files (*)"));
    if (path.isEmpty())
        return;
    m_file->setText(path);
    preview();
}

void ImportDialog::browseEnvironment()
{
    const QString path = FileDialogs::openFile(this, tr("Postman environment"),
                                               tr("Postman environments (*.json);;All files (*)"));
    if (!path.isEmpty())
        m_environmentFile->setText(path);
}

void ImportDialog::showError(const QString &message)
{
    m_result = {};
    m_merged = {};
    m_preview->clear();
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    m_summary->clear();
    m_storeSecrets->hide();
    m_accept->setEnabled(false);
}

bool ImportDialog::preview()
{
    const QString path = m_file->text().trimmed();
    std::optional<ImportFormat> format = importFormatFromString(m_format->currentData().toString());
    QByteArray contents;
    QString origin;
    if (path.isEmpty()) {
        // Pasted text: curl unless the combo says otherwise.
        contents = m_curlText->toPlainText().toUtf8();
        if (contents.trimmed().isEmpty()) {
            showError(tr("Choose a file or paste a curl command line."));
            return false;
        }
        origin = tr("pasted text");
        if (!format)
            format = detectImportFormat({}, contents).value_or(ImportFormat::Curl);
    } else {
        QString error;
        const auto data = readImportFile(path, &error);
        if (!data) {
            showError(error);
            return false;
        }
        contents = *data;
        origin = QFileInfo(path).fileName();
        if (!format)
            format = detectImportFormat(path, contents);
        if (!format) {
            showError(tr("%1: not a format HealthDeck recognises; choose curl, OpenAPI, Postman "
                         "or HAR above")
                          .arg(origin));
            return false;
        }
    }
    QByteArray environment;
    QString environmentOrigin;
    if (*format == ImportFormat::Postman && !m_environmentFile->text().trimmed().isEmpty()) {
        QString error;
        const auto env = readImportFile(m_environmentFile->text().trimmed(), &error);
        if (!env) {
            showError(error);
            return false;
        }
        environment = *env;
        environmentOrigin = QFileInfo(m_environmentFile->text().trimmed()).fileName();
    }
    ImportResult result = runImporter(*format, contents, origin, environment, environmentOrigin);
    if (!result.ok()) {
        showError(result.error);
        return false;
    }
    m_result = std::move(result);
    m_message->hide();
    m_filling = true;
    m_preview->clear();
    auto *endpoints = group(m_preview, tr("Endpoints"));
    for (const ImportedEndpoint &e : std::as_const(m_result.endpoints)) {
        auto *item = new QTreeWidgetItem(endpoints, {e.endpoint.id, requestText(e.endpoint)});
        item->setData(0, IdRole, e.endpoint.id);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
        item->setCheckState(0, e.selected ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(2, e.note);
    }
    m_filling = false;
    remerge();
    return m_merged.ok();
}

QStringList ImportDialog::candidates() const
{
    QStringList ids;
    for (const ImportedEndpoint &e : m_result.endpoints)
        ids.append(e.endpoint.id);
    return ids;
}

QStringList ImportDialog::checkedEndpoints() const
{
    QStringList ids;
    if (m_preview->topLevelItemCount() == 0)
        return ids;
    const QTreeWidgetItem *endpoints = m_preview->topLevelItem(0);
    for (int i = 0; i < endpoints->childCount(); ++i)
        if (endpoints->child(i)->checkState(0) == Qt::Checked)
            ids.append(endpoints->child(i)->data(0, IdRole).toString());
    return ids;
}

void ImportDialog::setEndpointChecked(const QString &id, bool checked)
{
    if (m_preview->topLevelItemCount() == 0)
        return;
    QTreeWidgetItem *endpoints = m_preview->topLevelItem(0);
    for (int i = 0; i < endpoints->childCount(); ++i)
        if (endpoints->child(i)->data(0, IdRole).toString() == id)
            endpoints->child(i)->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
}

void ImportDialog::remerge()
{
    ImportMergeOptions options;
    options.endpoints = checkedEndpoints();
    if (options.endpoints.isEmpty())
        options.endpoints = {NoEndpoint};
    m_merged = mergeImport(m_current, m_result, options);
    fillPreview();
}

void ImportDialog::fillPreview()
{
    m_filling = true;
    // Endpoint rows: the merge reports taken endpoints in the import's order.
    QList<ImportChange> endpointChanges;
    for (const ImportChange &c : std::as_const(m_merged.changes))
        if (c.what == u"endpoint" && c.kind != ImportChange::Kind::Skipped)
            endpointChanges.append(c);
    QTreeWidgetItem *endpoints = m_preview->topLevelItem(0);
    int taken = 0;
    int added = 0;
    int changed = 0;
    for (int i = 0; i < endpoints->childCount(); ++i) {
        QTreeWidgetItem *item = endpoints->child(i);
        const ImportedEndpoint &e = m_result.endpoints.at(i);
        QString text;
        if (item->checkState(0) != Qt::Checked) {
            text = tr("not taken") + (e.note.isEmpty() ? QString() : QStringLiteral(": ") + e.note);
            item->setForeground(2, palette().brush(QPalette::Disabled, QPalette::Text));
        } else if (taken < endpointChanges.size()) {
            const ImportChange &c = endpointChanges.at(taken++);
            added += c.kind == ImportChange::Kind::Added;
            changed += c.kind == ImportChange::Kind::Changed;
            text = c.kind == ImportChange::Kind::Added     ? tr("add as %1").arg(c.id)
                   : c.kind == ImportChange::Kind::Changed ? tr("change %1 (%2; your interval "
                                                                "and tuning stay)")
                                                                 .arg(c.id, c.why)
                                                           : tr("unchanged (%1)").arg(c.id);
            if (c.kind == ImportChange::Kind::Added && !c.why.isEmpty())
                text += QStringLiteral(" — ") + c.why;
            item->setForeground(2, palette().brush(QPalette::Active, QPalette::Text));
        }
        item->setText(2, text);
        item->setToolTip(2, text); // the column may cut a long reason short
    }
    endpoints->setText(0, tr("Endpoints (%1 of %2 taken)")
                              .arg(checkedEndpoints().size())
                              .arg(endpoints->childCount()));
    // Everything below the endpoints is rebuilt from the merge.
    while (m_preview->topLevelItemCount() > 1)
        delete m_preview->takeTopLevelItem(1);
    auto section = [this](const QString &title, const QString &what) {
        QTreeWidgetItem *g = nullptr;
        for (const ImportChange &c : std::as_const(m_merged.changes)) {
            if (c.what != what)
                continue;
            if (!g)
                g = group(m_preview, title);
            new QTreeWidgetItem(g, {c.id, c.why, toString(c.kind)});
        }
    };
    section(tr("Environments"), QStringLiteral("environment"));
    section(tr("Credentials"), QStringLiteral("credential"));
    QTreeWidgetItem *skipped = nullptr;
    for (const ImportChange &c : std::as_const(m_merged.changes)) {
        if (c.kind != ImportChange::Kind::Skipped || c.what == u"endpoint")
            continue;
        if (!skipped)
            skipped = group(m_preview, tr("Not imported"));
        new QTreeWidgetItem(skipped, {c.what, c.why, tr("skipped")});
    }
    int values = 0;
    if (!m_result.secrets.isEmpty()) {
        auto *g = group(m_preview, tr("Secrets (values never enter the workspace)"));
        for (const ImportedSecret &s : std::as_const(m_result.secrets)) {
            values += s.hasValue();
            new QTreeWidgetItem(
                g, {s.secretName, tr("credential %1, from %2").arg(s.credential, s.foundAt),
                    s.hasValue() ? tr("value found: kept for this session")
                                 : tr("not in the file: set %1 or enter it when asked")
                                       .arg(EnvironmentSecretStore::variableName(s.secretName))});
        }
    }
    if (!m_result.notes.isEmpty()) {
        auto *g = group(m_preview, tr("Notes"));
        for (const QString &n : std::as_const(m_result.notes)) {
            auto *item = new QTreeWidgetItem(g, {n});
            item->setFirstColumnSpanned(true);
        }
    }
    m_preview->expandAll();
    m_storeSecrets->setText(
        tr("Also store the %n secret value(s) found in the OS keychain", "", values));
    m_storeSecrets->setVisible(values > 0);
    m_filling = false;

    if (!m_merged.ok()) {
        m_message->setText(
            tr("This import would make a workspace that does not load: %1").arg(m_merged.error));
        m_message->show();
    } else {
        m_message->hide();
    }
    m_summary->setText(summary());
    m_accept->setEnabled(m_merged.ok() && (added + changed) > 0);
}

QString ImportDialog::summary() const
{
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    for (const ImportChange &c : m_merged.changes) {
        if (c.what != u"endpoint")
            continue;
        added += c.kind == ImportChange::Kind::Added;
        changed += c.kind == ImportChange::Kind::Changed;
        unchanged += c.kind == ImportChange::Kind::Unchanged;
    }
    const int notTaken = int(m_result.endpoints.size()) - added - changed - unchanged;
    return tr("Endpoints: %1 to add, %2 to change, %3 unchanged, %4 not taken · secrets found: %5")
        .arg(added)
        .arg(changed)
        .arg(unchanged)
        .arg(std::max(0, notTaken))
        .arg(m_result.secrets.size());
}

QList<ImportedSecret> ImportDialog::secretsFound() const
{
    QList<ImportedSecret> out;
    // Only secrets of credentials the merged workspace uses (an untaken endpoint's are not).
    for (const ImportedSecret &s : m_result.secrets)
        if (s.hasValue()
            && std::any_of(m_merged.workspace.credentials.cbegin(),
                           m_merged.workspace.credentials.cend(), [&s](const Credential &c) {
                               return c.secretName == s.secretName
                                      || c.secondSecretName == s.secretName;
                           }))
            out.append(s);
    return out;
}

bool ImportDialog::storeSecretsInKeychain() const
{
    return !m_storeSecrets->isHidden() && m_storeSecrets->isChecked();
}

} // namespace hd
