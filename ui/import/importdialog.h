#pragma once

// ImportDialog (File → Import…): turns a curl command line, an OpenAPI/Swagger file, a
// Postman collection (with an optional environment file) or a HAR into a change of the running
// workspace, shown before anything happens: every endpoint candidate with a checkbox (the
// importer's safe-to-poll ones ticked) and what it would do — added, changed (an existing
// request with the same environment, method and path: your interval and tuning stay),
// unchanged, or why it is not taken — then environments, credentials, what the file had that
// cannot be imported and why, and the secrets found (names and where, never values).
// Accepting hands the merged workspace to the window, which applies it as one undoable step.
//
// Object names: "importDialog", "importFormat" (combo: Detect, curl, OpenAPI, Postman, HAR),
// "importFile", "importBrowse", "importEnvironmentFile", "importBrowseEnvironment",
// "importCurlText", "importPreviewButton", "importPreview" (tree), "importStoreSecrets",
// "importMessage", "importSummary", "importAccept".

#include "importmerge.h"
#include "importsource.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace hd {

class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ImportDialog(const Workspace &current, QWidget *parent = nullptr);

    // Programmatic use (tests, the first-run dialog): the file to import and its format
    // (nullopt: detect), or a pasted curl command line; then preview().
    void setFile(const QString &path, std::optional<ImportFormat> format = std::nullopt);
    void setCurlText(const QString &text);
    // Reads and imports; false with the message shown (nothing is offered).
    bool preview();

    // The candidates the file proposed, by the importer's ids, and which are ticked.
    QStringList candidates() const;
    QStringList checkedEndpoints() const;
    void setEndpointChecked(const QString &id, bool checked);

    // Valid after a successful preview().
    const ImportResult &importResult() const { return m_result; }
    const ImportMergeResult &merged() const { return m_merged; }
    // The secret values to keep: all found values (for this session, at least), and whether
    // the user asked for the keychain.
    QList<ImportedSecret> secretsFound() const;
    bool storeSecretsInKeychain() const;
    // One line: "Endpoints: 3 to add, 1 to change, 0 unchanged, 2 not taken · secrets found: 1".
    QString summary() const;

private:
    void browse();
    void browseEnvironment();
    void remerge();
    void fillPreview();
    void showError(const QString &message);

    Workspace m_current;
    ImportResult m_result;
    ImportMergeResult m_merged;
    bool m_filling = false;

    QComboBox *m_format = nullptr;
    QLineEdit *m_file = nullptr;
    QLineEdit *m_environmentFile = nullptr;
    QPlainTextEdit *m_curlText = nullptr;
    QTreeWidget *m_preview = nullptr;
    QCheckBox *m_storeSecrets = nullptr;
    QLabel *m_message = nullptr;
    QLabel *m_summary = nullptr;
    QPushButton *m_accept = nullptr;
};

} // namespace hd
