#pragma once

// ItemDialog: what the four workspace item dialogs (environment, credential, endpoint, alert
// rule) share — a form with inline messages (FieldErrors), a line for problems that belong to
// no single field, OK/Cancel, and validation of the whole workspace as it would be saved
// (WorkspaceValidator), so a dialog only closes on something the file will load.

#include "fielderrors.h"
#include "workspace.h"

#include <QDialog>

class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QVBoxLayout;

namespace hd {

class ItemDialog : public QDialog
{
    Q_OBJECT
public:
    // section: "environments", "credentials", "endpoints" or "alerts" (the file's member);
    // index: position of the item being edited, -1 for a new one.
    ItemDialog(const Workspace &context, QString section, int index, QWidget *parent);

    void accept() override;

    bool isNew() const { return m_index < 0; }
    int index() const { return m_index; }

protected:
    // Reads the form into the item; false (with messages shown) when a field cannot be read.
    virtual bool readForm() = 0;
    // The workspace with this dialog's item put in (replaced or appended).
    virtual Workspace candidate() const = 0;
    // Called once the whole workspace validates; default: QDialog::accept().
    virtual void finish();

    void showGeneralError(const QString &message);

    const Workspace m_context;
    const QString m_section;
    const int m_index;
    QFormLayout *m_form = nullptr;
    FieldErrors *m_errors = nullptr;
    QVBoxLayout *m_extra = nullptr; // below the form, above the buttons
    QLabel *m_general = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace hd
