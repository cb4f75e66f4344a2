// The Engine as one unit against the in-process simulated org, with tokens in a private
// gnome-keyring (run under tests/support/with-keyring.sh): one QNetworkAccessManager for API and
// OAuth calls, OAuth calls in the sanitized request log without a secret, /limits polled on the
// configured interval, and single-flight refresh of a rotating refresh token for 5 concurrent calls.
#include "authtestkit.h"
#include "enginetestkit.h"

#include "auth/credentials.h"
#include "auth/secretstore.h"
#include "config/engineconfig.h"
#include "core/engine.h"
#include "metrics/metrics.h"
#include "transport/transport.h"

#include "auth/oauthservice.h"
#include "simulator.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using fs::EngineError;
using fs::OrgProfile;
using fs::RequestLogEntry;
using fs::engine::Engine;
using fs::engine::EngineConfig;
using fs::engine::Metrics;
using fs::engine::SecretStore;
using fs::sim::Simulator;

using fs::test::freeLoopbackPort;

namespace {

QString entryText(const RequestLogEntry &e)
{
    return e.method + u' ' + e.path + u' ' + e.errorCode;
}

} // namespace

class TestEngineSession : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Simulator> m_sim;
    QTemporaryDir m_dir;
    QString m_service = QStringLiteral("forcescope-sessiontest-%1").arg(QCoreApplication::applicationPid());
    QNetworkAccessManager m_browser; // plays the user's browser (not part of the engine)

    static EngineConfig config() { return fs::test::quickRetryConfig(); }

    fs::Result<QString> readSecret(const QString &key) const { return fs::test::readSecret(m_service, key); }

    // Approves the authorize page the engine asks to open and follows the redirect back to the
    // engine's loopback listener, as a browser would.
    void playBrowser(Engine &engine)
    {
        connect(&engine, &Engine::openUrlRequested, this, [this](const QUrl &url) { fs::test::approveAuthorizePage(m_browser, url); });
    }

    // Browser login (PKCE, rotating refresh tokens) through the engine; returns the profile.
    OrgProfile login(Engine &engine, const EngineConfig &c)
    {
        const QString callback = QStringLiteral("http://127.0.0.1:%1/oauth/callback").arg(c.credentials.callbackPort);
        m_sim->registerConnectedApp(QStringLiteral("web-app"), {}, { callback }, {}, true);
        playBrowser(engine);
        OrgProfile p;
        p.alias = QStringLiteral("acme-session");
        p.loginUrl = m_sim->baseUrl();
        p.username = QStringLiteral("admin@acme.test");
        p.clientId = QStringLiteral("web-app");
        QSignalSpy connected(&engine, &Engine::connected);
        QSignalSpy failed(&engine, &Engine::requestFailed);
        engine.loginWithBrowser(1, p);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(connected.count() + failed.count() > 0, 30000); }();
        if (!failed.isEmpty())
            qWarning() << "login failed:" << failed.at(0).at(1).value<EngineError>().message;
        return p;
    }

    Engine::Options options(const EngineConfig &c, const std::shared_ptr<Metrics> &metrics) const
    {
        Engine::Options o;
        o.config = c;
        o.settingsFile = m_dir.filePath(QStringLiteral("config/orgs.ini"));
        o.keychainService = m_service;
        o.describeCacheDir = m_dir.filePath(QStringLiteral("cache"));
        o.metrics = metrics;
        return o;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QString error;
        m_sim = fs::test::startSimulator(0, &error);
        QVERIFY2(m_sim, qPrintable(error));
        QVERIFY(!m_sim->registerUser(QStringLiteral("admin@acme.test")).isEmpty());
    }

    void cleanup() { m_sim.reset(); }

    void oneNetworkManagerCarriesOAuthAndApiCalls()
    {
        EngineConfig c = config();
        c.credentials.callbackPort = freeLoopbackPort();
        c.rateLimits.pollIntervalSeconds = 1;
        auto metrics = std::make_shared<Metrics>();
        Engine engine(options(c, metrics));
        QList<RequestLogEntry> log;
        connect(&engine, &Engine::requestLogged, this, [&log](const RequestLogEntry &e) { log << e; });
        const OrgProfile p = login(engine, c);
        QCOMPARE(engine.session().alias, p.alias);

        QSignalSpy finished(&engine, &Engine::queryFinished);
        QSignalSpy failed(&engine, &Engine::requestFailed);
        engine.runQuery(2, QStringLiteral("SELECT Id, Username FROM User"), fs::QueryOptions {});
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() > 0, 30000);
        QCOMPARE(failed.count(), 0);

        // One QNetworkAccessManager in the whole engine object tree (transport, org service, …).
        const auto managers = engine.findChildren<QNetworkAccessManager *>();
        QCOMPARE(managers.size(), 1);
        QCOMPARE(managers.first()->parent(), engine.transport());

        // The OAuth token call went through that transport: it is in the log, without a secret.
        bool sawToken = false;
        bool sawUserInfo = false;
        bool sawQuery = false;
        for (const auto &e : std::as_const(log)) {
            if (e.method == u"POST" && e.path == u"/services/oauth2/token" && e.status == 200)
                sawToken = true;
            if (e.path == u"/services/oauth2/userinfo")
                sawUserInfo = true;
            if (e.path.contains(QStringLiteral("/query")))
                sawQuery = true;
        }
        QVERIFY(sawToken);
        QVERIFY(sawQuery);
        Q_UNUSED(sawUserInfo) // present when the flow asks for the identity; not required
        QVERIFY(metrics->value(QStringLiteral("sf_requests_total"),
                    { { QStringLiteral("operation"), QStringLiteral("oauth_token") }, { QStringLiteral("sobject"), QString() },
                        { QStringLiteral("status"), QStringLiteral("200") } })
            >= 1.0);

        // /limits is polled on rate_limits.poll_interval_seconds while connected.
        auto limitsCalls = [&log] {
            int n = 0;
            for (const auto &e : std::as_const(log))
                n += e.path.endsWith(QStringLiteral("/limits")) ? 1 : 0;
            return n;
        };
        QTRY_VERIFY_WITH_TIMEOUT(limitsCalls() >= 2, 15000);
        QVERIFY(engine.transport()->apiUsage().max > 0);

        const QString access = engine.transport()->credentials()->accessToken();
        const auto refresh = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")));
        QVERIFY2(refresh.ok(), qPrintable(refresh.ok() ? QString() : refresh.error().message));
        QVERIFY(!access.isEmpty() && !refresh.value().isEmpty());
        for (const auto &e : std::as_const(log)) {
            const QString text = entryText(e);
            QVERIFY2(!text.contains(access), qPrintable(text));
            QVERIFY2(!text.contains(access.section(u'!', 1)), qPrintable(text));
            QVERIFY2(!text.contains(refresh.value()), qPrintable(text));
            QVERIFY2(!text.contains(QStringLiteral("code_verifier")), qPrintable(text));
        }
        const QString prom = metrics->prometheusText();
        QVERIFY(!prom.contains(access));
        QVERIFY(!prom.contains(refresh.value()));
    }

    void fiveConcurrentCallsShareOneRefreshOfARotatingToken()
    {
        EngineConfig c = config();
        c.credentials.callbackPort = freeLoopbackPort();
        c.rateLimits.pollIntervalSeconds = 0; // nothing but the test's calls on the wire
        auto metrics = std::make_shared<Metrics>();
        Engine engine(options(c, metrics));
        QList<RequestLogEntry> log;
        connect(&engine, &Engine::requestLogged, this, [&log](const RequestLogEntry &e) { log << e; });
        const OrgProfile p = login(engine, c);
        QCOMPARE(engine.session().alias, p.alias);
        const auto rt1 = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")));
        QVERIFY2(rt1.ok(), qPrintable(rt1.ok() ? QString() : rt1.error().message));
        const QString access1 = engine.transport()->credentials()->accessToken();
        auto tokenCalls = [&log] {
            int n = 0;
            for (const auto &e : std::as_const(log))
                n += e.path == u"/services/oauth2/token" ? 1 : 0;
            return n;
        };
        const int tokenCallsBefore = tokenCalls();
        const double refreshesBefore = metrics->value(
            QStringLiteral("sf_token_refreshes_total"), { { QStringLiteral("result"), QStringLiteral("success") } });

        // The org ends every session; 5 calls leave at once and all meet the 401.
        m_sim->oauth().expireAllSessions();
        QSignalSpy ready(&engine, &Engine::limitsReady);
        QSignalSpy failed(&engine, &Engine::requestFailed);
        for (fs::RequestId id = 10; id < 15; ++id)
            engine.fetchLimits(id);
        QTRY_COMPARE_WITH_TIMEOUT(ready.count() + failed.count(), 5, 30000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(ready.count(), 5);

        QCOMPARE(tokenCalls(), tokenCallsBefore + 1); // exactly one refresh grant
        QCOMPARE(metrics->value(QStringLiteral("sf_token_refreshes_total"),
                     { { QStringLiteral("result"), QStringLiteral("success") } }),
            refreshesBefore + 1.0);
        int unauthorized = 0;
        for (const auto &e : std::as_const(log))
            unauthorized += e.status == 401 ? 1 : 0;
        QCOMPARE(unauthorized, 5); // each call met the expiry once and was replayed once
        QVERIFY(engine.transport()->credentials()->accessToken() != access1);

        // The rotated refresh token is the one in the keychain now.
        const auto rt2 = readSecret(SecretStore::keyFor(p.alias, QStringLiteral("refresh_token")));
        QVERIFY2(rt2.ok(), qPrintable(rt2.ok() ? QString() : rt2.error().message));
        QVERIFY(!rt2.value().isEmpty());
        QVERIFY(rt2.value() != rt1.value());
    }
};

QTEST_GUILESS_MAIN(TestEngineSession)
#include "tst_engine_session.moc"
