#pragma once

#include "api/engineerror.h"
#include "api/types.h"

#include <QByteArray>
#include <QMap>

#include <optional>

namespace fs::engine {

// Turning wire replies into EngineError values and usage numbers. Pure functions; any thread.
namespace HttpErrors {

    // A non-2xx reply → EngineError. Understands the REST error array
    // ([{"message","errorCode","fields"}]), OAuth errors ({"error","error_description"}) and
    // anything else (status text). Category by status and code: 401 → Auth, 403
    // REQUEST_LIMIT_EXCEEDED → Limits, other 403 → Auth, 409/412 → Conflict, 4xx → Validation,
    // 5xx → Server (retryable); OAuth invalid_grant & co → Auth.
    EngineError fromResponse(int httpStatus, const QByteArray &body);

    // The one place that classifies a Salesforce failure (REST calls, record endpoints, composite
    // subresponses, per-record save errors). First match wins:
    //   REQUEST_LIMIT_EXCEEDED, TOO_MANY_REQUESTS or HTTP 429      → Limits
    //   401, INVALID_SESSION_ID, INVALID_AUTH_HEADER, other 403    → Auth
    //   409, 412                                                  → Conflict
    //   5xx, or status 0 without a code (no HTTP answer to blame) → Server
    //   anything else (4xx, per-record codes with status 0)       → Validation
    EngineError::Category categoryFor(int httpStatus, const QString &errorCode);

    // The first errorCode/message of a REST error array, or empty strings.
    struct RestError {
        QString errorCode;
        QString message;
    };
    RestError firstRestError(const QByteArray &body);

    // 401 INVALID_SESSION_ID that a refresh can cure (not the "not valid for use with the REST
    // API" variant, reference §1.7/§10.19).
    bool isRefreshableSessionError(int httpStatus, const QByteArray &body);

    // "api-usage=25/5000; per-app-api-usage=17/250(appName=x)" → every name=used/max item.
    QMap<QString, ApiUsage> parseLimitInfo(const QByteArray &headerValue);
    std::optional<ApiUsage> apiUsageFromLimitInfo(const QByteArray &headerValue); // "api-usage" item

} // namespace HttpErrors

} // namespace fs::engine
