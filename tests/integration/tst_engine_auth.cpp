// OrgService login flows against the in-process simulated org, with tokens in a private
// gnome-keyring (run under tests/support/with-keyring.sh): JWT bearer, browser + PKCE with a
// rotating refresh token, pasted access token (stored and demo), logout. Also proves that no
// token lands in the settings/config directory. Keys, ports and file scans: tests/support/authtestkit.h.
#include "authtestkit.h"
#include "enginetestkit.h"

#include "api/engineclient.h"
#include "auth/credentials.h"
#include "auth/orgservice.h"
#include "auth/secretstore.h"
#include "auth/tokenmanager.h"
#include "config/engineconfig.h"
#include "core/engine.h"
#include "metrics/metrics.h"
#include "transport/transport.h"

#include "simulator.h"
#include "store/store.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using fs::EngineError;
using fs::OrgProfile;
using fs::engine::EngineConfig;
using fs::engine::HttpRequest;
using fs::engine::HttpResponse;
using fs::engine::OrgService;
using fs::engine::SecretStore;
using fs::engine::Transport;
using fs::sim::Simulator;

using fs::test::filesContaining;
using fs::test::freeLoopbackPort;

class TestEngineAuth : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Simulator> m_sim;
    QTemporaryDir m_dir;
    QByteArray m_keyPem;
    QByteArray m_certPem;
    QString m_keyFile;
    QString m_service = QStringLiteral("forcescope-authtest-%1").arg(QCoreApplication::applicationPid());
    QStringList m_secretsSeen;

    static EngineConfig config() { return fs::test::quickRetryConfig(); }

    static fs::Result<OrgService::Session> waitSession(const std::function<void(OrgService::SessionCallback)> &start)
    {
        return fs::test::waitForResult<OrgService::Session>(start);
    }

    static fs::Result<HttpResponse> call(Transport &t, const QString &path)
    {
        return fs::test::sendAndWait(t, fs::test::getRequest(path));
    }

    fs::Result<QString> readSecret(const QString &key) const { return fs::test::readSecret(m_service, key); }

    // A JWT-bearer profile for admin@acme.test on the simulated org, signed with the test key.
    OrgProfile jwtProfile(const QString &alias, const QString &clientId) const
    {
        OrgProfile p;
        p.alias = alias;
        p.loginUrl = m_sim->baseUrl();
        p.username = QStringLiteral("admin@acme.test");
        p.clientId = clientId;
        p.keyFile = m_keyFile;
        return p;
    }

    void expireNextRestCall()
    {
        fs::test::applyFaultPlan(*m_sim, "rules:\n  - action: expire_session\n    path: \"/services/data/*\"\n    count: 1\n");
    }

    void assertNoSecretOnDisk()
    {
        for (const QString &s : std::as_const(m_secretsSeen)) {
            if (s.isEmpty())
                continue;
            const QStringList hits = filesContaining(m_dir.path(), s);
            QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u',')));
        }
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const fs::test::PemKeyPair pair = fs::test::makePemKeyPair();
        m_keyPem = pair.keyPem;
        m_certPem = pair.certPem;
        m_keyFile = m_dir.filePath(QStringLiteral("keys/app.pem"));
        QVERIFY(fs::test::writeFile(m_keyFile, m_keyPem));
    }

    void init()
    {
        QString error;
        m_sim = fs::test::startSimulator(0, &error);
        QVERIFY2(m_sim, qPrintable(error));
        QVERIFY(!m_sim->registerUser(QStringLiteral("admin@acme.test")).isEmpty());
    }

    void cleanup() { m_sim.reset(); }

    void jwtLoginRefreshesWithANewAssertion()
    {
        m_sim->registerConnectedApp(QStringLiteral("jwt-app"), m_certPem, {});
        const QString ini = m_dir.filePath(QStringLiteral("config/orgs.ini"));
        OrgService orgs(config(), ini, m_service);
        const OrgProfile p = jwtProfile(QStringLiteral("acme-jwt"), QStringLiteral("jwt-app"));
        const auto s = waitSession([&](auto cb) { orgs.loginWithJwt(p, cb); });
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        QCOMPARE(s->first.alias, p.alias);
        QCOMPARE(s->first.instanceUrl.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(!s->first.organizationId.isEmpty());
        auto creds = s->second;
        QVERIFY(creds->canRefresh());
        m_secretsSeen << creds->accessToken();

        Transport t(config());
        t.setMetrics(std::make_shared<fs::engine::Metrics>());
        t.setCredentials(creds);
        QVERIFY(call(t, QStringLiteral("/services/data/v59.0/")).ok());
        expireNextRestCall();
        const QString before = creds->accessToken();
        const auto r = call(t, QStringLiteral("/services/data/v59.0/"));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->status, 200);
        QVERIFY(creds->accessToken() != before);
        m_secretsSeen << creds->accessToken();

        // Saved profile (no secret), and connectOrg logs in again with a fresh assertion.
        QCOMPARE(orgs.profiles().size(), 1);
        QCOMPARE(orgs.profiles().at(0).authType, fs::AuthType::JwtBearer);
        const auto again = waitSession([&](auto cb) { orgs.connectOrg(p.alias, cb); });
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
        m_secretsSeen << again->second->accessToken();
        assertNoSecretOnDisk();
    }

    void jwtErrorsAreClear()
    {
        m_sim->registerConnectedApp(QStringLiteral("jwt-app"), m_certPem, {});
        OrgService orgs(config(), m_dir.filePath(QStringLiteral("config/orgs.ini")), m_service);
        OrgProfile p = jwtProfile(QStringLiteral("bad-jwt"), QStringLiteral("unknown-app"));
        const auto s = waitSession([&](auto cb) { orgs.loginWithJwt(p, cb); });
        QVERIFY(!s.ok());
        QCOMPARE(s.error().category, EngineError::Category::Auth);
        QCOMPARE(s.error().errorCode, QStringLiteral("invalid_client_id"));

        p.clientId = QStringLiteral("jwt-app");
        p.keyFile = m_dir.filePath(QStringLiteral("missing.pem"));
        const auto s2 = waitSession([&](auto cb) { orgs.loginWithJwt(p, cb); });
        QVERIFY(!s2.ok());
        QVERIFY(s2.error().message.contains(QStringLiteral("missing.pem")));
    }

    void browserLoginWithRotatingRefreshToken()
    {
        EngineConfig c = config();
        c.credentials.callbackPort = freeLoopbackPort();
        const QString callback = QStringLiteral("http://127.0.0.1:%1/oauth/callback").arg(c.credentials.callbackPort);
        m_sim->registerConnectedApp(QStringLiteral("web-app"), {}, { callback }, {}, true);
        const QString ini = m_dir.filePath(QStringLiteral("config/orgs.ini"));
        OrgService orgs(c, ini, m_service);

        // Play the browser: approve on the authorize page and follow the redirect by hand.
        QNetworkAccessManager browser;
        QSignalSpy opened(&orgs, &OrgService::openUrlRequested);
        connect(&orgs, &OrgService::openUrlRequested, this, [&browser](const QUrl &url) {
            QVERIFY(url.query().contains(QStringLiteral("code_challenge_method=S256")));
            QVERIFY(url.query().contains(QStringLiteral("state=")));
            fs::test::approveAuthorizePage(browser, url);
        });

        OrgProfile p;
        p.alias = QStringLiteral("acme-web");
        p.loginUrl = m_sim->baseUrl();
        p.username = QStringLiteral("admin@acme.test");
        p.clientId = QStringLiteral("web-app");
        const auto s = waitSession([&](auto cb) { orgs.loginWithBrowser(p, cb); });
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        QCOMPARE(opened.count(), 1);
        m_secretsSeen << s->second->accessToken();

        const auto rt1 = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")));
        QVERIFY2(rt1.ok(), qPrintable(rt1.ok() ? QString() : rt1.error().message));
        QVERIFY(!rt1.value().isEmpty());
        m_secretsSeen << rt1.value();

        // The session expires mid-sequence: one refresh, rotated token persisted before the
        // request's callback runs.
        Transport t(c);
        t.setMetrics(std::make_shared<fs::engine::Metrics>());
        t.setCredentials(s->second);
        QVERIFY(call(t, QStringLiteral("/services/data/v59.0/")).ok());
        expireNextRestCall();
        std::optional<fs::Result<QString>> storedAtCallback;
        SecretStore peek(m_service);
        bool done = false;
        HttpRequest req;
        req.path = QStringLiteral("/services/data/v59.0/limits");
        t.send(req, [&](fs::Result<HttpResponse> r) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            peek.read(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")),
                [&](fs::Result<QString> v) { storedAtCallback = std::move(v); });
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done && storedAtCallback.has_value(), 20000);
        QVERIFY(storedAtCallback->ok());
        const QString rt2 = storedAtCallback->value();
        QVERIFY(rt2 != rt1.value());
        m_secretsSeen << rt2 << s->second->accessToken();

        // connectOrg uses the stored (rotated) token; it rotates again and keeps working.
        const auto again = waitSession([&](auto cb) { orgs.connectOrg(p.alias, cb); });
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
        m_secretsSeen << again->second->accessToken();
        const auto rt3 = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")));
        QVERIFY(rt3.ok());
        m_secretsSeen << rt3.value();

        assertNoSecretOnDisk();
        QFile settings(ini);
        QVERIFY(settings.open(QIODevice::ReadOnly));
        QVERIFY(!settings.readAll().toLower().contains("token="));

        // Logout revokes and forgets: the keychain entry is gone and the token no longer works.
        std::optional<fs::Result<void>> out;
        orgs.logout(p.alias, [&out](fs::Result<void> r) { out = std::move(r); });
        QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 20000);
        QVERIFY2(out->ok(), qPrintable(out->ok() ? QString() : out->error().message));
        const auto gone = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")));
        QVERIFY(!gone.ok());
        QVERIFY(SecretStore::isNotFound(gone.error()));
        const auto afterLogout = waitSession([&](auto cb) { orgs.connectOrg(p.alias, cb); });
        QVERIFY(!afterLogout.ok());
        QCOMPARE(afterLogout.error().category, EngineError::Category::Auth);
    }

    void browserStateMismatchIsRefused()
    {
        EngineConfig c = config();
        c.credentials.callbackPort = freeLoopbackPort();
        OrgService orgs(c, m_dir.filePath(QStringLiteral("config/orgs.ini")), m_service);
        QNetworkAccessManager browser;
        connect(&orgs, &OrgService::openUrlRequested, this, [&browser, &c](const QUrl &) {
            QNetworkReply *r = browser.get(QNetworkRequest(
                QUrl(QStringLiteral("http://127.0.0.1:%1/oauth/callback?code=abc&state=forged").arg(c.credentials.callbackPort))));
            connect(r, &QNetworkReply::finished, r, &QObject::deleteLater);
        });
        OrgProfile p;
        p.alias = QStringLiteral("acme-web2");
        p.loginUrl = m_sim->baseUrl();
        p.clientId = QStringLiteral("web-app");
        const auto s = waitSession([&](auto cb) { orgs.loginWithBrowser(p, cb); });
        QVERIFY(!s.ok());
        QCOMPARE(s.error().errorCode, QStringLiteral("STATE_MISMATCH"));
    }

    void pastedAccessTokenIsVerifiedAndStored()
    {
        const QString ini = m_dir.filePath(QStringLiteral("config/orgs.ini"));
        OrgService orgs(config(), ini, m_service);
        OrgProfile p;
        p.alias = QStringLiteral("acme-pasted");
        p.loginUrl = m_sim->baseUrl();
        p.instanceUrl = m_sim->baseUrl();
        const QString token = m_sim->issueAccessToken(QStringLiteral("admin@acme.test"));
        m_secretsSeen << token;

        const auto bad = waitSession([&](auto cb) { orgs.loginWithAccessToken(p, QStringLiteral("00Dxx!nope"), cb); });
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().category, EngineError::Category::Auth);
        QVERIFY(!bad.error().message.contains(QStringLiteral("00Dxx!nope")));

        const auto s = waitSession([&](auto cb) { orgs.loginWithAccessToken(p, token, cb); });
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        QVERIFY(!s->second->canRefresh());
        const auto stored = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("access_token")));
        QVERIFY(stored.ok());
        QCOMPARE(stored.value(), token);
        const auto again = waitSession([&](auto cb) { orgs.connectOrg(p.alias, cb); });
        QVERIFY2(again.ok(), qPrintable(again.ok() ? QString() : again.error().message));
        assertNoSecretOnDisk();
        // A pasted token has no identity URL: userinfo names the org and the user.
        QCOMPARE(s->first.organizationId, m_sim->store().orgId());
        QVERIFY(s->first.userId.startsWith(QStringLiteral("005")));
        QCOMPARE(again->first.organizationId, m_sim->store().orgId());
    }

    // Through the facade, as the UI uses it: the authorize URL arrives as
    // EngineClient::openUrlRequested, and cancel(id) ends the wait and closes the loopback port.
    void clientRelaysAuthorizeUrlAndCancelStopsListener()
    {
        fs::engine::Engine::Options options;
        options.config = config();
        options.config.credentials.callbackPort = freeLoopbackPort();
        options.settingsFile = m_dir.filePath(QStringLiteral("config/client-orgs.ini"));
        options.keychainService = m_service;
        fs::engine::Engine engine(options);
        fs::EngineClient client(&engine);
        QSignalSpy urls(&client, &fs::EngineClient::openUrlRequested);
        QSignalSpy failed(&client, &fs::EngineClient::requestFailed);
        QSignalSpy connected(&client, &fs::EngineClient::connected);

        OrgProfile p;
        p.alias = QStringLiteral("acme-cancel");
        p.loginUrl = m_sim->baseUrl();
        p.clientId = QStringLiteral("web-app");
        const fs::RequestId id = client.loginWithBrowser(p);
        QTRY_COMPARE_WITH_TIMEOUT(urls.size(), 1, 20000);
        const QUrl url = urls.first().at(0).toUrl();
        QCOMPARE(url.path(), QStringLiteral("/services/oauth2/authorize"));
        QVERIFY(url.query().contains(QStringLiteral("client_id=web-app")));
        const quint16 port = quint16(options.config.credentials.callbackPort);
        {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            QVERIFY(probe.waitForConnected(5000)); // the listener waits for the redirect
        }

        client.cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 1, 20000);
        QCOMPARE(failed.first().at(0).value<fs::RequestId>(), id);
        QCOMPARE(failed.first().at(1).value<EngineError>().category, EngineError::Category::Cancelled);
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(!probe.waitForConnected(2000));
        QCOMPARE(connected.size(), 0);
        QFile ini(options.settingsFile);
        QVERIFY(!ini.exists() || (ini.open(QIODevice::ReadOnly) && !ini.readAll().contains("acme-cancel")));
    }

    void demoAccessTokenStaysInMemory()
    {
        const QString ini = m_dir.filePath(QStringLiteral("config/demo-orgs.ini"));
        OrgService orgs(config(), ini, m_service);
        OrgProfile p;
        p.alias = QStringLiteral("demo");
        p.demo = true;
        p.loginUrl = m_sim->baseUrl();
        p.instanceUrl = m_sim->baseUrl();
        const QString token = m_sim->issueAccessToken();
        m_secretsSeen << token;
        const auto s = waitSession([&](auto cb) { orgs.loginWithAccessToken(p, token, cb); });
        QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().message));
        QVERIFY(s->first.demo);
        QVERIFY(orgs.profiles().isEmpty());
        const auto stored = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("access_token")));
        QVERIFY(!stored.ok());
        QVERIFY(SecretStore::isNotFound(stored.error()));
        assertNoSecretOnDisk();
    }
};

QTEST_GUILESS_MAIN(TestEngineAuth)
#include "tst_engine_auth.moc"
