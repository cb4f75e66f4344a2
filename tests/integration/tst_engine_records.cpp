// Record services end to end through the Engine against the in-process simulated org:
// CRUD and upsert round trips, conflict-checked updates that are refused with the server's values,
// batching into /composite/sobjects collections with results mapped to their inputs, per-record
// errors, and UNABLE_TO_LOCK_ROW retried.
#include "enginetestkit.h"

#include "config/engineconfig.h"
#include "core/engine.h"
#include "metrics/metrics.h"
#include "records/recordjson.h"
#include "records/recordservice.h"
#include "simulator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using fs::RequestId;
using fs::engine::Engine;

namespace {

// The first signal in `spy` whose first argument is `id`, waiting for it (events keep flowing).
std::optional<QList<QVariant>> waitFor(QSignalSpy &spy, RequestId id, int timeoutMs = 30000)
{
    std::optional<QList<QVariant>> found;
    auto scan = [&] {
        for (const QList<QVariant> &args : std::as_const(spy)) {
            if (args.value(0).value<RequestId>() == id) {
                found = args;
                return true;
            }
        }
        return false;
    };
    (void)QTest::qWaitFor(scan, timeoutMs);
    return found;
}

QList<QList<QVariant>> allFor(const QSignalSpy &spy, RequestId id)
{
    QList<QList<QVariant>> out;
    for (const QList<QVariant> &args : spy) {
        if (args.value(0).value<RequestId>() == id)
            out.append(args);
    }
    return out;
}

} // namespace

class TestEngineRecords : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();

    void crudRoundTrip();
    void upsertByExternalId();
    void unchangedRecordWithModstampSaves();
    void conflictingUpdateIsRefused();
    void batchOf450UsesThreeCollectionCalls();
    void checkedUpdatesGoThroughCompositeBy25_data();
    void checkedUpdatesGoThroughCompositeBy25();
    void perRecordErrorsInComposite();
    void perRecordErrorsInCollection();
    void lockedRowsAreRetried();
    void cancelEndsWithCancelled();

private:
    RequestId next() { return ++m_nextId; }
    QString createAccount(const QString &name);
    fs::RecordBatch getRecord(const QString &id, const QStringList &fields);
    QStringList accountIds(int count);

    QTemporaryDir m_dir;
    std::unique_ptr<fs::sim::Simulator> m_sim;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<QSignalSpy> m_saved, m_conflicts, m_finished, m_failed, m_ready, m_deleted, m_logged;
    RequestId m_nextId = 1000;
};

void TestEngineRecords::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_sim = fs::test::startSimulator(0.15, &error); // ~600 accounts: enough for a 450-record batch
    QVERIFY2(m_sim, qPrintable(error));

    Engine::Options eo = fs::test::engineOptions(m_dir, QStringLiteral("forcescope-test-records"));
    eo.config.resilience.retry.baseDelayMs = 10;
    eo.config.resilience.retry.maxDelayMs = 50;
    m_engine = std::make_unique<Engine>(eo);
    error = fs::test::loginAsDemo(*m_engine, *m_sim);
    QVERIFY2(error.isEmpty(), qPrintable(error));

    m_engine->recordService()->setBatchLimits({200, 25, 3, 20});
    m_saved = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::recordSaved);
    m_conflicts = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::updateConflict);
    m_finished = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::updatesFinished);
    m_failed = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::requestFailed);
    m_ready = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::recordReady);
    m_deleted = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::recordDeleted);
    m_logged = std::make_unique<QSignalSpy>(m_engine.get(), &Engine::requestLogged);
}

void TestEngineRecords::cleanupTestCase()
{
    m_saved.reset();
    m_conflicts.reset();
    m_finished.reset();
    m_failed.reset();
    m_ready.reset();
    m_deleted.reset();
    m_logged.reset();
    m_engine.reset();
    m_sim.reset();
}

void TestEngineRecords::init()
{
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArray(), &error), qPrintable(error));
    m_logged->clear();
}

QString TestEngineRecords::createAccount(const QString &name)
{
    const RequestId id = next();
    m_engine->createRecord(id, QStringLiteral("Account"), {{QStringLiteral("Name"), name}});
    const auto saved = waitFor(*m_saved, id);
    if (!saved) {
        const auto f = waitFor(*m_failed, id, 0);
        qWarning() << "create failed:" << (f ? f->at(1).value<fs::EngineError>().message : QStringLiteral("timeout"));
        return {};
    }
    const auto res = saved->at(1).value<fs::SaveResult>();
    return res.success ? res.id : QString();
}

fs::RecordBatch TestEngineRecords::getRecord(const QString &id, const QStringList &fields)
{
    const RequestId rid = next();
    m_engine->getRecord(rid, QStringLiteral("Account"), id, fields);
    std::optional<QList<QVariant>> got;
    (void)QTest::qWaitFor([&] {
        got = waitFor(*m_ready, rid, 0);
        return got.has_value() || waitFor(*m_failed, rid, 0).has_value();
    }, 30000);
    return got ? got->at(1).value<fs::RecordBatch>() : fs::RecordBatch();
}

QStringList TestEngineRecords::accountIds(int count)
{
    QSignalSpy pages(m_engine.get(), &Engine::queryPageReady);
    QSignalSpy done(m_engine.get(), &Engine::queryFinished);
    const RequestId id = next();
    m_engine->runQuery(id, QStringLiteral("SELECT Id FROM Account ORDER BY Id LIMIT %1").arg(count), {});
    if (!waitFor(done, id))
        return {};
    QStringList ids;
    for (const auto &args : allFor(pages, id)) {
        const auto page = args.at(1).value<fs::QueryPage>();
        const int col = page.batch.columnIndex(QStringLiteral("Id"));
        for (int r = 0; r < page.batch.rowCount(); ++r)
            ids.append(page.batch.text(r, col));
    }
    return ids;
}

void TestEngineRecords::crudRoundTrip()
{
    const QString id = createAccount(QStringLiteral("Facade CRUD"));
    QCOMPARE(id.size(), 18);

    fs::RecordBatch rec = getRecord(id, {QStringLiteral("Name"), QStringLiteral("SystemModstamp")});
    QCOMPARE(rec.rowCount(), 1);
    QCOMPARE(rec.text(0, rec.columnIndex(QStringLiteral("Name"))), QStringLiteral("Facade CRUD"));

    const RequestId upd = next();
    m_engine->saveUpdates(upd, {fs::RecordUpdate{QStringLiteral("Account"), id, {{QStringLiteral("Name"), QStringLiteral("Facade CRUD 2")}}, {}}});
    const auto fin = waitFor(*m_finished, upd);
    QVERIFY(fin);
    QCOMPARE(fin->at(1).toInt(), 1);
    QCOMPARE(fin->at(2).toInt(), 0);
    QCOMPARE(allFor(*m_saved, upd).size(), 1);
    QVERIFY(allFor(*m_saved, upd).first().at(1).value<fs::SaveResult>().success);

    rec = getRecord(id, {QStringLiteral("Name")});
    QCOMPARE(rec.text(0, rec.columnIndex(QStringLiteral("Name"))), QStringLiteral("Facade CRUD 2"));

    const RequestId del = next();
    m_engine->deleteRecord(del, QStringLiteral("Account"), id);
    const auto deleted = waitFor(*m_deleted, del);
    QVERIFY(deleted);
    QCOMPARE(deleted->at(1).toString(), id);

    const RequestId gone = next();
    m_engine->getRecord(gone, QStringLiteral("Account"), id, {});
    const auto failed = waitFor(*m_failed, gone);
    QVERIFY(failed);
    const auto err = failed->at(1).value<fs::EngineError>();
    QCOMPARE(err.httpStatus, 404);
    QCOMPARE(err.category, fs::EngineError::Category::Validation);
}

void TestEngineRecords::upsertByExternalId()
{
    const RequestId first = next();
    m_engine->upsertRecord(first, QStringLiteral("Account"), QStringLiteral("Account_Code__c"), QStringLiteral("FAC 1 ü"),
        {{QStringLiteral("Name"), QStringLiteral("Upserted")}});
    const auto a = waitFor(*m_saved, first);
    QVERIFY(a);
    const auto ra = a->at(1).value<fs::SaveResult>();
    QVERIFY(ra.success);
    QVERIFY(ra.created);
    QCOMPARE(ra.id.size(), 18);

    const RequestId second = next();
    m_engine->upsertRecord(second, QStringLiteral("Account"), QStringLiteral("Account_Code__c"), QStringLiteral("FAC 1 ü"),
        {{QStringLiteral("Name"), QStringLiteral("Upserted again")}});
    const auto b = waitFor(*m_saved, second);
    QVERIFY(b);
    const auto rb = b->at(1).value<fs::SaveResult>();
    QVERIFY(rb.success);
    QVERIFY(!rb.created);
    QCOMPARE(rb.id, ra.id);

    const fs::RecordBatch rec = getRecord(ra.id, {QStringLiteral("Name"), QStringLiteral("Account_Code__c")});
    QCOMPARE(rec.text(0, rec.columnIndex(QStringLiteral("Name"))), QStringLiteral("Upserted again"));
    QCOMPARE(rec.text(0, rec.columnIndex(QStringLiteral("Account_Code__c"))), QStringLiteral("FAC 1 ü"));

    const RequestId badField = next();
    m_engine->upsertRecord(badField, QStringLiteral("Account"), QStringLiteral("Name"), QStringLiteral("x"), {});
    const auto f = waitFor(*m_failed, badField);
    QVERIFY(f);
    QCOMPARE(f->at(1).value<fs::EngineError>().errorCode, QStringLiteral("NOT_FOUND"));

    // The external-id value travels in the path, but never reaches the request log: neither
    // raw nor percent-encoded. The field name and the upserts themselves are still visible.
    int upserts = 0;
    const QString encoded = QString::fromLatin1(QUrl::toPercentEncoding(QStringLiteral("FAC 1 ü")));
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        QVERIFY2(!e.path.contains(QStringLiteral("FAC")), qPrintable(e.path));
        QVERIFY2(!e.path.contains(encoded), qPrintable(e.path));
        QVERIFY2(!e.path.contains(u'\u00fc'), qPrintable(e.path));
        if (e.method == u"PATCH" && e.path.endsWith(QLatin1String("/sobjects/Account/Account_Code__c/***")))
            ++upserts;
    }
    QCOMPARE(upserts, 2);
}

void TestEngineRecords::unchangedRecordWithModstampSaves()
{
    // The modstamp has milliseconds; If-Unmodified-Since has whole seconds. The header must not
    // refuse a record that nobody else touched.
    const QString id = createAccount(QStringLiteral("Facade Unchanged"));
    QVERIFY(!id.isEmpty());
    const fs::RecordBatch rec = getRecord(id, {QStringLiteral("SystemModstamp")});
    const QString stamp = rec.text(0, rec.columnIndex(QStringLiteral("SystemModstamp")));
    QVERIFY(!stamp.isEmpty());

    const RequestId upd = next();
    m_engine->saveUpdates(upd, {fs::RecordUpdate{QStringLiteral("Account"), id, {{QStringLiteral("Name"), QStringLiteral("Mine")}}, stamp}});
    const auto fin = waitFor(*m_finished, upd);
    QVERIFY(fin);
    QCOMPARE(fin->at(1).toInt(), 1);
    QCOMPARE(fin->at(3).toInt(), 0);
    // The single update carried the conditional header path (PATCH /sobjects/Account/<id>).
    bool patched = false;
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        patched = patched || (e.method == u"PATCH" && e.path.endsWith(QStringLiteral("/sobjects/Account/") + id));
    }
    QVERIFY(patched);
}

void TestEngineRecords::conflictingUpdateIsRefused()
{
    const QString id = createAccount(QStringLiteral("Facade Original"));
    QVERIFY(!id.isEmpty());
    const fs::RecordBatch seen = getRecord(id, {QStringLiteral("Name"), QStringLiteral("SystemModstamp")});
    const QString seenStamp = seen.text(0, seen.columnIndex(QStringLiteral("SystemModstamp")));
    const QDateTime seenAt = fs::engine::recordjson::parseDateTime(seenStamp);
    QVERIFY(seenAt.isValid());
    // The server reports modstamps in whole seconds (".000", as Salesforce does), so a change in
    // the same second as our read is indistinguishable: let the clock reach the next second.
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc() >= seenAt.addSecs(1), 3000);

    // Another writer changes the record after we read it.
    const RequestId theirs = next();
    m_engine->saveUpdates(theirs, {fs::RecordUpdate{QStringLiteral("Account"), id, {{QStringLiteral("Name"), QStringLiteral("Theirs")}}, {}}});
    QVERIFY(waitFor(*m_finished, theirs));
    m_logged->clear();

    // Our update, based on what we saw, is refused with the server's values.
    const RequestId mine = next();
    m_engine->saveUpdates(mine,
        {fs::RecordUpdate{QStringLiteral("Account"), id, {{QStringLiteral("Name"), QStringLiteral("Mine")}}, seenStamp}});
    const auto fin = waitFor(*m_finished, mine);
    QVERIFY(fin);
    QCOMPARE(fin->at(1).toInt(), 0);
    QCOMPARE(fin->at(2).toInt(), 0);
    QCOMPARE(fin->at(3).toInt(), 1);
    const auto conflicts = allFor(*m_conflicts, mine);
    QCOMPARE(conflicts.size(), 1);
    const auto c = conflicts.first().at(1).value<fs::RecordConflict>();
    QCOMPARE(c.id, id);
    QCOMPARE(c.sobjectType, QStringLiteral("Account"));
    QCOMPARE(c.attempted.value(QStringLiteral("Name")).toString(), QStringLiteral("Mine"));
    QCOMPARE(c.serverValues.value(QStringLiteral("Name")).toString(), QStringLiteral("Theirs"));
    QVERIFY(fs::engine::recordjson::isNewer(c.serverModstamp, seenStamp));
    QCOMPARE(c.serverValues.value(QStringLiteral("SystemModstamp")).toString(), c.serverModstamp);
    QVERIFY(allFor(*m_saved, mine).isEmpty());

    // Nothing was written by the refused update.
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        QVERIFY2(e.method != u"PATCH" && e.method != u"POST", qPrintable(e.method + u' ' + e.path));
    }
    const fs::RecordBatch now = getRecord(id, {QStringLiteral("Name")});
    QCOMPARE(now.text(0, now.columnIndex(QStringLiteral("Name"))), QStringLiteral("Theirs"));
}

void TestEngineRecords::batchOf450UsesThreeCollectionCalls()
{
    const QStringList ids = accountIds(450);
    QCOMPARE(ids.size(), 450);
    const QSet<int> bad{7, 300};
    QList<fs::RecordUpdate> updates;
    for (int i = 0; i < ids.size(); ++i) {
        fs::RecordUpdate u{QStringLiteral("Account"), ids.at(i), {{QStringLiteral("Description"), QStringLiteral("batch-%1").arg(i)}}, {}};
        if (bad.contains(i))
            u.changes.insert(QStringLiteral("No_Such_Field__c"), QStringLiteral("x"));
        updates.append(u);
    }
    m_logged->clear();
    const RequestId id = next();
    m_engine->saveUpdates(id, updates);
    const auto fin = waitFor(*m_finished, id, 60000);
    QVERIFY(fin);
    QCOMPARE(fin->at(1).toInt(), 448);
    QCOMPARE(fin->at(2).toInt(), 2);
    QCOMPARE(fin->at(3).toInt(), 0);

    int collectionCalls = 0;
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        if (e.method == u"PATCH" && e.path.contains(QLatin1String("/composite/sobjects")))
            ++collectionCalls;
    }
    QCOMPARE(collectionCalls, 3);

    // One result per input record, each for the right id; the failures are exactly the bad ones.
    const auto results = allFor(*m_saved, id);
    QCOMPARE(results.size(), 450);
    QHash<QString, fs::SaveResult> byId;
    for (const auto &args : results) {
        const auto r = args.at(1).value<fs::SaveResult>();
        QVERIFY(!byId.contains(r.id));
        byId.insert(r.id, r);
    }
    for (int i = 0; i < ids.size(); ++i) {
        QVERIFY2(byId.contains(ids.at(i)), qPrintable(ids.at(i)));
        const fs::SaveResult r = byId.value(ids.at(i));
        QCOMPARE(r.success, !bad.contains(i));
        if (bad.contains(i)) {
            QCOMPARE(r.errors.size(), 1);
            QCOMPARE(r.errors.first().errorCode, QStringLiteral("INVALID_FIELD"));
        }
    }

    // And every record holds its own value: the results were mapped by position correctly.
    QSignalSpy pages(m_engine.get(), &Engine::queryPageReady);
    QSignalSpy done(m_engine.get(), &Engine::queryFinished);
    const RequestId q = next();
    m_engine->runQuery(q, QStringLiteral("SELECT Id, Description FROM Account ORDER BY Id LIMIT 450"), {});
    QVERIFY(waitFor(done, q));
    QHash<QString, QString> description;
    for (const auto &args : allFor(pages, q)) {
        const auto page = args.at(1).value<fs::QueryPage>();
        for (int r = 0; r < page.batch.rowCount(); ++r)
            description.insert(page.batch.text(r, page.batch.columnIndex(QStringLiteral("Id"))),
                page.batch.text(r, page.batch.columnIndex(QStringLiteral("Description"))));
    }
    for (int i = 0; i < ids.size(); ++i) {
        if (bad.contains(i))
            QVERIFY(description.value(ids.at(i)) != QStringLiteral("batch-%1").arg(i));
        else
            QCOMPARE(description.value(ids.at(i)), QStringLiteral("batch-%1").arg(i));
    }
}

void TestEngineRecords::checkedUpdatesGoThroughCompositeBy25_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("compositeCalls");
    QTest::addRow("25 updates, one call") << 25 << 1;
    QTest::addRow("26 updates, two calls") << 26 << 2;
    QTest::addRow("60 updates, three calls") << 60 << 3;
}

void TestEngineRecords::checkedUpdatesGoThroughCompositeBy25()
{
    QFETCH(int, count);
    QFETCH(int, compositeCalls);

    // Fresh modstamps, so no update conflicts; the first, the 26th and the last update name a
    // field that does not exist, so each call holds a failure whose result must land on its record.
    QSignalSpy pages(m_engine.get(), &Engine::queryPageReady);
    QSignalSpy done(m_engine.get(), &Engine::queryFinished);
    const RequestId q = next();
    m_engine->runQuery(q, QStringLiteral("SELECT Id, SystemModstamp FROM Account ORDER BY Id LIMIT %1").arg(count), {});
    QVERIFY(waitFor(done, q));
    QStringList ids;
    QStringList stamps;
    for (const auto &args : allFor(pages, q)) {
        const auto page = args.at(1).value<fs::QueryPage>();
        for (int r = 0; r < page.batch.rowCount(); ++r) {
            ids.append(page.batch.text(r, page.batch.columnIndex(QStringLiteral("Id"))));
            stamps.append(page.batch.text(r, page.batch.columnIndex(QStringLiteral("SystemModstamp"))));
        }
    }
    QCOMPARE(ids.size(), count);
    QSet<int> bad{0, count - 1};
    if (count > 25)
        bad.insert(25);
    const QString tag = QStringLiteral("cmp%1-").arg(count);
    QList<fs::RecordUpdate> updates;
    for (int i = 0; i < count; ++i) {
        fs::RecordUpdate u{QStringLiteral("Account"), ids.at(i), {{QStringLiteral("Description"), tag + QString::number(i)}}, stamps.at(i)};
        if (bad.contains(i))
            u.changes.insert(QStringLiteral("No_Such_Field__c"), QStringLiteral("x"));
        updates.append(u);
    }

    m_logged->clear();
    const RequestId id = next();
    m_engine->saveUpdates(id, updates);
    const auto fin = waitFor(*m_finished, id, 60000);
    QVERIFY(fin);
    const int failures = int(bad.size());
    QCOMPARE(fin->at(1).toInt(), count - failures);
    QCOMPARE(fin->at(2).toInt(), failures);
    QCOMPARE(fin->at(3).toInt(), 0);

    int composite = 0;
    int collections = 0;
    int singles = 0;
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        if (e.method == u"POST" && e.path.endsWith(QLatin1String("/composite")))
            ++composite;
        else if (e.method == u"PATCH" && e.path.contains(QLatin1String("/composite/sobjects")))
            ++collections;
        else if (e.method == u"PATCH")
            ++singles;
    }
    QCOMPARE(composite, compositeCalls);
    QCOMPARE(collections, 0);
    QCOMPARE(singles, 0);

    // One result per input record, for that record; the failures are exactly the bad ones.
    const auto results = allFor(*m_saved, id);
    QCOMPARE(results.size(), count);
    QHash<QString, fs::SaveResult> byId;
    for (const auto &args : results) {
        const auto r = args.at(1).value<fs::SaveResult>();
        QVERIFY2(!byId.contains(r.id), qPrintable(r.id));
        byId.insert(r.id, r);
    }
    for (int i = 0; i < count; ++i) {
        QVERIFY2(byId.contains(ids.at(i)), qPrintable(ids.at(i)));
        const fs::SaveResult r = byId.value(ids.at(i));
        QCOMPARE(r.success, !bad.contains(i));
        if (bad.contains(i))
            QCOMPARE(r.errors.value(0).errorCode, QStringLiteral("INVALID_FIELD"));
    }

    // And each record holds its own value.
    QSignalSpy after(m_engine.get(), &Engine::queryPageReady);
    QSignalSpy afterDone(m_engine.get(), &Engine::queryFinished);
    const RequestId q2 = next();
    m_engine->runQuery(q2, QStringLiteral("SELECT Id, Description FROM Account ORDER BY Id LIMIT %1").arg(count), {});
    QVERIFY(waitFor(afterDone, q2));
    QHash<QString, QString> description;
    for (const auto &args : allFor(after, q2)) {
        const auto page = args.at(1).value<fs::QueryPage>();
        for (int r = 0; r < page.batch.rowCount(); ++r)
            description.insert(page.batch.text(r, page.batch.columnIndex(QStringLiteral("Id"))),
                page.batch.text(r, page.batch.columnIndex(QStringLiteral("Description"))));
    }
    for (int i = 0; i < count; ++i) {
        if (bad.contains(i))
            QVERIFY(description.value(ids.at(i)) != tag + QString::number(i));
        else
            QCOMPARE(description.value(ids.at(i)), tag + QString::number(i));
    }
}

void TestEngineRecords::perRecordErrorsInComposite()
{
    // With modstamps and at most 25 records: one /composite call with a header per record.
    const QString good = createAccount(QStringLiteral("Facade Good"));
    const QString badField = createAccount(QStringLiteral("Facade Bad Field"));
    const QString deleted = createAccount(QStringLiteral("Facade Deleted"));
    QVERIFY(!good.isEmpty() && !badField.isEmpty() && !deleted.isEmpty());
    QMap<QString, QString> stamps;
    for (const QString &id : {good, badField, deleted}) {
        const fs::RecordBatch r = getRecord(id, {QStringLiteral("SystemModstamp")});
        stamps.insert(id, r.text(0, r.columnIndex(QStringLiteral("SystemModstamp"))));
    }
    const RequestId del = next();
    m_engine->deleteRecord(del, QStringLiteral("Account"), deleted);
    QVERIFY(waitFor(*m_deleted, del));

    m_logged->clear();
    const RequestId id = next();
    m_engine->saveUpdates(id,
        {fs::RecordUpdate{QStringLiteral("Account"), good, {{QStringLiteral("Name"), QStringLiteral("G2")}}, stamps.value(good)},
            fs::RecordUpdate{QStringLiteral("Account"), badField, {{QStringLiteral("Nope__c"), 1}}, stamps.value(badField)},
            fs::RecordUpdate{QStringLiteral("Account"), deleted, {{QStringLiteral("Name"), QStringLiteral("D2")}}, stamps.value(deleted)}});
    const auto fin = waitFor(*m_finished, id);
    QVERIFY(fin);
    QCOMPARE(fin->at(1).toInt(), 1);
    QCOMPARE(fin->at(2).toInt(), 2);
    QHash<QString, fs::SaveResult> byId;
    for (const auto &args : allFor(*m_saved, id))
        byId.insert(args.at(1).value<fs::SaveResult>().id, args.at(1).value<fs::SaveResult>());
    QVERIFY(byId.value(good).success);
    QCOMPARE(byId.value(badField).errors.value(0).errorCode, QStringLiteral("INVALID_FIELD"));
    QCOMPARE(byId.value(deleted).errors.value(0).errorCode, QStringLiteral("ENTITY_IS_DELETED"));
    bool composite = false;
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        composite = composite || (e.method == u"POST" && e.path.endsWith(QLatin1String("/composite")));
    }
    QVERIFY(composite);
}

void TestEngineRecords::perRecordErrorsInCollection()
{
    const QString good = createAccount(QStringLiteral("Facade Coll Good"));
    const QString deleted = createAccount(QStringLiteral("Facade Coll Deleted"));
    QVERIFY(!good.isEmpty() && !deleted.isEmpty());
    const RequestId del = next();
    m_engine->deleteRecord(del, QStringLiteral("Account"), deleted);
    QVERIFY(waitFor(*m_deleted, del));

    const RequestId id = next();
    m_engine->saveUpdates(id,
        {fs::RecordUpdate{QStringLiteral("Account"), deleted, {{QStringLiteral("Name"), QStringLiteral("D")}}, {}},
            fs::RecordUpdate{QStringLiteral("Account"), good, {{QStringLiteral("Name"), QStringLiteral("G")}}, {}},
            fs::RecordUpdate{QStringLiteral("Account"), good.left(15), {{QStringLiteral("NumberOfEmployees"), QStringLiteral("many")}}, {}}});
    const auto fin = waitFor(*m_finished, id);
    QVERIFY(fin);
    const auto results = allFor(*m_saved, id);
    QCOMPARE(results.size(), 3);
    QCOMPARE(fin->at(1).toInt() + fin->at(2).toInt(), 3);
    int failures = 0;
    for (const auto &args : results) {
        const auto r = args.at(1).value<fs::SaveResult>();
        if (r.id == deleted) {
            QVERIFY(!r.success);
            QVERIFY(!r.errors.value(0).errorCode.isEmpty());
        }
        if (!r.success) {
            ++failures;
            QVERIFY(!r.errors.isEmpty());
            QVERIFY(!r.errors.first().message.isEmpty());
        }
    }
    QCOMPARE(failures, fin->at(2).toInt());
    QVERIFY(failures >= 1);
}

void TestEngineRecords::lockedRowsAreRetried()
{
    const QStringList ids = accountIds(30);
    QCOMPARE(ids.size(), 30);
    // More lock refusals than the transport's own attempts: the record-level retry finishes it.
    QString error;
    QVERIFY2(m_sim->setFaultPlan(QByteArrayLiteral("rules:\n"
                                                   "  - action: lock_row\n"
                                                   "    path: \"/services/data/*/composite/sobjects*\"\n"
                                                   "    method: PATCH\n"
                                                   "    count: 4\n"),
                 &error),
        qPrintable(error));
    QList<fs::RecordUpdate> updates;
    for (const QString &rid : ids)
        updates.append({QStringLiteral("Account"), rid, {{QStringLiteral("Rating"), QStringLiteral("Hot")}}, {}});
    const RequestId id = next();
    m_engine->saveUpdates(id, updates);
    const auto fin = waitFor(*m_finished, id, 60000);
    QVERIFY(fin);
    QCOMPARE(fin->at(1).toInt(), 30);
    QCOMPARE(fin->at(2).toInt(), 0);
    int patches = 0;
    for (const auto &args : std::as_const(*m_logged)) {
        const auto e = args.at(0).value<fs::RequestLogEntry>();
        patches += e.method == u"PATCH" && e.path.contains(QLatin1String("/composite/sobjects")) ? 1 : 0;
    }
    QCOMPARE(patches, 5); // 4 refused (3 transport attempts + 1 record-level retry), then saved
}

void TestEngineRecords::cancelEndsWithCancelled()
{
    const QStringList ids = accountIds(5);
    QString error;
    QVERIFY(m_sim->setFaultPlan(QByteArrayLiteral("rules:\n  - action: latency\n    latency_ms: 2000\n"), &error));
    QList<fs::RecordUpdate> updates;
    for (const QString &rid : ids)
        updates.append({QStringLiteral("Account"), rid, {{QStringLiteral("Rating"), QStringLiteral("Cold")}}, {}});
    const RequestId id = next();
    m_engine->saveUpdates(id, updates);
    m_engine->cancel(id);
    const auto failed = waitFor(*m_failed, id);
    QVERIFY(failed);
    QCOMPARE(failed->at(1).value<fs::EngineError>().category, fs::EngineError::Category::Cancelled);
    QVERIFY(allFor(*m_finished, id).isEmpty());
}

QTEST_GUILESS_MAIN(TestEngineRecords)
#include "tst_engine_records.moc"
