#pragma once

#include "api/result.h"

#include <QList>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

#include <functional>

namespace fs::engine {

class Transport;

// What a token endpoint answered (reference §1.4). Holds secrets: never log it.
struct TokenResponse {
    QString accessToken;
    QString refreshToken; // empty unless issued/rotated
    QUrl instanceUrl;
    QUrl identityUrl; // "id"
    QString scope;
    qint64 issuedAtMs = 0; // 0 when absent
    QString organizationId() const; // from the id URL's path, /id/<org>/<user>
    QString userId() const;
};

// Token endpoint, revoke and verification calls over a Transport (unauthenticated requests).
// Engine thread only; callbacks exactly once on the engine thread.
class OAuthClient {
public:
    using TokenCallback = std::function<void(Result<TokenResponse>)>;

    explicit OAuthClient(Transport *transport);

    void jwtBearer(const QUrl &loginUrl, const QByteArray &assertion, TokenCallback done);
    void refreshToken(const QUrl &loginUrl, const QString &clientId, const QString &refreshToken, TokenCallback done);
    void authorizationCode(const QUrl &loginUrl, const QString &clientId, const QString &code,
        const QUrl &redirectUri, const QString &codeVerifier, TokenCallback done);
    // Best effort; 200 → ok, anything else → the mapped error.
    void revoke(const QUrl &loginUrl, const QString &token, std::function<void(Result<void>)> done);
    // One cheap authenticated call that proves the token works: GET /services/data/v<ver>/.
    void verifyAccessToken(const QUrl &instanceUrl, const QString &apiVersion, const QString &accessToken,
        std::function<void(Result<void>)> done);

    // Who the token belongs to (reference §1.6, OpenID userinfo on the instance):
    // GET /services/oauth2/userinfo → organization_id and user_id.
    struct Identity {
        QString organizationId;
        QString userId;
        QString username; // preferred_username
    };
    void userInfo(const QUrl &instanceUrl, const QString &accessToken, std::function<void(Result<Identity>)> done);

    // The browser's authorize URL (reference §1.3).
    static QUrl authorizeUrl(const QUrl &loginUrl, const QString &clientId, const QUrl &redirectUri,
        const QString &codeChallenge, const QString &state);
    // application/x-www-form-urlencoded with every reserved character percent-encoded
    // (refresh tokens and codes contain '+', '/' and '=').
    static QByteArray formEncode(const QList<QPair<QString, QString>> &fields);
    static Result<TokenResponse> parseTokenResponse(int status, const QByteArray &body);

private:
    void postToken(const QUrl &loginUrl, const QList<QPair<QString, QString>> &form, TokenCallback done);

    Transport *m_transport;
};

} // namespace fs::engine
