// DescribeService and LimitsService against the in-process simulated org.
#include "enginetestkit.h"

#include "api/types.h"
#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "core/engine.h"
#include "metadata/describeservice.h"
#include "metadata/limitsservice.h"
#include "transport/transport.h"

#include "simulator.h"
#include "store/store.h"

#include <QtTest>

using fs::EngineError;
using fs::RequestId;
using fs::engine::DescribeService;

namespace {

class StaticCredentials : public fs::engine::Credentials {
public:
    StaticCredentials(QUrl url, QString token)
        : m_url(std::move(url))
        , m_token(std::move(token))
    {
    }
    QUrl instanceUrl() const override { return m_url; }
    QString apiVersion() const override { return QStringLiteral("59.0"); }
    QString accessToken() const override { return m_token; }
    bool canRefresh() const override { return false; }
    void refresh(std::function<void(fs::Result<void>)> done) override
    {
        done(EngineError::make(EngineError::Category::Auth, QStringLiteral("no refresh")));
    }

private:
    QUrl m_url;
    QString m_token;
};

} // namespace

class TestEngineDescribe : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void versions();
    void describeGlobalIsCached();
    void describeRevalidatesWith304();
    void describeContents();
    void badNamesAreRefused_data();
    void badNamesAreRefused();
    void unknownObjectIsAnError();
    void limits();
    void engineTakesTtlFromConfig_data();
    void engineTakesTtlFromConfig();
    void badTtlIsAConfigError();

private:
    fs::SObjectDescribe describeAccount();

    QTemporaryDir m_dir;
    std::unique_ptr<fs::sim::Simulator> m_sim;
    std::unique_ptr<fs::engine::Transport> m_transport;
    std::unique_ptr<DescribeService> m_describe;
    std::unique_ptr<fs::engine::LimitsService> m_limits;
    std::unique_ptr<QSignalSpy> m_logged;
    RequestId m_nextId = 1;
};

void TestEngineDescribe::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_sim = fs::test::startSimulator(0.01, &error);
    QVERIFY2(m_sim, qPrintable(error));
    m_transport = std::make_unique<fs::engine::Transport>(fs::engine::EngineConfig());
    m_transport->setCredentials(std::make_shared<StaticCredentials>(m_sim->baseUrl(), m_sim->issueAccessToken()));
    m_describe = std::make_unique<DescribeService>(m_transport.get());
    m_describe->setCacheDirectory(m_dir.filePath(QStringLiteral("describe")));
    m_describe->setOrgKey(QStringLiteral("sim org/1")); // made safe for a path
    m_limits = std::make_unique<fs::engine::LimitsService>(m_transport.get());
    m_logged = std::make_unique<QSignalSpy>(m_transport.get(), &fs::engine::Transport::requestLogged);
}

void TestEngineDescribe::cleanupTestCase()
{
    m_logged.reset();
    m_limits.reset();
    m_describe.reset();
    m_transport.reset();
    m_sim.reset();
}

void TestEngineDescribe::init()
{
    m_describe->setMaxAgeSeconds(600);
    m_logged->clear();
}

void TestEngineDescribe::versions()
{
    QSignalSpy ready(m_describe.get(), &DescribeService::versionsReady);
    QSignalSpy failed(m_describe.get(), &DescribeService::failed);
    m_describe->fetchVersions(++m_nextId);
    QTRY_VERIFY(ready.size() + failed.size() > 0);
    QVERIFY(failed.isEmpty());
    const QStringList versions = ready.first().at(1).toStringList();
    QVERIFY(versions.contains(QStringLiteral("59.0")));
}

void TestEngineDescribe::describeGlobalIsCached()
{
    m_describe->clearCache();
    QSignalSpy ready(m_describe.get(), &DescribeService::globalDescribeReady);
    QSignalSpy failed(m_describe.get(), &DescribeService::failed);
    m_describe->describeGlobal(++m_nextId);
    QTRY_VERIFY(ready.size() + failed.size() > 0);
    QVERIFY(failed.isEmpty());
    const auto objects = ready.first().at(1).value<QList<fs::SObjectSummary>>();
    QVERIFY(objects.size() > 3);
    bool sawAccount = false;
    for (const fs::SObjectSummary &s : objects) {
        if (s.name == u"Account") {
            sawAccount = true;
            QCOMPARE(s.keyPrefix, QStringLiteral("001"));
            QVERIFY(s.queryable);
        }
    }
    QVERIFY(sawAccount);
    QTRY_COMPARE(m_logged->size(), 1);

    // Fresh: served from disk without a request.
    const int hits = m_describe->cacheHits();
    m_describe->describeGlobal(++m_nextId);
    QTRY_COMPARE(ready.size(), 2);
    QCOMPARE(m_describe->cacheHits(), hits + 1);
    QCOMPARE(m_logged->size(), 1);
    QCOMPARE(ready.at(1).at(1).value<QList<fs::SObjectSummary>>().size(), objects.size());
    QVERIFY(QFile::exists(m_dir.filePath(QStringLiteral("describe/sim_org_1/v59.0/global.json"))));
}

fs::SObjectDescribe TestEngineDescribe::describeAccount()
{
    QSignalSpy ready(m_describe.get(), &DescribeService::sobjectDescribed);
    QSignalSpy failed(m_describe.get(), &DescribeService::failed);
    m_describe->describe(++m_nextId, QStringLiteral("Account"));
    if (!QTest::qWaitFor([&] { return ready.size() + failed.size() > 0; }, 10000) || !failed.isEmpty())
        return {};
    return ready.first().at(1).value<fs::SObjectDescribe>();
}

void TestEngineDescribe::describeRevalidatesWith304()
{
    m_describe->clearCache();
    m_describe->setMaxAgeSeconds(0); // always revalidate
    const fs::SObjectDescribe first = describeAccount();
    QCOMPARE(first.summary.name, QStringLiteral("Account"));
    QVERIFY(first.fetchedAt.isValid());
    const int notModified = m_describe->notModified();
    const fs::SObjectDescribe second = describeAccount();
    QCOMPARE(m_describe->notModified(), notModified + 1); // 304 → served from the cache
    QCOMPARE(second.fields.size(), first.fields.size());
    QCOMPARE(second.fetchedAt, first.fetchedAt);
    QTRY_COMPARE(m_logged->size(), 2);
    QCOMPARE(m_logged->at(1).at(0).value<fs::RequestLogEntry>().status, 304);
}

void TestEngineDescribe::describeContents()
{
    const fs::SObjectDescribe account = describeAccount();
    QVERIFY(!account.fields.isEmpty());
    const fs::FieldDescribe *id = account.field(QStringLiteral("id"));
    QVERIFY(id);
    QCOMPARE(id->type, QStringLiteral("id"));
    const fs::FieldDescribe *owner = account.field(QStringLiteral("OwnerId"));
    QVERIFY(owner);
    QCOMPARE(owner->type, QStringLiteral("reference"));
    QCOMPARE(owner->referenceTo, QStringList { QStringLiteral("User") });
    QCOMPARE(owner->relationshipName, QStringLiteral("Owner"));
    bool contacts = false;
    for (const fs::ChildRelationship &r : account.childRelationships)
        contacts = contacts || (r.relationshipName == u"Contacts" && r.childSObject == u"Contact");
    QVERIFY(contacts);
}

void TestEngineDescribe::badNamesAreRefused_data()
{
    QTest::addColumn<QString>("name");
    QTest::addRow("path traversal") << QStringLiteral("../../etc/passwd");
    QTest::addRow("query string") << QStringLiteral("Account?x=1");
    QTest::addRow("empty") << QString();
    QTest::addRow("space") << QStringLiteral("Account Name");
}

void TestEngineDescribe::badNamesAreRefused()
{
    QFETCH(QString, name);
    QSignalSpy failed(m_describe.get(), &DescribeService::failed);
    m_describe->describe(++m_nextId, name);
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(1).value<EngineError>().category, EngineError::Category::Validation);
    QCOMPARE(m_logged->size(), 0);
}

void TestEngineDescribe::unknownObjectIsAnError()
{
    QSignalSpy ready(m_describe.get(), &DescribeService::sobjectDescribed);
    QSignalSpy failed(m_describe.get(), &DescribeService::failed);
    m_describe->describe(++m_nextId, QStringLiteral("NoSuchThing__c"));
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(ready.size(), 0);
    const EngineError error = failed.first().at(1).value<EngineError>();
    QCOMPARE(error.httpStatus, 404);
    QCOMPARE(error.errorCode, QStringLiteral("NOT_FOUND"));
}

void TestEngineDescribe::limits()
{
    QSignalSpy ready(m_limits.get(), &fs::engine::LimitsService::limitsReady);
    QSignalSpy failed(m_limits.get(), &fs::engine::LimitsService::failed);
    m_limits->fetchLimits(++m_nextId);
    QTRY_VERIFY(ready.size() + failed.size() > 0);
    QVERIFY(failed.isEmpty());
    const fs::OrgLimits limits = ready.first().at(1).value<fs::OrgLimits>();
    bool daily = false;
    for (const fs::LimitValue &v : limits) {
        if (v.name == u"DailyApiRequests") {
            daily = true;
            QVERIFY(v.max > 0);
            QVERIFY(v.remaining <= v.max);
        }
    }
    QVERIFY(daily);
    QVERIFY(m_transport->apiUsage().max > 0);
}

// The Engine wires metadata.describe_cache_ttl_seconds into its describe cache. A pasted token's
// session carries the org id (from userinfo), which also names the cache partition.
void TestEngineDescribe::engineTakesTtlFromConfig_data()
{
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("describeRequests"); // for two describeGlobal calls in a row
    QTest::addRow("default ttl serves the second from disk") << QByteArray() << 1;
    QTest::addRow("ttl 0 revalidates every time") << QByteArray("salesforce:\n  metadata:\n    describe_cache_ttl_seconds: 0\n") << 2;
    QTest::addRow("ttl 3600 serves from disk") << QByteArray("metadata:\n  describe_cache_ttl_seconds: 3600\n") << 1;
}

void TestEngineDescribe::engineTakesTtlFromConfig()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, describeRequests);
    const auto config = fs::engine::EngineConfig::fromYaml(yaml);
    QVERIFY2(config.ok(), qPrintable(config.ok() ? QString() : config.error().message));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    fs::engine::Engine::Options options = fs::test::engineOptions(dir, QStringLiteral("forcescope-describetest"));
    options.config = config.value();
    fs::engine::Engine engine(options);
    QSignalSpy connected(&engine, &fs::engine::Engine::connected);
    QSignalSpy failed(&engine, &fs::engine::Engine::requestFailed);
    QSignalSpy global(&engine, &fs::engine::Engine::globalDescribeReady);
    QSignalSpy logged(&engine, &fs::engine::Engine::requestLogged);

    // The demo org is memory only: no keychain needed.
    const QString loginError = fs::test::loginAsDemo(engine, *m_sim, QStringLiteral("pasted"), 20000);
    QVERIFY2(loginError.isEmpty(), qPrintable(loginError));
    QCOMPARE(connected.size(), 1);
    const fs::OrgSession session = connected.first().at(1).value<fs::OrgSession>();
    QCOMPARE(session.organizationId, m_sim->store().orgId());
    QVERIFY(!session.userId.isEmpty());

    engine.describeGlobal(2);
    QTRY_COMPARE_WITH_TIMEOUT(global.size(), 1, 20000);
    engine.describeGlobal(3);
    QTRY_COMPARE_WITH_TIMEOUT(global.size(), 2, 20000);
    QVERIFY(failed.isEmpty());
    int requests = 0;
    for (const QList<QVariant> &args : std::as_const(logged)) {
        if (args.at(0).value<fs::RequestLogEntry>().path.endsWith(QStringLiteral("/sobjects")))
            ++requests;
    }
    QCOMPARE(requests, describeRequests);
    // The cache partition is the org id, not the alias.
    QVERIFY(QDir(dir.filePath(QStringLiteral("describe/") + session.organizationId)).exists());
}

void TestEngineDescribe::badTtlIsAConfigError()
{
    const auto config = fs::engine::EngineConfig::fromYaml("metadata:\n  describe_cache_ttl_seconds: -5\n");
    QVERIFY(!config.ok());
    QCOMPARE(config.error().category, EngineError::Category::Validation);
    QVERIFY2(config.error().message.startsWith(QStringLiteral("metadata.describe_cache_ttl_seconds")),
        qPrintable(config.error().message));
}

QTEST_GUILESS_MAIN(TestEngineDescribe)
#include "tst_engine_describe.moc"
