#include "tokenmanager.h"

#include "metrics/metrics.h"

#include <QThread>

namespace fs::engine {

TokenManager::TokenManager(const EngineConfig &config, QObject *parent)
    : QObject(parent)
    , m_config(config)
    , m_apiVersion(config.apiVersion)
    , m_metrics(Metrics::global())
{
    m_proactive.setSingleShot(true);
    connect(&m_proactive, &QTimer::timeout, this, [this] {
        if (canRefresh() && !m_refreshing)
            refresh([](const Result<void> &) { });
    });
}

TokenManager::~TokenManager() = default;

void TokenManager::setMetrics(std::shared_ptr<Metrics> metrics)
{
    m_metrics = metrics ? std::move(metrics) : Metrics::global();
}

void TokenManager::setToken(const QString &accessToken, const QUrl &instanceUrl)
{
    m_accessToken = accessToken;
    if (instanceUrl.isValid() && !instanceUrl.isEmpty())
        m_instanceUrl = instanceUrl;
    armProactiveTimer();
}

void TokenManager::setGrant(Grant grant)
{
    m_grant = std::move(grant);
    armProactiveTimer();
}

int TokenManager::proactiveRefreshIntervalMs() const
{
    const qint64 secs = qint64(m_config.credentials.sessionTimeoutSeconds) - m_config.credentials.refreshMarginSeconds;
    if (secs <= 0)
        return 0;
    return int(std::min<qint64>(secs * 1000, std::numeric_limits<int>::max()));
}

void TokenManager::armProactiveTimer()
{
    const int ms = proactiveRefreshIntervalMs();
    if (!m_grant || ms <= 0 || m_accessToken.isEmpty()) {
        m_proactive.stop();
        return;
    }
    m_proactive.start(ms);
}

void TokenManager::refresh(std::function<void(Result<void>)> done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_grant) {
        done(EngineError::make(EngineError::Category::Auth,
            QStringLiteral("The session expired and cannot be renewed automatically; please log in again"),
            QStringLiteral("NO_REFRESH")));
        return;
    }
    m_waiters.push_back(std::move(done));
    if (m_refreshing)
        return; // join the refresh in flight
    m_refreshing = true;
    ++m_refreshCount;
    m_proactive.stop();
    std::weak_ptr<int> alive = m_alive;
    m_grant([this, alive](Result<Token> r) {
        if (alive.expired())
            return;
        m_refreshing = false;
        auto waiters = std::move(m_waiters);
        m_waiters.clear();
        m_metrics->recordTokenRefresh(r.ok());
        if (r.ok()) {
            m_accessToken = r->accessToken;
            if (r->instanceUrl.isValid() && !r->instanceUrl.isEmpty())
                m_instanceUrl = r->instanceUrl;
            armProactiveTimer();
            Q_EMIT tokenRefreshed(m_instanceUrl);
            for (auto &w : waiters)
                w({});
        } else {
            Q_EMIT refreshFailed(r.error());
            for (auto &w : waiters)
                w(r.error());
        }
    });
}

} // namespace fs::engine
