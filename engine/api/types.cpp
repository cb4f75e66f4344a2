#include "types.h"

namespace fs {

QString authTypeName(AuthType type)
{
    switch (type) {
    case AuthType::JwtBearer:
        return QStringLiteral("jwt");
    case AuthType::RefreshToken:
        return QStringLiteral("refresh_token");
    case AuthType::BrowserPkce:
        return QStringLiteral("browser");
    case AuthType::AccessToken:
        return QStringLiteral("access_token");
    }
    return QStringLiteral("browser");
}

AuthType authTypeFromName(const QString &name, bool *ok)
{
    const QString n = name.trimmed().toLower();
    if (ok)
        *ok = true;
    if (n == u"jwt" || n == u"jwt_bearer")
        return AuthType::JwtBearer;
    if (n == u"refresh_token")
        return AuthType::RefreshToken;
    if (n == u"browser" || n == u"pkce")
        return AuthType::BrowserPkce;
    if (n == u"access_token" || n == u"token")
        return AuthType::AccessToken;
    if (ok)
        *ok = false;
    return AuthType::BrowserPkce;
}

QString circuitStateName(CircuitState state)
{
    switch (state) {
    case CircuitState::Closed:
        return QStringLiteral("closed");
    case CircuitState::Open:
        return QStringLiteral("open");
    case CircuitState::HalfOpen:
        return QStringLiteral("half-open");
    }
    return QStringLiteral("closed");
}

const FieldDescribe *SObjectDescribe::field(const QString &name) const
{
    for (const FieldDescribe &f : fields) {
        if (f.name.compare(name, Qt::CaseInsensitive) == 0)
            return &f;
    }
    return nullptr;
}

ChildCursor ChildCursor::descend(const QString &parentId, const QString &relationship, const RecordBatch &child) const
{
    ChildCursor c;
    c.soql = soql;
    c.includeDeleted = includeDeleted;
    c.parentIds = parentIds;
    c.parentIds.append(parentId);
    c.relationships = relationships;
    c.relationships.append(relationship);
    c.nextRecordsUrl = child.done() ? QString() : child.nextRecordsUrl();
    c.held = child.rowCount();
    c.totalSize = child.totalSize();
    return c;
}

} // namespace fs
