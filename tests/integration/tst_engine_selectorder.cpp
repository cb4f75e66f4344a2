// Parent paths are flattened into columns in select-list order, whatever the JSON nesting of the
// server's reply: a parent path before the plain fields, two paths of one relationship around an
// unrelated field, a two-level path, a child subquery in the middle, and a parent that is null in
// every row. Through the Engine against the in-process simulated org.
#include "enginetestkit.h"

#include "core/engine.h"
#include "metrics/metrics.h"
#include "simulator.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using fs::RequestId;
using fs::engine::Engine;

class TestEngineSelectOrder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void columnsFollowTheSelectList_data();
    void columnsFollowTheSelectList();
    void valuesLandInTheirColumns();

private:
    // The pages of one query, concatenated into their first batch's column list and all rows.
    bool runQuery(const QString &soql, QList<fs::RecordBatch> *batches, QString *error);

    QTemporaryDir m_dir;
    std::unique_ptr<fs::sim::Simulator> m_sim;
    std::unique_ptr<Engine> m_engine;
    RequestId m_nextId = 5000;
};

void TestEngineSelectOrder::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    m_sim = fs::test::startSimulator(0.02, &error);
    QVERIFY2(m_sim, qPrintable(error));

    m_engine = std::make_unique<Engine>(fs::test::engineOptions(m_dir, QStringLiteral("forcescope-test-selectorder")));
    error = fs::test::loginAsDemo(*m_engine, *m_sim);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

void TestEngineSelectOrder::cleanupTestCase()
{
    m_engine.reset();
    m_sim.reset();
}

bool TestEngineSelectOrder::runQuery(const QString &soql, QList<fs::RecordBatch> *batches, QString *error)
{
    QSignalSpy pages(m_engine.get(), &Engine::queryPageReady);
    QSignalSpy done(m_engine.get(), &Engine::queryFinished);
    QSignalSpy failed(m_engine.get(), &Engine::requestFailed);
    const RequestId id = ++m_nextId;
    m_engine->runQuery(id, soql, {});
    auto ended = [&] {
        for (const auto &args : std::as_const(done))
            if (args.at(0).value<RequestId>() == id)
                return true;
        for (const auto &args : std::as_const(failed)) {
            if (args.at(0).value<RequestId>() == id) {
                *error = args.at(1).value<fs::EngineError>().message;
                return true;
            }
        }
        return false;
    };
    if (!QTest::qWaitFor(ended, 30000)) {
        *error = QStringLiteral("no answer");
        return false;
    }
    if (!error->isEmpty())
        return false;
    for (const auto &args : std::as_const(pages)) {
        if (args.at(0).value<RequestId>() == id)
            batches->append(args.at(1).value<fs::QueryPage>().batch);
    }
    return true;
}

void TestEngineSelectOrder::columnsFollowTheSelectList_data()
{
    QTest::addColumn<QString>("soql");
    QTest::addColumn<QStringList>("columns");
    QTest::addRow("parents around plain fields")
        << QStringLiteral("SELECT Owner.Name, Id, LastName, Account.Name FROM Contact ORDER BY Id LIMIT 5")
        << QStringList{QStringLiteral("Owner.Name"), QStringLiteral("Id"), QStringLiteral("LastName"), QStringLiteral("Account.Name")};
    QTest::addRow("one relationship split by another field")
        << QStringLiteral("SELECT Account.Name, Id, Account.Industry FROM Contact WHERE AccountId != null ORDER BY Id LIMIT 5")
        << QStringList{QStringLiteral("Account.Name"), QStringLiteral("Id"), QStringLiteral("Account.Industry")};
    QTest::addRow("two-level path first")
        << QStringLiteral("SELECT Account.Owner.Name, LastName, Account.Name, Id FROM Contact WHERE AccountId != null ORDER BY Id LIMIT 5")
        << QStringList{QStringLiteral("Account.Owner.Name"), QStringLiteral("LastName"), QStringLiteral("Account.Name"), QStringLiteral("Id")};
    QTest::addRow("child subquery in the middle")
        << QStringLiteral("SELECT Name, (SELECT LastName FROM Contacts), Owner.Name, Id FROM Account ORDER BY Id LIMIT 3")
        << QStringList{QStringLiteral("Name"), QStringLiteral("Contacts"), QStringLiteral("Owner.Name"), QStringLiteral("Id")};
    QTest::addRow("parent null in every row")
        << QStringLiteral("SELECT ReportsTo.LastName, Id, Owner.Name FROM Contact WHERE ReportsToId = null ORDER BY Id LIMIT 5")
        << QStringList{QStringLiteral("ReportsTo.LastName"), QStringLiteral("Id"), QStringLiteral("Owner.Name")};
    QTest::addRow("names as typed in lower case, FROM alias")
        << QStringLiteral("SELECT c.owner.name, c.id, c.lastname FROM Contact c ORDER BY Id LIMIT 5")
        << QStringList{QStringLiteral("Owner.Name"), QStringLiteral("Id"), QStringLiteral("LastName")};
    QTest::addRow("parent of parent split")
        << QStringLiteral("SELECT Account.Parent.Name, Email, Account.Owner.Name, ReportsTo.Name FROM Contact ORDER BY Id LIMIT 5")
        << QStringList{QStringLiteral("Account.Parent.Name"), QStringLiteral("Email"), QStringLiteral("Account.Owner.Name"),
               QStringLiteral("ReportsTo.Name")};
}

void TestEngineSelectOrder::columnsFollowTheSelectList()
{
    QFETCH(QString, soql);
    QFETCH(QStringList, columns);
    QList<fs::RecordBatch> batches;
    QString error;
    QVERIFY2(runQuery(soql, &batches, &error), qPrintable(error));
    QVERIFY(!batches.isEmpty());
    int rows = 0;
    for (const fs::RecordBatch &b : std::as_const(batches)) {
        rows += b.rowCount();
        if (b.rowCount() > 0)
            QCOMPARE(b.columns(), columns);
    }
    QVERIFY2(rows > 0, "the fixture has rows for every query of this table");
}

void TestEngineSelectOrder::valuesLandInTheirColumns()
{
    // The same contacts, once with the parent fields first and once with them last: each column
    // holds the same values in both orders.
    QList<fs::RecordBatch> a;
    QList<fs::RecordBatch> b;
    QString error;
    QVERIFY2(runQuery(QStringLiteral("SELECT Account.Name, Owner.Name, Id, LastName FROM Contact WHERE AccountId != null ORDER BY Id LIMIT 20"),
                 &a, &error),
        qPrintable(error));
    QVERIFY2(runQuery(QStringLiteral("SELECT Id, LastName, Owner.Name, Account.Name FROM Contact WHERE AccountId != null ORDER BY Id LIMIT 20"),
                 &b, &error),
        qPrintable(error));
    QCOMPARE(a.size(), 1);
    QCOMPARE(b.size(), 1);
    const fs::RecordBatch &x = a.first();
    const fs::RecordBatch &y = b.first();
    QVERIFY(x.rowCount() > 0);
    QCOMPARE(x.rowCount(), y.rowCount());
    QCOMPARE(x.columns(), (QStringList{QStringLiteral("Account.Name"), QStringLiteral("Owner.Name"), QStringLiteral("Id"), QStringLiteral("LastName")}));
    QCOMPARE(y.columns(), (QStringList{QStringLiteral("Id"), QStringLiteral("LastName"), QStringLiteral("Owner.Name"), QStringLiteral("Account.Name")}));
    for (int r = 0; r < x.rowCount(); ++r) {
        QCOMPARE(x.text(r, 2), y.text(r, 0)); // Id
        QCOMPARE(x.text(r, 3), y.text(r, 1)); // LastName
        QCOMPARE(x.text(r, 1), y.text(r, 2)); // Owner.Name
        QCOMPARE(x.text(r, 0), y.text(r, 3)); // Account.Name
        QVERIFY(!x.isNull(r, 0)); // the filter keeps contacts that have an account
        QCOMPARE(x.cellType(r, 0), fs::RecordBatch::CellType::String);
    }
}

QTEST_GUILESS_MAIN(TestEngineSelectOrder)
#include "tst_engine_selectorder.moc"
