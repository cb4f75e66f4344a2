#include "config/engineconfig.h"

#include "authtestkit.h"

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

    // Every key of the design note's configuration template (§6.2), written out by hand from it,
    // plus the keys the engine adds. Any of them missing from knownKeys() would reject a valid file.
    void knownKeysCoverTheTemplate()
    {
        const QStringList templateKeys = { QStringLiteral("instance_url"), QStringLiteral("api_version"),
            QStringLiteral("credentials"), QStringLiteral("credentials.source"), QStringLiteral("credentials.type"),
            QStringLiteral("timeouts"), QStringLiteral("timeouts.connect_seconds"),
            QStringLiteral("timeouts.request_seconds"), QStringLiteral("timeouts.bulk_poll_seconds"),
            QStringLiteral("timeouts.event_keepalive_seconds"), QStringLiteral("resilience"),
            QStringLiteral("resilience.retry"), QStringLiteral("resilience.retry.max_attempts"),
            QStringLiteral("resilience.retry.base_delay_ms"), QStringLiteral("resilience.retry.max_delay_ms"),
            QStringLiteral("resilience.circuit_breaker"), QStringLiteral("resilience.circuit_breaker.failure_threshold"),
            QStringLiteral("resilience.circuit_breaker.success_threshold"),
            QStringLiteral("resilience.circuit_breaker.reset_timeout_seconds"), QStringLiteral("rate_limits"),
            QStringLiteral("rate_limits.track_limits"), QStringLiteral("rate_limits.warn_threshold_percent"),
            QStringLiteral("rate_limits.poll_interval_seconds"), QStringLiteral("bulk"),
            QStringLiteral("bulk.max_records_per_job"), QStringLiteral("bulk.poll_interval_seconds"),
            QStringLiteral("bulk.timeout_seconds"), QStringLiteral("events"), QStringLiteral("events.pubsub_endpoint"),
            QStringLiteral("events.replay_preset"), QStringLiteral("events.max_reconnects"),
            QStringLiteral("simulation"), QStringLiteral("simulation.enabled"),
            QStringLiteral("simulation.recording_path") };
        const QStringList engineKeys = { QStringLiteral("credentials.client_id"), QStringLiteral("credentials.username"),
            QStringLiteral("credentials.key_file"), QStringLiteral("credentials.login_url"),
            QStringLiteral("credentials.session_timeout_seconds"), QStringLiteral("credentials.refresh_margin_seconds"),
            QStringLiteral("credentials.callback_port"), QStringLiteral("credentials.browser_timeout_seconds"),
            QStringLiteral("resilience.retry.jitter"), QStringLiteral("rate_limits.backoff_seconds"),
            QStringLiteral("metadata"), QStringLiteral("metadata.describe_cache_ttl_seconds") };
        const QStringList known = EngineConfig::knownKeys();
        for (const QString &k : templateKeys + engineKeys)
            QVERIFY2(known.contains(k), qPrintable(k));
        QCOMPARE(known.size(), templateKeys.size() + engineKeys.size()); // and nothing else
        QStringList unique = known;
        QCOMPARE(unique.removeDuplicates(), qsizetype(0));
    }

    // The template exactly as §6.2 prints it is accepted.
    void acceptsTheTemplateVerbatim()
    {
        qputenv("SF_INSTANCE_URL", "https://acme.my.salesforce.com");
        const QByteArray yaml = "# production-config.yaml\n"
            "salesforce:\n"
            "  instance_url: \"${SF_INSTANCE_URL}\"\n"
            "  api_version: \"59.0\"\n"
            "\n"
            "  credentials:\n"
            "    source: \"shared-auth\"\n"
            "    type: \"jwt_bearer\"\n"
            "\n"
            "  timeouts:\n"
            "    connect_seconds: 30\n"
            "    request_seconds: 30\n"
            "    bulk_poll_seconds: 5\n"
            "    event_keepalive_seconds: 60\n"
            "\n"
            "  resilience:\n"
            "    retry:\n"
            "      max_attempts: 3\n"
            "      base_delay_ms: 500\n"
            "      max_delay_ms: 60000\n"
            "    circuit_breaker:\n"
            "      failure_threshold: 5\n"
            "      success_threshold: 3\n"
            "      reset_timeout_seconds: 60\n"
            "\n"
            "  rate_limits:\n"
            "    track_limits: true\n"
            "    warn_threshold_percent: 80\n"
            "    poll_interval_seconds: 300\n"
            "\n"
            "  bulk:\n"
            "    max_records_per_job: 10000000\n"
            "    poll_interval_seconds: 5\n"
            "    timeout_seconds: 3600\n"
            "\n"
            "  events:\n"
            "    pubsub_endpoint: \"api.pubsub.salesforce.com:7443\"\n"
            "    replay_preset: \"LATEST\"\n"
            "    max_reconnects: 10\n"
            "\n"
            "  simulation:\n"
            "    enabled: false\n"
            "    recording_path: \"./recordings/salesforce\"\n";
        const auto r = EngineConfig::fromYaml(yaml);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        QCOMPARE(r->instanceUrl, QStringLiteral("https://acme.my.salesforce.com"));
        qunsetenv("SF_INSTANCE_URL");
    }

    // A file setting every known key, template and engine additions, is accepted and each value
    // lands (none is the default).
    void acceptsEveryKnownKey()
    {
        const QByteArray yaml = "\n"
            "salesforce:\n"
            "  instance_url: \"https://acme.my.salesforce.com\"\n"
            "  api_version: \"61.0\"\n"
            "  credentials:\n"
            "    source: \"profile\"\n"
            "    type: \"refresh_token\"\n"
            "    client_id: \"3MVG9-client\"\n"
            "    username: \"admin@acme.test\"\n"
            "    key_file: \"/etc/forcescope/server.key\"\n"
            "    login_url: \"https://test.salesforce.com\"\n"
            "    session_timeout_seconds: 3600\n"
            "    refresh_margin_seconds: 120\n"
            "    callback_port: 8765\n"
            "    browser_timeout_seconds: 90\n"
            "  timeouts:\n"
            "    connect_seconds: 11\n"
            "    request_seconds: 12\n"
            "    bulk_poll_seconds: 13\n"
            "    event_keepalive_seconds: 14\n"
            "  resilience:\n"
            "    retry:\n"
            "      max_attempts: 6\n"
            "      base_delay_ms: 7\n"
            "      max_delay_ms: 800\n"
            "      jitter: false\n"
            "    circuit_breaker:\n"
            "      failure_threshold: 9\n"
            "      success_threshold: 2\n"
            "      reset_timeout_seconds: 1.5\n"
            "  rate_limits:\n"
            "    track_limits: false\n"
            "    warn_threshold_percent: 65\n"
            "    poll_interval_seconds: 0\n"
            "    backoff_seconds: 2.5\n"
            "  bulk:\n"
            "    max_records_per_job: 500\n"
            "    poll_interval_seconds: 3\n"
            "    timeout_seconds: 60\n"
            "  events:\n"
            "    pubsub_endpoint: \"localhost:7443\"\n"
            "    replay_preset: \"EARLIEST\"\n"
            "    max_reconnects: 4\n"
            "  metadata:\n"
            "    describe_cache_ttl_seconds: 30\n"
            "  simulation:\n"
            "    enabled: true\n"
            "    recording_path: \"/tmp/rec\"\n";
        const auto r = EngineConfig::fromYaml(yaml);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        const EngineConfig &c = r.value();
        QCOMPARE(c.apiVersion, QStringLiteral("61.0"));
        QCOMPARE(c.credentials.source, QStringLiteral("profile"));
        QCOMPARE(c.credentials.type, QStringLiteral("refresh_token"));
        QCOMPARE(c.credentials.clientId, QStringLiteral("3MVG9-client"));
        QCOMPARE(c.credentials.username, QStringLiteral("admin@acme.test"));
        QCOMPARE(c.credentials.keyFile, QStringLiteral("/etc/forcescope/server.key"));
        QCOMPARE(c.credentials.loginUrl, QStringLiteral("https://test.salesforce.com"));
        QCOMPARE(c.credentials.sessionTimeoutSeconds, 3600);
        QCOMPARE(c.credentials.refreshMarginSeconds, 120);
        QCOMPARE(c.credentials.callbackPort, 8765);
        QCOMPARE(c.credentials.browserTimeoutSeconds, 90);
        QCOMPARE(c.timeouts.connectSeconds, 11);
        QCOMPARE(c.timeouts.requestSeconds, 12);
        QCOMPARE(c.timeouts.bulkPollSeconds, 13);
        QCOMPARE(c.timeouts.eventKeepaliveSeconds, 14);
        QCOMPARE(c.resilience.retry.maxAttempts, 6);
        QCOMPARE(c.resilience.retry.baseDelayMs, 7);
        QCOMPARE(c.resilience.retry.maxDelayMs, 800);
        QCOMPARE(c.resilience.retry.jitter, false);
        QCOMPARE(c.resilience.circuitBreaker.failureThreshold, 9);
        QCOMPARE(c.resilience.circuitBreaker.successThreshold, 2);
        QCOMPARE(c.resilience.circuitBreaker.resetTimeoutSeconds, 1.5);
        QCOMPARE(c.rateLimits.trackLimits, false);
        QCOMPARE(c.rateLimits.warnThresholdPercent, 65.0);
        QCOMPARE(c.rateLimits.pollIntervalSeconds, 0);
        QCOMPARE(c.rateLimits.backoffSeconds, 2.5);
        QCOMPARE(c.bulk.maxRecordsPerJob, qint64(500));
        QCOMPARE(c.bulk.pollIntervalSeconds, 3);
        QCOMPARE(c.bulk.timeoutSeconds, 60);
        QCOMPARE(c.events.pubsubEndpoint, QStringLiteral("localhost:7443"));
        QCOMPARE(c.events.replayPreset, QStringLiteral("EARLIEST"));
        QCOMPARE(c.events.maxReconnects, 4);
        QCOMPARE(c.metadata.describeCacheTtlSeconds, 30);
        QCOMPARE(c.simulation.enabled, true);
        QCOMPARE(c.simulation.recordingPath, QStringLiteral("/tmp/rec"));
    }

    void unknownKeys_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message"); // the whole message, exactly
        QTest::addRow("misspelt top-level key")
            << QByteArray("salesforce:\n  api_verison: \"59.0\"\n")
            << QStringLiteral("unknown key \"api_verison\" (did you mean \"api_version\"?)");
        QTest::addRow("misspelt nested key")
            << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attemps: 5\n")
            << QStringLiteral("unknown key \"resilience.retry.max_attemps\" (did you mean \"max_attempts\"?)");
        QTest::addRow("misspelt section, its keys not listed")
            << QByteArray("salesforce:\n  resilence:\n    retry:\n      max_attempts: 5\n")
            << QStringLiteral("unknown key \"resilence\" (did you mean \"resilience\"?)");
        QTest::addRow("misspelt key in a reserved section")
            << QByteArray("salesforce:\n  bulk:\n    max_record_per_job: 5\n  events:\n    replay_preset: LATEST\n")
            << QStringLiteral("unknown key \"bulk.max_record_per_job\" (did you mean \"max_records_per_job\"?)");
        QTest::addRow("swapped letters")
            << QByteArray("salesforce:\n  simulation:\n    enalbed: true\n")
            << QStringLiteral("unknown key \"simulation.enalbed\" (did you mean \"enabled\"?)");
        QTest::addRow("case differs") << QByteArray("salesforce:\n  Timeouts:\n    connect_seconds: 5\n")
                                      << QStringLiteral("unknown key \"Timeouts\" (did you mean \"timeouts\"?)");
        QTest::addRow("without the salesforce map")
            << QByteArray("timeouts:\n  conect_seconds: 5\n")
            << QStringLiteral("unknown key \"timeouts.conect_seconds\" (did you mean \"connect_seconds\"?)");
        QTest::addRow("misspelt salesforce map")
            << QByteArray("salesforse:\n  api_version: \"59.0\"\n")
            << QStringLiteral("unknown key \"salesforse\" (did you mean \"salesforce\"?)");
        QTest::addRow("key beside the salesforce map")
            << QByteArray("salesforce:\n  api_version: \"59.0\"\napi_version: \"58.0\"\n")
            << QStringLiteral("unknown key \"api_version\" (did you mean \"salesforce.api_version\"?)");
        QTest::addRow("right name, wrong depth")
            << QByteArray("salesforce:\n  resilience:\n    max_attempts: 3\n")
            << QStringLiteral("unknown key \"resilience.max_attempts\" (did you mean \"resilience.retry.max_attempts\"?)");
        QTest::addRow("nothing close") << QByteArray("salesforce:\n  bulk:\n    concurrency: 4\n")
                                       << QStringLiteral("unknown key \"bulk.concurrency\"");
        QTest::addRow("every unknown key, in order")
            << QByteArray("salesforce:\n  timeouts:\n    conect_seconds: 5\n    request_seconds: 9\n  colour: blue\n"
                          "  rate_limits:\n    track_limit: true\n")
            << QStringLiteral("unknown key \"timeouts.conect_seconds\" (did you mean \"connect_seconds\"?); "
                              "unknown key \"colour\"; "
                              "unknown key \"rate_limits.track_limit\" (did you mean \"track_limits\"?)");
        QTest::addRow("dotted name is not nesting")
            << QByteArray("salesforce:\n  resilience.retry.max_attempts: 3\n")
            << QStringLiteral("unknown key \"resilience.retry.max_attempts\" (a dot does not nest keys; write each "
                              "part as its own indented key)");
        QTest::addRow("unknown key under a mapping value")
            << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: 3\n      backoff:\n        "
                          "factor: 2\n")
            << QStringLiteral("unknown key \"resilience.retry.backoff\"");
        QTest::addRow("yaml merge key")
            << QByteArray("defaults: &d\n  connect_seconds: 5\ntimeouts:\n  <<: *d\n")
            << QStringLiteral("unknown key \"defaults\"; unknown key \"timeouts.<<\" (YAML merge keys are not "
                              "supported; write the keys out)");
        QTest::addRow("null key") << QByteArray("salesforce:\n  ~: 3\n") << QStringLiteral("unknown key \"~\"");
        QTest::addRow("list as a key") << QByteArray("salesforce:\n  ? [a, b]\n  : 3\n")
                                       << QStringLiteral("unknown key \"<a list or mapping used as a key, line 2>\"");
        QTest::addRow("reported before a bad value")
            << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: 0\n      jiter: true\n")
            << QStringLiteral("unknown key \"resilience.retry.jiter\" (did you mean \"jitter\"?)");
    }

    void unknownKeys()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto r = EngineConfig::fromYaml(yaml);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().category, fs::EngineError::Category::Validation);
        QCOMPARE(r.error().errorCode, QStringLiteral("INVALID_CONFIG"));
        QCOMPARE(r.error().message, message);
    }

    // A YAML file that is no configuration at all: the first 20 keys, then a count; a huge key
    // name gets no suggestion and no slow comparison.
    void manyUnknownKeysAreCounted()
    {
        QByteArray yaml;
        for (int i = 0; i < 25; ++i)
            yaml += "key" + QByteArray::number(i) + ": 1\n";
        yaml += "? " + QByteArray(200000, 'x') + "\n: 1\n"; // explicit: implicit keys stop at 1024 chars
        const auto r = EngineConfig::fromYaml(yaml);
        QVERIFY(!r.ok());
        const QString message = r.error().message;
        QVERIFY2(message.startsWith(QStringLiteral("unknown key \"key0\"; unknown key \"key1\"; ")),
            qPrintable(message.left(400)));
        QVERIFY2(message.contains(QStringLiteral("unknown key \"key19\"; and 6 more unknown keys")),
            qPrintable(message.left(400)));
        QVERIFY(!message.contains(QStringLiteral("key20")));
        QVERIFY(message.endsWith(QStringLiteral("and 6 more unknown keys")));
    }

    // A leaf given a mapping is a type error on that leaf, not an unknown key below it.
    void leafWithMappingIsATypeError()
    {
        const auto r = EngineConfig::fromYaml("salesforce:\n  api_version:\n    major: 59\n");
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, QStringLiteral("api_version: must be a single value"));
    }

    // load() names the file in front of the key, as the CLI and the explorer show it.
    void loadNamesFileAndKey()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        QVERIFY(fs::test::writeFile(path, "salesforce:\n  resilience:\n    retry:\n      max_attemps: 5\n"));
        const auto r = EngineConfig::load(path);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message,
            path + QStringLiteral(": unknown key \"resilience.retry.max_attemps\" (did you mean \"max_attempts\"?)"));

        QVERIFY(fs::test::writeFile(path, "salesforce:\n  resilience:\n    retry:\n      max_attempts: 0\n"));
        const auto bad = EngineConfig::load(path);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message, path + QStringLiteral(": resilience.retry.max_attempts: must be an integer ≥ 1"));
    }

    void loadFromFile()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("config.yaml"));
        QVERIFY(fs::test::writeFile(path, "salesforce:\n  timeouts:\n    request_seconds: 7\n"));
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
