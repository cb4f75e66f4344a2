#include "limitsservice.h"

#include "auth/credentials.h"
#include "transport/httperrors.h"
#include "transport/transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>
#include <QTimer>

#include <simdjson.h>

#include <algorithm>
#include <limits>
#include <utility>

namespace fs::engine {

LimitsService::LimitsService(Transport *transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
{
}

LimitsService::~LimitsService()
{
    if (m_pollHandle && m_transport)
        m_transport->cancel(std::exchange(m_pollHandle, 0));
    // Cancelling runs the callbacks, which erase from m_pending: iterate over a moved-out copy.
    const auto pending = std::exchange(m_pending, {});
    for (const auto &[id, handle] : pending) {
        if (handle && m_transport)
            m_transport->cancel(handle);
    }
}

Result<OrgLimits> LimitsService::parseLimits(const QByteArray &body)
{
    // simdjson keeps the server's key order (QJsonObject would sort the names).
    simdjson::dom::parser parser;
    simdjson::dom::object top;
    if (auto e = parser.parse(body.constData(), size_t(body.size())).get(top)) {
        EngineError error
            = EngineError::make(EngineError::Category::Server, QStringLiteral("The server sent a malformed limits answer."));
        error.detail = QString::fromUtf8(simdjson::error_message(e));
        return error;
    }
    OrgLimits limits;
    for (const auto field : top) {
        simdjson::dom::object entry;
        if (field.value.get(entry))
            continue;
        LimitValue value;
        value.name = QString::fromUtf8(field.key.data(), qsizetype(field.key.size()));
        int64_t number = 0;
        if (!entry["Max"].get(number))
            value.max = number;
        if (!entry["Remaining"].get(number))
            value.remaining = number;
        limits << value;
    }
    return limits;
}

void LimitsService::fetchLimits(RequestId id)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const auto credentials = m_transport ? m_transport->credentials() : nullptr;
    if (!credentials || credentials->apiVersion().isEmpty()) {
        Q_EMIT failed(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));
        return;
    }
    HttpRequest request;
    request.path = QStringLiteral("/services/data/v%1/limits").arg(credentials->apiVersion());
    request.operation = QStringLiteral("limits");
    QPointer<LimitsService> self(this);
    m_pending[id] = 0;
    const quint64 handle = m_transport->send(std::move(request), [self, id](Result<HttpResponse> result) {
        if (!self || self->m_pending.erase(id) == 0)
            return;
        if (!result.ok()) {
            Q_EMIT self->failed(id, result.error());
            return;
        }
        if (result.value().status != 200) {
            Q_EMIT self->failed(id, HttpErrors::fromResponse(result.value().status, result.value().body));
            return;
        }
        const Result<OrgLimits> limits = parseLimits(result.value().body);
        if (!limits.ok()) {
            Q_EMIT self->failed(id, limits.error());
            return;
        }
        if (self->m_transport)
            self->m_transport->reportLimits(limits.value());
        Q_EMIT self->limitsReady(id, limits.value());
    });
    if (m_pending.count(id))
        m_pending[id] = handle;
}

void LimitsService::setPollIntervalSeconds(int seconds)
{
    m_pollSeconds = std::max(0, seconds);
}

void LimitsService::startPolling()
{
    Q_ASSERT(QThread::currentThread() == thread());
    stopPolling();
    if (m_pollSeconds <= 0)
        return;
    if (!m_pollTimer) {
        m_pollTimer = new QTimer(this);
        connect(m_pollTimer, &QTimer::timeout, this, &LimitsService::poll);
    }
    m_pollTimer->start(int(std::min<qint64>(qint64(m_pollSeconds) * 1000, std::numeric_limits<int>::max())));
}

void LimitsService::stopPolling()
{
    if (m_pollTimer)
        m_pollTimer->stop();
    if (m_pollHandle && m_transport) {
        const quint64 handle = m_pollHandle;
        m_pollHandle = 0;
        m_transport->cancel(handle);
    }
}

bool LimitsService::isPolling() const
{
    return m_pollTimer && m_pollTimer->isActive();
}

void LimitsService::poll()
{
    // Engine thread (timer). Not connected, or the last poll still running: skip this tick.
    const auto credentials = m_transport ? m_transport->credentials() : nullptr;
    if (m_pollHandle || !credentials || credentials->apiVersion().isEmpty())
        return;
    HttpRequest request;
    request.path = QStringLiteral("/services/data/v%1/limits").arg(credentials->apiVersion());
    request.operation = QStringLiteral("limits");
    QPointer<LimitsService> self(this);
    m_pollHandle = m_transport->send(std::move(request), [self](Result<HttpResponse> result) {
        if (!self)
            return;
        self->m_pollHandle = 0;
        // A failed poll is only logged (the transport's request log and metrics); the next tick retries.
        if (!result.ok() || result.value().status != 200)
            return;
        const Result<OrgLimits> limits = parseLimits(result.value().body);
        if (!limits.ok())
            return;
        if (self->m_transport)
            self->m_transport->reportLimits(limits.value());
        Q_EMIT self->limitsPolled(limits.value());
    });
}

bool LimitsService::cancel(RequestId id)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return false;
    const quint64 handle = it->second;
    m_pending.erase(it);
    if (handle && m_transport)
        m_transport->cancel(handle);
    Q_EMIT failed(id, EngineError::make(EngineError::Category::Cancelled, QStringLiteral("The request was cancelled.")));
    return true;
}

} // namespace fs::engine
