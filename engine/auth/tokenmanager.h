#pragma once

#include "auth/credentials.h"
#include "config/engineconfig.h"

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <vector>

namespace fs::engine {

class Metrics;

// Credentials for one connected org: holds the access token in memory and renews it through a
// grant function (refresh-token grant or a fresh JWT assertion). Engine thread only.
//
// Single-flight: while a refresh runs, further refresh() calls join it and are all called back
// when it ends; two refreshes never race a rotating refresh token. The grant is responsible for
// persisting a rotated refresh token before it reports success. Proactive refresh fires
// `refresh_margin_seconds` before the configured session timeout.
class TokenManager : public QObject, public Credentials {
    Q_OBJECT
public:
    struct Token {
        QString accessToken;
        QUrl instanceUrl;
    };
    using GrantCallback = std::function<void(Result<Token>)>;
    using Grant = std::function<void(GrantCallback)>;

    TokenManager(const EngineConfig &config, QObject *parent = nullptr);
    ~TokenManager() override;

    void setToken(const QString &accessToken, const QUrl &instanceUrl);
    void setApiVersion(const QString &version) { m_apiVersion = version; }
    void setGrant(Grant grant); // empty: cannot refresh (pasted access token)
    void setMetrics(std::shared_ptr<Metrics> metrics);

    QUrl instanceUrl() const override { return m_instanceUrl; }
    QString apiVersion() const override { return m_apiVersion; }
    QString accessToken() const override { return m_accessToken; }
    bool canRefresh() const override { return bool(m_grant); }
    void refresh(std::function<void(Result<void>)> done) override;

    int refreshCount() const { return m_refreshCount; } // grants started (tests)
    bool isRefreshing() const { return m_refreshing; }
    int proactiveRefreshIntervalMs() const; // 0 = proactive refresh disabled

Q_SIGNALS:
    void tokenRefreshed(const QUrl &instanceUrl);
    void refreshFailed(const fs::EngineError &error);

private:
    void armProactiveTimer();

    EngineConfig m_config;
    QString m_accessToken;
    QUrl m_instanceUrl;
    QString m_apiVersion;
    Grant m_grant;
    std::shared_ptr<Metrics> m_metrics;
    bool m_refreshing = false;
    int m_refreshCount = 0;
    std::vector<std::function<void(Result<void>)>> m_waiters;
    QTimer m_proactive;
    std::shared_ptr<int> m_alive = std::make_shared<int>(0);
};

} // namespace fs::engine
