// QueryService against the in-process simulated org over real loopback HTTP.
#include "api/types.h"
#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "query/querypageparser.h"
#include "query/queryservice.h"
#include "transport/transport.h"

#include "simulator.h"

#include <QtTest>

using fs::EngineError;
using fs::QueryOptions;
using fs::QueryPage;
using fs::QueryStats;
using fs::RequestId;
using fs::engine::QueryService;

namespace {

// Credentials backed by the simulator: a refresh asks it for a new session, as a refresh-token
// grant would.
class SimCredentials : public fs::engine::Credentials {
public:
    explicit SimCredentials(fs::sim::Simulator *sim)
        : m_sim(sim)
        , m_token(sim->issueAccessToken())
    {
    }
    QUrl instanceUrl() const override { return m_sim->baseUrl(); }
    QString apiVersion() const override { return QStringLiteral("59.0"); }
    QString accessToken() const override { return m_token; }
    bool canRefresh() const override { return true; }
    void refresh(std::function<void(fs::Result<void>)> done) override
    {
        ++refreshes;
        m_token = m_sim->issueAccessToken();
        done({});
    }
    int refreshes = 0;

private:
    fs::sim::Simulator *m_sim;
    QString m_token;
};

struct Collected {
    QStringList ids;
    QList<QueryPage> pages;
    QueryStats stats;
    EngineError error;
    bool finished = false;
    bool failed = false;
};

} // namespace

class TestEngineQuery : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void pagingReturnsEveryRecordOnceInOrder_data();
    void pagingReturnsEveryRecordOnceInOrder();
    void parentPathsAndChildren();
    void queryAllSeesDeletedRecords();
    void cancelStops();
    void boundedModeTruncates_data();
    void boundedModeTruncates();
    void tokenExpiringMidPagingYieldsEveryRecordOnce();
    void corruptPageFailsWithoutGarbage();
    void malformedQueryCarriesPosition();
    void childPageOfBadLocatorIsRefused();

private:
    Collected runQuery(const QString &soql, const QueryOptions &options, int timeoutMs = 60000);
    QStringList referenceIds(const QString &soql);

    std::unique_ptr<fs::sim::Simulator> m_sim;
    std::unique_ptr<fs::engine::Transport> m_transport;
    std::shared_ptr<SimCredentials> m_credentials;
    std::unique_ptr<QueryService> m_service;
    RequestId m_nextId = 100;
};

void TestEngineQuery::initTestCase()
{
    fs::sim::SimulatorOptions options;
    options.scale = 0.1; // ~400 accounts, ~1,200 contacts
    m_sim = std::make_unique<fs::sim::Simulator>(options);
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));

    fs::engine::EngineConfig config;
    config.resilience.retry.baseDelayMs = 10;
    config.resilience.retry.maxDelayMs = 50;
    m_transport = std::make_unique<fs::engine::Transport>(config);
    m_credentials = std::make_shared<SimCredentials>(m_sim.get());
    m_transport->setCredentials(m_credentials);
    m_service = std::make_unique<QueryService>(m_transport.get());
}

void TestEngineQuery::cleanupTestCase()
{
    m_service.reset();
    m_transport.reset();
    m_sim.reset();
}

void TestEngineQuery::init()
{
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArray(), &error), qPrintable(error));
    m_service->setPipeline(QueryService::Pipeline::Overlapped);
}

Collected TestEngineQuery::runQuery(const QString &soql, const QueryOptions &options, int timeoutMs)
{
    Collected c;
    const RequestId id = ++m_nextId;
    QMetaObject::Connection a = connect(m_service.get(), &QueryService::pageReady, this,
        [&c, id](RequestId rid, const QueryPage &page) {
            if (rid != id)
                return;
            c.pages << page;
            const int idColumn = page.batch.columnIndex(QStringLiteral("Id"));
            for (int r = 0; r < page.batch.rowCount(); ++r)
                c.ids << (idColumn >= 0 ? page.batch.text(r, idColumn) : page.batch.recordId(r));
        });
    QMetaObject::Connection b
        = connect(m_service.get(), &QueryService::finished, this, [&c, id](RequestId rid, const QueryStats &stats) {
              if (rid == id) {
                  c.stats = stats;
                  c.finished = true;
              }
          });
    QMetaObject::Connection f
        = connect(m_service.get(), &QueryService::failed, this, [&c, id](RequestId rid, const EngineError &error) {
              if (rid == id) {
                  c.error = error;
                  c.failed = true;
              }
          });
    m_service->run(id, soql, options);
    if (!QTest::qWaitFor([&c] { return c.finished || c.failed; }, timeoutMs))
        c.error.message = QStringLiteral("timed out");
    disconnect(a);
    disconnect(b);
    disconnect(f);
    return c;
}

QStringList TestEngineQuery::referenceIds(const QString &soql)
{
    QueryOptions options;
    options.batchSize = 2000;
    const Collected c = runQuery(soql, options);
    return c.ids;
}

void TestEngineQuery::pagingReturnsEveryRecordOnceInOrder_data()
{
    QTest::addColumn<int>("pipeline");
    QTest::addRow("overlapped fetch and parse") << int(QueryService::Pipeline::Overlapped);
    QTest::addRow("sequential fetch then parse") << int(QueryService::Pipeline::Sequential);
}

void TestEngineQuery::pagingReturnsEveryRecordOnceInOrder()
{
    QFETCH(int, pipeline);
    const QString soql = QStringLiteral("SELECT Id, LastName, Email FROM Contact ORDER BY Id");
    const QStringList reference = referenceIds(soql);
    QVERIFY2(reference.size() > 1000, qPrintable(QString::number(reference.size())));

    m_service->setPipeline(QueryService::Pipeline(pipeline));
    QueryOptions options;
    options.batchSize = 200;
    const Collected c = runQuery(soql, options);
    QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
    QVERIFY(c.pages.size() >= reference.size() / 200);
    QCOMPARE(c.ids, reference); // every record exactly once, in order
    QCOMPARE(QSet<QString>(c.ids.begin(), c.ids.end()).size(), c.ids.size());
    qint64 fetched = 0;
    for (int i = 0; i < c.pages.size(); ++i) {
        const QueryPage &page = c.pages.at(i);
        QCOMPARE(page.pageIndex, i);
        QVERIFY(page.batch.rowCount() <= 200);
        fetched += page.batch.rowCount();
        QCOMPARE(page.fetched, fetched);
        QCOMPARE(page.totalSize, qint64(reference.size()));
        QCOMPARE(page.done, i == c.pages.size() - 1);
        QVERIFY(!page.truncated);
        QCOMPARE(page.batch.columns(),
            QStringList({ QStringLiteral("Id"), QStringLiteral("LastName"), QStringLiteral("Email") }));
    }
    QCOMPARE(c.stats.records, qint64(reference.size()));
    QCOMPARE(c.stats.pages, c.pages.size());
    // Client work is accounted for every page, in wall-clock and in thread CPU time.
    QVERIFY(c.stats.clientMsPerPage > 0.0);
    QVERIFY(m_service->lastClientCpuMsPerPage() > 0.0);
    QVERIFY(c.stats.bytes > 0);
    QVERIFY(c.stats.clientMsPerPage > 0.0);
    QCOMPARE(m_service->activeCount(), 0);
}

void TestEngineQuery::parentPathsAndChildren()
{
    QueryOptions options;
    const Collected c = runQuery(
        QStringLiteral("SELECT Id, Name, Owner.Name, (SELECT Id, LastName FROM Contacts) FROM Account ORDER BY Id LIMIT 50"),
        options);
    QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
    QCOMPARE(c.ids.size(), 50);
    const fs::RecordBatch batch = c.pages.first().batch;
    QCOMPARE(batch.columns(),
        QStringList({ QStringLiteral("Id"), QStringLiteral("Name"), QStringLiteral("Owner.Name"),
            QStringLiteral("Contacts") }));
    QCOMPARE(batch.sobjectType(), QStringLiteral("Account"));
    bool sawChild = false;
    for (int r = 0; r < batch.rowCount(); ++r) {
        QCOMPARE(batch.cellType(r, 2), fs::RecordBatch::CellType::String);
        const auto type = batch.cellType(r, 3);
        QVERIFY(type == fs::RecordBatch::CellType::Child || type == fs::RecordBatch::CellType::Null);
        if (type == fs::RecordBatch::CellType::Child) {
            sawChild = true;
            const fs::RecordBatch contacts = batch.child(r, 3);
            QVERIFY(contacts.rowCount() > 0);
            QCOMPARE(contacts.sobjectType(), QStringLiteral("Contact"));
            QCOMPARE(contacts.totalSize(), qint64(contacts.rowCount()));
        }
    }
    QVERIFY(sawChild);
}

void TestEngineQuery::queryAllSeesDeletedRecords()
{
    const QString soql = QStringLiteral("SELECT Id, Name, IsDeleted FROM Account ORDER BY Id");
    const QStringList before = referenceIds(soql);
    QVERIFY(before.size() > 10);
    const QString victim = before.at(5);

    // Delete one account through the same transport.
    fs::engine::HttpRequest del;
    del.method = "DELETE";
    del.path = QStringLiteral("/services/data/v59.0/sobjects/Account/") + victim;
    del.operation = QStringLiteral("delete");
    int status = 0;
    m_transport->send(del, [&status](fs::Result<fs::engine::HttpResponse> r) { status = r.ok() ? r.value().status : -1; });
    QTRY_VERIFY(status != 0);
    QCOMPARE(status, 204);

    const QStringList live = referenceIds(soql);
    QCOMPARE(live.size(), before.size() - 1);
    QVERIFY(!live.contains(victim));

    QueryOptions all;
    all.includeDeleted = true;
    all.batchSize = 200;
    const Collected c = runQuery(soql, all);
    QVERIFY2(c.finished, qPrintable(c.error.message));
    QVERIFY(c.ids.contains(victim));
    QCOMPARE(c.ids.size(), before.size());
    bool sawDeletedFlag = false;
    for (const QueryPage &page : c.pages) {
        const int idCol = page.batch.columnIndex(QStringLiteral("Id"));
        const int delCol = page.batch.columnIndex(QStringLiteral("IsDeleted"));
        for (int r = 0; r < page.batch.rowCount(); ++r) {
            if (page.batch.text(r, idCol) == victim)
                sawDeletedFlag = page.batch.value(r, delCol).toBool();
        }
    }
    QVERIFY(sawDeletedFlag);
}

void TestEngineQuery::cancelStops()
{
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArrayLiteral("rules:\n  - action: latency\n    latency_ms: 300\n"), &error),
        qPrintable(error));
    const RequestId id = ++m_nextId;
    QSignalSpy pages(m_service.get(), &QueryService::pageReady);
    QSignalSpy failed(m_service.get(), &QueryService::failed);
    QSignalSpy finished(m_service.get(), &QueryService::finished);
    QueryOptions options;
    options.batchSize = 200;
    m_service->run(id, QStringLiteral("SELECT Id FROM Contact"), options);
    QTRY_VERIFY_WITH_TIMEOUT(pages.size() >= 1, 20000);
    QVERIFY(m_service->cancel(id));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).value<RequestId>(), id);
    QCOMPARE(failed.first().at(1).value<EngineError>().category, EngineError::Category::Cancelled);
    QCOMPARE(m_service->activeCount(), 0);
    QVERIFY(!m_service->cancel(id)); // already over
    // Nothing of it is left in flight, so no further page or outcome can arrive.
    QTRY_COMPARE(m_transport->pendingCount(), 0);
    const int delivered = int(pages.size());
    QVERIFY(delivered < 6);
    QCOMPARE(finished.size(), 0);
    QCOMPARE(failed.size(), 1);
}

void TestEngineQuery::boundedModeTruncates_data()
{
    QTest::addColumn<qint64>("maxRecords");
    QTest::addColumn<qint64>("maxBytes");
    QTest::addColumn<qint64>("expectedRecords");
    QTest::addColumn<int>("expectedPages");
    QTest::addRow("max records inside the third page") << qint64(450) << qint64(0) << qint64(450) << 3;
    QTest::addRow("max records on a page boundary") << qint64(400) << qint64(0) << qint64(400) << 2;
    QTest::addRow("max bytes reached by the first page") << qint64(0) << qint64(1) << qint64(200) << 1;
}

void TestEngineQuery::boundedModeTruncates()
{
    QFETCH(qint64, maxRecords);
    QFETCH(qint64, maxBytes);
    QFETCH(qint64, expectedRecords);
    QFETCH(int, expectedPages);
    QueryOptions options;
    options.batchSize = 200;
    options.maxRecords = maxRecords;
    options.maxBytes = maxBytes;
    const Collected c = runQuery(QStringLiteral("SELECT Id, LastName FROM Contact ORDER BY Id"), options);
    QVERIFY2(c.finished, qPrintable(c.error.message));
    QCOMPARE(c.stats.records, expectedRecords);
    QCOMPARE(qint64(c.ids.size()), expectedRecords);
    QCOMPARE(c.pages.size(), expectedPages);
    QVERIFY(c.pages.last().truncated);
    QVERIFY(c.pages.last().done);
    for (int i = 0; i + 1 < c.pages.size(); ++i)
        QVERIFY(!c.pages.at(i).truncated);
    QTRY_COMPARE(m_transport->pendingCount(), 0); // the early next-page request was dropped
}

void TestEngineQuery::tokenExpiringMidPagingYieldsEveryRecordOnce()
{
    const QString soql = QStringLiteral("SELECT Id, LastName FROM Contact ORDER BY Id");
    const QStringList reference = referenceIds(soql);
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArrayLiteral("rules:\n"
                                                   "  - action: expire_session\n"
                                                   "    path: \"/services/data/*/query/*\"\n"
                                                   "    after: 2\n"
                                                   "    count: 1\n"),
                 &error),
        qPrintable(error));
    const int refreshesBefore = m_credentials->refreshes;
    QueryOptions options;
    options.batchSize = 200;
    const Collected c = runQuery(soql, options);
    QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
    QCOMPARE(c.ids, reference);
    QVERIFY(m_credentials->refreshes > refreshesBefore);
}

void TestEngineQuery::corruptPageFailsWithoutGarbage()
{
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArrayLiteral("rules:\n"
                                                   "  - action: malformed_body\n"
                                                   "    path: \"/services/data/*/query/*\"\n"
                                                   "    after: 1\n"
                                                   "    count: 1\n"),
                 &error),
        qPrintable(error));
    QueryOptions options;
    options.batchSize = 200;
    const Collected c = runQuery(QStringLiteral("SELECT Id, LastName FROM Contact ORDER BY Id"), options);
    QVERIFY(c.failed);
    QVERIFY(!c.finished);
    QCOMPARE(c.error.category, EngineError::Category::Server);
    QVERIFY(c.error.message.startsWith(QStringLiteral("The server sent a malformed query page")));
    QCOMPARE(c.pages.size(), 2); // the good pages before it, nothing from the corrupt one
    QCOMPARE(c.ids.size(), 400);
}

void TestEngineQuery::malformedQueryCarriesPosition()
{
    const Collected c = runQuery(QStringLiteral("SELECT Id, Nmae FROM Account"), QueryOptions());
    QVERIFY(c.failed);
    QCOMPARE(c.error.category, EngineError::Category::Validation);
    QCOMPARE(c.error.httpStatus, 400);
    QCOMPARE(c.error.errorCode, QStringLiteral("INVALID_FIELD"));
    QCOMPARE(c.error.line, 1);
    QCOMPARE(c.error.column, 12);
    QVERIFY(c.error.message.contains(QStringLiteral("Nmae")));
}

void TestEngineQuery::childPageOfBadLocatorIsRefused()
{
    QSignalSpy failed(m_service.get(), &QueryService::failed);
    m_service->fetchChildPage(7, QStringLiteral("https://evil.example/steal"));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(1).value<EngineError>().category, EngineError::Category::Validation);
}

QTEST_GUILESS_MAIN(TestEngineQuery)
#include "tst_engine_query.moc"
