// EngineClient with the Engine on its own QThread: calls from the test thread return a RequestId
// at once, and every answer arrives as a queued signal on the test thread carrying that id.
#include "api/engineclient.h"
#include "core/engine.h"
#include "core/enginethread.h"
#include "metrics/metrics.h"
#include "simulator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using fs::RequestId;

class TestEngineClient : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void idsAreUniqueAndImmediate();
    void answersCarryTheirIdsOnTheCallerThread();
    void failuresCarryTheirIds();
    void unsolicitedStateIsForwarded();
    void goneEngineFailsQueued();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<fs::sim::Simulator> m_sim;
    fs::engine::EngineThread m_thread;
    QPointer<fs::engine::Engine> m_engine;
    std::unique_ptr<fs::EngineClient> m_client;
    fs::OrgSession m_session;
};

void TestEngineClient::initTestCase()
{
    QVERIFY(m_dir.isValid());
    fs::sim::SimulatorOptions so;
    so.scale = 0.01;
    m_sim = std::make_unique<fs::sim::Simulator>(so);
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));

    fs::engine::Engine::Options eo;
    eo.settingsFile = m_dir.filePath(QStringLiteral("orgs.ini"));
    eo.keychainService = QStringLiteral("forcescope-test-client");
    eo.describeCacheDir = m_dir.filePath(QStringLiteral("describe"));
    eo.metrics = std::make_shared<fs::engine::Metrics>();
    auto *engine = new fs::engine::Engine(eo);
    m_thread.adopt(engine);
    m_engine = engine;
    m_thread.start();
    m_client = std::make_unique<fs::EngineClient>(engine);

    QSignalSpy connected(m_client.get(), &fs::EngineClient::connected);
    QSignalSpy failed(m_client.get(), &fs::EngineClient::requestFailed);
    fs::OrgProfile profile;
    profile.alias = QStringLiteral("sim");
    profile.instanceUrl = m_sim->baseUrl();
    profile.loginUrl = m_sim->baseUrl();
    profile.authType = fs::AuthType::AccessToken;
    profile.demo = true;
    const RequestId id = m_client->loginWithAccessToken(profile, m_sim->issueAccessToken());
    QTRY_VERIFY_WITH_TIMEOUT(connected.size() + failed.size() > 0, 30000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).value<fs::EngineError>().message));
    QCOMPARE(connected.first().at(0).value<RequestId>(), id);
    m_session = connected.first().at(1).value<fs::OrgSession>();
    QCOMPARE(m_session.alias, QStringLiteral("sim"));
}

void TestEngineClient::cleanupTestCase()
{
    m_client.reset();
    m_thread.quit();
    m_thread.wait();
    QVERIFY(m_engine.isNull()); // deleted on its own thread before wait() returned
    m_sim.reset();
}

void TestEngineClient::idsAreUniqueAndImmediate()
{
    QSignalSpy listed(m_client.get(), &fs::EngineClient::orgsListed);
    QSet<RequestId> ids;
    for (int i = 0; i < 50; ++i)
        ids.insert(m_client->listOrgs());
    QCOMPARE(ids.size(), 50);
    QVERIFY(!ids.contains(0));
    // Nothing arrives inside the call: the answers are queued to this thread's event loop.
    QCOMPARE(listed.size(), 0);
    QTRY_COMPARE(listed.size(), 50);
    QSet<RequestId> answered;
    for (const auto &args : std::as_const(listed))
        answered.insert(args.at(0).value<RequestId>());
    QCOMPARE(answered, ids);
}

void TestEngineClient::answersCarryTheirIdsOnTheCallerThread()
{
    QThread *callerThread = QThread::currentThread();
    QList<QThread *> deliveredOn;
    connect(m_client.get(), &fs::EngineClient::recordSaved, this,
        [&](RequestId, const fs::SaveResult &) { deliveredOn.append(QThread::currentThread()); });

    QSignalSpy saved(m_client.get(), &fs::EngineClient::recordSaved);
    QSignalSpy ready(m_client.get(), &fs::EngineClient::recordReady);
    QSignalSpy limits(m_client.get(), &fs::EngineClient::limitsReady);
    QSignalSpy metrics(m_client.get(), &fs::EngineClient::metricsReady);
    QSignalSpy pages(m_client.get(), &fs::EngineClient::queryPageReady);
    QSignalSpy finished(m_client.get(), &fs::EngineClient::queryFinished);
    QSignalSpy failed(m_client.get(), &fs::EngineClient::requestFailed);

    const RequestId create = m_client->createRecord(QStringLiteral("Account"), {{QStringLiteral("Name"), QStringLiteral("Via facade")}});
    const RequestId lim = m_client->fetchLimits();
    const RequestId query = m_client->runQuery(QStringLiteral("SELECT Id, Name FROM Account ORDER BY Name LIMIT 5"));
    const RequestId met = m_client->fetchMetrics();
    QTRY_VERIFY_WITH_TIMEOUT(saved.size() == 1 && limits.size() == 1 && finished.size() == 1 && metrics.size() == 1, 30000);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(1).value<fs::EngineError>().message));

    QCOMPARE(saved.first().at(0).value<RequestId>(), create);
    const auto result = saved.first().at(1).value<fs::SaveResult>();
    QVERIFY(result.success);
    QCOMPARE(limits.first().at(0).value<RequestId>(), lim);
    QVERIFY(!limits.first().at(1).value<fs::OrgLimits>().isEmpty());
    QCOMPARE(finished.first().at(0).value<RequestId>(), query);
    QVERIFY(!pages.isEmpty());
    for (const auto &args : std::as_const(pages))
        QCOMPARE(args.at(0).value<RequestId>(), query);
    QCOMPARE(pages.last().at(1).value<fs::QueryPage>().batch.rowCount(), 5);
    QCOMPARE(metrics.first().at(0).value<RequestId>(), met);
    QVERIFY(metrics.first().at(1).toString().contains(QLatin1String("sf_requests_total")));
    QCOMPARE(deliveredOn, QList<QThread *>{callerThread});

    const RequestId get = m_client->getRecord(QStringLiteral("Account"), result.id, {QStringLiteral("Name")});
    QTRY_COMPARE_WITH_TIMEOUT(ready.size(), 1, 30000);
    QCOMPARE(ready.first().at(0).value<RequestId>(), get);
    const auto batch = ready.first().at(1).value<fs::RecordBatch>();
    QCOMPARE(batch.text(0, batch.columnIndex(QStringLiteral("Name"))), QStringLiteral("Via facade"));
}

void TestEngineClient::failuresCarryTheirIds()
{
    QSignalSpy failed(m_client.get(), &fs::EngineClient::requestFailed);
    QSignalSpy described(m_client.get(), &fs::EngineClient::sobjectDescribed);
    const RequestId badId = m_client->getRecord(QStringLiteral("Account"), QStringLiteral("not-an-id"));
    const RequestId badSoql = m_client->runQuery(QStringLiteral("SELEC Id FROM Account"));
    const RequestId good = m_client->describeSObject(QStringLiteral("Account"));
    QTRY_VERIFY_WITH_TIMEOUT(failed.size() == 2 && described.size() == 1, 30000);
    QHash<RequestId, fs::EngineError> errors;
    for (const auto &args : std::as_const(failed))
        errors.insert(args.at(0).value<RequestId>(), args.at(1).value<fs::EngineError>());
    QVERIFY(errors.contains(badId));
    QVERIFY(errors.contains(badSoql));
    QCOMPARE(errors.value(badId).category, fs::EngineError::Category::Validation);
    QCOMPARE(errors.value(badSoql).category, fs::EngineError::Category::Validation);
    QVERIFY(errors.value(badSoql).line > 0);
    QCOMPARE(described.first().at(0).value<RequestId>(), good);
}

void TestEngineClient::unsolicitedStateIsForwarded()
{
    QSignalSpy logged(m_client.get(), &fs::EngineClient::requestLogged);
    QSignalSpy usage(m_client.get(), &fs::EngineClient::apiUsageChanged);
    m_client->fetchLimits();
    QTRY_VERIFY_WITH_TIMEOUT(!logged.isEmpty(), 30000);
    QTRY_VERIFY_WITH_TIMEOUT(!usage.isEmpty(), 30000);
    const auto entry = logged.last().at(0).value<fs::RequestLogEntry>();
    QVERIFY(entry.path.contains(QLatin1String("/limits")));
}

void TestEngineClient::goneEngineFailsQueued()
{
    fs::EngineClient orphan(nullptr);
    QSignalSpy failed(&orphan, &fs::EngineClient::requestFailed);
    const RequestId id = orphan.fetchLimits();
    QCOMPARE(failed.size(), 0);
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).value<RequestId>(), id);
}

QTEST_GUILESS_MAIN(TestEngineClient)
#include "tst_engineclient.moc"
