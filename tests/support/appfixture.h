#pragma once

#include "simulatorfixture.h"

#include "api/types.h"
#include "config/engineconfig.h"

#include <QPointer>
#include <QSize>
#include <QString>
#include <QStringList>

#include <memory>

class QTemporaryDir;
class QWidget;

namespace fs {
class EngineClient;
}
namespace fs::app {
class EngineHost;
}
namespace fs::ui {
class MainWindow;
class OrgDialog;
}

namespace fs::test {

// What a user types into the new-org dialog. Empty fields are left as they are; an empty login
// URL means the simulated org's.
// (Every member has an initializer, so designated initializers may leave any of them out.)
struct OrgForm {
    QString alias {};
    fs::AuthType type = fs::AuthType::BrowserPkce;
    QString loginUrl {};
    QString clientId {};
    QString username {};
    QString keyFile {};
    QString refreshToken {};
    QString instanceUrl {};
    QString accessToken {};
};

// The real explorer on the simulated org, offscreen, for UI tests: the in-process simulator on
// 127.0.0.1:0, a real Engine on its own thread (fs::app::EngineHost) with its EngineClient, and a
// shown MainWindow. Org settings, describe cache and query store live in a temporary directory
// (path()); secrets go to the keychain service named in Options. GUI thread only.
class AppFixture {
public:
    struct Options {
        fs::engine::EngineConfig config;
        QString keychainService; // empty: "forcescope-uitest-<pid>"
        QSize windowSize { 1280, 800 };
    };

    AppFixture();
    ~AppFixture();
    AppFixture(const AppFixture &) = delete;
    AppFixture &operator=(const AppFixture &) = delete;

    // Enables QStandardPaths test mode, starts the simulator, the engine thread and the window
    // (waits until it is exposed). Returns false with `error` set when something did not start.
    bool start(const Options &options, QString *error = nullptr);
    // Window, engine thread, simulator: in that order.
    void stop();

    SimulatorFixture &sim() { return *m_sim; }
    fs::app::EngineHost &host() { return *m_host; }
    fs::EngineClient *client() const;
    fs::ui::MainWindow *window() const { return m_window.get(); }
    // A path inside the fixture's temporary directory.
    QString path(const QString &relative) const;
    QString settingsFile() const { return path(QStringLiteral("config/orgs.ini")); }
    // Aliases of the org profiles the engine saved.
    QStringList savedAliases() const;

    // Logs in with the simulator's own access token as the in-memory demo org (no keychain) and
    // waits for the window's sessionReady. Returns what went wrong, or an empty string.
    QString connectDemo(int timeoutMs = 20000);

    // Opens the window's new-org dialog, waits until it is shown and fills it in like a user.
    fs::ui::OrgDialog *openOrgDialog(const OrgForm &form);
    // Picks the auth type, clears and types the alias, sets the login URL and types every other
    // non-empty field of `form`.
    void fill(fs::ui::OrgDialog *dialog, const OrgForm &form) const;
    static void typeInto(QWidget *root, const QString &objectName, const QString &text);
    static void click(QWidget *root, const QString &objectName);
    static void clickConnect(fs::ui::OrgDialog *dialog);
    // Clicks Connect, then waits until the dialog has closed and the window reports a session
    // for `alias`. Returns what went wrong (with the dialog's error text), or an empty string.
    QString connectAndWait(const QPointer<fs::ui::OrgDialog> &dialog, const QString &alias, int timeoutMs = 20000);
    // Cancels a running login and closes every org dialog; true once none is left.
    bool closeOrgDialogs();

    // Saves a screenshot of `w` as $FS_TEST_OUTPUT_DIR/screenshots/<name> (temp dir otherwise),
    // after letting layouts and pending paints settle for `settleMs`.
    static bool shoot(QWidget *w, const QString &name, int settleMs = 0);

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SimulatorFixture> m_sim;
    std::unique_ptr<fs::app::EngineHost> m_host;
    std::unique_ptr<fs::ui::MainWindow> m_window;
};

} // namespace fs::test
