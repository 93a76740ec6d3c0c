#pragma once

// FirstRunDialog: the first thing a new user sees (no workspace was ever opened): "Open the
// demo" — a simulated trading desk having a bad day — or "Add your API": paste a curl command
// line from the vendor's docs, or import an OpenAPI, Postman or HAR file (ImportDialog). The
// window saves what was added as a workspace file and starts polling it.
//
// Object names: "firstRunDialog", "firstRunDemo", "firstRunCurl" (text), "firstRunAddCurl",
// "firstRunImportFile", "firstRunMessage".

#include "importresult.h"

#include <QDialog>

class QLabel;
class QPlainTextEdit;

namespace hd {

class FirstRunDialog : public QDialog
{
    Q_OBJECT
public:
    enum class Choice { None, Demo, Workspace };

    explicit FirstRunDialog(QWidget *parent = nullptr);

    Choice choice() const { return m_choice; }
    // Choice::Workspace: the new workspace, and the secret values found in what was pasted or
    // imported (kept for this session; to the keychain when keychain() is true).
    const Workspace &workspace() const { return m_workspace; }
    const QList<ImportedSecret> &secrets() const { return m_secrets; }
    bool keychain() const { return m_keychain; }
    // A line for the status bar: what was added and what is paused, and why.
    QString summary() const { return m_summary; }

    // The buttons' work, callable by tests: false with the message shown.
    bool addCurl(const QString &commandLine);
    void chooseDemo();
    void importFile();

private:
    void showError(const QString &message);

    Choice m_choice = Choice::None;
    Workspace m_workspace;
    QList<ImportedSecret> m_secrets;
    bool m_keychain = false;
    QString m_summary;
    QPlainTextEdit *m_curl = nullptr;
    QLabel *m_message = nullptr;
};

} // namespace hd
