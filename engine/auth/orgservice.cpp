#include "orgservice.h"

#include "auth/loopbackreceiver.h"
#include "auth/oauthclient.h"
#include "auth/oauthcrypto.h"
#include "auth/secretstore.h"
#include "auth/tokenmanager.h"
#include "metrics/metrics.h"
#include "transport/transport.h"

#include <QDateTime>
#include <QPointer>
#include <QRegularExpression>
#include <QSettings>
#include <QThread>
#include <QTimer>

namespace fs::engine {

namespace {

    const QString kRefreshToken = QStringLiteral("refresh_token");
    const QString kAccessToken = QStringLiteral("access_token");

    EngineError validationError(const QString &message)
    {
        return EngineError::make(EngineError::Category::Validation, message, QStringLiteral("INVALID_PROFILE"));
    }

    bool validAlias(const QString &alias)
    {
        static const QRegularExpression re(QStringLiteral(R"(^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$)"));
        return re.match(alias).hasMatch();
    }

    QUrl loginUrlOf(const OrgProfile &p)
    {
        return p.loginUrl.isEmpty() ? QUrl(QStringLiteral("https://login.salesforce.com")) : p.loginUrl;
    }

    // The JWT audience: the login host's origin (https://login.salesforce.com, …).
    QString audienceOf(const QUrl &loginUrl)
    {
        QUrl u = loginUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo);
        return u.toString(QUrl::FullyEncoded);
    }

} // namespace

class OrgService::Private {
public:
    OrgService *q = nullptr;
    EngineConfig config;
    QString settingsFile;
    std::shared_ptr<Metrics> metrics = Metrics::global();
    Transport *transport = nullptr; // OAuth calls (unauthenticated)
    bool ownsTransport = true; // false: the engine's shared transport
    SecretStore *secrets = nullptr;
    std::unique_ptr<OAuthClient> oauth;

    // Browser login in progress (one at a time).
    struct Browser {
        LoopbackReceiver *receiver = nullptr;
        QTimer *timeout = nullptr;
        OrgProfile profile;
        QString verifier;
        QString state;
        SessionCallback done;
    };
    std::unique_ptr<Browser> browser;

    std::unique_ptr<QSettings> settings() const
    {
        if (!settingsFile.isEmpty())
            return std::make_unique<QSettings>(settingsFile, QSettings::IniFormat);
        return std::make_unique<QSettings>(
            QSettings::IniFormat, QSettings::UserScope, QStringLiteral("forcescope"), QStringLiteral("orgs"));
    }

    Result<void> validate(const OrgProfile &p) const
    {
        if (!validAlias(p.alias)) {
            return validationError(QStringLiteral("The alias \"%1\" is not valid: use 1–64 letters, digits, '_', '.', "
                                                  "'@' or '-', starting with a letter or digit")
                                       .arg(p.alias.left(80)));
        }
        QString why;
        if (!Transport::isAllowedUrl(loginUrlOf(p), &why))
            return validationError(QStringLiteral("Login URL: %1").arg(why));
        if (!p.instanceUrl.isEmpty() && !Transport::isAllowedUrl(p.instanceUrl, &why))
            return validationError(QStringLiteral("Instance URL: %1").arg(why));
        static const QRegularExpression versionRe(QStringLiteral(R"(^\d{2,3}\.0$)"));
        if (!versionRe.match(p.apiVersion).hasMatch())
            return validationError(QStringLiteral("API version \"%1\" is not valid (expected e.g. 59.0)").arg(p.apiVersion.left(20)));
        return {};
    }

    // A login's profile check: the demo org's profile is the engine's own and is not checked.
    // On failure `done` gets the error and false is returned.
    bool acceptForLogin(const OrgProfile &p, const SessionCallback &done) const
    {
        if (p.demo)
            return true;
        auto v = validate(p);
        if (!v.ok())
            done(v.error());
        return v.ok();
    }

    Result<void> writeProfile(const OrgProfile &p)
    {
        if (p.demo)
            return {}; // demo orgs are never saved
        auto r = validate(p);
        if (!r.ok())
            return r;
        auto s = settings();
        s->beginGroup(QStringLiteral("orgs"));
        s->beginGroup(p.alias);
        s->setValue(QStringLiteral("loginUrl"), p.loginUrl.toString());
        s->setValue(QStringLiteral("instanceUrl"), p.instanceUrl.toString());
        s->setValue(QStringLiteral("apiVersion"), p.apiVersion);
        s->setValue(QStringLiteral("authType"), authTypeName(p.authType));
        s->setValue(QStringLiteral("username"), p.username);
        s->setValue(QStringLiteral("clientId"), p.clientId);
        s->setValue(QStringLiteral("keyFile"), p.keyFile);
        s->endGroup();
        s->endGroup();
        s->sync();
        if (s->status() != QSettings::NoError) {
            return EngineError::make(EngineError::Category::Validation,
                QStringLiteral("Could not write the org profiles to %1").arg(s->fileName()),
                QStringLiteral("SETTINGS_WRITE_FAILED"));
        }
        Q_EMIT q->profilesChanged();
        return {};
    }

    Result<OrgProfile> readProfile(const QString &alias) const
    {
        if (!validAlias(alias))
            return validationError(QStringLiteral("The alias \"%1\" is not valid").arg(alias.left(80)));
        auto s = settings();
        s->beginGroup(QStringLiteral("orgs"));
        if (!s->childGroups().contains(alias)) {
            return EngineError::make(EngineError::Category::Validation,
                QStringLiteral("No org with the alias \"%1\" is saved").arg(alias), QStringLiteral("UNKNOWN_ORG"));
        }
        s->beginGroup(alias);
        OrgProfile p;
        p.alias = alias;
        p.loginUrl = QUrl(s->value(QStringLiteral("loginUrl")).toString());
        p.instanceUrl = QUrl(s->value(QStringLiteral("instanceUrl")).toString());
        p.apiVersion = s->value(QStringLiteral("apiVersion"), QStringLiteral("59.0")).toString();
        bool ok = false;
        p.authType = authTypeFromName(s->value(QStringLiteral("authType")).toString(), &ok);
        if (!ok)
            p.authType = AuthType::BrowserPkce;
        p.username = s->value(QStringLiteral("username")).toString();
        p.clientId = s->value(QStringLiteral("clientId")).toString();
        p.keyFile = s->value(QStringLiteral("keyFile")).toString();
        return p;
    }

    OrgSession sessionFor(const OrgProfile &p, const TokenResponse &t) const
    {
        OrgSession s;
        s.alias = p.alias;
        s.instanceUrl = t.instanceUrl;
        s.apiVersion = p.apiVersion;
        s.username = p.username;
        s.organizationId = t.organizationId();
        s.userId = t.userId();
        s.demo = p.demo;
        return s;
    }

    std::shared_ptr<TokenManager> makeManager(const OrgProfile &p, const TokenResponse &t)
    {
        auto m = std::make_shared<TokenManager>(config);
        m->setMetrics(metrics);
        m->setApiVersion(p.apiVersion);
        m->setToken(t.accessToken, t.instanceUrl);
        return m;
    }

    // Refresh-token session: the manager's grant uses the current refresh token (held in the
    // closure, updated on rotation) and persists a rotated one before reporting success.
    void completeRefreshSession(
        const OrgProfile &profileIn, const TokenResponse &t, const QString &refreshToken, SessionCallback done)
    {
        OrgProfile profile = profileIn;
        profile.instanceUrl = t.instanceUrl;
        const QString currentRt = t.refreshToken.isEmpty() ? refreshToken : t.refreshToken;
        auto finish = [this, profile, t, currentRt, done]() {
            if (!profile.demo) {
                auto saved = writeProfile(profile);
                if (!saved.ok()) {
                    done(saved.error());
                    return;
                }
            }
            auto manager = makeManager(profile, t);
            auto rt = std::make_shared<QString>(currentRt);
            QPointer<OrgService> guard(q);
            std::weak_ptr<TokenManager> weak = manager;
            manager->setGrant([this, guard, profile, rt](TokenManager::GrantCallback cb) {
                if (!guard) {
                    cb(EngineError::make(EngineError::Category::Auth, QStringLiteral("The org service is gone"),
                        QStringLiteral("NO_REFRESH")));
                    return;
                }
                oauth->refreshToken(loginUrlOf(profile), profile.clientId, *rt,
                    [this, guard, profile, rt, cb](Result<TokenResponse> r) {
                        if (!r.ok()) {
                            cb(r.error());
                            return;
                        }
                        const TokenResponse nt = r.value();
                        auto complete = [cb, nt]() { cb(TokenManager::Token { nt.accessToken, nt.instanceUrl }); };
                        if (nt.refreshToken.isEmpty() || nt.refreshToken == *rt) {
                            complete();
                            return;
                        }
                        // Rotated: the old token is dead now. Keep the new one in memory at once,
                        // persist it, and only then let the waiters go on.
                        *rt = nt.refreshToken;
                        if (profile.demo || !guard) {
                            complete();
                            return;
                        }
                        secrets->write(SecretStore::keyFor(profile.alias, kRefreshToken), nt.refreshToken,
                            [cb, complete](Result<void> w) {
                                if (!w.ok()) {
                                    cb(w.error());
                                    return;
                                }
                                complete();
                            });
                    });
            });
            done(Session { sessionFor(profile, t), manager });
        };
        if (profile.demo) {
            finish();
            return;
        }
        secrets->write(SecretStore::keyFor(profile.alias, kRefreshToken), currentRt, [finish, done](Result<void> w) {
            if (!w.ok()) {
                done(w.error());
                return;
            }
            finish();
        });
    }

    void refreshLogin(const OrgProfile &profile, const QString &refreshToken, SessionCallback done)
    {
        if (refreshToken.isEmpty()) {
            done(EngineError::make(EngineError::Category::Auth, QStringLiteral("No refresh token was given"),
                QStringLiteral("NO_REFRESH")));
            return;
        }
        oauth->refreshToken(loginUrlOf(profile), profile.clientId, refreshToken,
            [this, profile, refreshToken, done](Result<TokenResponse> r) {
                if (!r.ok()) {
                    done(r.error());
                    return;
                }
                completeRefreshSession(profile, r.value(), refreshToken, done);
            });
    }

    void jwtLogin(const OrgProfile &profileIn, SessionCallback done, bool save)
    {
        OrgProfile profile = profileIn;
        const QUrl login = loginUrlOf(profile);
        auto assertion = OAuthCrypto::jwtAssertion(profile.clientId, profile.username, audienceOf(login),
            profile.keyFile, QDateTime::currentSecsSinceEpoch());
        if (!assertion.ok()) {
            done(assertion.error());
            return;
        }
        oauth->jwtBearer(login, assertion.value(), [this, profile, done, save](Result<TokenResponse> r) mutable {
            if (!r.ok()) {
                done(r.error());
                return;
            }
            const TokenResponse t = r.value();
            profile.instanceUrl = t.instanceUrl;
            if (save && !profile.demo) {
                auto saved = writeProfile(profile);
                if (!saved.ok()) {
                    done(saved.error());
                    return;
                }
            }
            auto manager = makeManager(profile, t);
            QPointer<OrgService> guard(q);
            manager->setGrant([this, guard, profile](TokenManager::GrantCallback cb) {
                if (!guard) {
                    cb(EngineError::make(EngineError::Category::Auth, QStringLiteral("The org service is gone"),
                        QStringLiteral("NO_REFRESH")));
                    return;
                }
                const QUrl login = loginUrlOf(profile);
                auto a = OAuthCrypto::jwtAssertion(profile.clientId, profile.username, audienceOf(login),
                    profile.keyFile, QDateTime::currentSecsSinceEpoch());
                if (!a.ok()) {
                    cb(a.error());
                    return;
                }
                oauth->jwtBearer(login, a.value(), [cb](Result<TokenResponse> r) {
                    if (!r.ok())
                        cb(r.error());
                    else
                        cb(TokenManager::Token { r->accessToken, r->instanceUrl });
                });
            });
            done(Session { sessionFor(profile, t), manager });
        });
    }

    void accessTokenLogin(const OrgProfile &profile, const QString &accessToken, SessionCallback done, bool store)
    {
        if (accessToken.trimmed().isEmpty()) {
            done(EngineError::make(
                EngineError::Category::Auth, QStringLiteral("No access token was given"), QStringLiteral("NO_TOKEN")));
            return;
        }
        if (profile.instanceUrl.isEmpty()) {
            done(validationError(QStringLiteral("A pasted access token needs the org's instance URL")));
            return;
        }
        QString why;
        if (!Transport::isAllowedUrl(profile.instanceUrl, &why)) {
            done(validationError(QStringLiteral("Instance URL: %1").arg(why)));
            return;
        }
        const QString token = accessToken.trimmed();
        oauth->verifyAccessToken(profile.instanceUrl, profile.apiVersion, token,
            [this, profile, token, done, store](Result<void> r) {
                if (!r.ok()) {
                    done(r.error());
                    return;
                }
                TokenResponse t;
                t.accessToken = token;
                t.instanceUrl = profile.instanceUrl;
                // A pasted token comes without the token response's identity URL: ask userinfo
                // who it belongs to, so the session (and the describe cache key) carry the org
                // id. Best effort: a token without the scope for it still connects.
                QPointer<OrgService> guard(q);
                oauth->userInfo(profile.instanceUrl, token,
                    [this, guard, profile, t, token, done, store](Result<OAuthClient::Identity> who) {
                        if (!guard)
                            return;
                        OrgSession session = sessionFor(profile, t);
                        if (who.ok()) {
                            session.organizationId = who->organizationId;
                            session.userId = who->userId;
                            if (session.username.isEmpty())
                                session.username = who->username;
                        }
                        auto finish = [this, profile, t, session, done]() {
                            done(Session { session, makeManager(profile, t) });
                        };
                        if (profile.demo || !store) {
                            finish();
                            return;
                        }
                        secrets->write(SecretStore::keyFor(profile.alias, kAccessToken), token,
                            [this, profile, finish, done](Result<void> w) {
                                if (!w.ok()) {
                                    done(w.error());
                                    return;
                                }
                                auto saved = writeProfile(profile);
                                if (!saved.ok()) {
                                    done(saved.error());
                                    return;
                                }
                                finish();
                            });
                    });
            });
    }

    void endBrowser(Result<Session> result)
    {
        if (!browser)
            return;
        std::unique_ptr<Browser> b = std::move(browser);
        if (b->receiver) {
            b->receiver->close();
            b->receiver->deleteLater();
        }
        if (b->timeout) {
            b->timeout->stop();
            b->timeout->deleteLater();
        }
        b->done(std::move(result));
    }

    void onRedirect(const QUrlQuery &query)
    {
        if (!browser)
            return;
        if (query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded) != browser->state) {
            endBrowser(EngineError::make(EngineError::Category::Auth,
                QStringLiteral("The login redirect carried an unexpected state; the login was aborted"),
                QStringLiteral("STATE_MISMATCH")));
            return;
        }
        if (query.hasQueryItem(QStringLiteral("error"))) {
            EngineError e = EngineError::make(EngineError::Category::Auth,
                query.queryItemValue(QStringLiteral("error_description"), QUrl::FullyDecoded),
                query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded));
            if (e.message.isEmpty())
                e.message = QStringLiteral("The login was refused");
            endBrowser(e);
            return;
        }
        const QString code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
        if (code.isEmpty()) {
            endBrowser(EngineError::make(EngineError::Category::Auth,
                QStringLiteral("The login redirect carried no authorization code"), QStringLiteral("NO_CODE")));
            return;
        }
        const OrgProfile profile = browser->profile;
        const QUrl redirect = browser->receiver->redirectUri();
        browser->receiver->close();
        if (browser->timeout)
            browser->timeout->stop();
        oauth->authorizationCode(loginUrlOf(profile), profile.clientId, code, redirect, browser->verifier,
            [this](Result<TokenResponse> r) {
                if (!browser)
                    return; // cancelled meanwhile
                if (!r.ok()) {
                    endBrowser(r.error());
                    return;
                }
                const TokenResponse t = r.value();
                if (t.refreshToken.isEmpty() && !browser->profile.demo) {
                    endBrowser(EngineError::make(EngineError::Category::Auth,
                        QStringLiteral("The org issued no refresh token; the connected app needs the "
                                       "refresh_token scope"),
                        QStringLiteral("NO_REFRESH_TOKEN")));
                    return;
                }
                completeRefreshSession(browser->profile, t, t.refreshToken, [this](Result<Session> s) {
                    endBrowser(std::move(s));
                });
            });
    }
};

OrgService::OrgService(const EngineConfig &config, QObject *parent)
    : OrgService(config, QString(), QStringLiteral("forcescope"), parent)
{
}

OrgService::OrgService(
    const EngineConfig &config, const QString &settingsFile, const QString &keychainService, QObject *parent)
    : OrgService(config, settingsFile, keychainService, nullptr, parent)
{
}

OrgService::OrgService(const EngineConfig &config, const QString &settingsFile, const QString &keychainService,
    Transport *sharedTransport, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->q = this;
    d->config = config;
    d->settingsFile = settingsFile;
    d->ownsTransport = sharedTransport == nullptr;
    d->transport = sharedTransport ? sharedTransport : new Transport(config, this);
    d->secrets = new SecretStore(keychainService.isEmpty() ? QStringLiteral("forcescope") : keychainService, this);
    d->oauth = std::make_unique<OAuthClient>(d->transport);
}

OrgService::~OrgService()
{
    if (d->browser) {
        if (d->browser->receiver)
            d->browser->receiver->close();
        d->browser.reset(); // callback dropped: the caller is going away too
    }
}

void OrgService::setMetrics(std::shared_ptr<Metrics> metrics)
{
    d->metrics = metrics ? metrics : Metrics::global();
    if (d->ownsTransport) // a shared transport records into its owner's registry
        d->transport->setMetrics(d->metrics);
}

QString OrgService::settingsFilePath() const { return d->settings()->fileName(); }

QList<OrgProfile> OrgService::profiles() const
{
    QList<OrgProfile> out;
    auto s = d->settings();
    s->beginGroup(QStringLiteral("orgs"));
    const QStringList aliases = s->childGroups();
    s->endGroup();
    for (const QString &alias : aliases) {
        auto p = d->readProfile(alias);
        if (p.ok())
            out << p.value();
    }
    return out;
}

Result<OrgProfile> OrgService::profile(const QString &alias) const { return d->readProfile(alias); }

Result<void> OrgService::saveProfile(const OrgProfile &profile)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (profile.demo)
        return validationError(QStringLiteral("The demo org is not saved"));
    return d->writeProfile(profile);
}

void OrgService::removeProfile(const QString &alias, DoneCallback done)
{
    auto p = d->readProfile(alias);
    if (!p.ok()) {
        done(p.error());
        return;
    }
    QPointer<OrgService> guard(this);
    d->secrets->remove(SecretStore::keyFor(alias, kRefreshToken), [this, guard, alias, done](Result<void> r1) {
        if (!guard)
            return;
        if (!r1.ok()) {
            done(r1.error());
            return;
        }
        d->secrets->remove(SecretStore::keyFor(alias, kAccessToken), [this, guard, alias, done](Result<void> r2) {
            if (!guard)
                return;
            if (!r2.ok()) {
                done(r2.error());
                return;
            }
            auto s = d->settings();
            s->beginGroup(QStringLiteral("orgs"));
            s->remove(alias);
            s->endGroup();
            s->sync();
            Q_EMIT profilesChanged();
            done({});
        });
    });
}

void OrgService::connectOrg(const QString &alias, SessionCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto p = d->readProfile(alias);
    if (!p.ok()) {
        done(p.error());
        return;
    }
    const OrgProfile profile = p.value();
    switch (profile.authType) {
    case AuthType::JwtBearer:
        d->jwtLogin(profile, std::move(done), false);
        return;
    case AuthType::RefreshToken:
    case AuthType::BrowserPkce:
        d->secrets->read(SecretStore::keyFor(alias, kRefreshToken), [this, profile, done](Result<QString> rt) {
            if (!rt.ok()) {
                done(rt.error());
                return;
            }
            d->refreshLogin(profile, rt.value(), done);
        });
        return;
    case AuthType::AccessToken:
        d->secrets->read(SecretStore::keyFor(alias, kAccessToken), [this, profile, done](Result<QString> at) {
            if (!at.ok()) {
                done(at.error());
                return;
            }
            d->accessTokenLogin(profile, at.value(), done, false);
        });
        return;
    }
}

void OrgService::loginWithJwt(const OrgProfile &profile, SessionCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    OrgProfile p = profile;
    p.authType = AuthType::JwtBearer;
    if (!d->acceptForLogin(p, done))
        return;
    d->jwtLogin(p, std::move(done), true);
}

void OrgService::loginWithRefreshToken(const OrgProfile &profile, const QString &refreshToken, SessionCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    OrgProfile p = profile;
    if (p.authType != AuthType::BrowserPkce)
        p.authType = AuthType::RefreshToken;
    if (!d->acceptForLogin(p, done))
        return;
    d->refreshLogin(p, refreshToken.trimmed(), std::move(done));
}

void OrgService::loginWithAccessToken(const OrgProfile &profile, const QString &accessToken, SessionCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    OrgProfile p = profile;
    p.authType = AuthType::AccessToken;
    if (!d->acceptForLogin(p, done))
        return;
    d->accessTokenLogin(p, accessToken, std::move(done), true);
}

void OrgService::loginWithBrowser(const OrgProfile &profile, SessionCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    OrgProfile p = profile;
    p.authType = AuthType::BrowserPkce;
    if (!d->acceptForLogin(p, done))
        return;
    if (p.clientId.isEmpty()) {
        done(validationError(QStringLiteral("Browser login needs the connected app's consumer key (client id)")));
        return;
    }
    if (d->browser) {
        d->endBrowser(EngineError::make(EngineError::Category::Cancelled,
            QStringLiteral("A newer browser login replaced this one"), QStringLiteral("CANCELLED")));
    }
    auto b = std::make_unique<Private::Browser>();
    b->profile = p;
    b->verifier = OAuthCrypto::codeVerifier(64);
    b->state = OAuthCrypto::randomState();
    b->done = std::move(done);
    b->receiver = new LoopbackReceiver(this);
    QString error;
    if (!b->receiver->listen(quint16(d->config.credentials.callbackPort), &error)) {
        b->receiver->deleteLater();
        auto cb = std::move(b->done);
        cb(EngineError::make(EngineError::Category::Network, error, QStringLiteral("LISTEN_FAILED")));
        return;
    }
    connect(b->receiver, &LoopbackReceiver::redirectReceived, this, [this](const QUrlQuery &q) { d->onRedirect(q); });
    b->timeout = new QTimer(this);
    b->timeout->setSingleShot(true);
    connect(b->timeout, &QTimer::timeout, this, [this] {
        d->endBrowser(EngineError::make(EngineError::Category::Auth,
            QStringLiteral("The browser login was not completed in time"), QStringLiteral("LOGIN_TIMEOUT")));
    });
    b->timeout->start(std::max(1, d->config.credentials.browserTimeoutSeconds) * 1000);
    const QUrl url = OAuthClient::authorizeUrl(loginUrlOf(p), p.clientId, b->receiver->redirectUri(),
        OAuthCrypto::codeChallengeS256(b->verifier), b->state);
    d->browser = std::move(b);
    Q_EMIT openUrlRequested(url);
}

void OrgService::cancelBrowserLogin()
{
    d->endBrowser(EngineError::make(
        EngineError::Category::Cancelled, QStringLiteral("The browser login was cancelled"), QStringLiteral("CANCELLED")));
}

void OrgService::logout(const QString &alias, DoneCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto p = d->readProfile(alias);
    if (!p.ok()) {
        done(p.error());
        return;
    }
    const OrgProfile profile = p.value();
    QPointer<OrgService> guard(this);
    // Read what is stored, revoke it (best effort: an unreachable org must not keep secrets
    // around), then forget both entries.
    auto forget = [this, guard, alias, done]() {
        d->secrets->remove(SecretStore::keyFor(alias, kRefreshToken), [this, guard, alias, done](Result<void> r1) {
            if (!guard)
                return;
            if (!r1.ok()) {
                done(r1.error());
                return;
            }
            d->secrets->remove(SecretStore::keyFor(alias, kAccessToken), [done](Result<void> r2) { done(r2); });
        });
    };
    d->secrets->read(SecretStore::keyFor(alias, kRefreshToken), [this, guard, profile, forget, done](Result<QString> rt) {
        if (!guard)
            return;
        if (!rt.ok() && !SecretStore::isNotFound(rt.error())) {
            done(rt.error()); // keychain unavailable: say so rather than pretend
            return;
        }
        if (rt.ok() && !rt.value().isEmpty()) {
            d->oauth->revoke(loginUrlOf(profile), rt.value(), [forget](Result<void>) { forget(); });
            return;
        }
        d->secrets->read(SecretStore::keyFor(profile.alias, kAccessToken), [this, guard, profile, forget](Result<QString> at) {
            if (!guard)
                return;
            if (at.ok() && !at.value().isEmpty() && !profile.instanceUrl.isEmpty()) {
                d->oauth->revoke(profile.instanceUrl, at.value(), [forget](Result<void>) { forget(); });
                return;
            }
            forget();
        });
    });
}

} // namespace fs::engine
