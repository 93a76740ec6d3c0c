#include "environmentdialog.h"

#include <QCheckBox>
#include <QLineEdit>

namespace hd {

EnvironmentDialog::EnvironmentDialog(const Workspace &context, int index, QWidget *parent)
    : ItemDialog(context, QStringLiteral("environments"), index, parent)
    , m_item(index >= 0 ? context.environments.value(index) : Environment{})
{
    setObjectName(QStringLiteral("environmentDialog"));
    setWindowTitle(isNew() ? tr("New environment") : tr("Environment %1").arg(m_item.id));
    auto edit = [](const QString &name, const QString &text, const QString &placeholder) {
        auto *e = new QLineEdit(text);
        e->setObjectName(name);
        e->setPlaceholderText(placeholder);
        return e;
    };
    m_id = edit(QStringLiteral("envId"), m_item.id, tr("prod"));
    m_name = edit(QStringLiteral("envName"), m_item.name, tr("Production"));
    m_baseUrl = edit(QStringLiteral("envBaseUrl"), m_item.baseUrl,
                     tr("https://api.example.com, or sim:/prod for the built-in simulator"));
    m_caFile = edit(QStringLiteral("envCaFile"), m_item.caFile,
                    tr("optional: PEM file of a private CA"));
    m_errors->addRow(QStringLiteral("id"), tr("Id"), m_id);
    m_errors->addRow(QStringLiteral("name"), tr("Name"), m_name);
    m_errors->addRow(QStringLiteral("baseUrl"), tr("Base URL"), m_baseUrl);
    m_errors->addRow(QStringLiteral("caFile"), tr("CA file"), m_caFile);
    m_allowInsecureSecrets = new QCheckBox(tr("Send stored secrets over plain http:// too"));
    m_allowInsecureSecrets->setObjectName(QStringLiteral("envAllowInsecureSecrets"));
    m_allowInsecureSecrets->setToolTip(
        tr("Off (the default): a secret is never sent over http:// to a host that is not this "
           "machine. Turn on only for a test rig on a network you trust."));
    m_allowInsecureSecrets->setChecked(m_item.allowInsecureSecrets);
    m_errors->addRow(QStringLiteral("allowInsecureSecrets"), tr("Insecure"),
                     m_allowInsecureSecrets);
    resize(520, sizeHint().height());
}

bool EnvironmentDialog::readForm()
{
    m_item.id = m_id->text().trimmed();
    m_item.name = m_name->text().trimmed();
    m_item.baseUrl = m_baseUrl->text().trimmed();
    m_item.caFile = m_caFile->text().trimmed();
    m_item.allowInsecureSecrets = m_allowInsecureSecrets->isChecked();
    const QString &u = m_item.baseUrl;
    if (u.isEmpty())
        return !m_errors->show(QStringLiteral("baseUrl"), tr("is required"));
    if (!u.startsWith(QStringLiteral("http://")) && !u.startsWith(QStringLiteral("https://"))
        && !u.startsWith(QStringLiteral("sim:")))
        return !m_errors->show(QStringLiteral("baseUrl"),
                               tr("must start with http://, https:// or sim: (the built-in "
                                  "simulator)"));
    return true;
}

Workspace EnvironmentDialog::candidate() const
{
    Workspace ws = m_context;
    if (isNew())
        ws.environments.append(m_item);
    else
        ws.environments[m_index] = m_item;
    return ws;
}

} // namespace hd
