#pragma once

#include "api/engineerror.h"
#include "api/result.h"
#include "api/types.h"

#include <QObject>
#include <QPointer>

#include <unordered_map>

namespace fs::engine {

class Transport;

// GET /services/data/vNN.N/limits → OrgLimits (reference §2.6). Engine thread only. Every answer
// is also handed to Transport::reportLimits so the API-usage gauge and warning follow it.
class LimitsService : public QObject {
    Q_OBJECT
public:
    explicit LimitsService(Transport *transport, QObject *parent = nullptr);
    ~LimitsService() override;

    // Top-level limits in server order; per-app breakdowns are left out.
    static Result<OrgLimits> parseLimits(const QByteArray &body);

public Q_SLOTS:
    void fetchLimits(fs::RequestId id); // → limitsReady or failed
    bool cancel(fs::RequestId id); // true when `id` was ours; it then ends with failed(Cancelled)

Q_SIGNALS:
    void limitsReady(fs::RequestId id, const fs::OrgLimits &limits);
    void failed(fs::RequestId id, const fs::EngineError &error);

private:
    QPointer<Transport> m_transport;
    std::unordered_map<fs::RequestId, quint64> m_pending;
};

} // namespace fs::engine
