#pragma once

#include "api/result.h"
#include "api/types.h"
#include "config/engineconfig.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>
#include <utility>

namespace fs::engine {

class Credentials;
class Metrics;
class Transport;

// Org profiles (QSettings, never a secret) and the login flows that turn a profile into a live
// session. Engine thread only: every callback runs on the engine thread, exactly once.
//
// Secrets (refresh token, access token) go only to the system keychain through SecretStore; a
// missing or locked keychain fails the call with Category::Auth, never a plain-file fallback.
// Demo profiles (profile.demo) keep their token in memory only and are never saved.
class OrgService : public QObject {
    Q_OBJECT
public:
    using Session = std::pair<OrgSession, std::shared_ptr<Credentials>>;
    using SessionCallback = std::function<void(Result<Session>)>;
    using DoneCallback = std::function<void(Result<void>)>;

    // `settingsFile` empty = the user's QSettings location (IniFormat, "forcescope"/"orgs").
    // `keychainService` names the keychain entries ("forcescope" by default).
    explicit OrgService(const EngineConfig &config, QObject *parent = nullptr);
    OrgService(const EngineConfig &config, const QString &settingsFile, const QString &keychainService,
        QObject *parent = nullptr);
    // Same, with the OAuth calls (token, revoke, verify, userinfo) going through `sharedTransport`
    // (the engine's one Transport: one QNetworkAccessManager, one request log, one breaker). The
    // transport must outlive this service. Null = a transport of its own.
    OrgService(const EngineConfig &config, const QString &settingsFile, const QString &keychainService,
        Transport *sharedTransport, QObject *parent = nullptr);
    ~OrgService() override;

    void setMetrics(std::shared_ptr<Metrics> metrics);
    QString settingsFilePath() const;

    // --- Profiles (no secrets) --------------------------------------------------------------
    QList<OrgProfile> profiles() const;
    Result<OrgProfile> profile(const QString &alias) const;
    Result<void> saveProfile(const OrgProfile &profile); // Validation error for a bad alias/URL
    void removeProfile(const QString &alias, DoneCallback done); // also forgets its secrets

    // --- Sessions ---------------------------------------------------------------------------
    // A saved profile → session, using its stored secret (refresh token grant, JWT, or the stored
    // access token verified by one call).
    void connectOrg(const QString &alias, SessionCallback done);
    // JWT bearer: RS256 assertion signed with profile.keyFile. The profile is saved on success.
    void loginWithJwt(const OrgProfile &profile, SessionCallback done);
    // Refresh token grant; the (possibly rotated) refresh token is stored in the keychain.
    void loginWithRefreshToken(const OrgProfile &profile, const QString &refreshToken, SessionCallback done);
    // A pasted session id, verified with one cheap call. profile.demo → memory only.
    void loginWithAccessToken(const OrgProfile &profile, const QString &accessToken, SessionCallback done);
    // Authorization code + PKCE: emits openUrlRequested(authorize URL) and waits on a loopback
    // listener (127.0.0.1, random port) for the redirect. The engine never opens a browser.
    void loginWithBrowser(const OrgProfile &profile, SessionCallback done);
    void cancelBrowserLogin(); // pending browser login fails with Category::Cancelled
    // Revokes the refresh/access token (best effort) and forgets the stored secrets.
    void logout(const QString &alias, DoneCallback done);

Q_SIGNALS:
    void openUrlRequested(const QUrl &url);
    void profilesChanged();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace fs::engine
