// QueryService against the in-process simulated org over real loopback HTTP.
#include "enginequeryfixture.h"

#include "api/types.h"
#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "query/querypageparser.h"
#include "query/queryservice.h"
#include "transport/transport.h"

#include "simulator.h"

#include <QtTest>

#include <optional>

using fs::EngineError;
using fs::QueryOptions;
using fs::QueryPage;
using fs::QueryStats;
using fs::RequestId;
using fs::engine::QueryService;

using Collected = fs::test::CollectedQuery;

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
    void pageBodyIsParsedInPlace();

private:
    Collected runQuery(const QString &soql, const QueryOptions &options, int timeoutMs = 60000);
    QStringList referenceIds(const QString &soql);

    std::unique_ptr<fs::test::EngineQueryFixture> m_fixture;
    fs::sim::Simulator *m_sim = nullptr;
    fs::engine::Transport *m_transport = nullptr;
    fs::test::SimCredentials *m_credentials = nullptr;
    std::unique_ptr<QueryService> m_service;
    RequestId m_nextId = 100;
};

void TestEngineQuery::initTestCase()
{
    m_fixture = std::make_unique<fs::test::EngineQueryFixture>(0.1); // ~400 accounts, ~1,200 contacts
    QString error;
    QVERIFY2(m_fixture->start(&error), qPrintable(error));
    m_sim = &m_fixture->sim();
    m_transport = m_fixture->transport();
    m_credentials = &m_fixture->credentials();
    m_service = std::make_unique<QueryService>(m_transport);
}

void TestEngineQuery::cleanupTestCase()
{
    m_service.reset();
    m_fixture.reset();
}

void TestEngineQuery::init()
{
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArray(), &error), qPrintable(error));
    m_service->setPipeline(QueryService::Pipeline::Overlapped);
}

Collected TestEngineQuery::runQuery(const QString &soql, const QueryOptions &options, int timeoutMs)
{
    return fs::test::collectQuery(
        m_service.get(), ++m_nextId, [&](RequestId id) { m_service->run(id, soql, options); }, timeoutMs);
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
// The transport hands query bodies over with spare capacity after the JSON (the parser reads up
// to 64 bytes past the end), so a page is parsed where it lies instead of being copied into a
// padded buffer first. A gzipped page of 2,000 records from the simulator.
void TestEngineQuery::pageBodyIsParsedInPlace()
{
    fs::engine::HttpRequest request;
    request.path = QStringLiteral("/services/data/v59.0/query?q=")
        + QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("SELECT Id, Name, Industry FROM Account")));
    request.operation = QStringLiteral("query");
    request.headers.append({ QByteArrayLiteral("Sforce-Query-Options"), QByteArrayLiteral("batchSize=2000") });
    std::optional<fs::Result<fs::engine::HttpResponse>> reply;
    m_transport->send(std::move(request), [&reply](fs::Result<fs::engine::HttpResponse> r) { reply = std::move(r); });
    QTRY_VERIFY_WITH_TIMEOUT(reply.has_value(), 30000);
    QVERIFY(reply->ok());
    const QByteArray body = reply->value().body;
    QCOMPARE(reply->value().status, 200);
    QVERIFY(body.size() > 1000);
    QVERIFY2(body.capacity() - body.size() >= fs::engine::HttpResponse::BodySlack,
        qPrintable(QStringLiteral("size %1, capacity %2").arg(body.size()).arg(body.capacity())));

    // The same page parsed in place and from an exactly sized copy gives the same batch.
    const auto inPlace = fs::engine::QueryPageParser::parse(body);
    QByteArray exact(body.constData(), body.size());
    exact.squeeze();
    const auto copied = fs::engine::QueryPageParser::parse(exact);
    QVERIFY(inPlace.ok());
    QVERIFY(copied.ok());
    QCOMPARE(inPlace.value().rowCount(), copied.value().rowCount());
    QCOMPARE(inPlace.value().columns(), copied.value().columns());
    for (int r = 0; r < inPlace.value().rowCount(); r += 97) {
        for (int c = 0; c < inPlace.value().columnCount(); ++c)
            QCOMPARE(inPlace.value().text(r, c), copied.value().text(r, c));
        QCOMPARE(inPlace.value().recordId(r), copied.value().recordId(r));
    }
}

#include "tst_engine_query.moc"
