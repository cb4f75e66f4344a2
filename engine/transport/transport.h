#pragma once

#include "api/result.h"
#include "api/types.h"
#include "httptypes.h"

#include <QObject>
#include <QNetworkRequest>
#include <QSslConfiguration>

#include <functional>
#include <memory>

namespace fs::engine {

class Credentials;
class Metrics;
struct EngineConfig;

// The engine's one way to the network. Engine thread only; owns the QNetworkAccessManager.
//
// For every request: HTTPS required except for loopback hosts; auth header from Credentials;
// 401 INVALID_SESSION_ID → one refresh (single-flight) and a transparent replay against the new
// instance URL; retries with backoff+jitter for 5xx, timeouts, connection failures and
// UNABLE_TO_LOCK_ROW on idempotent calls; REQUEST_LIMIT_EXCEEDED reported, never hammered;
// circuit breaker; Sforce-Limit-Info tracking; sanitized log entry and metrics.
//
// A callback is called exactly once, on the engine thread, with the final response (any status
// the caller should interpret, e.g. 400/404/412) or an EngineError (network, auth, breaker open,
// cancelled, exhausted retries).
class Transport : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(Result<HttpResponse>)>;

    explicit Transport(const EngineConfig &config, QObject *parent = nullptr);
    ~Transport() override;

    void setCredentials(std::shared_ptr<Credentials> credentials);
    std::shared_ptr<Credentials> credentials() const;

    // Returns a handle for cancel(); never 0.
    quint64 send(HttpRequest request, Callback callback);
    void cancel(quint64 handle); // callback receives Category::Cancelled

    CircuitState circuitState() const;
    ApiUsage apiUsage() const;

    // Additions (additive to the declared seam):
    // Metrics registry to record into (default: Metrics::global()).
    void setMetrics(std::shared_ptr<Metrics> metrics);
    std::shared_ptr<Metrics> metrics() const;
    // Extra CA certificates to trust (tests with a self-signed simulator). Verification stays on.
    void addCaCertificates(const QList<QByteArray> &pemCertificates);
    // Numbers from GET /limits: updates sf_rate_limit_* gauges and, from DailyApiRequests, the
    // tracked API usage (with the same warning rule as Sforce-Limit-Info).
    void reportLimits(const fs::OrgLimits &limits);
    // Requests waiting for a reply, a retry timer or a token refresh.
    int pendingCount() const;
    // True when `url` may be used: https, or http to a loopback ADDRESS (127.0.0.0/8, ::1, and
    // ::ffff:127.x.y.z). The name "localhost" is refused for http (it can resolve elsewhere); the
    // message suggests http://127.0.0.1.
    static bool isAllowedUrl(const QUrl &url, QString *whyNot = nullptr);

    // TLS settings every request uses: TLS 1.2 or later, peer verification on.
    QSslConfiguration sslConfiguration() const;
    // The QNetworkRequest one attempt of `request` to `url` is sent with (HTTP/2 allowed, gzip
    // left to QNAM, transfer timeout, headers). `bearer` empty = no Authorization added here.
    QNetworkRequest networkRequest(const HttpRequest &request, const QUrl &url, const QByteArray &bearer = {}) const;
    // After a REQUEST_LIMIT_EXCEEDED answer, org API calls (authenticated requests) are refused
    // locally for rate_limits.backoff_seconds. Milliseconds left of that window (0 = none).
    qint64 limitBackoffRemainingMs() const;

Q_SIGNALS:
    void apiUsageChanged(const fs::ApiUsage &usage);
    void apiUsageWarning(const fs::ApiUsage &usage, double thresholdPercent);
    void circuitStateChanged(fs::CircuitState state);
    void requestLogged(const fs::RequestLogEntry &entry);
    void authExpired(const fs::EngineError &error); // refresh impossible or failed: user must log in
    // The org answered REQUEST_LIMIT_EXCEEDED: calls pause for `backoffMs` (reported once per answer).
    void requestLimitBackoff(const fs::EngineError &error, qint64 backoffMs);

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace fs::engine
