// OAuth 2.0 of the simulated org over real HTTP: JWT bearer, refresh with rotation, PKCE code flow,
// revoke, identity, userinfo and session expiry.
#include "simulatorfixture.h"

#include "auth/oauthservice.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTest>
#include <QUrlQuery>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;
using fs::test::TestKeyPair;

namespace {
const QString kClientId = QStringLiteral("3MVG9test.consumer.key");
const QString kPkceClient = QStringLiteral("3MVG9pkce.client");
const QString kRotatingClient = QStringLiteral("3MVG9rotating.client");
const QString kCallback = QStringLiteral("http://127.0.0.1:1717/OauthRedirect");

QByteArray claims(const QString &iss, const QString &sub, const QString &aud, const QJsonValue &exp)
{
    return QJsonDocument(QJsonObject { { QStringLiteral("iss"), iss }, { QStringLiteral("sub"), sub }, { QStringLiteral("aud"), aud },
                             { QStringLiteral("exp"), exp } })
        .toJson(QJsonDocument::Compact);
}
} // namespace

class TestSimOAuth : public QObject {
    Q_OBJECT

private:
    SimulatorFixture m_fx;
    TestKeyPair m_keys;
    TestKeyPair m_otherKeys;

    qint64 inTwoMinutes() const { return QDateTime::currentSecsSinceEpoch() + 120; }
    HttpResult jwtLogin(const QByteArray &assertion)
    {
        return m_fx.postForm(QStringLiteral("/services/oauth2/token"),
            { { QStringLiteral("grant_type"), QStringLiteral("urn:ietf:params:oauth:grant-type:jwt-bearer") },
                { QStringLiteral("assertion"), QString::fromLatin1(assertion) } });
    }
    // Runs the browser part of the code flow with a plain HTTP client; returns the code.
    QString authorize(const QString &clientId, const QString &challenge, const QString &state, const QString &decision = QStringLiteral("allow"))
    {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
        q.addQueryItem(QStringLiteral("client_id"), clientId);
        q.addQueryItem(QStringLiteral("redirect_uri"), kCallback);
        q.addQueryItem(QStringLiteral("code_challenge"), challenge);
        q.addQueryItem(QStringLiteral("state"), state);
        q.addQueryItem(QStringLiteral("scope"), QStringLiteral("api refresh_token"));
        const HttpResult page = m_fx.send("GET", QStringLiteral("/services/oauth2/authorize?") + q.toString(QUrl::FullyEncoded), {}, {}, false);
        if (page.status != 200 || !page.body.contains("<form"))
            return {};
        // Submit the approval form the way a browser would.
        QList<QPair<QString, QString>> form;
        static const QRegularExpression hidden(QStringLiteral("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">"));
        auto it = hidden.globalMatch(QString::fromUtf8(page.body));
        while (it.hasNext()) {
            const auto m = it.next();
            QString value = m.captured(2);
            value.replace(QStringLiteral("&amp;"), QStringLiteral("&")).replace(QStringLiteral("&quot;"), QStringLiteral("\""));
            form.append({ m.captured(1), value });
        }
        form.append({ QStringLiteral("username"), fs::sim::Simulator::demoUsername() });
        form.append({ QStringLiteral("decision"), decision });
        const HttpResult redirect = m_fx.postForm(QStringLiteral("/services/oauth2/authorize"), form);
        if (redirect.status != 302)
            return {};
        const QUrl location(QString::fromLatin1(redirect.header("Location")));
        if (!location.toString().startsWith(kCallback))
            return {};
        const QUrlQuery back(location);
        if (back.queryItemValue(QStringLiteral("state")) != state)
            return {};
        if (back.hasQueryItem(QStringLiteral("error")))
            return back.queryItemValue(QStringLiteral("error")).prepend(u'!');
        return back.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    }
    static QString challengeFor(const QString &verifier)
    {
        return QString::fromLatin1(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)
                                       .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    }
    HttpResult exchange(const QString &clientId, const QString &code, const QString &verifier)
    {
        QList<QPair<QString, QString>> form { { QStringLiteral("grant_type"), QStringLiteral("authorization_code") },
            { QStringLiteral("code"), code }, { QStringLiteral("client_id"), clientId }, { QStringLiteral("redirect_uri"), kCallback } };
        if (!verifier.isEmpty())
            form.append({ QStringLiteral("code_verifier"), verifier });
        return m_fx.postForm(QStringLiteral("/services/oauth2/token"), form);
    }
    HttpResult refresh(const QString &clientId, const QString &token)
    {
        return m_fx.postForm(QStringLiteral("/services/oauth2/token"),
            { { QStringLiteral("grant_type"), QStringLiteral("refresh_token") }, { QStringLiteral("refresh_token"), token },
                { QStringLiteral("client_id"), clientId } });
    }
    int restStatusWith(const QString &token)
    {
        return m_fx.send("GET", QStringLiteral("/services/data/v59.0/limits"), {},
                       { qMakePair(QByteArray("Authorization"), "Bearer " + token.toLatin1()) })
            .status;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_keys.isValid());
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
        m_fx.sim().registerConnectedApp(kClientId, m_keys.certificatePem(), { kCallback });
        m_fx.sim().registerConnectedApp(kPkceClient, {}, { kCallback });
        m_fx.sim().registerConnectedApp(kRotatingClient, {}, { kCallback }, {}, true);
        QVERIFY(!m_fx.sim().registerUser(QStringLiteral("integration@forcescope.sim"), QStringLiteral("Ivy"), QStringLiteral("Tester")).isEmpty());
    }

    void jwtBearerIssuesToken()
    {
        const QByteArray assertion = m_keys.signJwt(R"({"alg":"RS256"})",
            claims(kClientId, QStringLiteral("integration@forcescope.sim"), QStringLiteral("https://login.salesforce.com"), inTwoMinutes()));
        const HttpResult r = jwtLogin(assertion);
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json().object();
        const QString token = o.value(u"access_token").toString();
        QVERIFY(token.startsWith(u"00D"));
        QCOMPARE(token.indexOf(u'!'), 15);
        QCOMPARE(o.value(u"token_type").toString(), QStringLiteral("Bearer"));
        QCOMPARE(o.value(u"instance_url").toString(), m_fx.baseUrl().toString());
        QVERIFY(!o.contains(u"refresh_token"));
        QVERIFY(o.value(u"id").toString().contains(u"/id/00D"));
        QCOMPARE(restStatusWith(token), 200);

        // The identity URL answers for that user.
        const HttpResult id = m_fx.send("GET", o.value(u"id").toString(), {}, { qMakePair(QByteArray("Authorization"), "Bearer " + token.toLatin1()) });
        QCOMPARE(id.status, 200);
        QCOMPARE(id.json().object().value(u"username").toString(), QStringLiteral("integration@forcescope.sim"));
        QVERIFY(id.json().object().value(u"urls").toObject().value(u"rest").toString().contains(u"{version}"));
        const HttpResult info = m_fx.send("GET", QStringLiteral("/services/oauth2/userinfo"), {},
            { qMakePair(QByteArray("Authorization"), "Bearer " + token.toLatin1()) });
        QCOMPARE(info.status, 200);
        QCOMPARE(info.json().object().value(u"preferred_username").toString(), QStringLiteral("integration@forcescope.sim"));
    }

    void jwtStringExpAndTyp()
    {
        const QByteArray assertion = m_keys.signJwt(R"({"alg":"RS256","typ":"JWT"})",
            claims(kClientId, QStringLiteral("integration@forcescope.sim"), m_fx.baseUrl().toString(), QString::number(inTwoMinutes())));
        QCOMPARE(jwtLogin(assertion).status, 200);
    }

    void jwtFailures_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("description");
        QTest::addRow("wrong key") << QStringLiteral("wrongkey") << QStringLiteral("invalid_grant") << QStringLiteral("invalid assertion");
        QTest::addRow("expired") << QStringLiteral("expired") << QStringLiteral("invalid_grant") << QStringLiteral("invalid assertion");
        QTest::addRow("exp too far") << QStringLiteral("far") << QStringLiteral("invalid_grant") << QStringLiteral("invalid assertion");
        QTest::addRow("bad audience") << QStringLiteral("aud") << QStringLiteral("invalid_grant") << QStringLiteral("audience is invalid");
        QTest::addRow("unknown issuer") << QStringLiteral("iss") << QStringLiteral("invalid_client_id") << QStringLiteral("client identifier invalid");
        QTest::addRow("unknown user") << QStringLiteral("sub") << QStringLiteral("invalid_grant") << QStringLiteral("user hasn't approved this consumer");
        QTest::addRow("HS256") << QStringLiteral("alg") << QStringLiteral("invalid_grant") << QStringLiteral("invalid assertion");
        QTest::addRow("garbage") << QStringLiteral("garbage") << QStringLiteral("invalid_grant") << QStringLiteral("invalid assertion");
    }
    void jwtFailures()
    {
        QFETCH(QString, kind);
        QFETCH(QString, error);
        QFETCH(QString, description);
        const QString user = QStringLiteral("integration@forcescope.sim");
        const QString aud = QStringLiteral("https://login.salesforce.com");
        QByteArray assertion;
        if (kind == u"wrongkey")
            assertion = m_otherKeys.signJwt(R"({"alg":"RS256"})", claims(kClientId, user, aud, inTwoMinutes()));
        else if (kind == u"expired")
            assertion = m_keys.signJwt(R"({"alg":"RS256"})", claims(kClientId, user, aud, QDateTime::currentSecsSinceEpoch() - 10));
        else if (kind == u"far")
            assertion = m_keys.signJwt(R"({"alg":"RS256"})", claims(kClientId, user, aud, QDateTime::currentSecsSinceEpoch() + 3600));
        else if (kind == u"aud")
            assertion = m_keys.signJwt(R"({"alg":"RS256"})", claims(kClientId, user, QStringLiteral("https://evil.example"), inTwoMinutes()));
        else if (kind == u"iss")
            assertion = m_keys.signJwt(R"({"alg":"RS256"})", claims(QStringLiteral("nope"), user, aud, inTwoMinutes()));
        else if (kind == u"sub")
            assertion = m_keys.signJwt(R"({"alg":"RS256"})", claims(kClientId, QStringLiteral("ghost@nowhere"), aud, inTwoMinutes()));
        else if (kind == u"alg")
            assertion = m_keys.signJwt(R"({"alg":"HS256"})", claims(kClientId, user, aud, inTwoMinutes()));
        else
            assertion = "not.a.jwt!!";
        const HttpResult r = jwtLogin(assertion);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().object().value(u"error").toString(), error);
        QCOMPARE(r.json().object().value(u"error_description").toString(), description);
    }

    void tokenEndpointRejectsBadRequests()
    {
        const HttpResult wrongGrant = m_fx.postForm(QStringLiteral("/services/oauth2/token"), { { QStringLiteral("grant_type"), QStringLiteral("magic") } });
        QCOMPARE(wrongGrant.status, 400);
        QCOMPARE(wrongGrant.json().object().value(u"error").toString(), QStringLiteral("unsupported_grant_type"));
        const HttpResult json = m_fx.send("POST", QStringLiteral("/services/oauth2/token"), "{}",
            { qMakePair(QByteArray("Content-Type"), QByteArray("application/json")) }, false);
        QCOMPARE(json.status, 400);
    }

    void pkceCodeFlowWithRefresh()
    {
        const QString verifier = QStringLiteral("verifier-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFG");
        const QString code = authorize(kPkceClient, challengeFor(verifier), QStringLiteral("st4te"));
        QVERIFY(!code.isEmpty() && !code.startsWith(u'!'));
        const HttpResult r = exchange(kPkceClient, code, verifier);
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json().object();
        QVERIFY(!o.value(u"refresh_token").toString().isEmpty());
        QCOMPARE(o.value(u"issued_at").toString().size(), 13);
        QCOMPARE(restStatusWith(o.value(u"access_token").toString()), 200);
        // Codes are single use.
        QCOMPARE(exchange(kPkceClient, code, verifier).json().object().value(u"error").toString(), QStringLiteral("invalid_grant"));

        // Without rotation the same refresh token keeps working and none is returned.
        const QString rt = o.value(u"refresh_token").toString();
        const HttpResult r1 = refresh(kPkceClient, rt);
        QCOMPARE(r1.status, 200);
        QVERIFY(!r1.json().object().contains(u"refresh_token"));
        QCOMPARE(refresh(kPkceClient, rt).status, 200);
        QCOMPARE(refresh(QStringLiteral("other"), rt).json().object().value(u"error").toString(), QStringLiteral("invalid_client_id"));

        // Revoking the refresh token revokes the access tokens minted from it.
        const QString access = r1.json().object().value(u"access_token").toString();
        QCOMPARE(m_fx.postForm(QStringLiteral("/services/oauth2/revoke"), { { QStringLiteral("token"), rt } }).status, 200);
        QCOMPARE(restStatusWith(access), 401);
        const HttpResult dead = refresh(kPkceClient, rt);
        QCOMPARE(dead.status, 400);
        QCOMPARE(dead.json().object().value(u"error_description").toString(), QStringLiteral("expired access/refresh token"));
        const HttpResult again = m_fx.postForm(QStringLiteral("/services/oauth2/revoke"), { { QStringLiteral("token"), rt } });
        QCOMPARE(again.status, 400);
    }

    void pkceVerifierChecks()
    {
        const QString verifier = QStringLiteral("another-verifier-0123456789-abcdefghijklmnopqrstuvwxyz");
        const QString code1 = authorize(kPkceClient, challengeFor(verifier), QStringLiteral("a"));
        const HttpResult wrong = exchange(kPkceClient, code1, QStringLiteral("not-the-verifier-0123456789-abcdefghijklmnopqrstuvwxyz"));
        QCOMPARE(wrong.status, 400);
        QCOMPARE(wrong.json().object().value(u"error").toString(), QStringLiteral("invalid_request"));
        const QString code2 = authorize(kPkceClient, challengeFor(verifier), QStringLiteral("b"));
        const HttpResult missing = exchange(kPkceClient, code2, {});
        QCOMPARE(missing.json().object().value(u"error").toString(), QStringLiteral("invalid_grant"));
        QCOMPARE(authorize(kPkceClient, challengeFor(verifier), QStringLiteral("c"), QStringLiteral("deny")), QStringLiteral("!access_denied"));
        const HttpResult badRedirect = m_fx.send("GET",
            QStringLiteral("/services/oauth2/authorize?response_type=code&client_id=%1&redirect_uri=http%3A%2F%2Fevil.example%2F").arg(kPkceClient), {}, {}, false);
        QCOMPARE(badRedirect.status, 400);
    }

    void refreshRotation()
    {
        const QString verifier = QStringLiteral("rotation-verifier-0123456789-abcdefghijklmnopqrstuvwxyz");
        const QString code = authorize(kRotatingClient, challengeFor(verifier), QStringLiteral("r"));
        const HttpResult first = exchange(kRotatingClient, code, verifier);
        QCOMPARE(first.status, 200);
        const QString rt1 = first.json().object().value(u"refresh_token").toString();
        const HttpResult second = refresh(kRotatingClient, rt1);
        QCOMPARE(second.status, 200);
        const QString rt2 = second.json().object().value(u"refresh_token").toString();
        QVERIFY(!rt2.isEmpty());
        QVERIFY(rt2 != rt1);
        const HttpResult reused = refresh(kRotatingClient, rt1);
        QCOMPARE(reused.status, 400);
        QCOMPARE(reused.json().object().value(u"error_description").toString(), QStringLiteral("expired access/refresh token"));
        QCOMPARE(refresh(kRotatingClient, rt2).status, 200);
    }

    void revokeAccessToken()
    {
        const QString token = m_fx.sim().issueAccessToken();
        QCOMPARE(restStatusWith(token), 200);
        QCOMPARE(m_fx.send("GET", QStringLiteral("/services/oauth2/revoke?token=") + QString::fromLatin1(QUrl::toPercentEncoding(token)), {}, {}, false).status,
            200);
        const HttpResult r = m_fx.send("GET", QStringLiteral("/services/data/v59.0/limits"), {},
            { qMakePair(QByteArray("Authorization"), "Bearer " + token.toLatin1()) });
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), QStringLiteral("INVALID_SESSION_ID"));
        QCOMPARE(r.json().array().first().toObject().value(u"message").toString(), QStringLiteral("Session expired or invalid"));
    }

    void sessionTimesOutAfterInactivity()
    {
        m_fx.sim().setSessionTimeoutSeconds(600);
        const QString token = m_fx.sim().issueAccessToken();
        m_fx.sim().oauth().advanceClock(500);
        QCOMPARE(restStatusWith(token), 200); // activity resets the timer
        m_fx.sim().oauth().advanceClock(500);
        QCOMPARE(restStatusWith(token), 200);
        m_fx.sim().oauth().advanceClock(601);
        QCOMPARE(restStatusWith(token), 401);
        m_fx.sim().oauth().advanceClock(-1601); // back to real time for the JWT exp checks
        m_fx.sim().setSessionTimeoutSeconds(7200);
    }

    void adminEndpointsRegisterApps()
    {
        const QByteArray body = QJsonDocument(QJsonObject { { QStringLiteral("clientId"), QStringLiteral("admin.app") },
                                                  { QStringLiteral("certificatePem"), QString::fromLatin1(m_keys.certificatePem()) },
                                                  { QStringLiteral("callbackUrls"), QJsonArray { kCallback } } })
                                    .toJson();
        QCOMPARE(m_fx.send("POST", QStringLiteral("/__admin/connected-apps"), body, {}, false).status, 201);
        QCOMPARE(m_fx.send("POST", QStringLiteral("/__admin/users"), R"({"username":"admin-made@forcescope.sim"})", {}, false).status, 201);
        const QByteArray assertion = m_keys.signJwt(R"({"alg":"RS256"})",
            claims(QStringLiteral("admin.app"), QStringLiteral("admin-made@forcescope.sim"), QStringLiteral("https://test.salesforce.com"), inTwoMinutes()));
        QCOMPARE(jwtLogin(assertion).status, 200);
        const HttpResult token = m_fx.send("POST", QStringLiteral("/__admin/tokens"), R"({"username":"admin-made@forcescope.sim"})", {}, false);
        QCOMPARE(token.status, 201);
        QCOMPARE(restStatusWith(token.json().object().value(u"access_token").toString()), 200);
    }

    // Real Salesforce percent-decodes query and form values, so a token whose '!' arrives as %21
    // (Python's urllib, QUrl::toPercentEncoding) is the same token as the raw one.
    void tokenInQueryOrFormIsPercentDecoded_data()
    {
        QTest::addColumn<QString>("endpoint"); // identity | userinfo | revoke-get | revoke-post
        QTest::addColumn<QString>("tokenForm"); // raw | encoded | garbage
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("error"); // OAuth error object's "error", empty on success

        QTest::newRow("identity oauth_token raw !") << QStringLiteral("identity") << QStringLiteral("raw") << 200 << QString();
        QTest::newRow("identity oauth_token %21") << QStringLiteral("identity") << QStringLiteral("encoded") << 200 << QString();
        QTest::newRow("userinfo oauth_token %21") << QStringLiteral("userinfo") << QStringLiteral("encoded") << 200 << QString();
        QTest::newRow("revoke GET token %21") << QStringLiteral("revoke-get") << QStringLiteral("encoded") << 200 << QString();
        QTest::newRow("revoke POST form token %21") << QStringLiteral("revoke-post") << QStringLiteral("encoded") << 200 << QString();
        QTest::newRow("revoke POST form token raw !") << QStringLiteral("revoke-post") << QStringLiteral("raw") << 200 << QString();
        QTest::newRow("identity garbage token") << QStringLiteral("identity") << QStringLiteral("garbage") << 403
                                                << QStringLiteral("Bad_OAuth_Token");
        QTest::newRow("userinfo garbage token") << QStringLiteral("userinfo") << QStringLiteral("garbage") << 403
                                                << QStringLiteral("Bad_OAuth_Token");
        QTest::newRow("revoke GET garbage token") << QStringLiteral("revoke-get") << QStringLiteral("garbage") << 400
                                                  << QStringLiteral("invalid_token");
        QTest::newRow("revoke POST garbage token") << QStringLiteral("revoke-post") << QStringLiteral("garbage") << 400
                                                   << QStringLiteral("invalid_token");
    }

    void tokenInQueryOrFormIsPercentDecoded()
    {
        QFETCH(QString, endpoint);
        QFETCH(QString, tokenForm);
        QFETCH(int, status);
        QFETCH(QString, error);

        const QString token = m_fx.sim().issueAccessToken();
        QVERIFY(token.contains(u'!'));
        const HttpResult who = m_fx.send("GET", QStringLiteral("/services/oauth2/userinfo"), {},
            { qMakePair(QByteArray("Authorization"), "Bearer " + token.toLatin1()) });
        QCOMPARE(who.status, 200);
        const QString identityUrl = who.json().object().value(u"sub").toString();
        QVERIFY(identityUrl.contains(u"/id/00D"));

        QString sent; // already encoded for the query string / form body
        if (tokenForm == u"raw") {
            sent = token;
        } else if (tokenForm == u"encoded") {
            sent = QString::fromLatin1(QUrl::toPercentEncoding(token));
            QVERIFY(sent.contains(QStringLiteral("%21")));
            QVERIFY(!sent.contains(u'!'));
        } else {
            sent = token.left(15) + QStringLiteral("%21AQnot-a-real-session-id");
        }

        HttpResult r;
        if (endpoint == u"identity")
            r = m_fx.send("GET", identityUrl + QStringLiteral("?oauth_token=") + sent, {}, {}, false);
        else if (endpoint == u"userinfo")
            r = m_fx.send("GET", QStringLiteral("/services/oauth2/userinfo?oauth_token=") + sent, {}, {}, false);
        else if (endpoint == u"revoke-get")
            r = m_fx.send("GET", QStringLiteral("/services/oauth2/revoke?token=") + sent, {}, {}, false);
        else
            r = m_fx.send("POST", QStringLiteral("/services/oauth2/revoke"), "token=" + sent.toLatin1(),
                { qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")) }, false);

        QCOMPARE(r.status, status);
        if (!error.isEmpty()) {
            const QJsonObject o = r.json().object();
            QCOMPARE(o.value(u"error").toString(), error);
            if (endpoint.startsWith(u"revoke"))
                QCOMPARE(o.value(u"error_description").toString(), QStringLiteral("invalid token"));
            else
                QCOMPARE(o.value(u"error_description").toString(), QStringLiteral("Bad_OAuth_Token"));
            QCOMPARE(restStatusWith(token), 200); // the real token is untouched
        } else if (endpoint.startsWith(u"revoke")) {
            QVERIFY(r.body.isEmpty());
            QCOMPARE(restStatusWith(token), 401);
        } else {
            const QJsonObject o = r.json().object();
            QCOMPARE(o.value(endpoint == u"identity" ? u"username" : u"preferred_username").toString(), fs::sim::Simulator::demoUsername());
            QCOMPARE(restStatusWith(token), 200);
        }
    }

    // Query values are form-decoded: '+' is a space, %2B a literal '+', %21 a '!'.
    void authorizeQueryValuesAreFormDecoded()
    {
        const QString path = QStringLiteral("/services/oauth2/authorize?response_type=code&client_id=") + kPkceClient
            + QStringLiteral("&redirect_uri=") + QString::fromLatin1(QUrl::toPercentEncoding(kCallback))
            + QStringLiteral("&state=a+b%2Bc%21d&login_hint=integration%40forcescope.sim");
        const HttpResult page = m_fx.send("GET", path, {}, {}, false);
        QCOMPARE(page.status, 200);
        QVERIFY2(page.body.contains(R"(name="state" value="a b+c!d")"), page.body.constData());
        QVERIFY2(page.body.contains(R"(value="integration@forcescope.sim")"), page.body.constData());
    }
};

QTEST_GUILESS_MAIN(TestSimOAuth)
#include "tst_simoauth.moc"
