#include "itemdialog.h"

#include "workspacevalidator.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hd {

ItemDialog::ItemDialog(const Workspace &context, QString section, int index, QWidget *parent)
    : QDialog(parent)
    , m_context(context)
    , m_section(std::move(section))
    , m_index(index)
{
    m_form = new QFormLayout;
    m_form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    m_errors = new FieldErrors(m_form, this);
    m_extra = new QVBoxLayout;
    m_general = new QLabel;
    m_general->setObjectName(QStringLiteral("itemError"));
    m_general->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_general->setWordWrap(true);
    m_general->hide();
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("itemOk"));
    m_buttons->button(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("itemCancel"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &ItemDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &ItemDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addLayout(m_extra);
    layout->addWidget(m_general);
    layout->addStretch(1);
    layout->addWidget(m_buttons);
}

void ItemDialog::showGeneralError(const QString &message)
{
    m_general->setText(message);
    m_general->show();
}

void ItemDialog::accept()
{
    m_errors->clear();
    m_general->hide();
    if (!readForm())
        return;
    const Workspace ws = candidate();
    if (const auto problem = WorkspaceValidator::check(ws)) {
        const qsizetype count = m_section == u"environments"  ? ws.environments.size()
                                : m_section == u"credentials" ? ws.credentials.size()
                                : m_section == u"endpoints"   ? ws.endpoints.size()
                                                              : ws.alerts.size();
        const int mine = isNew() ? int(count) - 1 : m_index;
        if (problem->index(m_section) == mine && m_errors->show(problem->field(), problem->message))
            return;
        showGeneralError(problem->pointer.isEmpty()
                             ? problem->message
                             : tr("%1: %2").arg(problem->pointer, problem->message));
        return;
    }
    finish();
}

void ItemDialog::finish()
{
    QDialog::accept();
}

} // namespace hd
