#include "customrangedialog.h"

#include <QDateTime>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace hd {

CustomRangeDialog::CustomRangeDialog(qint64 fromMs, qint64 toMs, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("customRangeDialog"));
    setWindowTitle(tr("Chart time range"));
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm:ss");
    m_from = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(fromMs));
    m_from->setObjectName(QStringLiteral("customRangeFrom"));
    m_from->setDisplayFormat(format);
    m_from->setCalendarPopup(true);
    m_to = new QDateTimeEdit(QDateTime::fromMSecsSinceEpoch(toMs));
    m_to->setObjectName(QStringLiteral("customRangeTo"));
    m_to->setDisplayFormat(format);
    m_to->setCalendarPopup(true);
    m_error = new QLabel;
    m_error->setObjectName(QStringLiteral("customRangeError"));
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));

    auto *form = new QFormLayout;
    form->addRow(tr("From:"), m_from);
    form->addRow(tr("To:"), m_to);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_ok = buttons->button(QDialogButtonBox::Ok);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Events are read from the history database.")));
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(m_from, &QDateTimeEdit::dateTimeChanged, this, &CustomRangeDialog::validate);
    connect(m_to, &QDateTimeEdit::dateTimeChanged, this, &CustomRangeDialog::validate);
    validate();
}

qint64 CustomRangeDialog::fromMs() const
{
    return m_from->dateTime().toMSecsSinceEpoch();
}

qint64 CustomRangeDialog::toMs() const
{
    return m_to->dateTime().toMSecsSinceEpoch();
}

void CustomRangeDialog::validate()
{
    const bool ok = toMs() > fromMs();
    m_error->setText(ok ? QString() : tr("“To” must be after “From”."));
    m_error->setVisible(!ok);
    m_ok->setEnabled(ok);
}

} // namespace hd
