#include "enginetestkit.h"

#include "auth/secretstore.h"
#include "metrics/metrics.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTemporaryDir>

namespace fs::test {

std::unique_ptr<fs::sim::Simulator> startSimulator(double scale, QString *error)
{
    fs::sim::SimulatorOptions options;
    options.scale = scale;
    auto sim = std::make_unique<fs::sim::Simulator>(options);
    if (!sim->start(error))
        return nullptr;
    return sim;
}

fs::engine::EngineConfig quickRetryConfig()
{
    fs::engine::EngineConfig c;
    c.resilience.retry.baseDelayMs = 5;
    c.resilience.retry.maxDelayMs = 20;
    return c;
}

fs::engine::EngineConfig quickTransportConfig(int maxAttempts)
{
    fs::engine::EngineConfig c = quickRetryConfig();
    c.resilience.retry.maxAttempts = maxAttempts;
    c.timeouts.requestSeconds = 10;
    c.timeouts.connectSeconds = 5;
    return c;
}

fs::engine::HttpRequest getRequest(const QString &path)
{
    fs::engine::HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.operation = QStringLiteral("test");
    return r;
}

fs::Result<fs::engine::HttpResponse> sendAndWait(
    fs::engine::Transport &transport, fs::engine::HttpRequest request, int timeoutMs)
{
    return waitForResult<fs::engine::HttpResponse>(
        [&](fs::engine::Transport::Callback done) { transport.send(std::move(request), std::move(done)); }, timeoutMs);
}

std::shared_ptr<fs::engine::TokenManager> issuedTokenCredentials(
    const fs::engine::EngineConfig &config, fs::sim::Simulator &sim)
{
    auto m = std::make_shared<fs::engine::TokenManager>(config);
    m->setToken(sim.issueAccessToken(), sim.baseUrl());
    return m;
}

void applyFaultPlan(fs::sim::Simulator &sim, const QByteArray &yaml)
{
    QString error;
    QVERIFY2(sim.setFaultPlan(yaml, &error), qPrintable(error));
}

int countLoggedPath(const QSignalSpy &log, const QString &path)
{
    int n = 0;
    for (const auto &args : log) {
        if (args.at(0).value<fs::RequestLogEntry>().path == path)
            ++n;
    }
    return n;
}

fs::Result<QString> readSecret(const QString &service, const QString &key, int timeoutMs)
{
    fs::engine::SecretStore store(service);
    return waitForResult<QString>([&](std::function<void(fs::Result<QString>)> done) { store.read(key, std::move(done)); },
        timeoutMs, fs::EngineError::Category::Auth);
}

void approveAuthorizePage(QNetworkAccessManager &browser, const QUrl &authorizeUrl)
{
    browser.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    QNetworkRequest req(authorizeUrl);
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
    // The consent form posts the authorize parameters back with the user's decision.
    QNetworkReply *approve = browser.post(
        req, authorizeUrl.query(QUrl::FullyEncoded).toLatin1() + QByteArray("&decision=allow&username=admin%40acme.test"));
    QObject::connect(approve, &QNetworkReply::finished, approve, [approve, &browser] {
        approve->deleteLater();
        const QUrl next = approve->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
        QVERIFY2(next.isValid() && !next.isEmpty(), approve->readAll().constData());
        QNetworkReply *back = browser.get(QNetworkRequest(next));
        QObject::connect(back, &QNetworkReply::finished, back, &QObject::deleteLater);
    });
}

fs::engine::Engine::Options engineOptions(const QTemporaryDir &dir, const QString &keychainService)
{
    fs::engine::Engine::Options eo;
    eo.settingsFile = dir.filePath(QStringLiteral("orgs.ini"));
    eo.keychainService = keychainService;
    eo.describeCacheDir = dir.filePath(QStringLiteral("describe"));
    eo.metrics = std::make_shared<fs::engine::Metrics>();
    return eo;
}

QString loginAsDemo(fs::engine::Engine &engine, fs::sim::Simulator &sim, const QString &alias, int timeoutMs)
{
    QSignalSpy connected(&engine, &fs::engine::Engine::connected);
    QSignalSpy failed(&engine, &fs::engine::Engine::requestFailed);
    fs::OrgProfile profile;
    profile.alias = alias;
    profile.instanceUrl = sim.baseUrl();
    profile.loginUrl = sim.baseUrl();
    profile.authType = fs::AuthType::AccessToken;
    profile.demo = true; // token in memory only
    engine.loginWithAccessToken(1, profile, sim.issueAccessToken());
    if (!QTest::qWaitFor([&] { return connected.size() + failed.size() > 0; }, timeoutMs))
        return QStringLiteral("no answer to the login within %1 ms").arg(timeoutMs);
    if (!failed.isEmpty())
        return QStringLiteral("login failed: %1").arg(failed.first().at(1).value<fs::EngineError>().message);
    return {};
}

} // namespace fs::test
