// Transport policies against the in-process simulated org: one keep-alive connection, gzip on the
// wire, HTTP/2 allowed on every request, the TLS 1.2 floor, the connect timeout from config, retry
// after a timeout, the REQUEST_LIMIT_EXCEEDED back-off window, /limits polling and the metrics the
// transport itself emits.
#include "enginetestkit.h"

#include "auth/tokenmanager.h"
#include "config/engineconfig.h"
#include "metadata/limitsservice.h"
#include "metrics/metrics.h"
#include "transport/transport.h"

#include "simulator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <optional>

using fs::EngineError;
using fs::RequestLogEntry;
using fs::engine::EngineConfig;
using fs::engine::HttpRequest;
using fs::engine::HttpResponse;
using fs::engine::LimitsService;
using fs::engine::Metrics;
using fs::engine::TokenManager;
using fs::engine::Transport;
using fs::sim::Simulator;
using fs::test::errorText;
using fs::test::getRequest;

namespace {

EngineConfig fastConfig()
{
    return fs::test::quickTransportConfig(3);
}

const QString kVersions = QStringLiteral("/services/data/v59.0/");
const QString kLimits = QStringLiteral("/services/data/v59.0/limits");

} // namespace

class TestTransportPolicy : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Simulator> m_sim;

    static fs::Result<HttpResponse> sendAndWait(Transport &t, HttpRequest req)
    {
        return fs::test::sendAndWait(t, std::move(req), 30000);
    }

    std::shared_ptr<TokenManager> creds(const EngineConfig &c) { return fs::test::issuedTokenCredentials(c, *m_sim); }

    void setFaults(const QByteArray &yaml) { fs::test::applyFaultPlan(*m_sim, yaml); }

    static int countPath(const QSignalSpy &log, const QString &path) { return fs::test::countLoggedPath(log, path); }

private Q_SLOTS:
    void init()
    {
        QString error;
        m_sim = fs::test::startSimulator(0, &error);
        QVERIFY2(m_sim, qPrintable(error));
    }

    void cleanup() { m_sim.reset(); }

    void requestsAreBuiltForHttp2TlsAndGzip_data()
    {
        QTest::addColumn<bool>("authenticated");
        QTest::addColumn<QByteArray>("bearer");
        QTest::addRow("org API call with the session token") << true << QByteArray("00Dfake!token");
        QTest::addRow("OAuth token call without a bearer") << false << QByteArray();
    }

    // A real HTTP/2 server is out of reach here (the simulator speaks HTTP/1.1): what the
    // transport controls is that every request allows HTTP/2, which QNAM then negotiates by ALPN.
    void requestsAreBuiltForHttp2TlsAndGzip()
    {
        QFETCH(bool, authenticated);
        QFETCH(QByteArray, bearer);
        EngineConfig c = fastConfig();
        c.timeouts.requestSeconds = 42;
        Transport t(c);
        HttpRequest r = getRequest(QStringLiteral("/services/oauth2/token"));
        r.method = "POST";
        r.authenticated = authenticated;
        r.contentType = "application/x-www-form-urlencoded";
        const QNetworkRequest req = t.networkRequest(r, QUrl(QStringLiteral("https://login.salesforce.com/services/oauth2/token")), bearer);
        QCOMPARE(req.attribute(QNetworkRequest::Http2AllowedAttribute).toBool(), true);
        QCOMPARE(req.transferTimeout(), 42000);
        // gzip is asked for by QNAM itself (it then decodes): the transport must not set it by hand.
        QVERIFY(!req.hasRawHeader("Accept-Encoding"));
        QCOMPARE(req.hasRawHeader("Authorization"), !bearer.isEmpty());
        QCOMPARE(req.sslConfiguration().protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(req.sslConfiguration().peerVerifyMode(), QSslSocket::VerifyPeer);
    }

    void tlsFloorIsTls12()
    {
        Transport t(fastConfig());
        QCOMPARE(t.sslConfiguration().protocol(), QSsl::TlsV1_2OrLater);
        QCOMPARE(t.sslConfiguration().peerVerifyMode(), QSslSocket::VerifyPeer);
        // Extra CAs (tests with a self-signed simulator) keep the floor.
        t.addCaCertificates({});
        QCOMPARE(t.sslConfiguration().protocol(), QSsl::TlsV1_2OrLater);
    }

    void sequentialRequestsShareOneKeepAliveConnection()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(creds(c));
        QCOMPARE(m_sim->connectionsServed(), 0);
        for (int i = 0; i < 5; ++i) {
            const auto r = sendAndWait(t, getRequest(kVersions));
            QVERIFY2(r.ok(), qPrintable(errorText(r)));
            QCOMPARE(r->status, 200);
        }
        QCOMPARE(m_sim->connectionsServed(), 1);
    }

    void gzipIsRequestedAndDecoded()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(creds(c));
        const int before = m_sim->gzippedResponses();
        // /limits is a few kB: the simulator compresses it only when the request accepts gzip.
        const auto r = sendAndWait(t, getRequest(kLimits));
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->status, 200);
        QCOMPARE(m_sim->gzippedResponses(), before + 1);
        const QJsonObject limits = QJsonDocument::fromJson(r->body).object();
        QVERIFY(limits.contains(QStringLiteral("DailyApiRequests")));
    }

    void connectTimeoutComesFromConfig()
    {
        // Accepts the TCP connection and never says a word: the TLS handshake cannot finish.
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QList<QTcpSocket *> held;
        connect(&silent, &QTcpServer::newConnection, this, [&] {
            while (QTcpSocket *s = silent.nextPendingConnection())
                held << s;
        });
        EngineConfig c = fastConfig();
        c.timeouts.connectSeconds = 1;
        c.timeouts.requestSeconds = 120; // the transfer timeout must not be the one that fires
        c.resilience.retry.maxAttempts = 1;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        QSignalSpy log(&t, &Transport::requestLogged);
        HttpRequest r = getRequest(QStringLiteral("https://127.0.0.1:%1/services/data").arg(silent.serverPort()));
        r.authenticated = false;
        const auto res = sendAndWait(t, r);
        QVERIFY(!res.ok());
        QCOMPARE(res.error().category, EngineError::Category::Network);
        QCOMPARE(res.error().errorCode, QStringLiteral("TIMEOUT"));
        QVERIFY2(res.error().message.contains(QStringLiteral("connect timeout (1 s)")), qPrintable(res.error().message));
        QVERIFY(res.error().retryable);
        QCOMPARE(log.count(), 1);
        QVERIFY(!held.isEmpty()); // it really connected, then waited
    }

    void timeoutIsRetriedThenSucceeds()
    {
        EngineConfig c = fastConfig();
        c.timeouts.requestSeconds = 1;
        c.resilience.retry.maxAttempts = 2;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(creds(c));
        // Only the first call is slow: it times out, the retry is answered at once.
        setFaults("rules:\n  - action: latency\n    latency_ms: 4000\n    path: \"/services/data/*\"\n    count: 1\n");
        QSignalSpy log(&t, &Transport::requestLogged);
        const auto r = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(r.ok(), qPrintable(errorText(r)));
        QCOMPARE(r->status, 200);
        QCOMPARE(r->attempts, 2);
        QCOMPARE(log.count(), 2);
        QCOMPARE(log.at(0).at(0).value<RequestLogEntry>().errorCode, QStringLiteral("TIMEOUT"));
        QCOMPARE(log.at(1).at(0).value<RequestLogEntry>().status, 200);
    }

    void requestLimitBacksOffThenResumes()
    {
        EngineConfig c = fastConfig();
        c.rateLimits.backoffSeconds = 1.0;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(creds(c));
        setFaults("rules:\n  - action: limit_exhausted\n    path: \"/services/data/*\"\n    count: 1\n");
        QSignalSpy log(&t, &Transport::requestLogged);
        QSignalSpy backoff(&t, &Transport::requestLimitBackoff);

        const auto first = sendAndWait(t, getRequest(kVersions));
        QVERIFY(!first.ok());
        QCOMPARE(first.error().category, EngineError::Category::Limits);
        QCOMPARE(first.error().httpStatus, 403);
        QCOMPARE(backoff.count(), 1);
        QCOMPARE(backoff.at(0).at(1).toLongLong(), qint64(1000));
        QVERIFY(t.limitBackoffRemainingMs() > 0);

        // Within the window: refused locally with a clear Limits error; the server sees nothing.
        for (int i = 0; i < 2; ++i) {
            const auto again = sendAndWait(t, getRequest(kVersions));
            QVERIFY(!again.ok());
            QCOMPARE(again.error().category, EngineError::Category::Limits);
            QCOMPARE(again.error().errorCode, QStringLiteral("REQUEST_LIMIT_EXCEEDED"));
            QCOMPARE(again.error().httpStatus, 0);
            QVERIFY2(again.error().message.contains(QStringLiteral("pauses")), qPrintable(again.error().message));
            QVERIFY(!again.error().retryable);
        }
        QCOMPARE(log.count(), 1); // 1 request reached the server, not 3
        QCOMPARE(backoff.count(), 1);

        // OAuth/login calls (unauthenticated) are not org API calls: they still go through.
        HttpRequest open = getRequest(m_sim->baseUrl().toString() + QStringLiteral("/services/data"));
        open.authenticated = false;
        const auto versions = sendAndWait(t, open);
        QVERIFY2(versions.ok(), qPrintable(errorText(versions)));
        QCOMPARE(versions->status, 200);

        // After the window, calls go through again (the org's usage window has freed up by then).
        QTRY_COMPARE_WITH_TIMEOUT(t.limitBackoffRemainingMs(), qint64(0), 10000);
        m_sim->setApiUsage(0);
        const auto after = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(after.ok(), qPrintable(errorText(after)));
        QCOMPARE(after->status, 200);
    }

    void zeroBackoffDisablesTheWindow()
    {
        EngineConfig c = fastConfig();
        c.rateLimits.backoffSeconds = 0;
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        t.setCredentials(creds(c));
        setFaults("rules:\n  - action: limit_exhausted\n    path: \"/services/data/*\"\n    count: 1\n");
        QSignalSpy backoff(&t, &Transport::requestLimitBackoff);
        QVERIFY(!sendAndWait(t, getRequest(kVersions)).ok());
        QCOMPARE(backoff.count(), 0);
        m_sim->setApiUsage(0); // the fault used up the org's allowance; free it
        const auto next = sendAndWait(t, getRequest(kVersions));
        QVERIFY2(next.ok(), qPrintable(errorText(next)));
    }

    void limitsArePolledOnTheConfiguredInterval()
    {
        EngineConfig c = fastConfig();
        c.rateLimits.trackLimits = false; // usage must come from /limits, not Sforce-Limit-Info
        c.rateLimits.warnThresholdPercent = 80;
        Transport t(c);
        auto metrics = std::make_shared<Metrics>();
        t.setMetrics(metrics);
        t.setCredentials(creds(c));
        m_sim->setApiLimit(100);
        m_sim->setApiUsage(90);
        LimitsService limits(&t);
        limits.setPollIntervalSeconds(1);
        QSignalSpy log(&t, &Transport::requestLogged);
        QSignalSpy polled(&limits, &LimitsService::limitsPolled);
        QSignalSpy warning(&t, &Transport::apiUsageWarning);
        limits.startPolling();
        QVERIFY(limits.isPolling());
        QTRY_VERIFY_WITH_TIMEOUT(countPath(log, kLimits) >= 2, 15000);
        QTRY_VERIFY_WITH_TIMEOUT(polled.count() >= 2, 15000);
        QVERIFY(t.apiUsage().max == 100);
        QVERIFY(t.apiUsage().used >= 90);
        QCOMPARE(warning.count(), 1);
        QCOMPARE(warning.at(0).at(1).toDouble(), 80.0);
        QVERIFY(metrics->value(QStringLiteral("sf_rate_limit_remaining"),
                    { { QStringLiteral("limit_type"), QStringLiteral("DailyApiRequests") } })
            <= 10.0);
        limits.stopPolling();
        QVERIFY(!limits.isPolling());
    }

    void zeroPollIntervalNeverPolls()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setCredentials(creds(c));
        LimitsService limits(&t);
        limits.setPollIntervalSeconds(0);
        limits.startPolling();
        QVERIFY(!limits.isPolling());
        QCOMPARE(t.pendingCount(), 0);
    }

    void metricsAreEmittedByTheTransport()
    {
        const EngineConfig c = fastConfig();
        Transport t(c);
        auto metrics = std::make_shared<Metrics>();
        t.setMetrics(metrics);
        t.setCredentials(creds(c));
        for (int i = 0; i < 3; ++i) {
            HttpRequest r = getRequest(QStringLiteral("/services/data/v59.0/sobjects/Account/describe"));
            r.operation = QStringLiteral("describe");
            r.sobject = QStringLiteral("Account");
            const auto res = sendAndWait(t, r);
            QVERIFY2(res.ok(), qPrintable(errorText(res)));
        }
        const QString text = metrics->prometheusText();
        QVERIFY2(text.contains(QStringLiteral("sf_request_duration_seconds_count{operation=\"describe\",sobject=\"Account\"} 3\n")),
            qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_bucket{operation=\"describe\",sobject=\"Account\",le=\"+Inf\"} 3\n")));
        // From the Sforce-Limit-Info header of those replies, not set by the test.
        const fs::ApiUsage usage = t.apiUsage();
        QVERIFY(usage.max > 0);
        const QString remaining = QStringLiteral("sf_rate_limit_remaining{limit_type=\"DailyApiRequests\"} %1\n")
                                      .arg(usage.max - usage.used);
        QVERIFY2(text.contains(remaining), qPrintable(remaining + u'\n' + text));
        QVERIFY(text.contains(QStringLiteral("sf_rate_limit_percent_used{limit_type=\"DailyApiRequests\"}")));
    }

    void unauthenticatedCallsNeverRefresh()
    {
        // Token endpoint / verification calls travel without the session bearer and a 401 on them
        // is the caller's answer, not a trigger for the refresh-and-replay loop.
        const EngineConfig c = fastConfig();
        Transport t(c);
        t.setMetrics(std::make_shared<Metrics>());
        auto m = std::make_shared<TokenManager>(c);
        m->setToken(m_sim->issueAccessToken(), m_sim->baseUrl());
        int grants = 0;
        m->setGrant([&grants](TokenManager::GrantCallback cb) {
            ++grants;
            cb(EngineError::make(EngineError::Category::Auth, QStringLiteral("no"), QStringLiteral("invalid_grant")));
        });
        t.setCredentials(m);
        QSignalSpy expired(&t, &Transport::authExpired);
        HttpRequest r = getRequest(m_sim->baseUrl().toString() + kLimits);
        r.authenticated = false;
        const auto res = sendAndWait(t, r);
        QVERIFY2(res.ok(), qPrintable(errorText(res)));
        QCOMPARE(res->status, 401);
        QCOMPARE(res->attempts, 1);
        QCOMPARE(grants, 0);
        QCOMPARE(expired.count(), 0);
    }

    void configKeys_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("errorKey"); // empty = valid
        QTest::addRow("poll 0 is off") << QByteArray("rate_limits:\n  poll_interval_seconds: 0\n") << QString();
        QTest::addRow("poll negative") << QByteArray("rate_limits:\n  poll_interval_seconds: -1\n")
                                       << QStringLiteral("rate_limits.poll_interval_seconds");
        QTest::addRow("backoff fraction") << QByteArray("rate_limits:\n  backoff_seconds: 2.5\n") << QString();
        QTest::addRow("backoff negative") << QByteArray("rate_limits:\n  backoff_seconds: -3\n")
                                          << QStringLiteral("rate_limits.backoff_seconds");
        QTest::addRow("backoff not a number") << QByteArray("rate_limits:\n  backoff_seconds: soon\n")
                                              << QStringLiteral("rate_limits.backoff_seconds");
    }

    void configKeys()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, errorKey);
        const auto c = EngineConfig::fromYaml(yaml); // the keys directly, without `salesforce:`
        if (errorKey.isEmpty()) {
            QVERIFY2(c.ok(), qPrintable(errorText(c)));
        } else {
            QVERIFY(!c.ok());
            QVERIFY2(c.error().message.startsWith(errorKey), qPrintable(c.error().message));
        }
    }
};

QTEST_GUILESS_MAIN(TestTransportPolicy)
#include "tst_transportpolicy.moc"
