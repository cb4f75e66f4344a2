#pragma once

#include "api/engineerror.h"
#include "api/result.h"
#include "api/types.h"

#include <QObject>
#include <QPointer>

#include <unordered_map>

class QTimer;

namespace fs::engine {

class Transport;

// GET /services/data/vNN.N/limits → OrgLimits (reference §2.6). Engine thread only. Every answer
// is also handed to Transport::reportLimits so the API-usage gauge and warning follow it.
// While polling (rate_limits.poll_interval_seconds, started by the engine once a session is up),
// it fetches /limits on that interval by itself, so usage is tracked even between API calls.
class LimitsService : public QObject {
    Q_OBJECT
public:
    explicit LimitsService(Transport *transport, QObject *parent = nullptr);
    ~LimitsService() override;

    // Top-level limits in server order; per-app breakdowns are left out.
    static Result<OrgLimits> parseLimits(const QByteArray &body);

    // Poll interval in seconds; 0 = never poll. Takes effect at the next startPolling().
    void setPollIntervalSeconds(int seconds);
    int pollIntervalSeconds() const { return m_pollSeconds; }
    // (Re)starts the poll timer (no-op when the interval is 0); the first poll is one interval away.
    void startPolling();
    void stopPolling();
    bool isPolling() const;

public Q_SLOTS:
    void fetchLimits(fs::RequestId id); // → limitsReady or failed
    bool cancel(fs::RequestId id); // true when `id` was ours; it then ends with failed(Cancelled)

Q_SIGNALS:
    void limitsReady(fs::RequestId id, const fs::OrgLimits &limits);
    void failed(fs::RequestId id, const fs::EngineError &error);
    // A background poll answered (already reported to the transport's usage tracking).
    void limitsPolled(const fs::OrgLimits &limits);

private:
    QPointer<Transport> m_transport;
    void poll();

    std::unordered_map<fs::RequestId, quint64> m_pending;
    QTimer *m_pollTimer = nullptr;
    int m_pollSeconds = 0;
    quint64 m_pollHandle = 0; // a poll in flight (never two at once)
};

} // namespace fs::engine
