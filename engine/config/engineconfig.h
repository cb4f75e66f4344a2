#pragma once

#include "api/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace fs::engine {

// The engine's configuration: the keys of the design note's template (§6.2) under `salesforce:`.
// A value type; copy it into each thread that needs it. Defaults equal the template's values.
struct EngineConfig {
    QString instanceUrl; // instance_url; may be empty (taken from the org profile)
    QString apiVersion = QStringLiteral("59.0"); // api_version

    struct Credentials {
        QString source = QStringLiteral("shared-auth"); // credentials.source
        QString type = QStringLiteral("jwt_bearer"); // jwt_bearer | refresh_token | browser | access_token
        QString clientId; // credentials.client_id (optional)
        QString username; // credentials.username (optional)
        QString keyFile; // credentials.key_file: path only, never the key
        QString loginUrl = QStringLiteral("https://login.salesforce.com"); // credentials.login_url
        int sessionTimeoutSeconds = 7200; // credentials.session_timeout_seconds: org session timeout
        int refreshMarginSeconds = 300; // credentials.refresh_margin_seconds: refresh this long before it
        int callbackPort = 0; // credentials.callback_port: browser login redirect port (0 = random)
        int browserTimeoutSeconds = 300; // credentials.browser_timeout_seconds: wait for the redirect
    } credentials;

    struct Timeouts {
        int connectSeconds = 30;
        int requestSeconds = 30;
        int bulkPollSeconds = 5;
        int eventKeepaliveSeconds = 60;
    } timeouts;

    struct Retry {
        int maxAttempts = 3; // total attempts, first one included
        int baseDelayMs = 500;
        int maxDelayMs = 60000;
        bool jitter = true; // full jitter: uniform in [0, min(max, base·2^n)]
    };
    struct CircuitBreaker {
        int failureThreshold = 5;
        int successThreshold = 3;
        double resetTimeoutSeconds = 60; // fractions allowed (tests use short timeouts)
    };
    struct Resilience {
        Retry retry;
        CircuitBreaker circuitBreaker;
    } resilience;

    struct RateLimits {
        bool trackLimits = true;
        double warnThresholdPercent = 80.0;
        int pollIntervalSeconds = 300; // GET /limits this often while connected (0 = never)
        // rate_limits.backoff_seconds: after REQUEST_LIMIT_EXCEEDED, org API calls are refused
        // locally for this long instead of hammering the limit (0 = no pause; fractions allowed).
        double backoffSeconds = 60;
    } rateLimits;

    struct Bulk {
        qint64 maxRecordsPerJob = 10000000;
        int pollIntervalSeconds = 5;
        int timeoutSeconds = 3600;
    } bulk;

    struct Events {
        QString pubsubEndpoint = QStringLiteral("api.pubsub.salesforce.com:7443");
        QString replayPreset = QStringLiteral("LATEST"); // LATEST | EARLIEST
        int maxReconnects = 10;
    } events;

    struct Metadata {
        // metadata.describe_cache_ttl_seconds: a cached describe younger than this is served
        // without a request; older ones are revalidated with If-Modified-Since (0 = always).
        int describeCacheTtlSeconds = 600;
    } metadata;

    struct Simulation {
        bool enabled = false;
        QString recordingPath = QStringLiteral("./recordings/salesforce");
    } simulation;

    // Reads a YAML file (top-level `salesforce:` map, or the keys directly). `${NAME}` in any
    // scalar is replaced by the environment variable NAME (an unset variable is an error naming
    // the key). Every problem is a Validation error (INVALID_CONFIG) and nothing of the file is
    // applied:
    // - a key that is not in knownKeys(), at any depth, is an error, so a misspelt setting is never
    //   silently ignored. All such keys are named in document order, with a hint when one fits:
    //   `unknown key "resilience.retry.max_attemps" (did you mean "max_attempts"?); unknown key "x"`.
    //   The hint is a sibling within edit distance 2 (case ignored), else the one known key of that
    //   name at another depth (`"resilience.retry.max_attempts"`). Unknown keys are reported before
    //   any wrong value;
    // - wrong types and out-of-range values start with the dotted key, e.g.
    //   "resilience.retry.max_attempts: must be an integer ≥ 1".
    // load() puts the file path as given in front of every message ("config.yaml: unknown key …").
    static Result<EngineConfig> load(const QString &yamlPath);
    static Result<EngineConfig> fromYaml(const QByteArray &yaml);

    // Every dotted key a file may hold (below `salesforce:`), sections included, in template order:
    // the design note's template (§6.2) plus the engine's additions (credentials.client_id …,
    // resilience.retry.jitter, rate_limits.backoff_seconds, metadata.describe_cache_ttl_seconds).
    static QStringList knownKeys();

    // Checks ranges and cross-field rules; the same errors as fromYaml.
    Result<void> validate() const;
};

} // namespace fs::engine
