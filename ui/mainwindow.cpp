#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QSysInfo>

namespace hd {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(QStringLiteral("HealthDeck"));
    resize(1400, 900);
    createMenus();
    auto *placeholder = new QLabel(tr("No workspace is open."), this);
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setObjectName(QStringLiteral("emptyState"));
    setCentralWidget(placeholder);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"), qApp, &QApplication::quit);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About HealthDeck"), this, &MainWindow::showAbout);
    about->setObjectName(QStringLiteral("actionAbout"));
}

QString MainWindow::aboutText()
{
    return tr("<h3>HealthDeck %1</h3>"
              "<p>Health console for trading and broker APIs.</p>"
              "<p>Qt %2 (built with %3)<br>%4<br>%5</p>")
        .arg(QStringLiteral(HEALTHDECK_VERSION), QString::fromLatin1(qVersion()),
             QStringLiteral(QT_VERSION_STR), QStringLiteral(HEALTHDECK_BUILD_INFO),
             QSysInfo::prettyProductName());
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About HealthDeck"), aboutText());
}

} // namespace hd
