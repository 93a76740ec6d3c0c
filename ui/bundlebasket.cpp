#include "bundlebasket.h"

#include "eventlookup.h"
#include "export/exportbundledialog.h"
#include "monitorsession.h"

#include <QWidget>

namespace hd {

BundleBasket::BundleBasket(QObject *parent)
    : QObject(parent)
{}

bool BundleBasket::add(const QString &id)
{
    if (id.isEmpty() || m_ids.contains(id))
        return false;
    m_ids.append(id);
    emit changed(size());
    return true;
}

void BundleBasket::clear()
{
    if (m_ids.isEmpty())
        return;
    m_ids.clear();
    emit changed(0);
}

void BundleBasket::exportBundle(QWidget *parent, MonitorSession *session, EventLookup *lookup,
                                const QStringList &extraIds)
{
    QStringList ids = m_ids;
    for (const QString &id : extraIds)
        if (!id.isEmpty() && !ids.contains(id))
            ids.append(id);
    QPointer<MonitorSession> guard(session);
    QPointer<QWidget> owner(parent);
    const QList<ApiEvent> recent = lookup->all();
    lookup->lookup(
        ids, this, [this, guard, owner, recent](QList<ApiEvent> events, QStringList missing) {
            if (!owner)
                return;
            if (!missing.isEmpty())
                emit eventsMissing(missing);
            auto *dialog = new ExportBundleDialog(guard.data(), std::move(events), recent, owner);
            dialog->setAttribute(Qt::WA_DeleteOnClose);
            connect(dialog, &ExportBundleDialog::exported, this,
                    [this](const SupportBundleWriter::Result &r) {
                        if (r.ok())
                            clear();
                    });
            dialog->show();
        });
}

} // namespace hd
