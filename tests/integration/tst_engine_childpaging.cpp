// The engine's QueryService and ChildPager against paged child subquery results of the simulated
// org (reference §3.2): a Child cell carries the first child page and its nextRecordsUrl;
// fetchChildPage follows it one page at a time; a child locator of an earlier parent page is gone
// once the parent query moved on, and ChildPager then re-queries that parent's children on their
// own and still delivers every child row exactly once.
#include "enginequeryfixture.h"

#include <algorithm>

#include "api/types.h"
#include "metadata/describeservice.h"
#include "query/childpager.h"
#include "query/queryservice.h"

#include "rest/querybridge.h"
#include "store/store.h"

#include <QMap>
#include <QSet>
#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QtTest>

using fs::ChildCursor;
using fs::QueryOptions;
using fs::QueryPage;
using fs::RequestId;
using fs::engine::ChildPager;
using fs::engine::DescribeService;
using fs::engine::QueryService;
using fs::test::CollectedQuery;
using fs::test::collectQuery;

namespace {

constexpr int kChildren = 1200;
// Contacts of the big account that get Cases (their rows lie beyond the first child page).
constexpr int kContactWithCases = 700;
constexpr int kCasesOfThatContact = 3;

QString idsText(const QStringList &ids)
{
    return QString::number(ids.size()) + QStringLiteral(" ids, ") + QString::number(QSet<QString>(ids.begin(), ids.end()).size())
        + QStringLiteral(" distinct");
}

} // namespace

class TestEngineChildPaging : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        m_fixture = std::make_unique<fs::test::EngineQueryFixture>(0.1); // ~400 accounts
        QString error;
        QVERIFY2(m_fixture->start(&error), qPrintable(error));
        fs::sim::Store &store = m_fixture->sim().store();
        fs::sim::SimError err;
        // "!!!" sorts before every seeded name: the account is the first row of parent page 1.
        QVERIFY(store.insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("!!! Child Pager") } },
            &m_account, &err));
        QSqlDatabase db = store.database();
        const bool tx = db.transaction();
        for (int i = 0; i < kChildren; ++i) {
            QString id;
            QVERIFY(store.insert(QStringLiteral("Contact"),
                { { QStringLiteral("LastName"), QStringLiteral("Pager %1").arg(i, 4, 10, QLatin1Char('0')) },
                    { QStringLiteral("AccountId"), m_account } },
                &id, &err));
            if (i == kContactWithCases)
                m_contactWithCases = id;
        }
        for (int i = 0; i < kCasesOfThatContact; ++i) {
            QString id;
            QVERIFY(store.insert(QStringLiteral("Case"),
                { { QStringLiteral("Subject"), QStringLiteral("Case %1").arg(i) }, { QStringLiteral("ContactId"), m_contactWithCases } },
                &id, &err));
        }
        if (tx)
            QVERIFY(db.commit());

        m_service = std::make_unique<QueryService>(m_fixture->transport());
        // As in the engine: the pager takes its describes from the one DescribeService (its cache).
        QVERIFY(m_cacheDir.isValid());
        m_describes = std::make_unique<DescribeService>(m_fixture->transport());
        m_describes->setCacheDirectory(m_cacheDir.path());
        m_describes->setOrgKey(QStringLiteral("childpaging"));
        m_pager = std::make_unique<ChildPager>(m_fixture->transport(), m_describes.get());

        // At least 401 accounts, so that three parent pages of at least 200 hold them all.
        const CollectedQuery count = runQuery(QStringLiteral("SELECT COUNT() FROM Account"), QueryOptions());
        QVERIFY2(count.finished, qPrintable(count.error.message));
        for (qint64 n = count.pages.value(0).totalSize; n < 401; ++n) {
            QString id;
            QVERIFY(store.insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("Filler %1").arg(n) } },
                &id, &err));
        }
    }

    void cleanupTestCase()
    {
        m_pager.reset();
        m_describes.reset();
        m_service.reset();
        m_fixture.reset();
    }

    // fetchChildPage follows a live child locator page by page; each page describes the child
    // result (totalSize, fetched up to its end, done on the last).
    void childPagesFollowToTheEnd()
    {
        const CollectedQuery c = runQuery(
            QStringLiteral("SELECT Id, Name, (SELECT Id, LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Id = '%1'")
                .arg(m_account),
            QueryOptions());
        QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
        const fs::RecordBatch parent = c.pages.first().batch;
        const int col = parent.columnIndex(QStringLiteral("Contacts"));
        QVERIFY(col >= 0);
        QCOMPARE(parent.cellType(0, col), fs::RecordBatch::CellType::Child);
        fs::RecordBatch child = parent.child(0, col);
        QCOMPARE(child.totalSize(), qint64(kChildren));
        QCOMPARE(child.rowCount(), fs::sim::kChildPageSize);
        QCOMPARE(child.done(), false);
        QSet<QString> ids;
        QString previous;
        int pages = 1;
        qint64 held = child.rowCount();
        auto take = [&](const fs::RecordBatch &b) {
            const int last = b.columnIndex(QStringLiteral("LastName"));
            for (int r = 0; r < b.rowCount(); ++r) {
                ids.insert(b.recordId(r));
                QVERIFY(b.text(r, last) > previous);
                previous = b.text(r, last);
            }
        };
        take(child);
        QString next = child.nextRecordsUrl();
        while (!next.isEmpty()) {
            QVERIFY2(next.startsWith(u"/services/data/v59.0/query/01g"), qPrintable(next));
            const CollectedQuery page = collectQuery(m_service.get(), ++m_nextId,
                [&](RequestId id) { m_service->fetchChildPage(id, next); });
            QVERIFY2(page.finished, qPrintable(page.error.errorCode + u' ' + page.error.message));
            QCOMPARE(page.pages.size(), 1);
            const QueryPage &p = page.pages.first();
            QCOMPARE(p.batch.sobjectType(), QStringLiteral("Contact"));
            QCOMPARE(p.totalSize, qint64(kChildren));
            held += p.batch.rowCount();
            QCOMPARE(p.fetched, held);
            QCOMPARE(p.done, p.batch.done());
            QCOMPARE(p.done, held == kChildren);
            take(p.batch);
            ++pages;
            next = p.done ? QString() : p.batch.nextRecordsUrl();
        }
        QCOMPARE(ids.size(), kChildren);
        QCOMPARE(pages, 3);
    }

    // The engine streams every parent page at once, and the next parent page invalidates the
    // previous page's child locators. A nested grid opened after the query finished, for a parent
    // on page 1 of 3, still gets every child row exactly once, in the subquery's order.
    void earlierParentPageChildrenArriveOnce_data()
    {
        QTest::addColumn<QString>("subquery");
        QTest::addColumn<int>("expected");
        QTest::addColumn<QString>("order"); // id = ascending Id, desc = LastName descending
        QTest::addRow("no ORDER BY: Id order") << QStringLiteral("(SELECT Id, LastName FROM Contacts)") << kChildren
                                                << QStringLiteral("id");
        QTest::addRow("ORDER BY LastName DESC")
            << QStringLiteral("(SELECT Id, LastName FROM Contacts ORDER BY LastName DESC)") << kChildren << QStringLiteral("desc");
        QTest::addRow("WHERE in the subquery")
            << QStringLiteral("(SELECT Id, LastName FROM Contacts WHERE LastName LIKE 'Pager 0%')") << 1000 << QStringLiteral("id");
        QTest::addRow("aliased subquery") << QStringLiteral("(SELECT c.Id, c.LastName FROM Contacts c)") << kChildren
                                          << QStringLiteral("id");
        QTest::addRow("subquery LIMIT") << QStringLiteral("(SELECT Id, LastName FROM Contacts ORDER BY LastName DESC LIMIT 900)")
                                        << 900 << QStringLiteral("desc");
    }

    void earlierParentPageChildrenArriveOnce()
    {
        QFETCH(QString, subquery);
        QFETCH(int, expected);
        QFETCH(QString, order);
        const QString soql = QStringLiteral("SELECT Id, Name, %1 FROM Account ORDER BY Name").arg(subquery);
        QueryOptions options;
        options.batchSize = parentBatchSizeForThreePages();
        const CollectedQuery c = runQuery(soql, options);
        QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
        QCOMPARE(c.pages.size(), 3);
        const QueryPage &first = c.pages.first();
        QCOMPARE(first.batch.recordId(0), m_account);
        QCOMPARE(first.origin.soql, soql);
        const int col = first.batch.columnIndex(QStringLiteral("Contacts"));
        const fs::RecordBatch child = first.batch.child(0, col);
        QCOMPARE(child.rowCount(), fs::sim::kChildPageSize);
        QCOMPARE(child.done(), false);

        // The server really dropped that locator…
        const QString url = child.nextRecordsUrl();
        const CollectedQuery gone
            = collectQuery(m_service.get(), ++m_nextId, [&](RequestId id) { m_service->fetchChildPage(id, url); });
        QVERIFY(gone.failed);
        QCOMPARE(gone.error.httpStatus, 400);
        QCOMPARE(gone.error.errorCode, QStringLiteral("INVALID_QUERY_LOCATOR"));

        // …and ChildPager recovers: every remaining row once, pages describing the child result.
        const ChildCursor cursor = first.origin.descend(m_account, first.batch.columns().at(col), child);
        QCOMPARE(cursor.held, qint64(fs::sim::kChildPageSize));
        QCOMPARE(cursor.totalSize, qint64(expected));
        const int requeriesBefore = m_pager->requeries();
        const CollectedQuery rest = collectQuery(m_pager.get(), ++m_nextId, [&](RequestId id) { m_pager->fetchRows(id, cursor); });
        QVERIFY2(rest.finished, qPrintable(rest.error.errorCode + u' ' + rest.error.message + u' ' + rest.error.detail));
        QCOMPARE(m_pager->requeries(), requeriesBefore + 1);
        QVERIFY(!rest.pages.isEmpty());
        QCOMPARE(rest.pages.last().done, true);
        QCOMPARE(rest.pages.last().fetched, qint64(expected));
        QCOMPARE(rest.pages.last().origin.held, qint64(expected));
        for (const QueryPage &p : rest.pages) {
            QCOMPARE(p.totalSize, qint64(expected));
            QCOMPARE(p.batch.columns(), child.columns());
        }
        QCOMPARE(rest.stats.records, qint64(expected - fs::sim::kChildPageSize));

        QStringList ids;
        QStringList names;
        auto take = [&](const fs::RecordBatch &b) {
            for (int r = 0; r < b.rowCount(); ++r) {
                ids << b.recordId(r);
                names << b.text(r, b.columnIndex(QStringLiteral("LastName")));
            }
        };
        take(child);
        for (const QueryPage &p : rest.pages)
            take(p.batch);
        QCOMPARE(ids.size(), expected);
        QVERIFY2(QSet<QString>(ids.begin(), ids.end()).size() == expected, qPrintable(idsText(ids)));
        for (int i = 1; i < ids.size(); ++i) {
            if (order == u"id")
                QVERIFY2(ids.at(i - 1) < ids.at(i), qPrintable(QString::number(i)));
            else
                QVERIFY2(names.at(i - 1) > names.at(i), qPrintable(QString::number(i)));
        }
    }

    // A nested subquery inside the subquery is kept: rows recovered past the first child page
    // still carry their grand-child results, and a grand-child cursor (two levels) resolves too.
    void nestedSubqueryIsKept()
    {
        const QString soql
            = QStringLiteral("SELECT Id, Name, (SELECT Id, LastName, (SELECT Id, Subject FROM Cases) FROM Contacts) FROM Account "
                             "ORDER BY Name");
        QueryOptions options;
        options.batchSize = parentBatchSizeForThreePages();
        const CollectedQuery c = runQuery(soql, options);
        QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
        QVERIFY(c.pages.size() >= 2);
        const QueryPage &first = c.pages.first();
        const int col = first.batch.columnIndex(QStringLiteral("Contacts"));
        const fs::RecordBatch child = first.batch.child(0, col);
        const ChildCursor cursor = first.origin.descend(m_account, QStringLiteral("Contacts"), child);
        const CollectedQuery rest = collectQuery(m_pager.get(), ++m_nextId, [&](RequestId id) { m_pager->fetchRows(id, cursor); });
        QVERIFY2(rest.finished, qPrintable(rest.error.errorCode + u' ' + rest.error.message + u' ' + rest.error.detail));
        QCOMPARE(rest.pages.last().fetched, qint64(kChildren));

        bool found = false;
        for (const QueryPage &p : rest.pages) {
            const int cases = p.batch.columnIndex(QStringLiteral("Cases"));
            QVERIFY2(cases >= 0, qPrintable(p.batch.columns().join(u',')));
            for (int r = 0; r < p.batch.rowCount(); ++r) {
                if (p.batch.recordId(r) != m_contactWithCases)
                    continue;
                found = true;
                QCOMPARE(p.batch.cellType(r, cases), fs::RecordBatch::CellType::Child);
                const fs::RecordBatch grand = p.batch.child(r, cases);
                QCOMPARE(grand.rowCount(), kCasesOfThatContact);

                // Two levels down, with no locator at all: the engine re-queries the Cases.
                ChildCursor deeper = p.origin.descend(m_contactWithCases, QStringLiteral("Cases"), grand);
                QCOMPARE(deeper.relationships, QStringList({ QStringLiteral("Contacts"), QStringLiteral("Cases") }));
                deeper.held = 1;
                deeper.nextRecordsUrl.clear();
                const CollectedQuery more
                    = collectQuery(m_pager.get(), ++m_nextId, [&](RequestId id) { m_pager->fetchRows(id, deeper); });
                QVERIFY2(more.finished, qPrintable(more.error.errorCode + u' ' + more.error.message + u' ' + more.error.detail));
                QCOMPARE(more.ids.size(), kCasesOfThatContact - 1);
                QCOMPARE(more.ids, QStringList({ grand.recordId(1), grand.recordId(2) }));
                QCOMPARE(more.pages.last().done, true);
                QCOMPARE(more.pages.last().fetched, qint64(kCasesOfThatContact));
            }
        }
        QVERIFY(found);
    }

    // Children of a queryAll parent are re-queried with queryAll: deleted children count too.
    void queryAllParentKeepsDeletedChildren()
    {
        fs::sim::SimError err;
        QString account;
        QVERIFY(m_fixture->sim().store().insert(QStringLiteral("Account"),
            { { QStringLiteral("Name"), QStringLiteral("!!!! Deleted Children") } }, &account, &err));
        QStringList contacts;
        for (int i = 0; i < 600; ++i) {
            QString id;
            QVERIFY(m_fixture->sim().store().insert(QStringLiteral("Contact"),
                { { QStringLiteral("LastName"), QStringLiteral("Gone %1").arg(i) }, { QStringLiteral("AccountId"), account } }, &id,
                &err));
            contacts << id;
        }
        for (int i = 550; i < 600; ++i)
            QVERIFY(m_fixture->sim().store().softDelete(QStringLiteral("Contact"), contacts.at(i), &err));

        const QString soql = QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id = '%1'").arg(account);
        QueryOptions options;
        options.includeDeleted = true;
        const CollectedQuery c = runQuery(soql, options);
        QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
        QCOMPARE(c.pages.first().origin.includeDeleted, true);
        const fs::RecordBatch child = c.pages.first().batch.child(0, c.pages.first().batch.columnIndex(QStringLiteral("Contacts")));
        QCOMPARE(child.totalSize(), qint64(600));
        ChildCursor cursor = c.pages.first().origin.descend(account, QStringLiteral("Contacts"), child);
        cursor.nextRecordsUrl.clear(); // as if it had expired: go straight to the re-query
        const CollectedQuery rest = collectQuery(m_pager.get(), ++m_nextId, [&](RequestId id) { m_pager->fetchRows(id, cursor); });
        QVERIFY2(rest.finished, qPrintable(rest.error.errorCode + u' ' + rest.error.message + u' ' + rest.error.detail));
        QCOMPARE(rest.ids, contacts.mid(fs::sim::kChildPageSize));
        QCOMPARE(rest.pages.last().fetched, qint64(600));
    }

    // What cannot be resolved fails with a clear Validation error, never a crash or a hang.
    void unresolvableChildFailsClearly_data()
    {
        QTest::addColumn<QString>("soql");
        QTest::addColumn<QString>("relationship");
        QTest::addColumn<QString>("errorCode");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("describe knows no such relationship")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Bogus__r) FROM Account") << QStringLiteral("Bogus__r")
            << QStringLiteral("UNKNOWN_CHILD_RELATIONSHIP") << QStringLiteral("no child relationship named 'Bogus__r'");
        QTest::addRow("the query has no such subquery")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account") << QStringLiteral("Opportunities")
            << QStringLiteral("UNKNOWN_CHILD_RELATIONSHIP") << QStringLiteral("no subquery over the relationship 'Opportunities'");
        QTest::addRow("unknown query") << QString() << QStringLiteral("Contacts") << QString()
                                       << QStringLiteral("query that produced these child rows is unknown");
        QTest::addRow("query does not parse") << QStringLiteral("SELECT Id, (SELECT FROM Contacts) FROM Account")
                                              << QStringLiteral("Contacts") << QString() << QStringLiteral("does not parse");
    }

    void unresolvableChildFailsClearly()
    {
        QFETCH(QString, soql);
        QFETCH(QString, relationship);
        QFETCH(QString, errorCode);
        QFETCH(QString, messagePart);
        ChildCursor cursor;
        cursor.soql = soql;
        cursor.parentIds = QStringList { m_account };
        cursor.relationships = QStringList { relationship };
        cursor.held = 499;
        cursor.totalSize = 1200;
        const CollectedQuery c = collectQuery(m_pager.get(), ++m_nextId, [&](RequestId id) { m_pager->fetchRows(id, cursor); });
        QVERIFY(c.failed);
        QVERIFY(c.pages.isEmpty());
        QCOMPARE(c.error.category, fs::EngineError::Category::Validation);
        if (!errorCode.isEmpty())
            QCOMPARE(c.error.errorCode, errorCode);
        QVERIFY2(c.error.message.contains(messagePart), qPrintable(c.error.message));
        QCOMPARE(m_pager->activeCount(), 0);
    }

    // A request can be cancelled while it runs; it ends with exactly one failed(Cancelled).
    void cancelEndsOnce()
    {
        ChildCursor cursor;
        cursor.soql = QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account");
        cursor.parentIds = QStringList { m_account };
        cursor.relationships = QStringList { QStringLiteral("Contacts") };
        cursor.held = 499;
        int failures = 0;
        const RequestId id = ++m_nextId;
        const QMetaObject::Connection f
            = connect(m_pager.get(), &ChildPager::failed, this, [&](RequestId rid, const fs::EngineError &e) {
                  if (rid == id) {
                      ++failures;
                      QCOMPARE(e.category, fs::EngineError::Category::Cancelled);
                  }
              });
        m_pager->fetchRows(id, cursor);
        QVERIFY(m_pager->cancel(id));
        QCOMPARE(failures, 1);
        QVERIFY(!m_pager->cancel(id));
        QTest::qWait(0);
        QCOMPARE(failures, 1);
        QCOMPARE(m_pager->activeCount(), 0);
        disconnect(f);
    }

    // Re-queries take the parent's describe from the DescribeService cache: the children of two
    // parents of one relationship, both with a dead locator, cost one describe download, not one
    // per re-query (fresh cache: no request; stale cache: a 304; at once: one shared fetch).
    void requeriesShareOneDescribe_data()
    {
        QTest::addColumn<int>("maxAgeSeconds");
        QTest::addColumn<bool>("together");
        QTest::addColumn<int>("notModified"); // 304 answers per describe path
        QTest::addColumn<int>("cacheHits"); // answers served from the cache without a request
        QTest::addRow("one after the other, fresh cache") << 600 << false << 0 << 1;
        QTest::addRow("one after the other, stale cache: 304") << 0 << false << 1 << 0;
        QTest::addRow("both at once: one shared fetch") << 600 << true << 0 << 0;
    }

    void requeriesShareOneDescribe()
    {
        QFETCH(int, maxAgeSeconds);
        QFETCH(bool, together);
        QFETCH(int, notModified);
        QFETCH(int, cacheHits);
        constexpr int kSecondChildren = fs::sim::kChildPageSize + 51; // past the first child page
        fs::sim::SimError err;
        if (m_secondAccount.isEmpty()) {
            // Sorts right after m_account: both are on the first of three parent pages.
            fs::sim::Store &store = m_fixture->sim().store();
            QVERIFY(store.insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("!!! Child Pager B") } },
                &m_secondAccount, &err));
            for (int i = 0; i < kSecondChildren; ++i) {
                QString id;
                QVERIFY(store.insert(QStringLiteral("Contact"),
                    { { QStringLiteral("LastName"), QStringLiteral("Second %1").arg(i, 3, 10, QLatin1Char('0')) },
                        { QStringLiteral("AccountId"), m_secondAccount } },
                    &id, &err));
            }
        }
        const QString soql = QStringLiteral("SELECT Id, Name, (SELECT Id, LastName FROM Contacts) FROM Account ORDER BY Name");
        QueryOptions options;
        options.batchSize = parentBatchSizeForThreePages();
        const CollectedQuery c = runQuery(soql, options);
        QVERIFY2(c.finished, qPrintable(c.error.message + u' ' + c.error.detail));
        QCOMPARE(c.pages.size(), 3); // the parent query moved on: page 1's child locators are gone
        const QueryPage &first = c.pages.first();
        const int col = first.batch.columnIndex(QStringLiteral("Contacts"));
        QVERIFY(col >= 0);
        QList<ChildCursor> cursors;
        QList<qint64> expected;
        for (const QString &parent : { m_account, m_secondAccount }) {
            for (int r = 0; r < first.batch.rowCount(); ++r) {
                if (first.batch.recordId(r) != parent)
                    continue;
                const fs::RecordBatch child = first.batch.child(r, col);
                QCOMPARE(child.done(), false);
                QVERIFY(!child.nextRecordsUrl().isEmpty());
                cursors << first.origin.descend(parent, QStringLiteral("Contacts"), child);
                expected << child.totalSize() - child.rowCount();
            }
        }
        QCOMPARE(cursors.size(), 2);
        QCOMPARE(expected, QList<qint64>({ kChildren - fs::sim::kChildPageSize, kSecondChildren - fs::sim::kChildPageSize }));

        m_describes->clearCache();
        m_describes->setMaxAgeSeconds(maxAgeSeconds);
        const int hitsBefore = m_describes->cacheHits();
        const int notModifiedBefore = m_describes->notModified();
        const int requeriesBefore = m_pager->requeries();
        QMap<QString, QList<int>> describes; // describe path → statuses answered, in order
        const QMetaObject::Connection log
            = connect(m_fixture->transport(), &fs::engine::Transport::requestLogged, this, [&](const fs::RequestLogEntry &e) {
                  if (e.path.endsWith(u"/describe"))
                      describes[e.path] << e.status;
              });
        QList<CollectedQuery> results;
        if (together)
            results = fetchTogether(cursors);
        else
            results = fetchTogether({ cursors.at(0) }) + fetchTogether({ cursors.at(1) });
        disconnect(log);
        m_describes->setMaxAgeSeconds(600);

        QCOMPARE(m_pager->requeries(), requeriesBefore + 2);
        for (int i = 0; i < results.size(); ++i) {
            const CollectedQuery &r = results.at(i);
            QVERIFY2(r.finished, qPrintable(r.error.errorCode + u' ' + r.error.message + u' ' + r.error.detail));
            QCOMPARE(r.stats.records, expected.at(i));
            QCOMPARE(QSet<QString>(r.ids.begin(), r.ids.end()).size(), int(expected.at(i)));
        }
        const QString accountDescribe = QStringLiteral("/services/data/v59.0/sobjects/Account/describe");
        QVERIFY2(describes.contains(accountDescribe), qPrintable(QStringList(describes.keys()).join(u',')));
        for (auto it = describes.cbegin(); it != describes.cend(); ++it) {
            QList<int> want { 200 };
            for (int i = 0; i < notModified; ++i)
                want << 304;
            QVERIFY2(it.value() == want, qPrintable(it.key() + u' ' + QString::number(it.value().size()) + QStringLiteral(" answers")));
        }
        QCOMPARE(m_describes->notModified() - notModifiedBefore, notModified * int(describes.size()));
        QCOMPARE(m_describes->cacheHits() - hitsBefore, cacheHits * int(describes.size()));
    }

    // Cancelling while the describe of a re-query is on the wire ends the request once, at once;
    // the describe request itself is cancelled unless another re-query still waits for it, which
    // then finishes normally. Nothing reaches the cancelled request later.
    void cancelDuringDescribe_data()
    {
        QTest::addColumn<bool>("otherWaits");
        QTest::addRow("alone: the describe request is cancelled") << false;
        QTest::addRow("another re-query waits: it still finishes") << true;
    }

    void cancelDuringDescribe()
    {
        QFETCH(bool, otherWaits);
        ChildCursor cursor;
        cursor.soql = QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account");
        cursor.parentIds = QStringList { m_account };
        cursor.relationships = QStringList { QStringLiteral("Contacts") };
        cursor.held = kChildren - 100;
        cursor.totalSize = kChildren;

        m_describes->clearCache();
        QString error;
        QVERIFY2(m_fixture->sim().setFaultPlan(QByteArrayLiteral("rules:\n"
                                                                 "  - action: latency\n"
                                                                 "    path: \"/services/data/*/sobjects/*/describe\"\n"
                                                                 "    latency_ms: 1500\n"),
                     &error),
            qPrintable(error));
        fs::engine::Transport *transport = m_fixture->transport();
        QCOMPARE(transport->pendingCount(), 0);

        const RequestId cancelled = ++m_nextId;
        int failures = 0;
        int pages = 0;
        const QMetaObject::Connection f
            = connect(m_pager.get(), &ChildPager::failed, this, [&](RequestId rid, const fs::EngineError &e) {
                  if (rid == cancelled) {
                      ++failures;
                      QCOMPARE(e.category, fs::EngineError::Category::Cancelled);
                  }
              });
        const QMetaObject::Connection p = connect(m_pager.get(), &ChildPager::pageReady, this, [&](RequestId rid, const QueryPage &) {
            if (rid == cancelled)
                ++pages;
        });

        CollectedQuery other;
        const RequestId otherId = ++m_nextId;
        const CollectedQuery first = collectQuery(m_pager.get(), cancelled, [&](RequestId id) {
            m_pager->fetchRows(id, cursor);
            if (otherWaits)
                m_pager->fetchRows(otherId, cursor);
            // The describe is on the wire (delayed by the simulator): cancel now.
            QTRY_COMPARE(transport->pendingCount(), 1);
            QVERIFY(m_pager->cancel(id));
        });
        QVERIFY(first.failed);
        QCOMPARE(first.error.category, fs::EngineError::Category::Cancelled);
        QCOMPARE(failures, 1);
        QVERIFY(!m_pager->cancel(cancelled));
        QCOMPARE(m_pager->activeCount(), otherWaits ? 1 : 0);
        QCOMPARE(transport->pendingCount(), otherWaits ? 1 : 0);

        if (otherWaits) {
            other = collectQuery(m_pager.get(), otherId, [](RequestId) {});
        } else {
            QVERIFY(m_fixture->sim().setFaultPlan(QByteArray(), &error));
            other = collectQuery(m_pager.get(), otherId, [&](RequestId id) { m_pager->fetchRows(id, cursor); });
        }
        QVERIFY(m_fixture->sim().setFaultPlan(QByteArray(), &error));
        QVERIFY2(other.finished, qPrintable(other.error.errorCode + u' ' + other.error.message + u' ' + other.error.detail));
        QCOMPARE(other.stats.records, qint64(100));
        QCOMPARE(failures, 1);
        QCOMPARE(pages, 0);
        QCOMPARE(m_pager->activeCount(), 0);
        disconnect(f);
        disconnect(p);
    }

private:
    CollectedQuery runQuery(const QString &soql, const QueryOptions &options)
    {
        return collectQuery(m_service.get(), ++m_nextId, [&](RequestId id) { m_service->run(id, soql, options); });
    }

    // Starts fetchRows for every cursor at once; each one's answers, in the cursors' order.
    QList<CollectedQuery> fetchTogether(const QList<ChildCursor> &cursors)
    {
        QList<CollectedQuery> results(cursors.size());
        QList<RequestId> ids;
        for (int i = 0; i < cursors.size(); ++i)
            ids << ++m_nextId;
        QObject context;
        connect(m_pager.get(), &ChildPager::pageReady, &context, [&](RequestId rid, const QueryPage &page) {
            const qsizetype i = ids.indexOf(rid);
            if (i < 0)
                return;
            results[i].pages << page;
            for (int r = 0; r < page.batch.rowCount(); ++r)
                results[i].ids << page.batch.recordId(r);
        });
        connect(m_pager.get(), &ChildPager::finished, &context, [&](RequestId rid, const fs::QueryStats &stats) {
            const qsizetype i = ids.indexOf(rid);
            if (i >= 0) {
                results[i].stats = stats;
                results[i].finished = true;
            }
        });
        connect(m_pager.get(), &ChildPager::failed, &context, [&](RequestId rid, const fs::EngineError &error) {
            const qsizetype i = ids.indexOf(rid);
            if (i >= 0) {
                results[i].error = error;
                results[i].failed = true;
            }
        });
        for (int i = 0; i < cursors.size(); ++i)
            m_pager->fetchRows(ids.at(i), cursors.at(i));
        const bool done = QTest::qWaitFor(
            [&] { return std::all_of(results.cbegin(), results.cend(), [](const CollectedQuery &r) { return r.finished || r.failed; }); },
            60000);
        if (!done) {
            for (CollectedQuery &r : results) {
                if (!r.finished && !r.failed)
                    r.error.message = QStringLiteral("timed out");
            }
        }
        return results;
    }

    // A parent batch size that spreads the accounts over exactly three pages.
    int parentBatchSizeForThreePages()
    {
        const CollectedQuery count = runQuery(QStringLiteral("SELECT COUNT() FROM Account"), QueryOptions());
        const int accounts = int(count.pages.value(0).totalSize);
        return qBound(200, (accounts + 2) / 3, 2000);
    }

    std::unique_ptr<fs::test::EngineQueryFixture> m_fixture;
    std::unique_ptr<QueryService> m_service;
    QTemporaryDir m_cacheDir;
    std::unique_ptr<DescribeService> m_describes;
    std::unique_ptr<ChildPager> m_pager;
    QString m_account;
    QString m_contactWithCases;
    QString m_secondAccount; // a second parent with a dead child locator (requeriesShareOneDescribe)
    RequestId m_nextId = 100;
};

QTEST_GUILESS_MAIN(TestEngineChildPaging)
#include "tst_engine_childpaging.moc"
