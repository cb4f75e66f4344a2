#include "demologin.h"

#include "simulatorfixture.h"

#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QSignalSpy>
#include <QTest>
#include <QUrl>

namespace fs::test {

fs::OrgProfile demoProfile(const QUrl &instanceUrl, const QString &alias)
{
    fs::OrgProfile profile;
    profile.alias = alias;
    profile.loginUrl = instanceUrl;
    profile.instanceUrl = instanceUrl;
    profile.authType = fs::AuthType::AccessToken;
    profile.demo = true;
    return profile;
}

QString loginDemo(fs::EngineClient *client, fs::ui::MainWindow *window, const SimulatorFixture &sim, const QString &alias,
    int timeoutMs)
{
    if (!client || !window)
        return QStringLiteral("no engine client or window to log in with");
    QSignalSpy ready(window, &fs::ui::MainWindow::sessionReady);
    client->loginWithAccessToken(demoProfile(sim.baseUrl(), alias), sim.token());
    if (!QTest::qWaitFor([&ready] { return !ready.isEmpty(); }, timeoutMs))
        return QStringLiteral("no session within %1 ms").arg(timeoutMs);
    return {};
}

} // namespace fs::test
