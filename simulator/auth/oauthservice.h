#pragma once

#include "http/httptypes.h"
#include "store/simerror.h"

#include <QDateTime>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace fs::sim {

class Store;

// Who is calling: resolved from a Bearer token.
struct Session {
    QString userId;
    QString username;
    QString clientId;
    QString accessToken;
};

// OAuth 2.0 for the simulated org (reference section 1): JWT bearer, refresh (with optional
// rotation), authorization code + PKCE, revoke, identity and userinfo, session timeout.
// Tokens never leave this object except in token responses.
class OAuthService {
public:
    struct ConnectedApp {
        QString clientId;
        QByteArray certPem;
        QStringList callbackUrls;
        QString clientSecret;
        bool rotateRefreshTokens = false;
    };

    explicit OAuthService(Store &store);

    void setBaseUrl(const QUrl &url) { m_baseUrl = url; }
    void setSessionTimeoutSeconds(int s) { m_sessionTimeout = s; }
    int sessionTimeoutSeconds() const { return m_sessionTimeout; }
    // Test hook: moves this service's clock (session expiry, JWT exp, code lifetime).
    void advanceClock(qint64 seconds) { m_clockOffsetSecs += seconds; }
    QDateTime now() const { return QDateTime::currentDateTimeUtc().addSecs(m_clockOffsetSecs); }

    void registerApp(const ConnectedApp &app);
    bool hasApp(const QString &clientId) const { return m_apps.contains(clientId); }
    QString userIdFor(const QString &username) const;

    QString issueAccessToken(const QString &userId, const QString &clientId = {});
    void expireSession(const QString &accessToken);
    void expireAllSessions();

    // Resolves the Authorization header (or oauth_token query item). On failure err is the
    // 401 INVALID_SESSION_ID / INVALID_AUTH_HEADER error.
    std::optional<Session> authenticate(const HttpRequest &req, SimError *err);

    HttpResponse handleToken(const HttpRequest &req);
    HttpResponse handleAuthorize(const HttpRequest &req);
    HttpResponse handleRevoke(const HttpRequest &req);
    HttpResponse handleIdentity(const HttpRequest &req, const QString &orgId, const QString &userId);
    HttpResponse handleUserInfo(const HttpRequest &req);

private:
    struct AccessToken {
        QString userId, clientId, refreshToken;
        QDateTime lastUsed;
    };
    struct RefreshToken {
        QString userId, clientId, scope;
    };
    struct AuthCode {
        QString clientId, redirectUri, challenge, userId, scope;
        QDateTime expires;
    };

    HttpResponse tokenResponse(const QString &userId, const QString &clientId, const QString &scope, bool withRefresh,
        const QString &existingRefresh = {});
    HttpResponse jwtBearer(const QUrlQuery &form);
    HttpResponse refresh(const QUrlQuery &form);
    HttpResponse authorizationCode(const QUrlQuery &form);
    QString identityUrl(const QString &userId) const;
    QJsonObject identityJson(const QString &userId) const;
    static QString randomToken(int bytes);

    Store &m_store;
    QUrl m_baseUrl;
    int m_sessionTimeout = 7200;
    qint64 m_clockOffsetSecs = 0;
    QHash<QString, ConnectedApp> m_apps;
    QHash<QString, AccessToken> m_access;
    QHash<QString, RefreshToken> m_refresh;
    QHash<QString, AuthCode> m_codes;
};

HttpResponse oauthError(int status, const QString &error, const QString &description);

} // namespace fs::sim
