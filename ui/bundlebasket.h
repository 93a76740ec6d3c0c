#pragma once

// The support-bundle basket (issue 22: out of MainWindow): the events the user added with
// "Add to Support Bundle", oldest first, and the export that takes them (plus the log's
// selection) into ExportBundleDialog. The events come from EventLookup: memory, else history on
// its reader thread. A successful export empties the basket.

#include <QObject>
#include <QPointer>
#include <QStringList>

class QWidget;

namespace hd {

class EventLookup;
class MonitorSession;

class BundleBasket : public QObject
{
    Q_OBJECT
public:
    explicit BundleBasket(QObject *parent = nullptr);

    QStringList ids() const { return m_ids; }
    int size() const { return int(m_ids.size()); }
    // false when id is empty or already in the basket.
    bool add(const QString &id);
    void clear();

    // Opens the export dialog (window-modal to parent, never exec()'d) for the basket and
    // extraIds, once their events are found. Ids found nowhere (retention) are left out and
    // reported through eventsMissing().
    void exportBundle(QWidget *parent, MonitorSession *session, EventLookup *lookup,
                      const QStringList &extraIds);

signals:
    void changed(int events);
    // Some events of an export were neither in memory nor in history.
    void eventsMissing(const QStringList &ids);

private:
    QStringList m_ids;
};

} // namespace hd
