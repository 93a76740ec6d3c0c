#pragma once

// FieldErrors: inline validation messages for a form — a red line under the field that is
// wrong, named after the workspace file's member ("intervalMs"), so the workspace file's
// own validation (WorkspaceValidator) lands under the right field.
// The message label of field K has the object name "error_K".

#include <QHash>
#include <QObject>
#include <QString>

class QFormLayout;
class QLabel;
class QWidget;

namespace hd {

class FieldErrors : public QObject
{
    Q_OBJECT
public:
    explicit FieldErrors(QFormLayout *form, QObject *parent = nullptr);

    // Adds a row "label: field" with an (initially hidden) message under it.
    void addRow(const QString &key, const QString &label, QWidget *field);
    // Shows message under key's field; returns false when there is no such field.
    bool show(const QString &key, const QString &message);
    void clear();
    bool hasField(const QString &key) const { return m_fields.contains(key); }
    QWidget *field(const QString &key) const { return m_fields.value(key); }
    // Shows or hides a row (field and message) — e.g. fields that depend on a method.
    void setRowVisible(const QString &key, bool visible);

private:
    QFormLayout *m_form;
    QHash<QString, QWidget *> m_fields;
    QHash<QString, QLabel *> m_errors;
};

} // namespace hd
