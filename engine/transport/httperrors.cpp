#include "httperrors.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStringList>

namespace fs::engine::HttpErrors {

namespace {

    QString statusText(int status)
    {
        switch (status) {
        case 400:
            return QStringLiteral("The server rejected the request as malformed");
        case 401:
            return QStringLiteral("The session is not valid; please log in again");
        case 403:
            return QStringLiteral("The server refused the request");
        case 404:
            return QStringLiteral("The requested resource does not exist");
        case 405:
            return QStringLiteral("The method is not allowed for this resource");
        case 409:
            return QStringLiteral("The request conflicts with the current state of the record");
        case 412:
            return QStringLiteral("The record changed since it was read");
        case 414:
            return QStringLiteral("The request URI is too long");
        case 500:
            return QStringLiteral("The server had an internal error");
        case 502:
            return QStringLiteral("Bad gateway");
        case 503:
            return QStringLiteral("The server is temporarily unavailable");
        case 504:
            return QStringLiteral("The server timed out");
        default:
            return QStringLiteral("The server answered HTTP %1").arg(status);
        }
    }

} // namespace

EngineError::Category categoryFor(int status, const QString &code)
{
    if (code == u"REQUEST_LIMIT_EXCEEDED" || code == u"TOO_MANY_REQUESTS" || status == 429)
        return EngineError::Category::Limits;
    if (status == 401 || code == u"INVALID_SESSION_ID" || code == u"INVALID_AUTH_HEADER")
        return EngineError::Category::Auth;
    if (status == 403)
        return EngineError::Category::Auth;
    if (status == 409 || status == 412)
        return EngineError::Category::Conflict;
    if (status >= 500)
        return EngineError::Category::Server;
    if (status == 0 && code.isEmpty())
        return EngineError::Category::Server;
    return EngineError::Category::Validation;
}

RestError firstRestError(const QByteArray &body)
{
    RestError r;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    QJsonObject obj;
    if (doc.isArray() && !doc.array().isEmpty())
        obj = doc.array().first().toObject();
    else if (doc.isObject())
        obj = doc.object();
    r.errorCode = obj.value(QStringLiteral("errorCode")).toString();
    r.message = obj.value(QStringLiteral("message")).toString();
    return r;
}

EngineError fromResponse(int httpStatus, const QByteArray &body)
{
    EngineError e;
    e.httpStatus = httpStatus;
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isArray() && !doc.array().isEmpty()) {
        const QJsonArray arr = doc.array();
        const QJsonObject first = arr.first().toObject();
        e.errorCode = first.value(QStringLiteral("errorCode")).toString();
        e.message = first.value(QStringLiteral("message")).toString();
        for (const auto &f : first.value(QStringLiteral("fields")).toArray())
            e.fields << f.toString();
        QStringList more;
        for (qsizetype i = 1; i < arr.size(); ++i) {
            const QJsonObject o = arr.at(i).toObject();
            more << o.value(QStringLiteral("errorCode")).toString() + QStringLiteral(": ")
                    + o.value(QStringLiteral("message")).toString();
        }
        if (!more.isEmpty())
            e.detail = more.join(u'\n');
    } else if (doc.isObject() && doc.object().contains(QStringLiteral("error"))) {
        const QJsonObject o = doc.object();
        e.errorCode = o.value(QStringLiteral("error")).toString();
        const QString desc = o.value(QStringLiteral("error_description")).toString();
        e.message = desc.isEmpty() ? e.errorCode : desc;
        e.category = EngineError::Category::Auth;
        if (e.errorCode == u"invalid_grant" && desc.contains(QStringLiteral("expired")))
            e.detail = QStringLiteral("The stored authorisation expired or was revoked; log in again.");
        if (httpStatus >= 500) {
            e.category = EngineError::Category::Server;
            e.retryable = true;
        }
        return e;
    } else if (doc.isObject()) {
        const QJsonObject o = doc.object();
        e.errorCode = o.value(QStringLiteral("errorCode")).toString();
        e.message = o.value(QStringLiteral("message")).toString();
    }
    if (e.message.isEmpty())
        e.message = statusText(httpStatus);
    e.category = categoryFor(httpStatus, e.errorCode);
    e.retryable = httpStatus >= 500 || e.errorCode == u"UNABLE_TO_LOCK_ROW" || e.errorCode == u"SERVER_UNAVAILABLE";
    if (e.category == EngineError::Category::Limits) {
        e.retryable = false;
        e.detail = QStringLiteral("The org's API request limit is reached; the engine does not retry. Try again later.");
    }
    return e;
}

bool isRefreshableSessionError(int httpStatus, const QByteArray &body)
{
    if (httpStatus != 401)
        return false;
    const RestError r = firstRestError(body);
    if (r.message.contains(QStringLiteral("not valid for use with the REST API"), Qt::CaseInsensitive))
        return false;
    if (r.message.contains(QStringLiteral("Connected app is not attached"), Qt::CaseInsensitive))
        return false;
    // A bare 401 without a body is treated as an expired session too.
    return r.errorCode.isEmpty() || r.errorCode == u"INVALID_SESSION_ID";
}

QMap<QString, ApiUsage> parseLimitInfo(const QByteArray &headerValue)
{
    QMap<QString, ApiUsage> out;
    const QList<QByteArray> items = headerValue.split(';');
    for (const QByteArray &raw : items) {
        const QByteArray item = raw.trimmed();
        const qsizetype eq = item.indexOf('=');
        if (eq <= 0)
            continue;
        const QString name = QString::fromLatin1(item.left(eq).trimmed());
        QByteArray value = item.mid(eq + 1).trimmed();
        if (const qsizetype paren = value.indexOf('('); paren >= 0)
            value.truncate(paren); // "17/250(appName=x)"
        const qsizetype slash = value.indexOf('/');
        if (slash <= 0)
            continue;
        bool okUsed = false;
        bool okMax = false;
        ApiUsage u;
        u.used = value.left(slash).trimmed().toLongLong(&okUsed);
        u.max = value.mid(slash + 1).trimmed().toLongLong(&okMax);
        if (okUsed && okMax && u.used >= 0 && u.max >= 0)
            out.insert(name, u);
    }
    return out;
}

std::optional<ApiUsage> apiUsageFromLimitInfo(const QByteArray &headerValue)
{
    const auto all = parseLimitInfo(headerValue);
    const auto it = all.constFind(QStringLiteral("api-usage"));
    if (it == all.cend())
        return std::nullopt;
    return *it;
}

} // namespace fs::engine::HttpErrors
