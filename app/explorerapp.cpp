#include "explorerapp.h"

#include "demolauncher.h"
#include "enginehost.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>

namespace fs::app {

int runExplorer(int &argc, char **argv, bool demo)
{
    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/forcescope.svg")));

    EngineHost host;
    // The demo keeps its history and tab autosave apart from real orgs'.
    const QString storeDir = demo
        ? QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo"))
        : QString();
    fs::ui::MainWindow window(host.client(), storeDir);
    window.show();

    DemoLauncher launcher;
    if (demo) {
        window.showMessage(QObject::tr("Starting the simulated org…"));
        QObject::connect(&launcher, &DemoLauncher::ready, &window, [&host, &window](const QUrl &url, const QString &token) {
            fs::OrgProfile profile;
            profile.alias = QStringLiteral("demo");
            profile.loginUrl = url;
            profile.instanceUrl = url;
            profile.authType = fs::AuthType::AccessToken;
            profile.demo = true; // token held in memory only, never in the keychain
            window.showMessage(QObject::tr("Connecting to the simulated org at %1…").arg(url.toString()));
            host.client()->loginWithAccessToken(profile, token);
        });
        QObject::connect(&launcher, &DemoLauncher::failed, &window, [&window](const QString &message) {
            window.showMessage(message);
            QMessageBox::critical(&window, QObject::tr("Demo org"), message);
        });
        launcher.start();
    }
    return app.exec();
}

} // namespace fs::app
