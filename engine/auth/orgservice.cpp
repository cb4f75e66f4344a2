#include "orgservice.h"

#include "auth/credentials.h"
#include "metrics/metrics.h"

namespace fs::engine {

class OrgService::Private {
public:
    EngineConfig config;
    QString settingsFile;
    QString keychainService;
    std::shared_ptr<Metrics> metrics;
};

namespace {
    EngineError notYet()
    {
        return EngineError::make(EngineError::Category::Auth, QStringLiteral("Not implemented yet"));
    }
}

OrgService::OrgService(const EngineConfig &config, QObject *parent)
    : OrgService(config, QString(), QStringLiteral("forcescope"), parent)
{
}

OrgService::OrgService(
    const EngineConfig &config, const QString &settingsFile, const QString &keychainService, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->config = config;
    d->settingsFile = settingsFile;
    d->keychainService = keychainService;
}

OrgService::~OrgService() = default;

void OrgService::setMetrics(std::shared_ptr<Metrics> metrics) { d->metrics = std::move(metrics); }
QString OrgService::settingsFilePath() const { return d->settingsFile; }
QList<OrgProfile> OrgService::profiles() const { return {}; }
Result<OrgProfile> OrgService::profile(const QString &) const { return notYet(); }
Result<void> OrgService::saveProfile(const OrgProfile &) { return notYet(); }
void OrgService::removeProfile(const QString &, DoneCallback done) { done(notYet()); }
void OrgService::connectOrg(const QString &, SessionCallback done) { done(notYet()); }
void OrgService::loginWithJwt(const OrgProfile &, SessionCallback done) { done(notYet()); }
void OrgService::loginWithRefreshToken(const OrgProfile &, const QString &, SessionCallback done) { done(notYet()); }
void OrgService::loginWithAccessToken(const OrgProfile &, const QString &, SessionCallback done) { done(notYet()); }
void OrgService::loginWithBrowser(const OrgProfile &, SessionCallback done) { done(notYet()); }
void OrgService::cancelBrowserLogin() { }
void OrgService::logout(const QString &, DoneCallback done) { done(notYet()); }

} // namespace fs::engine
