#include "workspaceeditordialog.h"

#include "alertruledialog.h"
#include "credentialdialog.h"
#include "endpointdialog.h"
#include "environmentdialog.h"
#include "workspaceeditcommand.h"
#include "workspacefile.h"
#include "workspacevalidator.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeWidget>
#include <QUndoStack>
#include <QVBoxLayout>

namespace hd {

namespace {

constexpr WorkspaceEditorDialog::Kind Kinds[]
    = {WorkspaceEditorDialog::Kind::Environment, WorkspaceEditorDialog::Kind::Credential,
       WorkspaceEditorDialog::Kind::Endpoint, WorkspaceEditorDialog::Kind::Alert};

QStringList usersOf(const Workspace &ws, WorkspaceEditorDialog::Kind kind, const QString &id)
{
    QStringList users;
    for (const auto &ep : ws.endpoints)
        if ((kind == WorkspaceEditorDialog::Kind::Environment && ep.environment == id)
            || (kind == WorkspaceEditorDialog::Kind::Credential && ep.credential == id))
            users.append(ep.id);
    for (const auto &st : ws.streams) // stream monitors (docs/streams.md) refer to both too
        if ((kind == WorkspaceEditorDialog::Kind::Environment && st.environment == id)
            || (kind == WorkspaceEditorDialog::Kind::Credential && st.credential == id))
            users.append(st.id);
    if (kind == WorkspaceEditorDialog::Kind::Environment)
        for (const auto &c : ws.credentials)
            if (c.environment == id)
                users.append(c.id);
    return users;
}

} // namespace

WorkspaceEditorDialog::WorkspaceEditorDialog(const Workspace &workspace, const QString &filePath,
                                             SecretStore *secrets, QWidget *parent)
    : WorkspaceEditorDialog(workspace, filePath, SecretDialogTarget::fromStore(secrets), parent)
{}

WorkspaceEditorDialog::WorkspaceEditorDialog(const Workspace &workspace, const QString &filePath,
                                             SecretDialogTarget secrets, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_path(filePath)
    , m_secrets(std::move(secrets))
{
    setObjectName(QStringLiteral("workspaceEditor"));
    setWindowTitle(tr("Edit workspace — %1").arg(workspace.name));
    m_undo = new QUndoStack(this);

    m_tabs = new QTabWidget;
    m_tabs->setObjectName(QStringLiteral("editorTabs"));
    const QStringList titles{tr("Environments"), tr("Credentials"), tr("Endpoints"),
                             tr("Alert rules")};
    const QList<QStringList> columns{
        {tr("Id"), tr("Name"), tr("Base URL")},
        {tr("Id"), tr("Method"), tr("Environment"), tr("Secret names")},
        {tr("Id"), tr("Environment"), tr("Method"), tr("Path"), tr("Interval"), tr("Credential")},
        {tr("Id"), tr("Kind"), tr("Scope"), tr("Threshold")}};
    for (Kind kind : Kinds) {
        const int k = int(kind);
        const QString name = kindName(kind);
        auto *tree = new QTreeWidget;
        tree->setObjectName(QStringLiteral("editor%1s").arg(name));
        tree->setRootIsDecorated(false);
        tree->setAlternatingRowColors(true);
        tree->setUniformRowHeights(true);
        tree->setHeaderLabels(columns[k]);
        tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
        connect(tree, &QTreeWidget::itemDoubleClicked, this,
                [this, kind] { editItem(kind, currentRow(kind)); });
        m_lists[k] = tree;
        auto *add = new QPushButton(tr("Add…"));
        add->setObjectName(QStringLiteral("editorAdd") + name);
        auto *edit = new QPushButton(tr("Edit…"));
        edit->setObjectName(QStringLiteral("editorEdit") + name);
        auto *del = new QPushButton(tr("Delete"));
        del->setObjectName(QStringLiteral("editorDelete") + name);
        connect(add, &QPushButton::clicked, this, [this, kind] { addItem(kind); });
        connect(edit, &QPushButton::clicked, this,
                [this, kind] { editItem(kind, currentRow(kind)); });
        connect(del, &QPushButton::clicked, this,
                [this, kind] { deleteItem(kind, currentRow(kind)); });
        auto *buttons = new QHBoxLayout;
        buttons->addWidget(add);
        buttons->addWidget(edit);
        buttons->addWidget(del);
        buttons->addStretch(1);
        auto *page = new QWidget;
        auto *v = new QVBoxLayout(page);
        v->addWidget(tree, 1);
        v->addLayout(buttons);
        m_tabs->addTab(page, titles[k]);
    }

    QAction *undo = m_undo->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("editorUndo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_undo->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("editorRedo"));
    redo->setShortcut(QKeySequence::Redo);
    addAction(undo);
    addAction(redo);
    auto *undoButton = new QToolButton;
    undoButton->setDefaultAction(undo);
    undoButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    auto *redoButton = new QToolButton;
    redoButton->setDefaultAction(redo);
    redoButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    m_message = new QLabel;
    m_message->setObjectName(QStringLiteral("editorMessage"));
    m_message->setWordWrap(true);

    auto *box = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Close);
    m_save = box->button(QDialogButtonBox::Save);
    m_save->setObjectName(QStringLiteral("editorSave"));
    m_save->setShortcut(QKeySequence::Save);
    connect(m_save, &QPushButton::clicked, this, &WorkspaceEditorDialog::save);
    connect(box, &QDialogButtonBox::rejected, this, &WorkspaceEditorDialog::reject);

    auto *bottom = new QHBoxLayout;
    bottom->addWidget(undoButton);
    bottom->addWidget(redoButton);
    bottom->addWidget(m_message, 1);
    bottom->addWidget(box);

    auto *layout = new QVBoxLayout(this);
    auto *where = new QLabel(filePath.isEmpty() ? tr("Not saved yet: Save asks for a file.")
                                                : tr("File: %1").arg(filePath));
    where->setObjectName(QStringLiteral("editorFile"));
    where->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(where);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(bottom);
    connect(m_undo, &QUndoStack::cleanChanged, this, [this](bool clean) {
        setWindowTitle(tr("Edit workspace — %1%2")
                           .arg(m_workspace.name, clean ? QString() : QStringLiteral(" *")));
    });
    resize(960, 560);
    refresh();
}

WorkspaceEditorDialog::~WorkspaceEditorDialog()
{
    // The undo stack is a child: QObject deletes it after this class's members are gone, and
    // its clear() on the way out emits cleanChanged into a slot that reads m_workspace.
    disconnect(m_undo, nullptr, this, nullptr);
}

QString WorkspaceEditorDialog::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Environment:
        return QStringLiteral("Environment");
    case Kind::Credential:
        return QStringLiteral("Credential");
    case Kind::Endpoint:
        return QStringLiteral("Endpoint");
    case Kind::Alert:
        return QStringLiteral("Alert");
    }
    return {};
}

QTreeWidget *WorkspaceEditorDialog::list(Kind kind) const
{
    return m_lists[int(kind)];
}

int WorkspaceEditorDialog::currentRow(Kind kind) const
{
    QTreeWidget *tree = list(kind);
    return tree->currentItem() ? tree->indexOfTopLevelItem(tree->currentItem()) : -1;
}

bool WorkspaceEditorDialog::isModified() const
{
    return !m_undo->isClean();
}

void WorkspaceEditorDialog::refresh()
{
    auto fill = [](QTreeWidget *tree, const QList<QStringList> &rows) {
        const int current
            = tree->currentItem() ? tree->indexOfTopLevelItem(tree->currentItem()) : -1;
        tree->clear();
        for (const auto &r : rows)
            tree->addTopLevelItem(new QTreeWidgetItem(r));
        if (tree->topLevelItemCount() > 0)
            tree->setCurrentItem(
                tree->topLevelItem(std::clamp(current, 0, tree->topLevelItemCount() - 1)));
    };
    QList<QStringList> rows;
    for (const auto &e : m_workspace.environments)
        rows.append({e.id, e.name, e.baseUrl});
    fill(list(Kind::Environment), rows);
    rows.clear();
    for (const auto &c : m_workspace.credentials)
        rows.append({c.id, toString(c.method), c.environment.isEmpty() ? tr("any") : c.environment,
                     QStringList{c.secretName, c.secondSecretName}
                         .filter(QRegularExpression(QStringLiteral(".")))
                         .join(QStringLiteral(", "))});
    fill(list(Kind::Credential), rows);
    rows.clear();
    for (const auto &e : m_workspace.endpoints)
        rows.append({e.id, e.environment, e.method, e.path,
                     tr("%1 s").arg(e.intervalMs / 1000.0, 0, 'g', 4), e.credential});
    fill(list(Kind::Endpoint), rows);
    rows.clear();
    for (const auto &a : m_workspace.alerts)
        rows.append({a.id, a.kind, a.scope, QString::number(a.threshold)});
    fill(list(Kind::Alert), rows);
    for (Kind kind : Kinds)
        m_tabs->setTabText(int(kind),
                           QStringLiteral("%1 (%2)")
                               .arg(m_tabs->tabText(int(kind)).section(QStringLiteral(" ("), 0, 0))
                               .arg(list(kind)->topLevelItemCount()));
}

void WorkspaceEditorDialog::apply(const Workspace &ws)
{
    m_workspace = ws;
    refresh();
}

void WorkspaceEditorDialog::change(const QString &text, const Workspace &after)
{
    m_undo->push(new WorkspaceEditCommand(text, m_workspace, after,
                                          [this](const Workspace &ws) { apply(ws); }));
    showMessage(tr("%1. Not saved yet.").arg(text), false);
}

void WorkspaceEditorDialog::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

void WorkspaceEditorDialog::addItem(Kind kind)
{
    editItem(kind, -1);
}

void WorkspaceEditorDialog::editItem(Kind kind, int row)
{
    const int count = list(kind)->topLevelItemCount();
    if (row >= count)
        return;
    ItemDialog *dialog = nullptr;
    switch (kind) {
    case Kind::Environment:
        dialog = new EnvironmentDialog(m_workspace, row, this);
        break;
    case Kind::Credential:
        dialog = new CredentialDialog(m_workspace, row, m_secrets, this);
        break;
    case Kind::Endpoint:
        dialog = new EndpointDialog(m_workspace, row, this);
        break;
    case Kind::Alert:
        dialog = new AlertRuleDialog(m_workspace, row, this);
        break;
    }
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, kind, row] {
        Workspace after = m_workspace;
        QString id;
        auto put = [row](auto &items, const auto &item) {
            if (row < 0)
                items.append(item);
            else
                items[row] = item;
        };
        switch (kind) {
        case Kind::Environment: {
            const auto &e = static_cast<EnvironmentDialog *>(dialog)->environment();
            put(after.environments, e);
            id = e.id;
            break;
        }
        case Kind::Credential: {
            const auto &c = static_cast<CredentialDialog *>(dialog)->credential();
            put(after.credentials, c);
            id = c.id;
            break;
        }
        case Kind::Endpoint: {
            const auto &e = static_cast<EndpointDialog *>(dialog)->endpoint();
            put(after.endpoints, e);
            id = e.id;
            break;
        }
        case Kind::Alert: {
            const auto &a = static_cast<AlertRuleDialog *>(dialog)->rule();
            put(after.alerts, a);
            id = a.id;
            break;
        }
        }
        if (after == m_workspace)
            return;
        change(row < 0 ? tr("Added %1 %2").arg(kindName(kind).toLower(), id)
                       : tr("Edited %1 %2").arg(kindName(kind).toLower(), id),
               after);
        QTreeWidget *tree = list(kind);
        tree->setCurrentItem(tree->topLevelItem(row < 0 ? tree->topLevelItemCount() - 1 : row));
    });
    dialog->open();
}

bool WorkspaceEditorDialog::deleteItem(Kind kind, int row)
{
    if (row < 0 || row >= list(kind)->topLevelItemCount())
        return false;
    Workspace after = m_workspace;
    QString id;
    switch (kind) {
    case Kind::Environment:
        id = after.environments.takeAt(row).id;
        break;
    case Kind::Credential:
        id = after.credentials.takeAt(row).id;
        break;
    case Kind::Endpoint:
        id = after.endpoints.takeAt(row).id;
        break;
    case Kind::Alert:
        id = after.alerts.takeAt(row).id;
        break;
    }
    const QStringList users = usersOf(m_workspace, kind, id);
    if (!users.isEmpty()) {
        showMessage(tr("%1 %2 is still used by %3; change or delete those first.")
                        .arg(kindName(kind), id, users.join(QStringLiteral(", "))),
                    true);
        return false;
    }
    change(tr("Deleted %1 %2 (Ctrl+Z undoes)").arg(kindName(kind).toLower(), id), after);
    return true;
}

bool WorkspaceEditorDialog::save()
{
    if (const auto problem = WorkspaceValidator::check(m_workspace)) {
        showMessage(tr("Not saved: %1%2")
                        .arg(problem->pointer.isEmpty() ? QString()
                                                        : problem->pointer + QStringLiteral(": "),
                             problem->message),
                    true);
        return false;
    }
    QString path = m_path;
    if (path.isEmpty()) {
        path = QFileDialog::getSaveFileName(this, tr("Save workspace"), QString(),
                                            tr("HealthDeck workspaces (*.json)"));
        if (path.isEmpty())
            return false;
    }
    const QString error = WorkspaceFile::save(m_workspace, path);
    if (!error.isEmpty()) {
        showMessage(tr("Not saved: %1").arg(error), true);
        return false;
    }
    m_path = path;
    m_undo->setClean();
    showMessage(tr("Saved to %1").arg(path), false);
    emit workspaceChanged(m_workspace);
    emit saved(path);
    return true;
}

void WorkspaceEditorDialog::reject()
{
    if (isModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"), tr("Save the changes to the workspace?"),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !save()))
            return;
    }
    QDialog::reject();
}

} // namespace hd
