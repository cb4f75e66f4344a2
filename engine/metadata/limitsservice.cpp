#include "limitsservice.h"

#include "auth/credentials.h"
#include "transport/httperrors.h"
#include "transport/transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QThread>

#include <simdjson.h>

namespace fs::engine {

LimitsService::LimitsService(Transport *transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
{
}

LimitsService::~LimitsService()
{
    for (const auto &[id, handle] : m_pending) {
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
