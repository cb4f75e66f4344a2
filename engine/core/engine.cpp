#include "engine.h"

#include "auth/credentials.h"
#include "auth/orgservice.h"
#include "metadata/describeservice.h"
#include "metadata/limitsservice.h"
#include "metrics/metrics.h"
#include "query/childpager.h"
#include "query/querypageparser.h"
#include "query/queryservice.h"
#include "records/recordservice.h"
#include "transport/transport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QThread>

#include <exception>

namespace fs::engine {

namespace {

EngineError internalError(const char *what)
{
    EngineError e = EngineError::make(EngineError::Category::Server, QStringLiteral("The engine hit an internal error."),
        QStringLiteral("ENGINE_INTERNAL"));
    e.detail = QString::fromUtf8(what);
    return e;
}

} // namespace

class Engine::Private {
public:
    std::shared_ptr<Metrics> metrics;
    std::unique_ptr<Transport> transport;
    std::unique_ptr<OrgService> orgs;
    std::unique_ptr<RecordService> records;
    std::unique_ptr<QueryService> queries;
    std::unique_ptr<ChildPager> children;
    std::unique_ptr<DescribeService> describes;
    std::unique_ptr<LimitsService> limits;
    RequestId browserLoginId = 0;
    bool started = false;
};

Engine::Engine(QObject *parent)
    : Engine(Options{}, parent)
{
}

Engine::Engine(Options options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , d(std::make_unique<Private>())
{
    d->metrics = m_options.metrics ? m_options.metrics : Metrics::global();
}

Engine::~Engine()
{
    // Services reference the transport: drop them first.
    if (d) {
        d->records.reset();
        d->children.reset();
        d->queries.reset();
        d->describes.reset();
        d->limits.reset();
        d->orgs.reset();
        d->transport.reset();
    }
}

void Engine::ensureStarted()
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (d->started)
        return;
    d->started = true;

    // The one Transport (and so the one QNetworkAccessManager) of the engine thread; a child of
    // the engine so the object tree shows it. OAuth calls go through it too.
    d->transport = std::make_unique<Transport>(m_options.config, this);
    d->transport->setMetrics(d->metrics);
    connect(d->transport.get(), &Transport::apiUsageChanged, this, &Engine::apiUsageChanged);
    connect(d->transport.get(), &Transport::apiUsageWarning, this, &Engine::apiUsageWarning);
    connect(d->transport.get(), &Transport::circuitStateChanged, this, &Engine::circuitStateChanged);
    connect(d->transport.get(), &Transport::requestLogged, this, &Engine::requestLogged);
    connect(d->transport.get(), &Transport::authExpired, this,
        [this](const EngineError &error) { Q_EMIT authExpired(m_session.alias, error); });

    d->orgs = std::make_unique<OrgService>(m_options.config, m_options.settingsFile,
        m_options.keychainService.isEmpty() ? QStringLiteral("forcescope") : m_options.keychainService,
        d->transport.get(), this);
    d->orgs->setMetrics(d->metrics);
    connect(d->orgs.get(), &OrgService::openUrlRequested, this, &Engine::openUrlRequested);

    d->records = std::make_unique<RecordService>(d->transport.get());
    connect(d->records.get(), &RecordService::recordFetched, this, [this](RequestId id, const QJsonObject &record) {
        // One record → a one-row batch, through the same parser as query pages (same columns).
        QJsonObject page;
        page.insert(QLatin1String("totalSize"), 1);
        page.insert(QLatin1String("done"), true);
        page.insert(QLatin1String("records"), QJsonArray{record});
        Result<RecordBatch> batch = QueryPageParser::parse(QJsonDocument(page).toJson(QJsonDocument::Compact));
        if (!batch)
            return fail(id, batch.error());
        Q_EMIT recordReady(id, batch.value());
    });
    connect(d->records.get(), &RecordService::recordSaved, this, &Engine::recordSaved);
    connect(d->records.get(), &RecordService::recordDeleted, this, &Engine::recordDeleted);
    connect(d->records.get(), &RecordService::updateConflict, this, &Engine::updateConflict);
    connect(d->records.get(), &RecordService::updatesFinished, this, &Engine::updatesFinished);
    connect(d->records.get(), &RecordService::failed, this, &Engine::fail);

    d->queries = std::make_unique<QueryService>(d->transport.get());
    connect(d->queries.get(), &QueryService::pageReady, this, &Engine::queryPageReady);
    connect(d->queries.get(), &QueryService::finished, this, &Engine::queryFinished);
    connect(d->queries.get(), &QueryService::failed, this, &Engine::fail);

    d->describes = std::make_unique<DescribeService>(d->transport.get());
    if (!m_options.describeCacheDir.isEmpty())
        d->describes->setCacheDirectory(m_options.describeCacheDir);
    d->describes->setMaxAgeSeconds(m_options.config.metadata.describeCacheTtlSeconds);
    connect(d->describes.get(), &DescribeService::versionsReady, this, &Engine::versionsReady);
    connect(d->describes.get(), &DescribeService::globalDescribeReady, this, &Engine::globalDescribeReady);
    connect(d->describes.get(), &DescribeService::sobjectDescribed, this, &Engine::sobjectDescribed);
    connect(d->describes.get(), &DescribeService::failed, this, &Engine::fail);

    // Child re-queries take their describes from the same cache (destroyed before it: ~Engine).
    d->children = std::make_unique<ChildPager>(d->transport.get(), d->describes.get());
    connect(d->children.get(), &ChildPager::pageReady, this, &Engine::queryPageReady);
    connect(d->children.get(), &ChildPager::finished, this, &Engine::queryFinished);
    connect(d->children.get(), &ChildPager::failed, this, &Engine::fail);

    d->limits = std::make_unique<LimitsService>(d->transport.get());
    d->limits->setPollIntervalSeconds(m_options.config.rateLimits.pollIntervalSeconds);
    connect(d->limits.get(), &LimitsService::limitsReady, this, &Engine::limitsReady);
    connect(d->limits.get(), &LimitsService::failed, this, &Engine::fail);
}

Transport *Engine::transport()
{
    ensureStarted();
    return d->transport.get();
}

OrgService *Engine::orgService()
{
    ensureStarted();
    return d->orgs.get();
}

RecordService *Engine::recordService()
{
    ensureStarted();
    return d->records.get();
}

std::shared_ptr<Metrics> Engine::metrics() const
{
    return d->metrics;
}

void Engine::fail(RequestId id, const EngineError &error)
{
    Q_EMIT requestFailed(id, error);
}

void Engine::guarded(RequestId id, const std::function<void()> &body)
{
    try {
        ensureStarted();
        body();
    } catch (const std::exception &e) {
        fail(id, internalError(e.what()));
    } catch (...) {
        fail(id, internalError("unknown exception"));
    }
}

void Engine::adoptSession(RequestId id, const OrgSession &session, const std::shared_ptr<Credentials> &credentials)
{
    d->transport->setCredentials(credentials);
    m_session = session;
    // Describe cache partition: the org id when known (two aliases of one org share it).
    d->describes->setOrgKey(session.organizationId.isEmpty() ? session.alias : session.organizationId);
    d->limits->startPolling(); // rate_limits.poll_interval_seconds (0 = off)
    Q_EMIT sessionChanged(session);
    Q_EMIT connected(id, session);
}

// --- Orgs and auth ------------------------------------------------------------------------------

void Engine::listOrgs(RequestId id)
{
    guarded(id, [&] { Q_EMIT orgsListed(id, d->orgs->profiles()); });
}

void Engine::saveOrg(RequestId id, const OrgProfile &profile)
{
    guarded(id, [&] {
        const Result<void> r = d->orgs->saveProfile(profile);
        if (!r)
            return fail(id, r.error());
        Q_EMIT orgSaved(id, profile);
    });
}

void Engine::removeOrg(RequestId id, const QString &alias)
{
    guarded(id, [&] {
        QPointer<Engine> self(this);
        d->orgs->removeProfile(alias, [self, id, alias](Result<void> r) {
            if (!self)
                return;
            if (!r)
                return self->fail(id, r.error());
            Q_EMIT self->orgRemoved(id, alias);
        });
    });
}

namespace {
// Wraps an OrgService session callback so it lands on Engine::adoptSession.
template <typename EngineT>
OrgService::SessionCallback sessionHandler(EngineT *engine, std::function<void(Result<OrgService::Session>)> then)
{
    QPointer<EngineT> self(engine);
    return [self, then](Result<OrgService::Session> r) {
        if (self)
            then(std::move(r));
    };
}
} // namespace

void Engine::connectOrg(RequestId id, const QString &alias)
{
    guarded(id, [&] {
        d->orgs->connectOrg(alias, sessionHandler(this, [this, id](Result<OrgService::Session> r) {
            if (!r)
                return fail(id, r.error());
            adoptSession(id, r->first, r->second);
        }));
    });
}

void Engine::loginWithBrowser(RequestId id, const OrgProfile &profile)
{
    guarded(id, [&] {
        d->browserLoginId = id;
        d->orgs->loginWithBrowser(profile, sessionHandler(this, [this, id](Result<OrgService::Session> r) {
            if (d->browserLoginId == id)
                d->browserLoginId = 0;
            if (!r)
                return fail(id, r.error());
            adoptSession(id, r->first, r->second);
        }));
    });
}

void Engine::loginWithJwt(RequestId id, const OrgProfile &profile)
{
    guarded(id, [&] {
        d->orgs->loginWithJwt(profile, sessionHandler(this, [this, id](Result<OrgService::Session> r) {
            if (!r)
                return fail(id, r.error());
            adoptSession(id, r->first, r->second);
        }));
    });
}

void Engine::loginWithRefreshToken(RequestId id, const OrgProfile &profile, const QString &refreshToken)
{
    guarded(id, [&] {
        d->orgs->loginWithRefreshToken(profile, refreshToken,
            sessionHandler(this, [this, id](Result<OrgService::Session> r) {
                if (!r)
                    return fail(id, r.error());
                adoptSession(id, r->first, r->second);
            }));
    });
}

void Engine::loginWithAccessToken(RequestId id, const OrgProfile &profile, const QString &accessToken)
{
    guarded(id, [&] {
        d->orgs->loginWithAccessToken(profile, accessToken,
            sessionHandler(this, [this, id](Result<OrgService::Session> r) {
                if (!r)
                    return fail(id, r.error());
                adoptSession(id, r->first, r->second);
            }));
    });
}

void Engine::logout(RequestId id, const QString &alias)
{
    guarded(id, [&] {
        QPointer<Engine> self(this);
        d->orgs->logout(alias, [self, id, alias](Result<void> r) {
            if (!self)
                return;
            if (!r)
                return self->fail(id, r.error());
            if (self->m_session.alias == alias) {
                self->d->transport->setCredentials(nullptr);
                self->d->limits->stopPolling();
                self->m_session = OrgSession{};
                Q_EMIT self->sessionChanged(self->m_session);
            }
            Q_EMIT self->loggedOut(id, alias);
        });
    });
}

// --- Metadata -----------------------------------------------------------------------------------

void Engine::fetchVersions(RequestId id)
{
    guarded(id, [&] { d->describes->fetchVersions(id); });
}

void Engine::describeGlobal(RequestId id)
{
    guarded(id, [&] { d->describes->describeGlobal(id); });
}

void Engine::describeSObject(RequestId id, const QString &name)
{
    guarded(id, [&] { d->describes->describe(id, name); });
}

void Engine::fetchLimits(RequestId id)
{
    guarded(id, [&] { d->limits->fetchLimits(id); });
}

// --- Queries ------------------------------------------------------------------------------------

void Engine::runQuery(RequestId id, const QString &soql, const QueryOptions &options)
{
    guarded(id, [&] { d->queries->run(id, soql, options); });
}

void Engine::fetchChildPage(RequestId id, const QString &nextRecordsUrl)
{
    guarded(id, [&] { d->queries->fetchChildPage(id, nextRecordsUrl); });
}

void Engine::fetchChildRows(RequestId id, const ChildCursor &cursor)
{
    guarded(id, [&] { d->children->fetchRows(id, cursor); });
}

// --- Records ------------------------------------------------------------------------------------

void Engine::getRecord(RequestId id, const QString &sobjectType, const QString &recordId, const QStringList &fields)
{
    guarded(id, [&] { d->records->getRecord(id, sobjectType, recordId, fields); });
}

void Engine::createRecord(RequestId id, const QString &sobjectType, const QVariantMap &fields)
{
    guarded(id, [&] { d->records->createRecord(id, sobjectType, fields); });
}

void Engine::upsertRecord(RequestId id, const QString &sobjectType, const QString &externalIdField,
    const QString &externalId, const QVariantMap &fields)
{
    guarded(id, [&] { d->records->upsertRecord(id, sobjectType, externalIdField, externalId, fields); });
}

void Engine::deleteRecord(RequestId id, const QString &sobjectType, const QString &recordId)
{
    guarded(id, [&] { d->records->deleteRecord(id, sobjectType, recordId); });
}

void Engine::saveUpdates(RequestId id, const QList<RecordUpdate> &updates)
{
    guarded(id, [&] { d->records->saveUpdates(id, updates); });
}

// --- Observability ------------------------------------------------------------------------------

void Engine::fetchMetrics(RequestId id)
{
    guarded(id, [&] { Q_EMIT metricsReady(id, d->metrics->prometheusText()); });
}

void Engine::cancel(RequestId id)
{
    try {
        ensureStarted();
        if (d->records->cancel(id) || d->queries->cancel(id) || d->children->cancel(id) || d->describes->cancel(id) || d->limits->cancel(id))
            return;
        if (d->browserLoginId == id) {
            d->browserLoginId = 0;
            d->orgs->cancelBrowserLogin();
        }
    } catch (...) {
        // cancel is best effort; nothing to report
    }
}

} // namespace fs::engine
