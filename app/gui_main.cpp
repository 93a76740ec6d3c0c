// healthdeck: the desktop console. Composition root only.
#include "clicommand.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCommandLineParser>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("HealthDeck"));
    QApplication::setOrganizationName(QStringLiteral("HealthDeck"));
    QApplication::setApplicationVersion(QStringLiteral(HEALTHDECK_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("healthdeck"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("HealthDeck: health console for trading and broker APIs."));
    parser.addHelpOption();
    const QCommandLineOption version({QStringLiteral("v"), QStringLiteral("version")},
                                     QStringLiteral("Show version, Qt version and build information."));
    parser.addOption(version);
    parser.process(app);
    if (parser.isSet(version)) {
        std::printf("%s\n", qPrintable(hd::cli::versionText(QStringLiteral("healthdeck"))));
        return 0;
    }

    hd::MainWindow window;
    window.show();
    return QApplication::exec();
}
