#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace fs {

// A final failure as the UI sees it. A value: copyable across threads. Never holds a secret
// (no token, password, key or record value); `detail` is safe to show and to log.
struct EngineError {
    enum class Category {
        None,
        Network, // connection refused/reset, DNS, TLS, timeout
        Auth, // no/expired/revoked credentials, keychain missing or locked
        Limits, // REQUEST_LIMIT_EXCEEDED and similar
        Validation, // bad input: malformed SOQL, bad field, bad config, broken CSV
        Server, // 5xx, corrupt reply
        Cancelled, // the caller cancelled
        Conflict, // optimistic-lock failure: someone else changed the record
    };

    Category category = Category::None;
    bool retryable = false;
    int httpStatus = 0; // 0 when no HTTP exchange happened
    QString errorCode; // Salesforce errorCode / OAuth error, e.g. MALFORMED_QUERY, invalid_grant
    QString message; // one plain sentence for the user
    QString detail; // longer safe text (server message, hint)
    QStringList fields; // fields named by the server, if any
    int line = 0; // 1-based SOQL row, 0 when not a SOQL error
    int column = 0; // 1-based SOQL column, 0 when not a SOQL error

    bool isNull() const { return category == Category::None && errorCode.isEmpty() && message.isEmpty(); }

    static EngineError make(Category category, QString message, QString errorCode = {}, int httpStatus = 0,
        bool retryable = false)
    {
        EngineError e;
        e.category = category;
        e.message = std::move(message);
        e.errorCode = std::move(errorCode);
        e.httpStatus = httpStatus;
        e.retryable = retryable;
        return e;
    }
};

QString categoryName(EngineError::Category category);

} // namespace fs

Q_DECLARE_METATYPE(fs::EngineError)
