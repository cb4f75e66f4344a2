#include "explorerapp.h"

#include "demolauncher.h"
#include "enginehost.h"
#include "explorerconfig.h"
#include "storedirlock.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QMessageBox>
#include <QStandardPaths>
#include <QTextStream>

namespace fs::app {

namespace {
// Startup facts (store directory, demo org address, session ready) on stderr; never a token.
Q_LOGGING_CATEGORY(lcExplorer, "forcescope.app", QtInfoMsg)
} // namespace

int runExplorer(int &argc, char **argv, bool demo)
{
    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/forcescope.svg")));

    // The same YAML configuration as the CLI's `--config FILE` (or the default file): timeouts,
    // retry, breaker, limit threshold and describe TTL apply to the explorer's engine too. A bad
    // file is reported (after the window shows) and the built-in defaults are used instead.
    const ConfigChoice configChoice = loadExplorerConfig(QCoreApplication::arguments());
    fs::engine::Engine::Options engineOptions;
    engineOptions.config = configChoice.config;
    EngineHost host(engineOptions);
    // The demo keeps its history and tab autosave apart from real orgs'. The store directory is
    // locked for this window's lifetime: a second instance on the same directory gets its own
    // per-instance subfolder (see StoreDirLock), so neither clobbers the other's autosave.
    const QString appData = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    const StoreDirLock storeLock(demo ? QDir(appData).filePath(QStringLiteral("demo")) : appData);
    // Each store slot keeps its own window layout, so two instances do not overwrite each other's.
    const QString layoutGroup = storeLock.isBase() ? QStringLiteral("window")
        : storeLock.isTemporary()                  ? QStringLiteral("window-temporary")
                                                   : QStringLiteral("window-instance-%1").arg(storeLock.slot());
    fs::ui::MainWindow window(host.client(), storeLock.directory(), layoutGroup);
    window.show();
    if (!configChoice.error.isEmpty()) {
        QTextStream(stderr) << "forcescope: configuration not used, running on defaults: " << configChoice.error << '\n';
        window.showConfigProblem(configChoice.error);
    }
    qCInfo(lcExplorer).noquote() << "store directory:" << QDir::toNativeSeparators(storeLock.directory());
    if (!storeLock.isBase()) {
        qCInfo(lcExplorer).noquote() << storeLock.description();
        window.setStoreNotice(storeLock.isTemporary() ? QObject::tr("Temporary store")
                                                      : QObject::tr("Store: instance %1").arg(storeLock.slot()),
            storeLock.description());
    }
    QObject::connect(&window, &fs::ui::MainWindow::sessionReady, &window, [](const fs::OrgSession &s) {
        qCInfo(lcExplorer).noquote() << "session ready:" << s.alias << s.instanceUrl.toString() << "API" << s.apiVersion;
    });

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
            qCInfo(lcExplorer).noquote() << "demo org ready at" << url.toString();
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
