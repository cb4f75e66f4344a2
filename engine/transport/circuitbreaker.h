#pragma once

#include "api/types.h"

#include <QtGlobal>

#include <functional>

namespace fs::engine {

// Closed → Open after `failureThreshold` consecutive failures; Open rejects until `resetTimeoutMs`
// has passed, then HalfOpen lets requests probe; HalfOpen → Closed after `successThreshold`
// successes, → Open again on any failure. Time is passed in (monotonic ms) so tests need no
// clock. Not thread-safe: the transport uses it on the engine thread only.
class CircuitBreaker {
public:
    CircuitBreaker(int failureThreshold, int successThreshold, qint64 resetTimeoutMs);

    // May move Open → HalfOpen when the reset timeout has passed. False = reject now.
    bool allowRequest(qint64 nowMs);
    void recordSuccess();
    void recordFailure(qint64 nowMs);

    CircuitState state() const { return m_state; }
    qint64 msUntilHalfOpen(qint64 nowMs) const; // 0 unless Open

    std::function<void(CircuitState)> onStateChanged;

private:
    void setState(CircuitState state);

    int m_failureThreshold;
    int m_successThreshold;
    qint64 m_resetTimeoutMs;
    CircuitState m_state = CircuitState::Closed;
    int m_failures = 0;
    int m_successes = 0;
    qint64 m_openedAt = 0;
};

// Delay before retry number `retry` (1 = the first retry): min(maxDelay, base·2^(retry-1)), or
// with full jitter a uniform value in [0, that]. `unit` is a uniform random number in [0, 1).
qint64 backoffDelayMs(int retry, int baseDelayMs, int maxDelayMs, bool jitter, double unit);

} // namespace fs::engine
