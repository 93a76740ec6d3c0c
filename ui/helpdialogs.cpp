#include "helpdialogs.h"

#include "healthdeck/version.h"

#include <QAction>
#include <QCoreApplication>
#include <QDialog>
#include <QHeaderView>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSet>
#include <QSysInfo>
#include <QTableWidget>
#include <QVBoxLayout>

namespace hd::HelpDialogs {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("hd::HelpDialogs", text);
}
} // namespace

QString aboutText()
{
    return tr("<h3>HealthDeck %1</h3>"
              "<p>Health console for trading and broker APIs.</p>"
              "<p>Qt %2 (built with %3)<br>%4<br>%5</p>")
        .arg(QStringLiteral(HEALTHDECK_VERSION), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), QStringLiteral(HEALTHDECK_BUILD_INFO),
             QSysInfo::prettyProductName());
}

void showAbout(QWidget *parent)
{
    auto *box = new QMessageBox(QMessageBox::Information, tr("About HealthDeck"), aboutText(),
                                QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

QList<std::pair<QString, QString>> shortcutsOf(const QMenuBar *bar)
{
    QList<std::pair<QString, QString>> out;
    QSet<QString> seen;
    const auto menus = bar->findChildren<QMenu *>();
    for (QMenu *menu : menus)
        for (QAction *a : menu->actions()) {
            if (a->shortcut().isEmpty() || seen.contains(a->objectName()))
                continue;
            seen.insert(a->objectName());
            out.append({a->shortcut().toString(QKeySequence::NativeText),
                        a->text().remove(u'&').remove(QStringLiteral("…"))});
        }
    out.append({tr("Ctrl+Return"), tr("Send (in the request composer)")});
    out.append({tr("Ctrl+Z / Ctrl+Shift+Z"),
                tr("Undo / redo (imports and bulk edits; in the workspace editor, its edits)")});
    return out;
}

void showShortcuts(QWidget *parent, const QList<std::pair<QString, QString>> &list)
{
    auto *dialog = new QDialog(parent);
    dialog->setObjectName(QStringLiteral("shortcutsDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(tr("Keyboard shortcuts"));
    auto *table = new QTableWidget(int(list.size()), 2, dialog);
    table->setObjectName(QStringLiteral("shortcutsTable"));
    table->setHorizontalHeaderLabels({tr("Keys"), tr("Action")});
    table->verticalHeader()->hide();
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    for (int i = 0; i < list.size(); ++i) {
        table->setItem(i, 0, new QTableWidgetItem(list[i].first));
        table->setItem(i, 1, new QTableWidgetItem(list[i].second));
    }
    table->resizeColumnsToContents();
    table->horizontalHeader()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(dialog);
    layout->addWidget(table);
    dialog->resize(460, 560);
    dialog->open();
}

} // namespace hd::HelpDialogs
