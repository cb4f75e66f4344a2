#include "api/recordbatch.h"
#include "query/recordbatchbuilder.h"

#include <QtTest>

using fs::RecordBatch;
using fs::RecordBatchBuilder;
using CellType = fs::RecordBatch::CellType;

class TestRecordBatch : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyBatch();
    void cellsOfEveryType();
    void implicitSharing();
    void laterRowsAddColumnsInPlace();
    void nullParentPlaceholder();
    void nullParentPlaceholder_data();
    void seededColumnsKeepOrder();
    void childBatches();
    void truncatedKeepsFirstRows();
    void outOfRangeIsNull();
    void crossesThreadsAsValue();
    void utf8ViewsWithoutDecoding();
    void idColumnSharesTheRecordId();
    void arenaGrowsAcrossManyRows();
    void sparseColumnsPastTheReservedRows();
};

void TestRecordBatch::emptyBatch()
{
    RecordBatch batch;
    QVERIFY(batch.isEmpty());
    QCOMPARE(batch.rowCount(), 0);
    QCOMPARE(batch.columnCount(), 0);
    QVERIFY(batch.columns().isEmpty());
    QCOMPARE(batch.columnIndex(QStringLiteral("Id")), -1);
    QCOMPARE(batch.totalSize(), 0);
    QVERIFY(batch.done());
    QCOMPARE(batch.byteSize(), 0);
    QVERIFY(!batch.value(0, 0).isValid());
}

void TestRecordBatch::cellsOfEveryType()
{
    RecordBatchBuilder b;
    b.beginRecord("Account", "001000000000001AAA");
    b.addString("Name", "Acme \xc3\xa9\xe2\x82\xac"); // é€
    b.addNumber("AnnualRevenue", 1234.5);
    b.addBool("IsActive__c", true);
    b.addNull("Phone");
    b.addObject("BillingAddress", R"({"city":"Paris"})");
    b.addNumber("NumberOfEmployees", 12);
    b.endRecord();
    const RecordBatch batch = b.build();

    QCOMPARE(batch.rowCount(), 1);
    QCOMPARE(batch.columns(),
        QStringList({ QStringLiteral("Name"), QStringLiteral("AnnualRevenue"), QStringLiteral("IsActive__c"),
            QStringLiteral("Phone"), QStringLiteral("BillingAddress"), QStringLiteral("NumberOfEmployees") }));
    QCOMPARE(batch.sobjectType(), QStringLiteral("Account"));
    QCOMPARE(batch.recordType(0), QStringLiteral("Account"));
    QCOMPARE(batch.recordId(0), QStringLiteral("001000000000001AAA"));
    QCOMPARE(batch.columnIndex(QStringLiteral("annualrevenue")), 1);

    QCOMPARE(batch.cellType(0, 0), CellType::String);
    QCOMPARE(batch.text(0, 0), QStringLiteral("Acme é€"));
    QCOMPARE(batch.value(0, 0), QVariant(QStringLiteral("Acme é€")));
    QCOMPARE(batch.cellType(0, 1), CellType::Number);
    QCOMPARE(batch.number(0, 1), 1234.5);
    QCOMPARE(batch.text(0, 1), QStringLiteral("1234.5"));
    QCOMPARE(batch.value(0, 1), QVariant(1234.5));
    QCOMPARE(batch.cellType(0, 2), CellType::Boolean);
    QCOMPARE(batch.text(0, 2), QStringLiteral("true"));
    QCOMPARE(batch.value(0, 2), QVariant(true));
    QVERIFY(batch.isNull(0, 3));
    QCOMPARE(batch.text(0, 3), QString());
    QVERIFY(!batch.value(0, 3).isValid());
    QCOMPARE(batch.cellType(0, 4), CellType::Object);
    QCOMPARE(batch.text(0, 4), QStringLiteral(R"({"city":"Paris"})"));
    QCOMPARE(batch.text(0, 5), QStringLiteral("12"));
    QCOMPARE(batch.number(0, 0), 0.0); // not a number
    QVERIFY(batch.byteSize() > 0);
}

void TestRecordBatch::implicitSharing()
{
    RecordBatchBuilder b;
    b.beginRecord("Contact");
    b.addString("LastName", "Ng");
    const RecordBatch a = b.build();
    RecordBatch copy = a;
    QCOMPARE(copy.text(0, 0), QStringLiteral("Ng"));
    RecordBatch moved = std::move(copy);
    QCOMPARE(moved.text(0, 0), QStringLiteral("Ng"));
    QCOMPARE(a.rowCount(), 1);
    // The builder is reset after build().
    QCOMPARE(b.rowCount(), 0);
    QVERIFY(b.build().isEmpty());
}

void TestRecordBatch::laterRowsAddColumnsInPlace()
{
    RecordBatchBuilder b;
    b.beginRecord("Account");
    b.addString("Id", "1");
    b.addString("Name", "A");
    b.endRecord();
    b.beginRecord("Account");
    b.addString("Id", "2");
    b.addString("Site", "Paris"); // new: goes after Id, before Name
    b.addString("Name", "B");
    b.addString("Extra", "x"); // new at the end
    b.endRecord();
    b.beginRecord("Account");
    b.addString("Zero", "z"); // new, first in its row: goes to the front
    b.addString("Id", "3");
    b.endRecord();
    const RecordBatch batch = b.build();
    QCOMPARE(batch.columns(),
        QStringList({ QStringLiteral("Zero"), QStringLiteral("Id"), QStringLiteral("Site"), QStringLiteral("Name"),
            QStringLiteral("Extra") }));
    QCOMPARE(batch.rowCount(), 3);
    QVERIFY(batch.isNull(0, batch.columnIndex(QStringLiteral("Site"))));
    QCOMPARE(batch.text(1, batch.columnIndex(QStringLiteral("Site"))), QStringLiteral("Paris"));
    QVERIFY(batch.isNull(2, batch.columnIndex(QStringLiteral("Name"))));
    QCOMPARE(batch.text(2, batch.columnIndex(QStringLiteral("Zero"))), QStringLiteral("z"));
    QCOMPARE(batch.text(2, batch.columnIndex(QStringLiteral("Id"))), QStringLiteral("3"));
    QVERIFY(batch.isNull(0, batch.columnIndex(QStringLiteral("Zero"))));
}

void TestRecordBatch::nullParentPlaceholder_data()
{
    QTest::addColumn<bool>("laterRowHasParent");
    QTest::addColumn<QStringList>("columns");
    QTest::addRow("placeholder replaced by the parent's columns")
        << true << QStringList { QStringLiteral("Id"), QStringLiteral("Account.Name"), QStringLiteral("LastName") };
    QTest::addRow("placeholder kept when every lookup is null")
        << false << QStringList { QStringLiteral("Id"), QStringLiteral("Account"), QStringLiteral("LastName") };
}

void TestRecordBatch::nullParentPlaceholder()
{
    QFETCH(bool, laterRowHasParent);
    QFETCH(QStringList, columns);
    RecordBatchBuilder b;
    b.beginRecord("Contact");
    b.addString("Id", "1");
    b.addNullParent("Account");
    b.addString("LastName", "Ng");
    b.endRecord();
    b.beginRecord("Contact");
    b.addString("Id", "2");
    if (laterRowHasParent)
        b.addString("Account.Name", "Acme");
    else
        b.addNullParent("Account");
    b.addString("LastName", "Li");
    b.endRecord();
    // A third row with a null parent whose columns are now known.
    b.beginRecord("Contact");
    b.addString("Id", "3");
    b.addNullParent("Account");
    b.addString("LastName", "Wu");
    b.endRecord();
    const RecordBatch batch = b.build();
    QCOMPARE(batch.columns(), columns);
    QVERIFY(batch.isNull(0, 1));
    QVERIFY(batch.isNull(2, 1));
    QCOMPARE(batch.text(1, 1), laterRowHasParent ? QStringLiteral("Acme") : QString());
    QCOMPARE(batch.text(2, 2), QStringLiteral("Wu"));
}

void TestRecordBatch::seededColumnsKeepOrder()
{
    RecordBatchBuilder b;
    b.seedColumns({ QStringLiteral("Id"), QStringLiteral("Account.Name"), QStringLiteral("LastName") });
    b.beginRecord("Contact");
    b.addString("Id", "1");
    b.addNullParent("Account"); // known parent: no placeholder
    b.addString("LastName", "Ng");
    b.endRecord();
    const RecordBatch batch = b.build();
    QCOMPARE(batch.columns(),
        QStringList({ QStringLiteral("Id"), QStringLiteral("Account.Name"), QStringLiteral("LastName") }));
    QVERIFY(batch.isNull(0, 1));
}

void TestRecordBatch::childBatches()
{
    RecordBatchBuilder child;
    child.beginRecord("Contact", "003000000000001AAA");
    child.addString("LastName", "Ng");
    child.setResultInfo(1200, false, QStringLiteral("/services/data/v59.0/query/01gX-499"));
    const RecordBatch contacts = child.build();

    RecordBatchBuilder b;
    b.beginRecord("Account");
    b.addString("Name", "A");
    b.addChild("Contacts", contacts);
    b.beginRecord("Account"); // implicitly ends the previous record
    b.addString("Name", "B");
    b.addChild("Contacts", RecordBatch()); // no children → Null
    const RecordBatch batch = b.build();
    QCOMPARE(batch.rowCount(), 2);
    QCOMPARE(batch.cellType(0, 1), CellType::Child);
    QCOMPARE(batch.text(0, 1), QStringLiteral("1200 records"));
    const RecordBatch nested = batch.child(0, 1);
    QCOMPARE(nested.totalSize(), 1200);
    QVERIFY(!nested.done());
    QCOMPARE(nested.nextRecordsUrl(), QStringLiteral("/services/data/v59.0/query/01gX-499"));
    QCOMPARE(nested.text(0, 0), QStringLiteral("Ng"));
    QCOMPARE(batch.value(0, 1).value<RecordBatch>().rowCount(), 1);
    QVERIFY(batch.isNull(1, 1));
    QVERIFY(batch.child(1, 1).isEmpty());
    QVERIFY(batch.byteSize() > nested.byteSize());
}

void TestRecordBatch::truncatedKeepsFirstRows()
{
    RecordBatchBuilder b;
    for (int i = 0; i < 10; ++i) {
        const std::string id = std::to_string(i);
        b.beginRecord("Account", id);
        b.addString("Id", id);
        b.addNumber("N", i);
        b.endRecord();
    }
    b.setResultInfo(100, false, QStringLiteral("/next"));
    const RecordBatch batch = b.build();
    const RecordBatch cut = RecordBatchBuilder::truncated(batch, 4);
    QCOMPARE(cut.rowCount(), 4);
    QCOMPARE(batch.rowCount(), 10);
    QCOMPARE(cut.text(3, 0), QStringLiteral("3"));
    QCOMPARE(cut.recordId(3), QStringLiteral("3"));
    QCOMPARE(cut.number(3, 1), 3.0);
    QCOMPARE(cut.columns(), batch.columns());
    QCOMPARE(RecordBatchBuilder::truncated(batch, 50).rowCount(), 10);
    QCOMPARE(RecordBatchBuilder::truncated(batch, -1).rowCount(), 0);
}

void TestRecordBatch::outOfRangeIsNull()
{
    RecordBatchBuilder b;
    b.beginRecord("Account");
    b.addString("Name", "A");
    const RecordBatch batch = b.build();
    QCOMPARE(batch.cellType(5, 0), CellType::Null);
    QCOMPARE(batch.cellType(0, 9), CellType::Null);
    QCOMPARE(batch.cellType(-1, -1), CellType::Null);
    QCOMPARE(batch.text(3, 3), QString());
    QVERIFY(!batch.value(3, 3).isValid());
    QCOMPARE(batch.recordType(7), QString());
    QCOMPARE(batch.recordId(0), QString()); // no attributes.url and no Id column
}

void TestRecordBatch::crossesThreadsAsValue()
{
    RecordBatchBuilder b;
    b.beginRecord("Account");
    b.addString("Name", "A");
    const RecordBatch batch = b.build();
    const QVariant v = QVariant::fromValue(batch);
    QCOMPARE(v.value<RecordBatch>().text(0, 0), QStringLiteral("A"));
    QVERIFY(QMetaType::fromType<RecordBatch>().isValid());
}

void TestRecordBatch::utf8ViewsWithoutDecoding()
{
    RecordBatchBuilder b;
    b.beginRecord("Account", "001000000000001AAA");
    b.addString("Name", "Caf\xc3\xa9");
    b.addObject("BillingAddress", R"({"city":"Paris"})");
    b.addNumber("NumberOfEmployees", 12);
    b.addNull("Phone");
    b.addString("Site", "");
    const RecordBatch batch = b.build();
    QCOMPARE(batch.utf8(0, 0), QByteArrayView("Caf\xc3\xa9"));
    QCOMPARE(batch.utf8(0, 1), QByteArrayView(R"({"city":"Paris"})"));
    QVERIFY(batch.utf8(0, 2).isEmpty()); // Number
    QVERIFY(batch.utf8(0, 3).isEmpty()); // Null
    QVERIFY(batch.utf8(0, 4).isEmpty());
    QCOMPARE(batch.cellType(0, 4), CellType::String);
    QVERIFY(batch.utf8(5, 0).isEmpty()); // out of range
    QVERIFY(RecordBatch().utf8(0, 0).isEmpty());
}

void TestRecordBatch::idColumnSharesTheRecordId()
{
    RecordBatchBuilder b;
    b.beginRecord("Account", "001000000000001AAA");
    b.addString("Id", "001000000000001AAA");
    b.addString("Name", "001000000000001AAA"); // same bytes in another column: shared as well
    b.beginRecord("Account", "001000000000002AAA");
    b.addString("Id", "001000000000009AAA"); // differs from the url id: its own bytes
    b.addString("Name", "B");
    b.beginRecord("Account");
    b.addString("Id", "001000000000001AAA"); // no url id in this row: nothing to share
    b.addString("Name", "C");
    const RecordBatch batch = b.build();
    QCOMPARE(batch.text(0, 0), QStringLiteral("001000000000001AAA"));
    QCOMPARE(batch.text(0, 1), QStringLiteral("001000000000001AAA"));
    QCOMPARE(batch.recordId(0), QStringLiteral("001000000000001AAA"));
    QCOMPARE(batch.text(1, 0), QStringLiteral("001000000000009AAA"));
    QCOMPARE(batch.recordId(1), QStringLiteral("001000000000002AAA"));
    QCOMPARE(batch.text(2, 0), QStringLiteral("001000000000001AAA"));
    QCOMPARE(batch.recordId(2), QStringLiteral("001000000000001AAA")); // from the Id column
    QCOMPARE(batch.text(2, 1), QStringLiteral("C"));
}

void TestRecordBatch::arenaGrowsAcrossManyRows()
{
    RecordBatchBuilder b;
    b.reserve(4, 8); // far too small: the arena and columns must grow
    for (int i = 0; i < 5000; ++i) {
        b.beginRecord("Contact");
        const QByteArray name = "Name number " + QByteArray::number(i);
        b.addString("LastName", std::string_view(name.constData(), size_t(name.size())));
        b.addNumber("Score__c", i);
    }
    const RecordBatch batch = b.build();
    QCOMPARE(batch.rowCount(), 5000);
    QCOMPARE(batch.text(0, 0), QStringLiteral("Name number 0"));
    QCOMPARE(batch.text(4999, 0), QStringLiteral("Name number 4999"));
    QCOMPARE(batch.number(4999, 1), 4999.0);
    const RecordBatch firstRows = RecordBatchBuilder::truncated(batch, 3);
    QCOMPARE(firstRows.rowCount(), 3);
    QCOMPARE(firstRows.text(2, 0), QStringLiteral("Name number 2"));
    QCOMPARE(batch.text(4999, 0), QStringLiteral("Name number 4999")); // the original is untouched
}

// Columns are sized ahead for the reserved rows: a column that first appears, or skips rows,
// beyond that reserve must still read Null wherever no cell was set, and a path given twice in a
// row keeps the last value.
void TestRecordBatch::sparseColumnsPastTheReservedRows()
{
    RecordBatchBuilder b;
    b.reserve(10, 64);
    for (int i = 0; i < 300; ++i) {
        b.beginRecord("Lead");
        b.addNumber("Row", i);
        if (i % 7 == 0)
            b.addString("Every7th", "x");
        if (i >= 250) {
            b.addBool("Late", i % 2 == 0);
            b.addBool("Late", true); // the same path again: last one wins
        }
    }
    const RecordBatch batch = b.build();
    QCOMPARE(batch.rowCount(), 300);
    // "Late" first came in a row without "Every7th": it goes right after "Row".
    QCOMPARE(batch.columns(), QStringList({ QStringLiteral("Row"), QStringLiteral("Late"), QStringLiteral("Every7th") }));
    for (int i = 0; i < 300; ++i) {
        QCOMPARE(batch.number(i, 0), double(i));
        QCOMPARE(batch.cellType(i, 2), i % 7 == 0 ? RecordBatch::CellType::String : RecordBatch::CellType::Null);
        if (i < 250) {
            QCOMPARE(batch.cellType(i, 1), RecordBatch::CellType::Null);
        } else {
            QCOMPARE(batch.cellType(i, 1), RecordBatch::CellType::Boolean);
            QVERIFY(batch.value(i, 1).toBool());
        }
    }
}

QTEST_GUILESS_MAIN(TestRecordBatch)
#include "tst_recordbatch.moc"
