// Transport against the in-process simulated org with fault plans: retries, breaker, limits,
// refresh-and-replay (single-flight), cancel, and a request log that never holds a secret.
#include "authtestkit.h"
#include "enginetestkit.h"

#include "auth/tokenmanager.h"
#include "config/engineconfig.h"
#include "metrics/metrics.h"
#include "transport/transport.h"

#include "simulator.h"

#include <QElapsedTimer>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using fs::CircuitState;
using fs::EngineError;
using fs::RequestLogEntry;
using fs::engine::EngineConfig;
using fs::engine::HttpRequest;
using fs::engine::HttpResponse;
using fs::engine::Metrics;
using fs::engine::TokenManager;
using fs::engine::Transport;
using fs::sim::Simulator;
using fs::test::errorText;
using fs::test::getRequest;
using fs::test::sendAndWait;

namespace {

// A self-signed certificate for 127.0.0.1 (subjectAltName IP) and its key, as PEM.
void makeServerCert(QByteArray *keyPem, QByteArray *certPem)
{
    fs::test::CertSpec spec;
    spec.commonName = "127.0.0.1";
    spec.validFromSeconds = -60;
    spec.subjectAltName = "IP:127.0.0.1";
    const fs::test::PemKeyPair pair = fs::test::makePemKeyPair(spec);
    *keyPem = pair.keyPem;
    *certPem = pair.certPem;
}

EngineConfig fastConfig()
{
    EngineConfig c = fs::test::quickTransportConfig(4);
    c.resilience.circuitBreaker.failureThreshold = 5;
    c.resilience.circuitBreaker.successThreshold = 3;
    c.resilience.circuitBreaker.resetTimeoutSeconds = 0.3;
    return c;
}

const QString kVersions = QStringLiteral("/services/data/v59.0/");

} // namespace

class TestEngineTransport : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Simulator> m_sim;
    QString m_token;
    std::shared_ptr<TokenManager> m_creds;
    int m_grants = 0;
    QStringList m_issued; // every token the test saw, to grep the log for

    std::shared_ptr<TokenManager> makeCreds(const EngineConfig &c)
    {
        auto m = std::make_shared<TokenManager>(c);
        m->setToken(m_token, m_sim->baseUrl());
        m->setGrant([this](TokenManager::GrantCallback cb) {
            ++m_grants;
            // A real grant is a network round trip: complete from the event loop.
            QTimer::singleShot(20, this, [this, cb] {
                const QString t = m_sim->issueAccessToken();
                m_issued << t;
                cb(TokenManager::Token { t, m_sim->baseUrl() });
            });
        });
        return m;
    }

    void setFaults(const QByteArray &yaml) { fs::test::applyFaultPlan(*m_sim, yaml); }

private Q_SLOTS:
    void init()
    {
        QString error;
        m_sim = fs::test::startSimulator(0, &error);
        QVERIFY2(m_sim, qPrintable(error));
        m_token = m_sim->issueAccessToken();
        QVERIFY(!m_token.isEmpty());
        m_issued = { m_token };
        m_grants = 0;
    }

    void cleanup()
    {
        m_creds.reset();
        m_sim.reset();
    }

    void urlPolicy_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::addRow("https anywhere") << QStringLiteral("https://acme.my.salesforce.com/x") << true;
        QTest::addRow("http loopback v4") << QStringLiteral("http://127.0.0.1:8080/x") << true;
        QTest::addRow("http loopback 127.5.6.7") << QStringLiteral("http://127.5.6.7/x") << true;
        QTest::addRow("http loopback v6") << QStringLiteral("http://[::1]:9000/x") << true;
        QTest::addRow("http remote refused") << QStringLiteral("http://acme.my.salesforce.com/x") << false;
        QTest::addRow("http private range refused") << QStringLiteral("http://192.168.1.10/x") << false;
        QTest::addRow("http 128.0.0.1 refused") << QStringLiteral("http://128.0.0.1/x") << false;
        QTest::addRow("http loopback v4-mapped v6") << QStringLiteral("http://[::ffff:127.0.0.1]:9000/x") << true;
        QTest::addRow("http v4-mapped non-loopback refused") << QStringLiteral("http://[::ffff:10.0.0.1]/x") << false;
        // Only loopback ADDRESSES may use plain http; a name may resolve anywhere.
        QTest::addRow("http localhost refused") << QStringLiteral("http://localhost:8080/x") << false;
        QTest::addRow("http LOCALHOST refused") << QStringLiteral("http://LOCALHOST/x") << false;
        QTest::addRow("http x.localhost refused") << QStringLiteral("http://org.localhost/x") << false;
        QTest::addRow("https localhost allowed") << QStringLiteral("https://localhost:8443/x") << true;
        QTest::addRow("ftp refused") << QStringLiteral("ftp://127.0.0.1/x") << false;
        QTest::addRow("no host") << QStringLiteral("https:///x") << false;
    }

    void urlPolicy()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QString why;
        QCOMPARE(Transport::isAllowedUrl(QUrl(url), &why), allowed);
        if (!allowed)
            QVERIFY(!why.isEmpty());
        if (!allowed && QUrl(url).host().contains(QStringLiteral("localhost"), Qt::CaseInsensitive))
            QVERIFY2(why.contains(QStringLiteral("http://127.0.0.1")), qPrintable(why)); // says what to use
    }

    void plainHttpToRemoteHostIsRefused()
    {
        Transport t(fastConfig());
        QSignalSpy log(&t, &Transport::requestLogged);
        HttpRequest r = getRequest(QStringLiteral("http://login.example.com/services/oauth2/token"));
        r.authenticated = false;
        const auto res = sendAndWait(t, r);
        QVERIFY(!res.ok());
        QCOMPARE(res.error().errorCode, QStringLiteral("INSECURE_URL"));
        QVERIFY(res.error().message.contains(QStringLiteral("https")));
        QCOMPARE(log.count(), 0); // nothing went on the wire
    }

    void plainRequestWorksAndTracksUsage()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        auto metrics = std::make_shared<Metrics>();
        t.setMetrics(metrics);
        t.setCredentials(makeCreds(c));
        QSignalSpy usage(&t, &Transport::apiUsageChanged);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(res.ok(), qPrintable(errorText(res)));
        QCOMPARE(res->status, 200);
        QCOMPARE(res->attempts, 1);
        QVERIFY(QJsonDocument::fromJson(res->body).isObject()); // decompressed, parseable
        QVERIFY(usage.count() >= 1);
        QVERIFY(t.apiUsage().max > 0);
        QVERIFY(metrics->prometheusText().contains(QStringLiteral("sf_requests_total{operation=\"test\",sobject=\"\",status=\"200\"} 1")));
    }

    void retries503BurstAndSucceeds()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: unavailable\n    path: \"/services/data/*\"\n    count: 2\n");
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(res.ok(), qPrintable(errorText(res)));
        QCOMPARE(res->status, 200);
        QCOMPARE(res->attempts, 3);
        QCOMPARE(log.count(), 3);
        QCOMPARE(log.at(0).at(0).value<RequestLogEntry>().status, 503);
        QCOMPARE(log.at(0).at(0).value<RequestLogEntry>().errorCode, QStringLiteral("SERVER_UNAVAILABLE"));
        QCOMPARE(log.at(1).at(0).value<RequestLogEntry>().attempt, 2);
        QCOMPARE(log.at(2).at(0).value<RequestLogEntry>().status, 200);
    }

    void retriesConnectionResets()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        // The simulator sends the headers and half the body, then drops the connection.
        setFaults("rules:\n  - action: reset\n    path: \"/services/data/*\"\n    count: 2\n");
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(res.ok(), qPrintable(errorText(res)));
        QCOMPARE(res->status, 200);
        QCOMPARE(res->attempts, 3);
        QVERIFY(QJsonDocument::fromJson(res->body).isObject()); // the whole body, not a cut one
        QCOMPARE(log.at(0).at(0).value<RequestLogEntry>().errorCode, QStringLiteral("CONNECTION_CLOSED"));
    }

    void nonIdempotentIsNotReplayedAfterReset()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: reset\n    path: \"/services/data/*\"\n");
        HttpRequest r = getRequest(QStringLiteral("/services/data/v59.0/sobjects/Account"));
        r.method = "POST";
        r.body = R"({"Name":"Once"})";
        r.contentType = "application/json";
        r.idempotent = false;
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto res = sendAndWait(t, r);
        QVERIFY(!res.ok());
        QCOMPARE(res.error().category, EngineError::Category::Network);
        QCOMPARE(res.error().errorCode, QStringLiteral("CONNECTION_CLOSED"));
        QCOMPARE(log.count(), 1); // the transport adds no retry of its own
    }

    void lockRowRetriedOnlyForIdempotentCalls()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: lock_row\n    path: \"/services/data/*\"\n    count: 2\n");
        // DELETE is idempotent: retried past the lock, then the server's real answer (404 here).
        HttpRequest del = getRequest(QStringLiteral("/services/data/v59.0/sobjects/Account/001000000000000AAA"));
        del.method = "DELETE";
        const auto res = sendAndWait(t, del);
        QVERIFY2(res.ok(), qPrintable(errorText(res)));
        QCOMPARE(res->attempts, 3);
        QVERIFY(res->status != 400);

        // A non-idempotent call gets the lock error back as the response, untouched.
        setFaults("rules:\n  - action: lock_row\n    path: \"/services/data/*\"\n    count: 1\n");
        HttpRequest post = getRequest(QStringLiteral("/services/data/v59.0/sobjects/Account"));
        post.method = "POST";
        post.body = R"({"Name":"Locked"})";
        post.contentType = "application/json";
        post.idempotent = false;
        const auto res2 = sendAndWait(t, post);
        QVERIFY(res2.ok());
        QCOMPARE(res2->status, 400);
        QCOMPARE(res2->attempts, 1);
        QVERIFY(res2->body.contains("UNABLE_TO_LOCK_ROW"));
    }

    void exhaustedRetriesReportServerError()
    {
        EngineConfig c = fastConfig();
        c.resilience.retry.maxAttempts = 3;
        Transport t(c);
        auto metrics = std::make_shared<Metrics>();
        t.setMetrics(metrics);
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: unavailable\n    path: \"/services/data/*\"\n");
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!res.ok());
        QCOMPARE(res.error().category, EngineError::Category::Server);
        QCOMPARE(res.error().httpStatus, 503);
        QCOMPARE(res.error().errorCode, QStringLiteral("SERVER_UNAVAILABLE"));
        QVERIFY(res.error().retryable);
        QVERIFY(res.error().detail.contains(QStringLiteral("3 attempts")));
        QCOMPARE(log.count(), 3);
        QVERIFY(metrics->prometheusText().contains(QStringLiteral("sf_errors_total{operation=\"test\",error_code=\"SERVER_UNAVAILABLE\",retryable=\"true\"}")));
    }

    void breakerOpensRejectsHalfOpensAndCloses()
    {
        EngineConfig c = fastConfig();
        c.resilience.retry.maxAttempts = 1;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        QSignalSpy states(&t, &Transport::circuitStateChanged);
        QSignalSpy log(&t, &Transport::requestLogged);
        setFaults("rules:\n  - action: unavailable\n    path: \"/services/data/*\"\n    count: 5\n");
        for (int i = 0; i < 5; ++i) {
            const auto r = sendAndWait(t, getRequest(kVersions));
            QVERIFY(!r.ok());
            QCOMPARE(r.error().httpStatus, 503);
        }
        QCOMPARE(t.circuitState(), CircuitState::Open);
        QCOMPARE(states.count(), 1);
        QCOMPARE(states.at(0).at(0).value<CircuitState>(), CircuitState::Open);

        // Open: rejected at once, nothing sent.
        const auto rejected = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!rejected.ok());
        QCOMPARE(rejected.error().errorCode, QStringLiteral("CIRCUIT_OPEN"));
        QCOMPARE(rejected.error().category, EngineError::Category::Server);
        QCOMPARE(log.count(), 5);

        // After the reset timeout: half-open, then closed after 3 successes.
        QElapsedTimer since;
        since.start();
        QTRY_VERIFY_WITH_TIMEOUT(since.elapsed() >= 350, 2000);
        for (int i = 0; i < 3; ++i) {
            const auto r = sendAndWait(t, getRequest(kVersions));
            QVERIFY2(r.ok(), qPrintable(errorText(r)));
            if (i < 2)
                QCOMPARE(t.circuitState(), CircuitState::HalfOpen);
        }
        QCOMPARE(t.circuitState(), CircuitState::Closed);
        QCOMPARE(states.count(), 3);
        QCOMPARE(states.at(1).at(0).value<CircuitState>(), CircuitState::HalfOpen);
        QCOMPARE(states.at(2).at(0).value<CircuitState>(), CircuitState::Closed);
    }

    void limitWarningFiresOnceAndLimitIsNotHammered()
    {
        EngineConfig c = fastConfig();
        c.rateLimits.warnThresholdPercent = 80;
        Transport t(c);
        auto metrics = std::make_shared<Metrics>();
        t.setMetrics(metrics);
        t.setCredentials(makeCreds(c));
        m_sim->setApiLimit(10);
        QSignalSpy warnings(&t, &Transport::apiUsageWarning);
        for (int i = 1; i <= 10; ++i) {
            const auto r = sendAndWait(t, getRequest(kVersions));
            QVERIFY2(r.ok(), qPrintable(errorText(r)));
            QCOMPARE(t.apiUsage().used, qint64(i));
            QCOMPARE(warnings.count(), i >= 8 ? 1 : 0);
        }
        QCOMPARE(warnings.at(0).at(1).toDouble(), 80.0);
        QCOMPARE(warnings.at(0).at(0).value<fs::ApiUsage>().used, qint64(8));
        QCOMPARE(metrics->value(QStringLiteral("sf_rate_limit_percent_used"), { { QStringLiteral("limit_type"), QStringLiteral("DailyApiRequests") } }), 100.0);

        QSignalSpy log(&t, &Transport::requestLogged);
        const auto over = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!over.ok());
        QCOMPARE(over.error().category, EngineError::Category::Limits);
        QCOMPARE(over.error().errorCode, QStringLiteral("REQUEST_LIMIT_EXCEEDED"));
        QVERIFY(!over.error().retryable);
        QCOMPARE(log.count(), 1); // reported, not retried
        QCOMPARE(warnings.count(), 1);
    }

    void expiredTokenRefreshedOnceForConcurrentRequests_data()
    {
        QTest::addColumn<int>("concurrent");
        QTest::addRow("one request") << 1;
        QTest::addRow("eight concurrent requests, one refresh") << 8;
    }

    void expiredTokenRefreshedOnceForConcurrentRequests()
    {
        QFETCH(int, concurrent);
        const EngineConfig c = fastConfig();
        Transport t(c);
        auto metrics = std::make_shared<Metrics>();
        t.setMetrics(metrics);
        m_creds = makeCreds(c);
        m_creds->setMetrics(metrics);
        t.setCredentials(m_creds);
        // A few calls with the first token, then the session expires mid-sequence.
        for (int i = 0; i < 2; ++i)
            QVERIFY(sendAndWait(t, getRequest(kVersions)).ok());
        setFaults("rules:\n  - action: expire_session\n    path: \"/services/data/*\"\n    count: 1\n");
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < concurrent; ++i) {
            t.send(getRequest(QStringLiteral("/services/data/v59.0/limits")), [&](fs::Result<HttpResponse> r) {
                if (r.ok() && r->status == 200)
                    ++ok;
                else
                    ++failed;
            });
        }
        QTRY_COMPARE_WITH_TIMEOUT(ok + failed, concurrent, 20000);
        QCOMPARE(failed, 0);
        QCOMPARE(m_grants, 1);
        QVERIFY(m_creds->accessToken() != m_token);
        QCOMPARE(metrics->value(QStringLiteral("sf_token_refreshes_total"), { { QStringLiteral("result"), QStringLiteral("success") } }), 1.0);
        // And later calls keep working with the new token, without refreshing again.
        QVERIFY(sendAndWait(t, getRequest(kVersions)).ok());
        QCOMPARE(m_grants, 1);
    }

    void refreshedInstanceUrlIsUsedForReplay()
    {
        // The grant reports a different instance URL (org migrated); the replay must go there.
        QString error;
        const std::unique_ptr<Simulator> otherSim = fs::test::startSimulator(0, &error);
        QVERIFY2(otherSim, qPrintable(error));
        Simulator &other = *otherSim;
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        auto creds = std::make_shared<TokenManager>(c);
        creds->setToken(QStringLiteral("00Dbogus!expired"), m_sim->baseUrl());
        creds->setGrant([&other](TokenManager::GrantCallback cb) {
            QTimer::singleShot(0, [&other, cb] { cb(TokenManager::Token { other.issueAccessToken(), other.baseUrl() }); });
        });
        t.setCredentials(creds);
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(res.ok(), qPrintable(errorText(res)));
        QCOMPARE(res->status, 200);
        QCOMPARE(creds->instanceUrl(), other.baseUrl());
        QCOMPARE(log.count(), 2);
        QCOMPARE(log.at(0).at(0).value<RequestLogEntry>().status, 401);
    }

    void sessionNotValidForRestIsNotRefreshed()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: invalid_session_rest\n    path: \"/services/data/*\"\n    count: 1\n");
        QSignalSpy expired(&t, &Transport::authExpired);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!res.ok());
        QCOMPARE(res.error().category, EngineError::Category::Auth);
        QCOMPARE(res.error().httpStatus, 401);
        QCOMPARE(m_grants, 0);
        QCOMPARE(expired.count(), 1);
    }

    void refreshFailureEndsInAuthExpired()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        auto creds = std::make_shared<TokenManager>(c);
        creds->setToken(QStringLiteral("00Dbogus!expired"), m_sim->baseUrl());
        int grants = 0;
        creds->setGrant([&grants](TokenManager::GrantCallback cb) {
            ++grants;
            cb(EngineError::make(EngineError::Category::Auth, QStringLiteral("expired access/refresh token"), QStringLiteral("invalid_grant")));
        });
        t.setCredentials(creds);
        QSignalSpy expired(&t, &Transport::authExpired);
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!res.ok());
        QCOMPARE(res.error().errorCode, QStringLiteral("invalid_grant"));
        QCOMPARE(grants, 1); // one refresh per request, never a loop
        QCOMPARE(expired.count(), 1);
    }

    void cancelDeliversCancelledOnce()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: latency\n    latency_ms: 3000\n");
        int calls = 0;
        std::optional<EngineError> err;
        const quint64 h = t.send(getRequest(kVersions), [&](fs::Result<HttpResponse> r) {
            ++calls;
            if (!r.ok())
                err = r.error();
        });
        QVERIFY(h != 0);
        QTimer::singleShot(50, &t, [&t, h] { t.cancel(h); });
        QTRY_COMPARE(calls, 1);
        QCOMPARE(err->category, EngineError::Category::Cancelled);
        QCOMPARE(t.pendingCount(), 0);
        t.cancel(h); // cancelling twice is harmless
        QCOMPARE(calls, 1);
    }

    void transferTimeoutIsANetworkError()
    {
        EngineConfig c = fastConfig();
        c.timeouts.requestSeconds = 1;
        c.resilience.retry.maxAttempts = 1;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(makeCreds(c));
        setFaults("rules:\n  - action: latency\n    latency_ms: 4000\n");
        const auto res = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!res.ok());
        QCOMPARE(res.error().category, EngineError::Category::Network);
        QCOMPARE(res.error().errorCode, QStringLiteral("TIMEOUT"));
        QVERIFY(res.error().retryable);
    }

    void tlsVerifiesTheServerCertificate()
    {
        QTemporaryDir dir;
        QByteArray keyPem;
        QByteArray certPem;
        makeServerCert(&keyPem, &certPem);
        const QString certFile = dir.filePath(QStringLiteral("cert.pem"));
        const QString keyFile = dir.filePath(QStringLiteral("key.pem"));
        for (const auto &[path, data] : { std::pair { certFile, certPem }, std::pair { keyFile, keyPem } }) {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(data);
        }
        fs::sim::SimulatorOptions o;
        o.scale = 0;
        o.tlsCert = certFile;
        o.tlsKey = keyFile;
        Simulator tlsSim(o);
        QString error;
        QVERIFY2(tlsSim.start(&error), qPrintable(error));
        if (tlsSim.baseUrl().scheme() != u"https")
            QSKIP("the simulator did not start with TLS");
        EngineConfig c = fastConfig();
        c.resilience.retry.maxAttempts = 2;

        // Untrusted self-signed certificate: refused, not retried as if transient.
        {
            Transport t(c);
            t.setMetrics(std::make_shared<Metrics>());
            HttpRequest r = getRequest(tlsSim.baseUrl().toString() + QStringLiteral("/services/data"));
            r.authenticated = false;
            QSignalSpy log(&t, &Transport::requestLogged);
            const auto res = sendAndWait(t, r);
            QVERIFY(!res.ok());
            QCOMPARE(res.error().category, EngineError::Category::Network);
            QCOMPARE(res.error().errorCode, QStringLiteral("TLS_HANDSHAKE_FAILED"));
            QCOMPARE(log.count(), 1);
        }
        // Trusted through an extra CA: full verification passes.
        {
            Transport t(c);
            t.setMetrics(std::make_shared<Metrics>());
            t.addCaCertificates({ certPem });
            HttpRequest r = getRequest(tlsSim.baseUrl().toString() + QStringLiteral("/services/data"));
            r.authenticated = false;
            const auto res = sendAndWait(t, r);
            QVERIFY2(res.ok(), qPrintable(errorText(res)));
            QCOMPARE(res->status, 200);
            QVERIFY(QJsonDocument::fromJson(res->body).isArray());
        }
    }

    // The floor in action: a server capped at TLS 1.1 (and proven to speak it) is refused.
    void serverBelowTls12IsRefused()
    {
        QByteArray keyPem;
        QByteArray certPem;
        makeServerCert(&keyPem, &certPem);
        QSslConfiguration server = QSslConfiguration::defaultConfiguration();
        server.setLocalCertificate(QSslCertificate(certPem, QSsl::Pem));
        server.setPrivateKey(QSslKey(keyPem, QSsl::Rsa, QSsl::Pem));
        server.setProtocol(QSsl::AnyProtocol);
        server.setPeerVerifyMode(QSslSocket::VerifyNone);
        // OpenSSL 3 only offers TLS 1.0/1.1 at security level 0.
        server.setBackendConfigurationOption("MinProtocol", QByteArray("TLSv1"));
        server.setBackendConfigurationOption("MaxProtocol", QByteArray("TLSv1.1"));
        server.setBackendConfigurationOption("CipherString", QByteArray("DEFAULT:@SECLEVEL=0"));
        QSslServer old;
        old.setSslConfiguration(server);
        QVERIFY(old.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> held;
        connect(&old, &QTcpServer::pendingConnectionAvailable, this, [&] {
            while (QTcpSocket *s = old.nextPendingConnection())
                held << s;
        });

        // A client that allows TLS 1.1 gets through: the server really speaks (only) TLS 1.1.
        QSslSocket probe;
        QSslConfiguration legacy = QSslConfiguration::defaultConfiguration();
        legacy.setProtocol(QSsl::AnyProtocol);
        legacy.setPeerVerifyMode(QSslSocket::VerifyNone);
        legacy.setBackendConfigurationOption("MinProtocol", QByteArray("TLSv1"));
        legacy.setBackendConfigurationOption("CipherString", QByteArray("DEFAULT:@SECLEVEL=0"));
        probe.setSslConfiguration(legacy);
        bool probeFailed = false;
        connect(&probe, &QAbstractSocket::errorOccurred, this, [&probeFailed] { probeFailed = true; });
        probe.connectToHostEncrypted(QStringLiteral("127.0.0.1"), old.serverPort());
        QVERIFY(QTest::qWaitFor([&] { return probe.isEncrypted() || probeFailed; }, 10000));
        if (!probe.isEncrypted())
            QSKIP("this OpenSSL build cannot speak TLS 1.1 even at security level 0; the floor is asserted by "
                  "tst_transportpolicy::tlsFloorIsTls12 instead");
        QVERIFY(probe.sessionProtocol() != QSsl::TlsV1_2 && probe.sessionProtocol() != QSsl::TlsV1_3);
        probe.disconnectFromHost();

        // The transport trusts the certificate (so only the protocol can fail) and still refuses.
        EngineConfig c = fastConfig();
        c.resilience.retry.maxAttempts = 2;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.addCaCertificates({ certPem });
        HttpRequest r = getRequest(QStringLiteral("https://127.0.0.1:%1/services/data").arg(old.serverPort()));
        r.authenticated = false;
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto res = sendAndWait(t, r);
        QVERIFY(!res.ok());
        QCOMPARE(res.error().category, EngineError::Category::Network);
        QCOMPARE(res.error().errorCode, QStringLiteral("TLS_HANDSHAKE_FAILED"));
        QVERIFY(res.error().detail.contains(QStringLiteral("TLS 1.2")));
        QCOMPARE(log.count(), 1); // not retried as if transient
    }

    void requestLogHoldsNoSecret()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        m_creds = makeCreds(c);
        t.setCredentials(m_creds);
        QList<RequestLogEntry> entries;
        connect(&t, &Transport::requestLogged, this, [&entries](const RequestLogEntry &e) { entries << e; });
        // A SOQL literal, a token in a query parameter, an expiry with refresh and a retry.
        QVERIFY(sendAndWait(t, getRequest(QStringLiteral("/services/data/v59.0/query?q=SELECT+Id+FROM+User+WHERE+Username+%3D+%27secret.user%40example.com%27"))).ok());
        HttpRequest withToken = getRequest(QStringLiteral("/services/data/v59.0/?oauth_token=") + m_token);
        QVERIFY(sendAndWait(t, withToken).ok());
        setFaults("rules:\n  - action: expire_session\n    count: 1\n  - action: unavailable\n    after: 2\n    count: 1\n");
        QVERIFY(sendAndWait(t, getRequest(kVersions)).ok());
        QVERIFY(sendAndWait(t, getRequest(kVersions)).ok());
        QVERIFY(entries.size() >= 5);
        m_issued << m_creds->accessToken();
        bool sawRedactedLiteral = false;
        for (const auto &e : entries) {
            const QString text = e.method + u' ' + e.path + u' ' + e.errorCode;
            for (const QString &tok : std::as_const(m_issued)) {
                QVERIFY2(!text.contains(tok), qPrintable(text));
                QVERIFY(!text.contains(tok.section(u'!', 1)));
            }
            QVERIFY(!text.contains(QStringLiteral("secret.user")));
            if (e.path.contains(QStringLiteral("Username = '***'")))
                sawRedactedLiteral = true;
        }
        QVERIFY(sawRedactedLiteral);
    }
};

QTEST_GUILESS_MAIN(TestEngineTransport)
#include "tst_engine_transport.moc"
