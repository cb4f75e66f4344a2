#include "config/engineconfig.h"

#include <QTemporaryDir>
#include <QTest>

using fs::engine::EngineConfig;

class TestEngineConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultsMatchTemplate()
    {
        const EngineConfig c;
        QCOMPARE(c.apiVersion, QStringLiteral("59.0"));
        QCOMPARE(c.timeouts.connectSeconds, 30);
        QCOMPARE(c.timeouts.requestSeconds, 30);
        QCOMPARE(c.resilience.retry.maxAttempts, 3);
        QCOMPARE(c.resilience.retry.baseDelayMs, 500);
        QCOMPARE(c.resilience.retry.maxDelayMs, 60000);
        QCOMPARE(c.resilience.circuitBreaker.failureThreshold, 5);
        QCOMPARE(c.resilience.circuitBreaker.successThreshold, 3);
        QCOMPARE(c.resilience.circuitBreaker.resetTimeoutSeconds, 60.0);
        QCOMPARE(c.rateLimits.warnThresholdPercent, 80.0);
        QCOMPARE(c.rateLimits.pollIntervalSeconds, 300);
        QCOMPARE(c.bulk.maxRecordsPerJob, qint64(10000000));
        QCOMPARE(c.events.replayPreset, QStringLiteral("LATEST"));
        QVERIFY(!c.simulation.enabled);
        QVERIFY(c.validate().ok());
    }

    void loadsTemplate()
    {
        qputenv("FS_TEST_INSTANCE_URL", "https://acme.my.salesforce.com");
        const QByteArray yaml = R"(
salesforce:
  instance_url: "${FS_TEST_INSTANCE_URL}"
  api_version: "60.0"
  credentials:
    source: "shared-auth"
    type: "jwt_bearer"
  timeouts:
    connect_seconds: 10
    request_seconds: 20
    bulk_poll_seconds: 5
    event_keepalive_seconds: 60
  resilience:
    retry:
      max_attempts: 4
      base_delay_ms: 5
      max_delay_ms: 50
      jitter: false
    circuit_breaker:
      failure_threshold: 5
      success_threshold: 3
      reset_timeout_seconds: 0.2
  rate_limits:
    track_limits: true
    warn_threshold_percent: 75
    poll_interval_seconds: 300
  bulk:
    max_records_per_job: 10000000
    poll_interval_seconds: 5
    timeout_seconds: 3600
  events:
    pubsub_endpoint: "api.pubsub.salesforce.com:7443"
    replay_preset: "EARLIEST"
    max_reconnects: 10
  simulation:
    enabled: true
    recording_path: "./recordings/salesforce"
)";
        const auto r = EngineConfig::fromYaml(yaml);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->instanceUrl, QStringLiteral("https://acme.my.salesforce.com"));
        QCOMPARE(r->apiVersion, QStringLiteral("60.0"));
        QCOMPARE(r->timeouts.connectSeconds, 10);
        QCOMPARE(r->resilience.retry.maxAttempts, 4);
        QCOMPARE(r->resilience.retry.jitter, false);
        QCOMPARE(r->resilience.circuitBreaker.resetTimeoutSeconds, 0.2);
        QCOMPARE(r->rateLimits.warnThresholdPercent, 75.0);
        QCOMPARE(r->events.replayPreset, QStringLiteral("EARLIEST"));
        QVERIFY(r->simulation.enabled);
    }

    void topLevelKeysWithoutSalesforceMap()
    {
        const auto r = EngineConfig::fromYaml("api_version: \"58.0\"\n");
        QVERIFY(r.ok());
        QCOMPARE(r->apiVersion, QStringLiteral("58.0"));
    }

    void emptyIsDefaults()
    {
        const auto r = EngineConfig::fromYaml("");
        QVERIFY(r.ok());
        QCOMPARE(r->resilience.retry.maxAttempts, 3);
    }

    void errorsNameTheKey_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("prefix");
        QTest::addRow("max_attempts zero") << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: 0\n")
                                           << QStringLiteral("resilience.retry.max_attempts: must be an integer ≥ 1");
        QTest::addRow("max_attempts text") << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: many\n")
                                           << QStringLiteral("resilience.retry.max_attempts: must be an integer ≥ 1");
        QTest::addRow("threshold above 100")
            << QByteArray("salesforce:\n  rate_limits:\n    warn_threshold_percent: 120\n")
            << QStringLiteral("rate_limits.warn_threshold_percent:");
        QTest::addRow("jitter not bool") << QByteArray("salesforce:\n  resilience:\n    retry:\n      jitter: maybe\n")
                                         << QStringLiteral("resilience.retry.jitter: must be true or false");
        QTest::addRow("timeouts not a map") << QByteArray("salesforce:\n  timeouts: 5\n")
                                            << QStringLiteral("timeouts: must be a mapping");
        QTest::addRow("unset env") << QByteArray("salesforce:\n  instance_url: \"${FS_TEST_SURELY_UNSET_VAR}\"\n")
                                   << QStringLiteral("instance_url: environment variable FS_TEST_SURELY_UNSET_VAR is not set");
        QTest::addRow("bad url") << QByteArray("salesforce:\n  instance_url: \"not a url\"\n")
                                 << QStringLiteral("instance_url:");
        QTest::addRow("bad api version") << QByteArray("salesforce:\n  api_version: \"v59\"\n")
                                         << QStringLiteral("api_version:");
        QTest::addRow("bad credential type") << QByteArray("salesforce:\n  credentials:\n    type: password\n")
                                             << QStringLiteral("credentials.type:");
        QTest::addRow("max below base")
            << QByteArray("salesforce:\n  resilience:\n    retry:\n      base_delay_ms: 100\n      max_delay_ms: 10\n")
            << QStringLiteral("resilience.retry.max_delay_ms:");
        QTest::addRow("failure threshold")
            << QByteArray("salesforce:\n  resilience:\n    circuit_breaker:\n      failure_threshold: -1\n")
            << QStringLiteral("resilience.circuit_breaker.failure_threshold: must be an integer ≥ 1");
        QTest::addRow("replay preset") << QByteArray("salesforce:\n  events:\n    replay_preset: CUSTOM\n")
                                       << QStringLiteral("events.replay_preset:");
        QTest::addRow("broken yaml") << QByteArray("salesforce: [unclosed\n")
                                     << QStringLiteral("The configuration is not valid YAML");
        QTest::addRow("list at top") << QByteArray("- a\n- b\n") << QStringLiteral("The configuration must be");
    }

    void errorsNameTheKey()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, prefix);
        const auto r = EngineConfig::fromYaml(yaml);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().category, fs::EngineError::Category::Validation);
        QVERIFY2(r.error().message.startsWith(prefix), qPrintable(r.error().message));
    }

    void loadFromFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("salesforce:\n  timeouts:\n    request_seconds: 7\n");
        f.close();
        const auto r = EngineConfig::load(path);
        QVERIFY(r.ok());
        QCOMPARE(r->timeouts.requestSeconds, 7);

        const auto missing = EngineConfig::load(dir.filePath(QStringLiteral("nope.yaml")));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.contains(QStringLiteral("nope.yaml")));
    }
};

QTEST_GUILESS_MAIN(TestEngineConfig)
#include "tst_engineconfig.moc"
