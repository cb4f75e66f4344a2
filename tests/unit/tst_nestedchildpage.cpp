// A query page whose child results hold their own child results (API 58.0+, up to five levels
// with the root) parses into nested RecordBatches: every level keeps its rows, totalSize, done and
// nextRecordsUrl, so each level can be paged on its own (reference §3.2).
#include "query/querypageparser.h"

#include <QtTest>

using fs::RecordBatch;
using fs::engine::QueryPageParser;
using CellType = fs::RecordBatch::CellType;

namespace {

// One record of type `type` with Id and Name, plus `childKey` holding `child` when given.
QByteArray record(const QByteArray &type, const QByteArray &id, const QByteArray &name, const QByteArray &childKey = {},
    const QByteArray &child = {})
{
    QByteArray out = R"({"attributes":{"type":")" + type + R"(","url":"/services/data/v59.0/sobjects/)" + type + '/'
        + id + R"("},"Id":")" + id + R"(","Name":")" + name + '"';
    if (!childKey.isEmpty())
        out += ",\"" + childKey + "\":" + child;
    return out + '}';
}

// A query result (top-level page or child result) holding `records`.
QByteArray result(int totalSize, const QByteArray &nextRecordsUrl, const QList<QByteArray> &records)
{
    QByteArray out = "{\"totalSize\":" + QByteArray::number(totalSize) + ",\"done\":"
        + (nextRecordsUrl.isEmpty() ? "true" : "false");
    if (!nextRecordsUrl.isEmpty())
        out += ",\"nextRecordsUrl\":\"" + nextRecordsUrl + '"';
    out += ",\"records\":[";
    for (int i = 0; i < records.size(); ++i)
        out += (i ? "," : "") + records.at(i);
    return out + "]}";
}

// `levels` levels in all (root = 1): level k is object "Lk" with relationship "Rk" to level k+1.
// Every level has one record except the deepest, which has two of a larger, paged result.
QByteArray chain(int levels, QStringList *path)
{
    const QByteArray leafNext = "/services/data/v59.0/query/01gLEAF-499";
    QByteArray inner = result(700, leafNext,
        { record("L" + QByteArray::number(levels), "leaf1", "deep one"),
            record("L" + QByteArray::number(levels), "leaf2", "deep two") });
    for (int k = levels - 1; k >= 1; --k) {
        const QByteArray key = "R" + QByteArray::number(k);
        path->prepend(QString::fromLatin1(key));
        inner = result(1, {},
            { record("L" + QByteArray::number(k), "id" + QByteArray::number(k), "name " + QByteArray::number(k), key,
                inner) });
    }
    return inner;
}

} // namespace

class TestNestedChildPage : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void nestedChildrenBecomeNestedBatches_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QStringList>("path"); // child column followed from row 0 at each level
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("totalSize");
        QTest::addColumn<QString>("nextRecordsUrl");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("lastName");

        const QByteArray cases = result(520, "/services/data/v59.0/query/01gCASES-499",
            { record("Case", "500A", "First case"), record("Case", "500B", "Second case") });
        const QByteArray contacts = result(2, {},
            { record("Contact", "003A", "Ng", "Cases", cases), record("Contact", "003B", "Ot", "Cases", "null") });
        const QByteArray grand = result(1, {}, { record("Account", "001A", "Acme", "Contacts", contacts) });
        QTest::addRow("grand-children") << grand << QStringList { QStringLiteral("Contacts"), QStringLiteral("Cases") }
                                        << 2 << 520 << QStringLiteral("/services/data/v59.0/query/01gCASES-499")
                                        << QStringLiteral("Case") << QStringLiteral("Second case");
        QTest::addRow("child level of a grand-child page") << grand << QStringList { QStringLiteral("Contacts") } << 2 << 2
                                                     << QString() << QStringLiteral("Contact") << QStringLiteral("Ot");
        for (int levels : { 3, 4, 5 }) {
            QStringList path;
            const QByteArray body = chain(levels, &path);
            QTest::addRow("%d levels", levels)
                << body << path << 2 << 700 << QStringLiteral("/services/data/v59.0/query/01gLEAF-499")
                << QStringLiteral("L%1").arg(levels) << QStringLiteral("deep two");
        }
    }
    void nestedChildrenBecomeNestedBatches()
    {
        QFETCH(QByteArray, body);
        QFETCH(QStringList, path);
        QFETCH(int, rows);
        QFETCH(int, totalSize);
        QFETCH(QString, nextRecordsUrl);
        QFETCH(QString, type);
        QFETCH(QString, lastName);

        const auto parsed = QueryPageParser::parse(body);
        if (!parsed.ok())
            QFAIL(qPrintable(parsed.error().message));
        RecordBatch batch = parsed.value();
        for (const QString &rel : path) {
            const int column = batch.columnIndex(rel);
            QVERIFY2(column >= 0, qPrintable(rel + QStringLiteral(" not in ") + batch.columns().join(u',')));
            QCOMPARE(batch.cellType(0, column), CellType::Child);
            batch = batch.child(0, column);
        }
        QCOMPARE(batch.rowCount(), rows);
        QCOMPARE(batch.totalSize(), qint64(totalSize));
        QCOMPARE(batch.done(), nextRecordsUrl.isEmpty());
        QCOMPARE(batch.nextRecordsUrl(), nextRecordsUrl);
        QCOMPARE(batch.sobjectType(), type);
        const int name = batch.columnIndex(QStringLiteral("Name"));
        QVERIFY(name >= 0);
        QCOMPARE(batch.text(rows - 1, name), lastName);
    }

    void nullGrandChildrenReadAsNull()
    {
        const QByteArray body = result(1, {},
            { record("Account", "001A", "Acme", "Contacts",
                result(1, {}, { record("Contact", "003B", "Ot", "Cases", "null") })) });
        const auto parsed = QueryPageParser::parse(body);
        QVERIFY(parsed.ok());
        const RecordBatch contacts = parsed.value().child(0, parsed.value().columnIndex(QStringLiteral("Contacts")));
        QCOMPARE(contacts.rowCount(), 1);
        const int cases = contacts.columnIndex(QStringLiteral("Cases"));
        QVERIFY(cases >= 0);
        QVERIFY(contacts.isNull(0, cases));
    }
};

QTEST_GUILESS_MAIN(TestNestedChildPage)
#include "tst_nestedchildpage.moc"
