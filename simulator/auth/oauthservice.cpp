#include "oauthservice.h"

#include "store/store.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

namespace fs::sim {

namespace {

QByteArray json(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

bool decodeB64Url(const QByteArray &in, QByteArray *out)
{
    const auto res = QByteArray::fromBase64Encoding(in, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!res)
        return false;
    *out = *res;
    return true;
}

QByteArray b64url(const QByteArray &raw)
{
    return raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// RS256: RSASSA-PKCS1-v1_5 with SHA-256, verified against the certificate's public key.
bool verifyRs256(const QByteArray &certPem, const QByteArray &signingInput, const QByteArray &signature)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())), BIO_free);
    if (!bio)
        return false;
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert)
        return false;
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(X509_get_pubkey(cert.get()), EVP_PKEY_free);
    if (!key || EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
        return false;
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        return false;
    return EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature.constData()), size_t(signature.size()),
               reinterpret_cast<const unsigned char *>(signingInput.constData()), size_t(signingInput.size()))
        == 1;
}

// True when the certificate's notAfter lies before `nowSecs` (or the PEM cannot be read). A
// connected app whose certificate has expired no longer accepts JWT assertions.
bool certificateExpired(const QByteArray &certPem, qint64 nowSecs)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())), BIO_free);
    if (!bio)
        return true;
    std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), X509_free);
    if (!cert)
        return true;
    time_t now = time_t(nowSecs);
    return X509_cmp_time(X509_get0_notAfter(cert.get()), &now) < 0;
}

QString htmlEscape(const QString &s)
{
    return s.toHtmlEscaped();
}

// The query string of a GET, or the application/x-www-form-urlencoded body of a POST, still encoded:
// values are read through formValue(), which decodes them the one way Salesforce does.
QUrlQuery formOf(const HttpRequest &req)
{
    if (req.method == "GET")
        return req.query;
    QUrlQuery q;
    q.setQuery(QString::fromUtf8(req.body));
    return q;
}

// A query-string or form value as Salesforce reads it: '+' is a space (form encoding), then every
// percent-escape is decoded (clients such as Python's urllib send '!' in tokens as %21).
QString decodedFormValue(const QString &encoded)
{
    QString raw = encoded;
    raw.replace(u'+', QStringLiteral("%20"));
    return QUrl::fromPercentEncoding(raw.toUtf8());
}

QString formValue(const QUrlQuery &q, const QString &key)
{
    return decodedFormValue(q.queryItemValue(key, QUrl::FullyEncoded));
}

} // namespace

HttpResponse oauthError(int status, const QString &error, const QString &description)
{
    HttpResponse r;
    r.status = status;
    r.body = json({ { QStringLiteral("error"), error }, { QStringLiteral("error_description"), description } });
    return r;
}

OAuthService::OAuthService(Store &store)
    : m_store(store)
{
}

void OAuthService::registerApp(const ConnectedApp &app)
{
    m_apps.insert(app.clientId, app);
}

QString OAuthService::userIdFor(const QString &username) const
{
    const QStringList ids = m_store.findIds(QStringLiteral("User"), QStringLiteral("Username"), username);
    return ids.isEmpty() ? QString() : ids.first();
}

QString OAuthService::randomToken(int bytes)
{
    QByteArray raw(bytes, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(raw.data()), bytes) != 1)
        qFatal("RAND_bytes failed");
    return QString::fromLatin1(b64url(raw));
}

QString OAuthService::issueAccessToken(const QString &userId, const QString &clientId)
{
    const QString token = m_store.orgId().left(15) + QStringLiteral("!AQ") + randomToken(72);
    m_access.insert(token, AccessToken { userId, clientId, {}, now() });
    return token;
}

void OAuthService::expireSession(const QString &accessToken)
{
    m_access.remove(accessToken);
}

void OAuthService::expireAllSessions()
{
    m_access.clear();
}

std::optional<Session> OAuthService::authenticate(const HttpRequest &req, SimError *err)
{
    QString token;
    const QByteArray auth = req.header("Authorization").trimmed();
    if (!auth.isEmpty()) {
        const int sp = auth.indexOf(' ');
        const QByteArray scheme = auth.left(sp).toLower();
        if (sp < 0 || (scheme != "bearer" && scheme != "oauth")) {
            *err = SimError::make(401, QStringLiteral("INVALID_AUTH_HEADER"), QStringLiteral("INVALID_HEADER_TYPE"));
            return std::nullopt;
        }
        // Header values are not form-encoded: the token is taken verbatim.
        token = QString::fromLatin1(auth.mid(sp + 1).trimmed());
    } else if (req.query.hasQueryItem(QStringLiteral("oauth_token"))) {
        token = formValue(req.query, QStringLiteral("oauth_token"));
    } else {
        *err = SimError::make(401, QStringLiteral("INVALID_AUTH_HEADER"), QStringLiteral("INVALID_HEADER_TYPE"));
        return std::nullopt;
    }
    auto it = m_access.find(token);
    const QDateTime t = now();
    if (it == m_access.end() || it->lastUsed.secsTo(t) > m_sessionTimeout) {
        if (it != m_access.end())
            m_access.erase(it);
        *err = SimError::make(401, QStringLiteral("INVALID_SESSION_ID"), QStringLiteral("Session expired or invalid"));
        return std::nullopt;
    }
    it->lastUsed = t; // each call resets the inactivity timer
    Session s;
    s.userId = it->userId;
    s.clientId = it->clientId;
    s.accessToken = token;
    return s;
}

QString OAuthService::identityUrl(const QString &userId) const
{
    return m_baseUrl.toString(QUrl::StripTrailingSlash) + QStringLiteral("/id/") + m_store.orgId() + u'/' + userId;
}

HttpResponse OAuthService::tokenResponse(const QString &userId, const QString &clientId, const QString &scope, bool withRefresh,
    const QString &existingRefresh)
{
    QJsonObject o;
    const QString access = issueAccessToken(userId, clientId);
    const QString id = identityUrl(userId);
    const QString issuedAt = QString::number(now().toMSecsSinceEpoch());
    o.insert(QStringLiteral("access_token"), access);
    if (withRefresh) {
        QString refreshToken = existingRefresh;
        if (refreshToken.isEmpty()) {
            refreshToken = QStringLiteral("5Aep8") + randomToken(60);
            m_refresh.insert(refreshToken, RefreshToken { userId, clientId, scope });
            o.insert(QStringLiteral("refresh_token"), refreshToken);
        }
        m_access[access].refreshToken = refreshToken;
    }
    const ConnectedApp app = m_apps.value(clientId);
    if (!app.clientSecret.isEmpty()) {
        const QByteArray sig = QMessageAuthenticationCode::hash((id + issuedAt).toUtf8(), app.clientSecret.toUtf8(), QCryptographicHash::Sha256);
        o.insert(QStringLiteral("signature"), QString::fromLatin1(sig.toBase64()));
    }
    o.insert(QStringLiteral("scope"), scope);
    o.insert(QStringLiteral("instance_url"), m_baseUrl.toString(QUrl::StripTrailingSlash));
    o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("token_type"), QStringLiteral("Bearer"));
    o.insert(QStringLiteral("issued_at"), issuedAt);
    HttpResponse r;
    r.body = json(o);
    return r;
}

HttpResponse OAuthService::handleToken(const HttpRequest &req)
{
    if (req.method != "POST")
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("must use HTTP POST"));
    const QByteArray ct = req.header("Content-Type").toLower();
    if (!ct.startsWith("application/x-www-form-urlencoded"))
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("invalid content type; expected application/x-www-form-urlencoded"));
    const QUrlQuery form = formOf(req);
    const QString grant = formValue(form, QStringLiteral("grant_type"));
    if (grant == u"urn:ietf:params:oauth:grant-type:jwt-bearer")
        return jwtBearer(form);
    if (grant == u"refresh_token")
        return refresh(form);
    if (grant == u"authorization_code")
        return authorizationCode(form);
    if (grant.isEmpty())
        return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("grant type not supported"));
    return oauthError(400, QStringLiteral("unsupported_grant_type"), QStringLiteral("grant type not supported"));
}

HttpResponse OAuthService::jwtBearer(const QUrlQuery &form)
{
    const HttpResponse invalidAssertion = oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("invalid assertion"));
    const QByteArray assertion = formValue(form, QStringLiteral("assertion")).toLatin1();
    const QList<QByteArray> parts = assertion.split('.');
    if (parts.size() != 3)
        return invalidAssertion;
    QByteArray headerJson, claimsJson, signature;
    if (!decodeB64Url(parts[0], &headerJson) || !decodeB64Url(parts[1], &claimsJson) || !decodeB64Url(parts[2], &signature))
        return invalidAssertion;
    const QJsonDocument header = QJsonDocument::fromJson(headerJson);
    const QJsonDocument claimsDoc = QJsonDocument::fromJson(claimsJson);
    if (!header.isObject() || !claimsDoc.isObject() || header.object().value(u"alg").toString() != u"RS256")
        return invalidAssertion;
    const QJsonObject claims = claimsDoc.object();
    const QString iss = claims.value(u"iss").toString();
    auto app = m_apps.constFind(iss);
    if (iss.isEmpty() || app == m_apps.constEnd())
        return oauthError(400, QStringLiteral("invalid_client_id"), QStringLiteral("client identifier invalid"));
    if (!verifyRs256(app->certPem, parts[0] + '.' + parts[1], signature))
        return invalidAssertion;
    // The signature matches, but the connected app's certificate has expired (UNCONFIRMED wording:
    // the reference lists "invalid assertion" for a wrong certificate; an expired one is assumed alike).
    if (certificateExpired(app->certPem, now().toSecsSinceEpoch()))
        return invalidAssertion;
    const QString aud = claims.value(u"aud").toString();
    const QString base = m_baseUrl.toString(QUrl::StripTrailingSlash);
    const QStringList audiences { QStringLiteral("https://login.salesforce.com"), QStringLiteral("https://test.salesforce.com"), base,
        base + u'/' };
    if (!audiences.contains(aud))
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("audience is invalid"));
    // exp: a JSON number or a numeric string, in the future and no more than 3 minutes ahead.
    const QJsonValue expV = claims.value(u"exp");
    bool ok = expV.isDouble();
    qint64 exp = qint64(expV.toDouble());
    if (expV.isString())
        exp = expV.toString().toLongLong(&ok);
    const qint64 nowSecs = now().toSecsSinceEpoch();
    if (!ok || exp <= nowSecs || exp > nowSecs + 180 + 5)
        return invalidAssertion;
    const QString sub = claims.value(u"sub").toString();
    const QString userId = userIdFor(sub);
    if (userId.isEmpty())
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("user hasn't approved this consumer"));
    HttpResponse r = tokenResponse(userId, iss, QStringLiteral("api web"), false);
    return r;
}

HttpResponse OAuthService::refresh(const QUrlQuery &form)
{
    const QString token = formValue(form, QStringLiteral("refresh_token"));
    const QString clientId = formValue(form, QStringLiteral("client_id"));
    auto app = m_apps.constFind(clientId);
    if (clientId.isEmpty() || app == m_apps.constEnd())
        return oauthError(400, QStringLiteral("invalid_client_id"), QStringLiteral("client identifier invalid"));
    if (!app->clientSecret.isEmpty() && form.hasQueryItem(QStringLiteral("client_secret"))
        && formValue(form, QStringLiteral("client_secret")) != app->clientSecret)
        return oauthError(400, QStringLiteral("invalid_client"), QStringLiteral("invalid client credentials"));
    auto it = m_refresh.find(token);
    if (token.isEmpty() || it == m_refresh.end() || it->clientId != clientId)
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("expired access/refresh token"));
    const RefreshToken rt = *it;
    if (app->rotateRefreshTokens) {
        // The old token dies at once; its access tokens stay valid until they time out.
        m_refresh.erase(it);
        return tokenResponse(rt.userId, clientId, rt.scope, true);
    }
    return tokenResponse(rt.userId, clientId, rt.scope, true, token);
}

HttpResponse OAuthService::authorizationCode(const QUrlQuery &form)
{
    const QString codeValue = formValue(form, QStringLiteral("code"));
    const QString clientId = formValue(form, QStringLiteral("client_id"));
    auto app = m_apps.constFind(clientId);
    if (clientId.isEmpty() || app == m_apps.constEnd())
        return oauthError(400, QStringLiteral("invalid_client_id"), QStringLiteral("client identifier invalid"));
    if (!app->clientSecret.isEmpty() && form.hasQueryItem(QStringLiteral("client_secret"))
        && formValue(form, QStringLiteral("client_secret")) != app->clientSecret)
        return oauthError(400, QStringLiteral("invalid_client"), QStringLiteral("invalid client credentials"));
    auto it = m_codes.find(codeValue);
    if (codeValue.isEmpty() || it == m_codes.end())
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("invalid authorization code"));
    const AuthCode code = *it;
    m_codes.erase(it); // single use, even when the exchange fails below
    if (code.expires < now())
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("expired authorization code"));
    if (code.clientId != clientId)
        return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("invalid authorization code"));
    if (formValue(form, QStringLiteral("redirect_uri")) != code.redirectUri)
        return oauthError(400, QStringLiteral("redirect_uri_mismatch"), QStringLiteral("redirect_uri must match configuration"));
    if (!code.challenge.isEmpty()) {
        const QString verifier = formValue(form, QStringLiteral("code_verifier"));
        if (verifier.isEmpty())
            return oauthError(400, QStringLiteral("invalid_grant"), QStringLiteral("invalid code verifier"));
        const QString computed = QString::fromLatin1(b64url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)));
        if (computed != code.challenge)
            return oauthError(400, QStringLiteral("invalid_request"), QStringLiteral("invalid code verifier"));
    }
    const QStringList scopes = code.scope.split(u' ', Qt::SkipEmptyParts);
    const bool withRefresh = scopes.isEmpty() || scopes.contains(u"refresh_token") || scopes.contains(u"offline_access");
    return tokenResponse(code.userId, clientId, code.scope.isEmpty() ? QStringLiteral("api refresh_token") : code.scope, withRefresh);
}

HttpResponse OAuthService::handleAuthorize(const HttpRequest &req)
{
    const QUrlQuery q = formOf(req);
    const QString clientId = formValue(q, QStringLiteral("client_id"));
    const QString redirect = formValue(q, QStringLiteral("redirect_uri"));
    auto app = m_apps.constFind(clientId);
    auto page = [](int status, const QString &text) {
        HttpResponse r;
        r.status = status;
        r.contentType = "text/html;charset=UTF-8";
        r.body = QStringLiteral("<!DOCTYPE html><html><head><title>Authorization error</title></head><body><p>%1</p></body></html>")
                     .arg(htmlEscape(text))
                     .toUtf8();
        return r;
    };
    if (clientId.isEmpty() || app == m_apps.constEnd())
        return page(400, QStringLiteral("error=invalid_client_id&error_description=client identifier invalid"));
    if (!app->callbackUrls.contains(redirect))
        return page(400, QStringLiteral("error=redirect_uri_mismatch&error_description=redirect_uri must match configuration"));
    if (formValue(q, QStringLiteral("response_type")) != u"code")
        return page(400, QStringLiteral("error=unsupported_response_type&error_description=response type not supported"));
    const QString method = formValue(q, QStringLiteral("code_challenge_method"));
    if (!method.isEmpty() && method != u"S256")
        return page(400, QStringLiteral("error=invalid_request&error_description=unsupported code_challenge_method"));
    const QString state = formValue(q, QStringLiteral("state"));
    QUrl target(redirect);
    QUrlQuery back(target);

    if (req.method == "POST") {
        const QString decision = formValue(q, QStringLiteral("decision"));
        if (decision != u"allow") {
            back.addQueryItem(QStringLiteral("error"), QStringLiteral("access_denied"));
            back.addQueryItem(QStringLiteral("error_description"), QStringLiteral("end-user denied authorization"));
        } else {
            QString username = formValue(q, QStringLiteral("username"));
            if (username.isEmpty())
                username = QStringLiteral("demo@forcescope.sim");
            const QString userId = userIdFor(username);
            if (userId.isEmpty())
                return page(400, QStringLiteral("error=invalid_grant&error_description=unknown user"));
            const QString code = QStringLiteral("aPrx") + randomToken(40) + QStringLiteral("==");
            m_codes.insert(code,
                AuthCode { clientId, redirect, formValue(q, QStringLiteral("code_challenge")), userId, formValue(q, QStringLiteral("scope")),
                    now().addSecs(15 * 60) });
            back.addQueryItem(QStringLiteral("code"), QString::fromLatin1(QUrl::toPercentEncoding(code)));
        }
        if (!state.isEmpty())
            back.addQueryItem(QStringLiteral("state"), QString::fromLatin1(QUrl::toPercentEncoding(state)));
        target.setQuery(back.query(QUrl::FullyEncoded), QUrl::StrictMode);
        HttpResponse r;
        r.status = 302;
        r.contentType = "text/html;charset=UTF-8";
        r.setHeader("Location", target.toEncoded());
        r.body = "<html><body>Redirecting…</body></html>";
        return r;
    }

    // The approval page: a plain form any HTTP client (or a browser) can submit.
    QString hidden;
    for (const auto &item : q.queryItems(QUrl::FullyEncoded)) {
        hidden += QStringLiteral("<input type=\"hidden\" name=\"%1\" value=\"%2\">\n")
                      .arg(htmlEscape(decodedFormValue(item.first)), htmlEscape(decodedFormValue(item.second)));
    }
    const QString login = formValue(q, QStringLiteral("login_hint")).isEmpty() ? QStringLiteral("demo@forcescope.sim")
                                                                                : formValue(q, QStringLiteral("login_hint"));
    HttpResponse r;
    r.contentType = "text/html;charset=UTF-8";
    r.body = QStringLiteral("<!DOCTYPE html><html><head><title>Allow Access?</title></head><body>\n"
                            "<h1>Allow Access?</h1><p>The app <b>%1</b> wants to access the simulated org as:</p>\n"
                            "<form method=\"post\" action=\"/services/oauth2/authorize\">\n%2"
                            "<label>Username <input name=\"username\" value=\"%3\"></label>\n"
                            "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n"
                            "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n"
                            "</form><script>/* simulated org */</script></body></html>\n")
                 .arg(htmlEscape(clientId), hidden, htmlEscape(login))
                 .toUtf8();
    return r;
}

HttpResponse OAuthService::handleRevoke(const HttpRequest &req)
{
    const QUrlQuery q = formOf(req);
    const QString token = formValue(q, QStringLiteral("token"));
    HttpResponse ok;
    ok.contentType.clear();
    if (m_access.remove(token) > 0)
        return ok;
    if (m_refresh.remove(token) > 0) {
        // Revoking a refresh token revokes the access tokens issued from it.
        for (auto it = m_access.begin(); it != m_access.end();) {
            if (it->refreshToken == token)
                it = m_access.erase(it);
            else
                ++it;
        }
        return ok;
    }
    return oauthError(400, QStringLiteral("invalid_token"), QStringLiteral("invalid token"));
}

QJsonObject OAuthService::identityJson(const QString &userId) const
{
    SimError err;
    const auto row = m_store.get(QStringLiteral("User"), userId, &err);
    QJsonObject o;
    if (!row)
        return o;
    const QString base = m_baseUrl.toString(QUrl::StripTrailingSlash);
    QJsonObject urls;
    const QString data = base + QStringLiteral("/services/data/v{version}/");
    urls.insert(QStringLiteral("enterprise"), base + QStringLiteral("/services/Soap/c/{version}/") + m_store.orgId().left(15));
    urls.insert(QStringLiteral("metadata"), base + QStringLiteral("/services/Soap/m/{version}/") + m_store.orgId().left(15));
    urls.insert(QStringLiteral("partner"), base + QStringLiteral("/services/Soap/u/{version}/") + m_store.orgId().left(15));
    urls.insert(QStringLiteral("rest"), data);
    urls.insert(QStringLiteral("sobjects"), data + QStringLiteral("sobjects/"));
    urls.insert(QStringLiteral("search"), data + QStringLiteral("search/"));
    urls.insert(QStringLiteral("query"), data + QStringLiteral("query/"));
    urls.insert(QStringLiteral("recent"), data + QStringLiteral("recent/"));
    urls.insert(QStringLiteral("tooling_soap"), base + QStringLiteral("/services/Soap/T/{version}/") + m_store.orgId().left(15));
    urls.insert(QStringLiteral("tooling_rest"), data + QStringLiteral("tooling/"));
    urls.insert(QStringLiteral("profile"), base + u'/' + userId);
    urls.insert(QStringLiteral("feeds"), data + QStringLiteral("chatter/feeds"));
    urls.insert(QStringLiteral("groups"), data + QStringLiteral("chatter/groups"));
    urls.insert(QStringLiteral("users"), data + QStringLiteral("chatter/users"));
    urls.insert(QStringLiteral("feed_items"), data + QStringLiteral("chatter/feed-items"));
    urls.insert(QStringLiteral("feed_elements"), data + QStringLiteral("chatter/feed-elements"));
    urls.insert(QStringLiteral("custom_domain"), base);
    const QString name = row->value(QStringLiteral("Name")).toString();
    o.insert(QStringLiteral("id"), identityUrl(userId));
    o.insert(QStringLiteral("asserted_user"), true);
    o.insert(QStringLiteral("user_id"), userId);
    o.insert(QStringLiteral("organization_id"), m_store.orgId());
    o.insert(QStringLiteral("username"), row->value(QStringLiteral("Username")).toString());
    o.insert(QStringLiteral("nick_name"), row->value(QStringLiteral("Alias")).toString());
    o.insert(QStringLiteral("display_name"), name);
    o.insert(QStringLiteral("email"), row->value(QStringLiteral("Email")).toString());
    o.insert(QStringLiteral("email_verified"), true);
    o.insert(QStringLiteral("first_name"), row->value(QStringLiteral("FirstName")).toString());
    o.insert(QStringLiteral("last_name"), row->value(QStringLiteral("LastName")).toString());
    o.insert(QStringLiteral("timezone"), row->value(QStringLiteral("TimeZoneSidKey")).toString());
    o.insert(QStringLiteral("photos"), QJsonObject { { QStringLiteral("picture"), base + QStringLiteral("/img/userprofile/default_profile_200_v2.png") },
                                           { QStringLiteral("thumbnail"), base + QStringLiteral("/img/userprofile/default_profile_45_v2.png") } });
    o.insert(QStringLiteral("active"), row->value(QStringLiteral("IsActive")).toLongLong() != 0);
    o.insert(QStringLiteral("user_type"), QStringLiteral("STANDARD"));
    o.insert(QStringLiteral("language"), row->value(QStringLiteral("LanguageLocaleKey")).toString());
    o.insert(QStringLiteral("locale"), QStringLiteral("en_US"));
    o.insert(QStringLiteral("utcOffset"), 0);
    o.insert(QStringLiteral("last_modified_date"), row->value(QStringLiteral("LastModifiedDate")).toString());
    o.insert(QStringLiteral("is_app_installed"), true);
    o.insert(QStringLiteral("urls"), urls);
    return o;
}

HttpResponse OAuthService::handleIdentity(const HttpRequest &req, const QString &orgId, const QString &userId)
{
    SimError err;
    const auto session = authenticate(req, &err);
    if (!session)
        return oauthError(403, QStringLiteral("Bad_OAuth_Token"), QStringLiteral("Bad_OAuth_Token"));
    if (Store::normalizeId(orgId) != m_store.orgId() || Store::normalizeId(userId).isEmpty())
        return oauthError(404, QStringLiteral("Bad_Id"), QStringLiteral("Bad_Id"));
    const QJsonObject o = identityJson(Store::normalizeId(userId));
    if (o.isEmpty())
        return oauthError(404, QStringLiteral("Bad_Id"), QStringLiteral("Bad_Id"));
    HttpResponse r;
    r.body = json(o);
    return r;
}

HttpResponse OAuthService::handleUserInfo(const HttpRequest &req)
{
    SimError err;
    const auto session = authenticate(req, &err);
    if (!session)
        return oauthError(403, QStringLiteral("Bad_OAuth_Token"), QStringLiteral("Bad_OAuth_Token"));
    const QJsonObject id = identityJson(session->userId);
    QJsonObject o;
    o.insert(QStringLiteral("sub"), id.value(u"id"));
    o.insert(QStringLiteral("user_id"), id.value(u"user_id"));
    o.insert(QStringLiteral("organization_id"), id.value(u"organization_id"));
    o.insert(QStringLiteral("preferred_username"), id.value(u"username"));
    o.insert(QStringLiteral("nickname"), id.value(u"nick_name"));
    o.insert(QStringLiteral("name"), id.value(u"display_name"));
    o.insert(QStringLiteral("email"), id.value(u"email"));
    o.insert(QStringLiteral("email_verified"), true);
    o.insert(QStringLiteral("given_name"), id.value(u"first_name"));
    o.insert(QStringLiteral("family_name"), id.value(u"last_name"));
    o.insert(QStringLiteral("zoneinfo"), id.value(u"timezone"));
    o.insert(QStringLiteral("photos"), id.value(u"photos"));
    o.insert(QStringLiteral("profile"), id.value(u"urls").toObject().value(u"profile"));
    o.insert(QStringLiteral("picture"), id.value(u"photos").toObject().value(u"picture"));
    o.insert(QStringLiteral("address"), QJsonObject {});
    o.insert(QStringLiteral("urls"), id.value(u"urls"));
    o.insert(QStringLiteral("active"), id.value(u"active"));
    o.insert(QStringLiteral("user_type"), id.value(u"user_type"));
    o.insert(QStringLiteral("language"), id.value(u"language"));
    o.insert(QStringLiteral("locale"), id.value(u"locale"));
    o.insert(QStringLiteral("utcOffset"), 0);
    o.insert(QStringLiteral("updated_at"), id.value(u"last_modified_date"));
    o.insert(QStringLiteral("is_app_installed"), true);
    HttpResponse r;
    r.body = json(o);
    return r;
}

} // namespace fs::sim
