#include "engineclient.h"

#include "core/engine.h"

#include <QMetaObject>

namespace fs {

std::atomic<RequestId> EngineClient::s_nextId{1};

namespace {

// Every type that crosses the thread boundary in a queued signal or invocation.
void registerMetaTypes()
{
    static const bool done = [] {
        qRegisterMetaType<fs::RequestId>("fs::RequestId");
        qRegisterMetaType<fs::OrgProfile>();
        qRegisterMetaType<QList<fs::OrgProfile>>();
        qRegisterMetaType<fs::OrgSession>();
        qRegisterMetaType<fs::CircuitState>();
        qRegisterMetaType<fs::ApiUsage>();
        qRegisterMetaType<fs::OrgLimits>("fs::OrgLimits");
        qRegisterMetaType<fs::SObjectSummary>();
        qRegisterMetaType<QList<fs::SObjectSummary>>();
        qRegisterMetaType<fs::SObjectDescribe>();
        qRegisterMetaType<fs::QueryOptions>();
        qRegisterMetaType<fs::QueryPage>();
        qRegisterMetaType<fs::ChildCursor>();
        qRegisterMetaType<fs::QueryStats>();
        qRegisterMetaType<fs::RecordBatch>();
        qRegisterMetaType<fs::RecordUpdate>();
        qRegisterMetaType<QList<fs::RecordUpdate>>();
        qRegisterMetaType<fs::SaveResult>();
        qRegisterMetaType<fs::RecordConflict>();
        qRegisterMetaType<fs::RequestLogEntry>();
        qRegisterMetaType<fs::EngineError>();
        return true;
    }();
    Q_UNUSED(done)
}

} // namespace

EngineClient::EngineClient(engine::Engine *engine, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
{
    registerMetaTypes();
    if (!engine)
        return;
    // Queued even when the engine shares this thread: answers never arrive inside the call.
    const auto q = Qt::QueuedConnection;
    using E = engine::Engine;
    connect(engine, &E::orgsListed, this, &EngineClient::orgsListed, q);
    connect(engine, &E::orgSaved, this, &EngineClient::orgSaved, q);
    connect(engine, &E::orgRemoved, this, &EngineClient::orgRemoved, q);
    connect(engine, &E::connected, this, &EngineClient::connected, q);
    connect(engine, &E::loggedOut, this, &EngineClient::loggedOut, q);
    connect(engine, &E::versionsReady, this, &EngineClient::versionsReady, q);
    connect(engine, &E::globalDescribeReady, this, &EngineClient::globalDescribeReady, q);
    connect(engine, &E::sobjectDescribed, this, &EngineClient::sobjectDescribed, q);
    connect(engine, &E::limitsReady, this, &EngineClient::limitsReady, q);
    connect(engine, &E::queryPageReady, this, &EngineClient::queryPageReady, q);
    connect(engine, &E::queryFinished, this, &EngineClient::queryFinished, q);
    connect(engine, &E::recordReady, this, &EngineClient::recordReady, q);
    connect(engine, &E::recordSaved, this, &EngineClient::recordSaved, q);
    connect(engine, &E::recordDeleted, this, &EngineClient::recordDeleted, q);
    connect(engine, &E::updateConflict, this, &EngineClient::updateConflict, q);
    connect(engine, &E::updatesFinished, this, &EngineClient::updatesFinished, q);
    connect(engine, &E::metricsReady, this, &EngineClient::metricsReady, q);
    connect(engine, &E::requestFailed, this, &EngineClient::requestFailed, q);
    connect(engine, &E::sessionChanged, this, &EngineClient::sessionChanged, q);
    connect(engine, &E::apiUsageChanged, this, &EngineClient::apiUsageChanged, q);
    connect(engine, &E::apiUsageWarning, this, &EngineClient::apiUsageWarning, q);
    connect(engine, &E::circuitStateChanged, this, &EngineClient::circuitStateChanged, q);
    connect(engine, &E::requestLogged, this, &EngineClient::requestLogged, q);
    connect(engine, &E::authExpired, this, &EngineClient::authExpired, q);
    connect(engine, &E::openUrlRequested, this, &EngineClient::openUrlRequested, q);
}

EngineClient::~EngineClient() = default;

RequestId EngineClient::nextId()
{
    return s_nextId.fetch_add(1, std::memory_order_relaxed);
}

namespace {

// Queues `work` to run on the engine's thread; reports a gone engine as a failure of `id`.
template <typename Work>
void post(EngineClient *client, const QPointer<engine::Engine> &engine, RequestId id, Work work)
{
    if (!engine) {
        QMetaObject::invokeMethod(
            client,
            [client, id] {
                Q_EMIT client->requestFailed(id,
                    EngineError::make(EngineError::Category::Network, QStringLiteral("The engine is not running."),
                        QStringLiteral("ENGINE_STOPPED")));
            },
            Qt::QueuedConnection);
        return;
    }
    engine::Engine *e = engine.data();
    QMetaObject::invokeMethod(e, [e, work = std::move(work)] { work(e); }, Qt::QueuedConnection);
}

} // namespace

RequestId EngineClient::listOrgs()
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id](engine::Engine *e) { e->listOrgs(id); });
    return id;
}

RequestId EngineClient::saveOrg(const OrgProfile &profile)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, profile](engine::Engine *e) { e->saveOrg(id, profile); });
    return id;
}

RequestId EngineClient::removeOrg(const QString &alias)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, alias](engine::Engine *e) { e->removeOrg(id, alias); });
    return id;
}

RequestId EngineClient::connectOrg(const QString &alias)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, alias](engine::Engine *e) { e->connectOrg(id, alias); });
    return id;
}

RequestId EngineClient::loginWithBrowser(const OrgProfile &profile)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, profile](engine::Engine *e) { e->loginWithBrowser(id, profile); });
    return id;
}

RequestId EngineClient::loginWithJwt(const OrgProfile &profile)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, profile](engine::Engine *e) { e->loginWithJwt(id, profile); });
    return id;
}

RequestId EngineClient::loginWithRefreshToken(const OrgProfile &profile, const QString &refreshToken)
{
    const RequestId id = nextId();
    post(this, m_engine, id,
        [id, profile, refreshToken](engine::Engine *e) { e->loginWithRefreshToken(id, profile, refreshToken); });
    return id;
}

RequestId EngineClient::loginWithAccessToken(const OrgProfile &profile, const QString &accessToken)
{
    const RequestId id = nextId();
    post(this, m_engine, id,
        [id, profile, accessToken](engine::Engine *e) { e->loginWithAccessToken(id, profile, accessToken); });
    return id;
}

RequestId EngineClient::logout(const QString &alias)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, alias](engine::Engine *e) { e->logout(id, alias); });
    return id;
}

RequestId EngineClient::fetchVersions()
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id](engine::Engine *e) { e->fetchVersions(id); });
    return id;
}

RequestId EngineClient::describeGlobal()
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id](engine::Engine *e) { e->describeGlobal(id); });
    return id;
}

RequestId EngineClient::describeSObject(const QString &name)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, name](engine::Engine *e) { e->describeSObject(id, name); });
    return id;
}

RequestId EngineClient::fetchLimits()
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id](engine::Engine *e) { e->fetchLimits(id); });
    return id;
}

RequestId EngineClient::runQuery(const QString &soql, const QueryOptions &options)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, soql, options](engine::Engine *e) { e->runQuery(id, soql, options); });
    return id;
}

RequestId EngineClient::fetchChildPage(const QString &nextRecordsUrl)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, nextRecordsUrl](engine::Engine *e) { e->fetchChildPage(id, nextRecordsUrl); });
    return id;
}

RequestId EngineClient::fetchChildRows(const ChildCursor &cursor)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, cursor](engine::Engine *e) { e->fetchChildRows(id, cursor); });
    return id;
}

RequestId EngineClient::getRecord(const QString &sobjectType, const QString &recordId, const QStringList &fields)
{
    const RequestId id = nextId();
    post(this, m_engine, id,
        [id, sobjectType, recordId, fields](engine::Engine *e) { e->getRecord(id, sobjectType, recordId, fields); });
    return id;
}

RequestId EngineClient::createRecord(const QString &sobjectType, const QVariantMap &fields)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, sobjectType, fields](engine::Engine *e) { e->createRecord(id, sobjectType, fields); });
    return id;
}

RequestId EngineClient::upsertRecord(const QString &sobjectType, const QString &externalIdField,
    const QString &externalId, const QVariantMap &fields)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, sobjectType, externalIdField, externalId, fields](engine::Engine *e) {
        e->upsertRecord(id, sobjectType, externalIdField, externalId, fields);
    });
    return id;
}

RequestId EngineClient::deleteRecord(const QString &sobjectType, const QString &recordId)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, sobjectType, recordId](engine::Engine *e) { e->deleteRecord(id, sobjectType, recordId); });
    return id;
}

RequestId EngineClient::saveUpdates(const QList<RecordUpdate> &updates)
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id, updates](engine::Engine *e) { e->saveUpdates(id, updates); });
    return id;
}

RequestId EngineClient::fetchMetrics()
{
    const RequestId id = nextId();
    post(this, m_engine, id, [id](engine::Engine *e) { e->fetchMetrics(id); });
    return id;
}

void EngineClient::cancel(RequestId id)
{
    if (!m_engine)
        return;
    engine::Engine *e = m_engine.data();
    QMetaObject::invokeMethod(e, [e, id] { e->cancel(id); }, Qt::QueuedConnection);
}

} // namespace fs
