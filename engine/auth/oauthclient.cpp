#include "oauthclient.h"

#include "transport/httperrors.h"
#include "transport/transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace fs::engine {

namespace {

    QString originOf(const QUrl &url)
    {
        QString s = url.scheme() + QStringLiteral("://") + url.authority(QUrl::FullyEncoded);
        QString path = url.path();
        while (path.endsWith(u'/'))
            path.chop(1);
        return s + path;
    }

    // A GET carrying a token that is not (yet) the transport's credentials: the token travels in
    // this request's own Authorization header.
    HttpRequest bearerGet(const QString &path, const QString &accessToken, const QString &operation)
    {
        HttpRequest req;
        req.method = "GET";
        req.path = path;
        req.authenticated = false;
        req.headers.append({ QByteArray("Authorization"), QByteArray("Bearer ") + accessToken.toUtf8() });
        req.operation = operation;
        return req;
    }

    QStringList idParts(const QUrl &id)
    {
        // https://login.salesforce.com/id/<org>/<user>
        const QStringList parts = id.path().split(u'/', Qt::SkipEmptyParts);
        const qsizetype i = parts.indexOf(QStringLiteral("id"));
        if (i < 0 || i + 2 >= parts.size())
            return {};
        return parts.mid(i + 1, 2);
    }

} // namespace

QString TokenResponse::organizationId() const
{
    const auto p = idParts(identityUrl);
    return p.size() == 2 ? p[0] : QString();
}

QString TokenResponse::userId() const
{
    const auto p = idParts(identityUrl);
    return p.size() == 2 ? p[1] : QString();
}

OAuthClient::OAuthClient(Transport *transport)
    : m_transport(transport)
{
}

QByteArray OAuthClient::formEncode(const QList<QPair<QString, QString>> &fields)
{
    QByteArray out;
    for (const auto &f : fields) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(f.first) + '=' + QUrl::toPercentEncoding(f.second);
    }
    return out;
}

QUrl OAuthClient::authorizeUrl(const QUrl &loginUrl, const QString &clientId, const QUrl &redirectUri,
    const QString &codeChallenge, const QString &state)
{
    QUrl url(originOf(loginUrl) + QStringLiteral("/services/oauth2/authorize"));
    QUrlQuery q;
    auto add = [&q](const QString &k, const QString &v) {
        q.addQueryItem(k, QString::fromLatin1(QUrl::toPercentEncoding(v)));
    };
    add(QStringLiteral("response_type"), QStringLiteral("code"));
    add(QStringLiteral("client_id"), clientId);
    add(QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded));
    add(QStringLiteral("scope"), QStringLiteral("api refresh_token"));
    add(QStringLiteral("state"), state);
    add(QStringLiteral("code_challenge"), codeChallenge);
    add(QStringLiteral("code_challenge_method"), QStringLiteral("S256"));
    url.setQuery(q.query(QUrl::FullyEncoded), QUrl::StrictMode);
    return url;
}

Result<TokenResponse> OAuthClient::parseTokenResponse(int status, const QByteArray &body)
{
    if (status != 200) {
        EngineError e = HttpErrors::fromResponse(status, body);
        if (e.category == EngineError::Category::Validation)
            e.category = EngineError::Category::Auth;
        return e;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    const QJsonObject o = doc.object();
    TokenResponse t;
    t.accessToken = o.value(QStringLiteral("access_token")).toString();
    t.refreshToken = o.value(QStringLiteral("refresh_token")).toString();
    t.instanceUrl = QUrl(o.value(QStringLiteral("instance_url")).toString(), QUrl::StrictMode);
    t.identityUrl = QUrl(o.value(QStringLiteral("id")).toString(), QUrl::StrictMode);
    t.scope = o.value(QStringLiteral("scope")).toString();
    t.issuedAtMs = o.value(QStringLiteral("issued_at")).toString().toLongLong();
    if (t.accessToken.isEmpty() || !t.instanceUrl.isValid() || t.instanceUrl.host().isEmpty()) {
        return EngineError::make(EngineError::Category::Server,
            QStringLiteral("The token endpoint answered without an access token or instance URL"),
            QStringLiteral("BAD_TOKEN_RESPONSE"), status);
    }
    QString why;
    if (!Transport::isAllowedUrl(t.instanceUrl, &why)) {
        return EngineError::make(EngineError::Category::Auth,
            QStringLiteral("The org's instance URL is not acceptable: %1").arg(why), QStringLiteral("INSECURE_URL"));
    }
    return t;
}

void OAuthClient::postToken(const QUrl &loginUrl, const QList<QPair<QString, QString>> &form, TokenCallback done)
{
    HttpRequest req;
    req.method = "POST";
    req.path = originOf(loginUrl) + QStringLiteral("/services/oauth2/token");
    req.body = formEncode(form);
    req.contentType = "application/x-www-form-urlencoded";
    req.authenticated = false;
    // A grant may rotate a refresh token; replaying one whose outcome is unknown could burn it.
    req.idempotent = false;
    req.operation = QStringLiteral("oauth_token");
    m_transport->send(std::move(req), [done = std::move(done)](Result<HttpResponse> r) {
        if (!r.ok()) {
            EngineError e = r.error();
            if (e.category == EngineError::Category::Validation && e.errorCode != u"INSECURE_URL")
                e.category = EngineError::Category::Auth;
            done(e);
            return;
        }
        done(parseTokenResponse(r->status, r->body));
    });
}

void OAuthClient::jwtBearer(const QUrl &loginUrl, const QByteArray &assertion, TokenCallback done)
{
    postToken(loginUrl,
        { { QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer") },
            { QStringLiteral("assertion"), QString::fromLatin1(assertion) } },
        std::move(done));
}

void OAuthClient::refreshToken(
    const QUrl &loginUrl, const QString &clientId, const QString &refreshToken, TokenCallback done)
{
    QList<QPair<QString, QString>> form { { QStringLiteral("grant_type"), QStringLiteral("refresh_token") },
        { QStringLiteral("refresh_token"), refreshToken }, { QStringLiteral("format"), QStringLiteral("json") } };
    if (!clientId.isEmpty())
        form.append({ QStringLiteral("client_id"), clientId });
    postToken(loginUrl, form, std::move(done));
}

void OAuthClient::authorizationCode(const QUrl &loginUrl, const QString &clientId, const QString &code,
    const QUrl &redirectUri, const QString &codeVerifier, TokenCallback done)
{
    postToken(loginUrl,
        { { QStringLiteral("grant_type"), QStringLiteral("authorization_code") }, { QStringLiteral("code"), code },
            { QStringLiteral("client_id"), clientId },
            { QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded) },
            { QStringLiteral("code_verifier"), codeVerifier } },
        std::move(done));
}

void OAuthClient::revoke(const QUrl &loginUrl, const QString &token, std::function<void(Result<void>)> done)
{
    HttpRequest req;
    req.method = "POST";
    req.path = originOf(loginUrl) + QStringLiteral("/services/oauth2/revoke");
    req.body = formEncode({ { QStringLiteral("token"), token } });
    req.contentType = "application/x-www-form-urlencoded";
    req.authenticated = false;
    req.idempotent = true;
    req.operation = QStringLiteral("oauth_revoke");
    m_transport->send(std::move(req), [done = std::move(done)](Result<HttpResponse> r) {
        if (!r.ok()) {
            done(r.error());
            return;
        }
        if (r->status != 200) {
            done(HttpErrors::fromResponse(r->status, r->body));
            return;
        }
        done({});
    });
}

void OAuthClient::verifyAccessToken(const QUrl &instanceUrl, const QString &apiVersion, const QString &accessToken,
    std::function<void(Result<void>)> done)
{
    HttpRequest req = bearerGet(originOf(instanceUrl) + QStringLiteral("/services/data/v%1/").arg(apiVersion),
        accessToken, QStringLiteral("verify_token"));
    m_transport->send(std::move(req), [done = std::move(done)](Result<HttpResponse> r) {
        if (!r.ok()) {
            done(r.error());
            return;
        }
        if (r->status != 200) {
            EngineError e = HttpErrors::fromResponse(r->status, r->body);
            if (r->status == 401) {
                e.message = QStringLiteral("The access token was not accepted by the org (expired or invalid)");
                e.category = EngineError::Category::Auth;
            }
            done(e);
            return;
        }
        done({});
    });
}

void OAuthClient::userInfo(
    const QUrl &instanceUrl, const QString &accessToken, std::function<void(Result<Identity>)> done)
{
    HttpRequest req = bearerGet(originOf(instanceUrl) + QStringLiteral("/services/oauth2/userinfo"), accessToken,
        QStringLiteral("userinfo"));
    m_transport->send(std::move(req), [done = std::move(done)](Result<HttpResponse> r) {
        if (!r.ok()) {
            done(r.error());
            return;
        }
        if (r->status != 200) {
            done(HttpErrors::fromResponse(r->status, r->body));
            return;
        }
        const QJsonObject o = QJsonDocument::fromJson(r->body).object();
        Identity id;
        id.organizationId = o.value(QStringLiteral("organization_id")).toString();
        id.userId = o.value(QStringLiteral("user_id")).toString();
        id.username = o.value(QStringLiteral("preferred_username")).toString();
        if (id.organizationId.isEmpty()) {
            done(EngineError::make(EngineError::Category::Server,
                QStringLiteral("The org's userinfo answer carried no organization id"), QStringLiteral("BAD_USERINFO"),
                r->status));
            return;
        }
        done(id);
    });
}

} // namespace fs::engine
