#pragma once

// Helpers for engine tests against the in-process simulated org (tst_engine_transport,
// tst_transportpolicy, tst_engine_auth, tst_engine_session, tst_engine_records,
// tst_engine_selectorder, tst_engine_describe): start the simulator, quick-retry configs,
// requests sent and waited for, credentials from a simulator token, fault plans, the request
// log, keychain reads, a browser that approves the authorize page, and an Engine signed in as
// the in-memory demo org. Every wait spins the event loop (QTest::qWaitFor), never sleeps.

#include "api/types.h"
#include "auth/tokenmanager.h"
#include "config/engineconfig.h"
#include "core/engine.h"
#include "transport/httptypes.h"
#include "transport/transport.h"

#include "simulator.h"

#include <QByteArray>
#include <QString>
#include <QTest>
#include <QUrl>

#include <memory>
#include <optional>
#include <utility>

class QNetworkAccessManager;
class QSignalSpy;
class QTemporaryDir;

namespace fs::test {

// An in-process simulated org on 127.0.0.1:0 with `scale` (0: users only, no seed records),
// started; nullptr with `error` set when it did not start.
std::unique_ptr<fs::sim::Simulator> startSimulator(double scale, QString *error);

// Retries 5 ms apart at first and at most 20 ms apart, everything else as shipped.
fs::engine::EngineConfig quickRetryConfig();
// quickRetryConfig() with `maxAttempts` tries, 10 s request and 5 s connect timeouts.
fs::engine::EngineConfig quickTransportConfig(int maxAttempts);

// A GET of `path` (absolute path or full URL) with operation "test".
fs::engine::HttpRequest getRequest(const QString &path);

// Calls start(callback) and waits until the callback ran; an error of `category` with message
// "test timeout" when it did not within timeoutMs.
template <typename T, typename Start>
fs::Result<T> waitForResult(
    Start start, int timeoutMs = 20000, fs::EngineError::Category category = fs::EngineError::Category::Network)
{
    std::optional<fs::Result<T>> out;
    start([&out](fs::Result<T> r) { out = std::move(r); });
    if (!QTest::qWaitFor([&out] { return out.has_value(); }, timeoutMs) || !out)
        return fs::EngineError::make(category, QStringLiteral("test timeout"));
    return *out;
}

// Sends `request` through `transport` and waits for its answer.
fs::Result<fs::engine::HttpResponse> sendAndWait(
    fs::engine::Transport &transport, fs::engine::HttpRequest request, int timeoutMs = 20000);

// The error message of a failed result, empty for a good one (for QVERIFY2).
template <typename T>
QString errorText(const fs::Result<T> &r)
{
    return r.ok() ? QString() : r.error().message;
}

// A TokenManager holding a fresh access token of `sim` and no grant: it cannot refresh.
std::shared_ptr<fs::engine::TokenManager> issuedTokenCredentials(
    const fs::engine::EngineConfig &config, fs::sim::Simulator &sim);

// Replaces `sim`'s fault plan with `yaml`; a test failure (QVERIFY2) when it does not parse.
void applyFaultPlan(fs::sim::Simulator &sim, const QByteArray &yaml);

// How many entries of a Transport::requestLogged / Engine::requestLogged spy went to `path`.
int countLoggedPath(const QSignalSpy &log, const QString &path);

// The keychain entry `key` of `service` (an Auth error "test timeout" when the keychain did not
// answer within timeoutMs).
fs::Result<QString> readSecret(const QString &service, const QString &key, int timeoutMs = 20000);

// Plays the user's browser on an authorize URL the engine asked to open: posts the consent form
// back with decision=allow for admin@acme.test and follows the redirect to the loopback listener.
void approveAuthorizePage(QNetworkAccessManager &browser, const QUrl &authorizeUrl);

// Engine options with the org settings and describe cache in `dir`, secrets in
// `keychainService`, fresh metrics and the default config.
fs::engine::Engine::Options engineOptions(const QTemporaryDir &dir, const QString &keychainService);

// Logs `engine` in to `sim` with a fresh access token as the in-memory demo org `alias` (request
// id 1) and waits for connected or requestFailed. Returns what went wrong, or an empty string.
QString loginAsDemo(fs::engine::Engine &engine, fs::sim::Simulator &sim, const QString &alias = QStringLiteral("sim"),
    int timeoutMs = 30000);

} // namespace fs::test
