#include "circuitbreaker.h"

#include <algorithm>
#include <cmath>

namespace fs::engine {

CircuitBreaker::CircuitBreaker(int failureThreshold, int successThreshold, qint64 resetTimeoutMs)
    : m_failureThreshold(std::max(1, failureThreshold))
    , m_successThreshold(std::max(1, successThreshold))
    , m_resetTimeoutMs(std::max<qint64>(0, resetTimeoutMs))
{
}

bool CircuitBreaker::allowRequest(qint64 nowMs)
{
    if (m_state != CircuitState::Open)
        return true;
    if (nowMs - m_openedAt < m_resetTimeoutMs)
        return false;
    m_successes = 0;
    setState(CircuitState::HalfOpen);
    return true;
}

void CircuitBreaker::recordSuccess()
{
    switch (m_state) {
    case CircuitState::Closed:
        m_failures = 0;
        break;
    case CircuitState::HalfOpen:
        if (++m_successes >= m_successThreshold) {
            m_failures = 0;
            m_successes = 0;
            setState(CircuitState::Closed);
        }
        break;
    case CircuitState::Open:
        break; // a late reply of a request sent before opening: ignore
    }
}

void CircuitBreaker::recordFailure(qint64 nowMs)
{
    switch (m_state) {
    case CircuitState::Closed:
        if (++m_failures >= m_failureThreshold) {
            m_openedAt = nowMs;
            setState(CircuitState::Open);
        }
        break;
    case CircuitState::HalfOpen:
        m_successes = 0;
        m_openedAt = nowMs;
        setState(CircuitState::Open);
        break;
    case CircuitState::Open:
        break;
    }
}

qint64 CircuitBreaker::msUntilHalfOpen(qint64 nowMs) const
{
    if (m_state != CircuitState::Open)
        return 0;
    return std::max<qint64>(0, m_resetTimeoutMs - (nowMs - m_openedAt));
}

void CircuitBreaker::setState(CircuitState state)
{
    if (state == m_state)
        return;
    m_state = state;
    if (onStateChanged)
        onStateChanged(state);
}

qint64 backoffDelayMs(int retry, int baseDelayMs, int maxDelayMs, bool jitter, double unit)
{
    const int exponent = std::clamp(retry - 1, 0, 40);
    const double ceiling = std::min(double(std::max(0, maxDelayMs)), double(std::max(0, baseDelayMs)) * std::ldexp(1.0, exponent));
    if (!jitter)
        return qint64(ceiling);
    const double u = std::clamp(unit, 0.0, 1.0);
    return qint64(std::floor(ceiling * u));
}

} // namespace fs::engine
