#include "fielderrors.h"

#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace hd {

FieldErrors::FieldErrors(QFormLayout *form, QObject *parent)
    : QObject(parent)
    , m_form(form)
{}

void FieldErrors::addRow(const QString &key, const QString &label, QWidget *field)
{
    auto *box = new QWidget;
    auto *v = new QVBoxLayout(box);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    auto *error = new QLabel;
    error->setObjectName(QStringLiteral("error_") + key);
    error->setStyleSheet(QStringLiteral("color: #c62828;"));
    error->setWordWrap(true);
    error->hide();
    v->addWidget(field);
    v->addWidget(error);
    m_form->addRow(label, box);
    m_fields.insert(key, field);
    m_errors.insert(key, error);
}

bool FieldErrors::show(const QString &key, const QString &message)
{
    QLabel *error = m_errors.value(key);
    if (!error)
        return false;
    error->setText(message);
    error->show();
    if (QWidget *f = m_fields.value(key))
        f->setFocus();
    return true;
}

void FieldErrors::clear()
{
    for (QLabel *e : std::as_const(m_errors)) {
        e->clear();
        e->hide();
    }
}

void FieldErrors::setRowVisible(const QString &key, bool visible)
{
    if (QWidget *f = m_fields.value(key))
        m_form->setRowVisible(f->parentWidget(), visible);
}

} // namespace hd
