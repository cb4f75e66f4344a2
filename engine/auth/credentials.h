#pragma once

#include "api/result.h"

#include <QString>
#include <QUrl>

#include <functional>

namespace fs::engine {

// What the transport needs from an authenticated org session. Engine thread only.
// Implementations hold the access token in memory; they never log it.
class Credentials {
public:
    virtual ~Credentials() = default;

    virtual QUrl instanceUrl() const = 0;
    virtual QString apiVersion() const = 0; // "59.0"
    virtual QString accessToken() const = 0; // empty when not yet obtained

    // True when a new access token can be obtained without the user (refresh token or JWT key).
    virtual bool canRefresh() const = 0;

    // Single-flight refresh: concurrent callers join one refresh and are all called back once it
    // ends. A rotated refresh token is persisted before any callback runs.
    virtual void refresh(std::function<void(Result<void>)> done) = 0;
};

} // namespace fs::engine
