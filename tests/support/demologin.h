#pragma once

// The demo login the UI tests share: the simulated org's own access token pasted as the in-memory
// demo org (no keychain), answered by the window's sessionReady. AppFixture::connectDemo and the
// tests that build their own EngineHost and MainWindow (tst_shellstatus, tst_editorfeatures,
// tst_demoinstances) use it.

#include "api/types.h"

#include <QString>

class QUrl;

namespace fs {
class EngineClient;
}
namespace fs::ui {
class MainWindow;
}

namespace fs::test {

class SimulatorFixture;

// An access-token profile for `instanceUrl` (login URL too) marked demo: its token stays in memory.
fs::OrgProfile demoProfile(const QUrl &instanceUrl, const QString &alias = QStringLiteral("demo"));

// Logs `client` in to `sim` with the fixture's access token as the demo org `alias` and waits
// until `window` reports sessionReady. Returns what went wrong, or an empty string.
QString loginDemo(fs::EngineClient *client, fs::ui::MainWindow *window, const SimulatorFixture &sim,
    const QString &alias = QStringLiteral("demo"), int timeoutMs = 30000);

} // namespace fs::test
