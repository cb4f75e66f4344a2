#include "query/querypageparser.h"

#include <QtTest>

using fs::RecordBatch;
using fs::engine::QueryPageParser;
using CellType = fs::RecordBatch::CellType;

namespace {

// "S:text", "N:12", "B:true", "null", "C:<rows>/<totalSize>", "O:{json}"
QString cellRepr(const RecordBatch &batch, int row, int column)
{
    switch (batch.cellType(row, column)) {
    case CellType::Null:
        return QStringLiteral("null");
    case CellType::String:
        return QStringLiteral("S:") + batch.text(row, column);
    case CellType::Number:
        return QStringLiteral("N:") + batch.text(row, column);
    case CellType::Boolean:
        return QStringLiteral("B:") + batch.text(row, column);
    case CellType::Child: {
        const RecordBatch child = batch.child(row, column);
        return QStringLiteral("C:%1/%2").arg(child.rowCount()).arg(child.totalSize());
    }
    case CellType::Object:
        return QStringLiteral("O:") + batch.text(row, column);
    }
    return {};
}

QList<QStringList> rowsOf(const RecordBatch &batch)
{
    QList<QStringList> rows;
    for (int r = 0; r < batch.rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < batch.columnCount(); ++c)
            row << cellRepr(batch, r, c);
        rows << row;
    }
    return rows;
}

QStringList L(std::initializer_list<const char16_t *> items)
{
    QStringList list;
    for (const char16_t *item : items)
        list << QString::fromUtf16(item);
    return list;
}

} // namespace

class TestQueryPageParser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pages_data();
    void pages();
    void recordAttributes();
    void escapedAttributes();
    void childSubqueryKeepsCursor();
    void locatorReportedBeforeRecords();
    void seedColumnsAcrossPages();
    void corruptPages_data();
    void corruptPages();
    void sharedBodyWithoutPadding();
};

void TestQueryPageParser::pages_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QStringList>("columns");
    QTest::addColumn<QList<QStringList>>("rows");
    QTest::addColumn<qint64>("totalSize");
    QTest::addColumn<bool>("done");
    QTest::addColumn<QString>("next");

    QTest::addRow("scalars of every kind")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/001RO00000XyZaBYAV"},"Id":"001RO00000XyZaBYAV","Name":"Acme","NumberOfEmployees":12,"AnnualRevenue":35000.5,"IsDeleted":false,"Phone":null,"CreatedDate":"2023-11-14T22:13:20.000+0000"}]})")
        << L({ u"Id", u"Name", u"NumberOfEmployees", u"AnnualRevenue", u"IsDeleted", u"Phone", u"CreatedDate" })
        << QList<QStringList> { L({ u"S:001RO00000XyZaBYAV", u"S:Acme", u"N:12", u"N:35000.5", u"B:false", u"null",
               u"S:2023-11-14T22:13:20.000+0000" }) }
        << qint64(1) << true << QString();

    QTest::addRow("parents nested three levels, null at each level")
        << QByteArray(R"({"totalSize":4,"done":true,"records":[)"
                      R"({"attributes":{"type":"Contact","url":"/x/003A"},"Id":"003A","Account":{"attributes":{"type":"Account","url":"/x/001A"},"Name":"Acme","Owner":{"attributes":{"type":"User","url":"/x/005A"},"Name":"Ann","Manager":{"attributes":{"type":"User","url":"/x/005B"},"Email":"b@x.org"}}},"LastName":"Ng"},)"
                      R"({"attributes":{"type":"Contact","url":"/x/003B"},"Id":"003B","Account":{"attributes":{"type":"Account","url":"/x/001B"},"Name":"Beta","Owner":{"attributes":{"type":"User","url":"/x/005C"},"Name":"Bob","Manager":null}},"LastName":"Li"},)"
                      R"({"attributes":{"type":"Contact","url":"/x/003C"},"Id":"003C","Account":{"attributes":{"type":"Account","url":"/x/001C"},"Name":"Gamma","Owner":null},"LastName":"Wu"},)"
                      R"({"attributes":{"type":"Contact","url":"/x/003D"},"Id":"003D","Account":null,"LastName":"Xu"}]})")
        << L({ u"Id", u"Account.Name", u"Account.Owner.Name", u"Account.Owner.Manager.Email", u"LastName" })
        << QList<QStringList> { L({ u"S:003A", u"S:Acme", u"S:Ann", u"S:b@x.org", u"S:Ng" }),
               L({ u"S:003B", u"S:Beta", u"S:Bob", u"null", u"S:Li" }),
               L({ u"S:003C", u"S:Gamma", u"null", u"null", u"S:Wu" }),
               L({ u"S:003D", u"null", u"null", u"null", u"S:Xu" }) }
        << qint64(4) << true << QString();

    QTest::addRow("escapes at 16-byte block edges")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"A"},)"
                      R"("P15":"abcdefghijklmno","P16":"abcdefghijklmnop","P17":"abcdefghijklmnopq",)"
                      R"("E15":"abcdefghijklmno\n","E16":"abcdefghijklmnop\t","E31":"abcdefghijklmnopqrstuvwxyz01234\"",)"
                      R"("E32":"abcdefghijklmnopqrstuvwxyz012345\\","Key_With_Escape_After_Sixteen\u0041":"k"}]})")
        << L({ u"P15", u"P16", u"P17", u"E15", u"E16", u"E31", u"E32", u"Key_With_Escape_After_SixteenA" })
        << QList<QStringList> { L({ u"S:abcdefghijklmno", u"S:abcdefghijklmnop", u"S:abcdefghijklmnopq",
            u"S:abcdefghijklmno\n", u"S:abcdefghijklmnop\t", u"S:abcdefghijklmnopqrstuvwxyz01234\"",
            u"S:abcdefghijklmnopqrstuvwxyz012345\\", u"S:k" }) }
        << qint64(1) << true << QString();

    QTest::addRow("keys with escapes and whitespace around colons")
        << QByteArray("{ \"totalSize\" :\n1 ,\t\"done\"\r\n:\ttrue, \"records\" : [ { \"attributes\" :\n{ \"type\" : \"A\" } ,\n"
                      "  \"A\\\"B\"\t:\t\"q\" ,\n  \"Plain\"\n:\n\"p\"\t\n, \"Tab\\tKey\" : \"t\" , \"Num\" :  7 \n} ]\n}\n")
        << L({ u"A\"B", u"Plain", u"Tab\tKey", u"Num" })
        << QList<QStringList> { L({ u"S:q", u"S:p", u"S:t", u"N:7" }) } << qint64(1) << true << QString();

    QTest::addRow("columns that differ in one byte swap places")
        << QByteArray(R"({"totalSize":3,"done":true,"records":[)"
                      R"({"attributes":{"type":"A"},"X1":"a","Ab_c1":"b","Field_0000001":"c","X2":"d","Ab_c2":"e","Field_0000002":"f"},)"
                      R"({"attributes":{"type":"A"},"X2":"g","Ab_c2":"h","Field_0000002":"i","X1":"j","Ab_c1":"k","Field_0000001":"l"},)"
                      R"({"attributes":{"type":"A"},"X1":"m","Ab_c2":"n","Field_0000001":"o"}]})")
        << L({ u"X1", u"Ab_c1", u"Field_0000001", u"X2", u"Ab_c2", u"Field_0000002" })
        << QList<QStringList> { L({ u"S:a", u"S:b", u"S:c", u"S:d", u"S:e", u"S:f" }),
               L({ u"S:j", u"S:k", u"S:l", u"S:g", u"S:h", u"S:i" }),
               L({ u"S:m", u"null", u"S:o", u"null", u"S:n", u"null" }) }
        << qint64(3) << true << QString();

    QTest::addRow("null parent first, parent later")
        << QByteArray(R"({"totalSize":2,"done":true,"records":[)"
                      R"({"attributes":{"type":"Contact","url":"/x/003A"},"Id":"003A","Account":null,"LastName":"Ng"},)"
                      R"({"attributes":{"type":"Contact","url":"/x/003B"},"Id":"003B","Account":{"attributes":{"type":"Account","url":"/x/001B"},"Name":"Beta"},"LastName":"Li"}]})")
        << L({ u"Id", u"Account.Name", u"LastName" })
        << QList<QStringList> { L({ u"S:003A", u"null", u"S:Ng" }), L({ u"S:003B", u"S:Beta", u"S:Li" }) }
        << qint64(2) << true << QString();

    QTest::addRow("child subqueries null vs with records")
        << QByteArray(R"({"totalSize":2,"done":true,"records":[)"
                      R"({"attributes":{"type":"Account","url":"/x/001A"},"Name":"Acme","Contacts":{"totalSize":2,"done":true,"records":[{"attributes":{"type":"Contact","url":"/x/003A"},"LastName":"Ng"},{"attributes":{"type":"Contact","url":"/x/003B"},"LastName":"Li"}]}},)"
                      R"({"attributes":{"type":"Account","url":"/x/001B"},"Name":"Beta","Contacts":null}]})")
        << L({ u"Name", u"Contacts" })
        << QList<QStringList> { L({ u"S:Acme", u"C:2/2" }), L({ u"S:Beta", u"null" }) }
        << qint64(2) << true << QString();

    QTest::addRow("aggregates with expr0 and alias")
        << QByteArray(R"({"totalSize":2,"done":true,"records":[)"
                      R"({"attributes":{"type":"AggregateResult"},"StageName":"Prospecting","expr0":12,"total":35000.0},)"
                      R"({"attributes":{"type":"AggregateResult"},"StageName":"Closed Won","expr0":3,"total":91000.0}]})")
        << L({ u"StageName", u"expr0", u"total" })
        << QList<QStringList> { L({ u"S:Prospecting", u"N:12", u"N:35000" }),
               L({ u"S:Closed Won", u"N:3", u"N:91000" }) }
        << qint64(2) << true << QString();

    QTest::addRow("COUNT() with empty records")
        << QByteArray(R"({"totalSize":42,"done":true,"records":[]})") << QStringList() << QList<QStringList>()
        << qint64(42) << true << QString();

    QTest::addRow("unicode and escapes")
        << QByteArray("{\"totalSize\":1,\"done\":true,\"records\":[{\"attributes\":{\"type\":\"Account\",\"url\":\"/x/001A\"},"
                      "\"Name\":\"Caf\xc3\xa9 \\\"quoted\\\" back\\\\slash\",\"Description\":\"line1\\nline2\\ttab \\u00e9\\u20ac \\ud83d\\ude00\","
                      "\"Site\":\"\xe6\x97\xa5\xe6\x9c\xac\"}]}")
        << L({ u"Name", u"Description", u"Site" })
        << QList<QStringList> { QStringList { QStringLiteral("S:Café \"quoted\" back\\slash"),
               QStringLiteral("S:line1\nline2\ttab é€ \U0001F600"), QStringLiteral("S:日本") } }
        << qint64(1) << true << QString();

    QTest::addRow("escaped key and escaped value")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"A"},"Na\u006de":"x","Plain":"a\"b","Tail":"c\\"}]})")
        << L({ u"Name", u"Plain", u"Tail" })
        << QList<QStringList> { QStringList { QStringLiteral("S:x"), QStringLiteral("S:a\"b"), QStringLiteral("S:c\\") } }
        << qint64(1) << true << QString();

    QTest::addRow("numbers, booleans, nulls")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"X__c","url":"/x/a00A"},"I":-7,"D":0.1,"E":1.5e10,"Big":9007199254740993,"T":true,"F":false,"Z":null,"Zero":0}]})")
        << L({ u"I", u"D", u"E", u"Big", u"T", u"F", u"Z", u"Zero" })
        << QList<QStringList> { L({ u"N:-7", u"N:0.1", u"N:15000000000", u"N:9007199254740992", u"B:true", u"B:false",
               u"null", u"N:0" }) }
        << qint64(1) << true << QString();

    QTest::addRow("compound address and location")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/x/001A"},"BillingAddress":{ "city" : "Paris", "country":"FR","latitude":48.85,"longitude":2.35,"postalCode":null },"Location__c":{"latitude":37.79,"longitude":-122.39},"Tags__c":["a","b"]}]})")
        << L({ u"BillingAddress", u"Location__c", u"Tags__c" })
        << QList<QStringList> {
               L({ u"O:{\"city\":\"Paris\",\"country\":\"FR\",\"latitude\":48.85,\"longitude\":2.35,\"postalCode\":null}",
                   u"O:{\"latitude\":37.79,\"longitude\":-122.39}", u"O:[\"a\",\"b\"]" })
           }
        << qint64(1) << true << QString();

    QTest::addRow("first page of several")
        << QByteArray(R"({"totalSize":3012,"done":false,"nextRecordsUrl":"/services/data/v59.0/query/01gRO00000AbCdEYAV-2000","records":[{"attributes":{"type":"Contact","url":"/x/003A"},"Id":"003A"}]})")
        << L({ u"Id" }) << QList<QStringList> { L({ u"S:003A" }) } << qint64(3012) << false
        << QStringLiteral("/services/data/v59.0/query/01gRO00000AbCdEYAV-2000");

    QTest::addRow("records before the page fields, pretty printed")
        << QByteArray("{\n  \"records\" : [ {\n \"attributes\" : { \"type\" : \"Contact\" },\n \"Id\" : \"003A\" } ],\n"
                      "  \"done\" : true,\n  \"totalSize\" : 1\n}\n")
        << L({ u"Id" }) << QList<QStringList> { L({ u"S:003A" }) } << qint64(1) << true << QString();

    // The parser finds a string's end eight bytes at a time: quotes and backslashes on and
    // around word boundaries, empty and long strings.
    QTest::addRow("strings around word boundaries")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"A"},"E":"","S7":"1234567","S8":"12345678","S16":"123456789abcdefg","Q8":"1234567\"x","B9":"12345678\\","U":"abcdefghijklmnop\u00e9q","LongKeyName_With_Many_Chars__c":"v"}]})")
        << L({ u"E", u"S7", u"S8", u"S16", u"Q8", u"B9", u"U", u"LongKeyName_With_Many_Chars__c" })
        << QList<QStringList> { QStringList { QStringLiteral("S:"), QStringLiteral("S:1234567"), QStringLiteral("S:12345678"),
               QStringLiteral("S:123456789abcdefg"), QStringLiteral("S:1234567\"x"), QStringLiteral("S:12345678\\"),
               QStringLiteral("S:abcdefghijklmnopéq"), QStringLiteral("S:v") } }
        << qint64(1) << true << QString();

    QTest::addRow("escaped attributes, Id unlike the url id")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"Acc\u006funt","url":"/services/data/v59.0/sobjects/Account/001\u0041"},"Id":"001B","Name":"x"}]})")
        << L({ u"Id", u"Name" }) << QList<QStringList> { L({ u"S:001B", u"S:x" }) } << qint64(1) << true << QString();

    QTest::addRow("whitespace around every value")
        << QByteArray("{ \"totalSize\" : 2 , \"done\" : true , \"records\" : [ { \"attributes\" : { \"type\" : \"A\" , \"url\" : \"/x/001A\" } ,"
                      " \"Name\" : \"Acme\" \t, \"Amount\" : -12.5 ,\n\"Exp\" : 2.5E3 , \"Ok\" : true , \"No\" : null } ,\n"
                      " { \"attributes\" : { \"type\" : \"A\" } , \"Name\" : \"B\\\"\" , \"Amount\" : 0 , \"Exp\" : 1e2 , \"Ok\" : false , \"No\" : \"n\" } ] }")
        << L({ u"Name", u"Amount", u"Exp", u"Ok", u"No" })
        << QList<QStringList> { L({ u"S:Acme", u"N:-12.5", u"N:2500", u"B:true", u"null" }),
               L({ u"S:B\"", u"N:0", u"N:100", u"B:false", u"S:n" }) }
        << qint64(2) << true << QString();

    QTest::addRow("later records add columns")
        << QByteArray(R"({"totalSize":2,"done":true,"records":[{"attributes":{"type":"Account"},"Id":"1","Name":"A"},{"attributes":{"type":"Account"},"Id":"2","Site":"P","Name":"B"}]})")
        << L({ u"Id", u"Site", u"Name" })
        << QList<QStringList> { L({ u"S:1", u"null", u"S:A" }), L({ u"S:2", u"S:P", u"S:B" }) } << qint64(2) << true
        << QString();
}

void TestQueryPageParser::pages()
{
    QFETCH(QByteArray, body);
    QFETCH(QStringList, columns);
    QFETCH(QList<QStringList>, rows);
    QFETCH(qint64, totalSize);
    QFETCH(bool, done);
    QFETCH(QString, next);

    const fs::Result<RecordBatch> result = QueryPageParser::parse(body);
    QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().detail));
    const RecordBatch &batch = result.value();
    QCOMPARE(batch.columns(), columns);
    QCOMPARE(rowsOf(batch), rows);
    QCOMPARE(batch.totalSize(), totalSize);
    QCOMPARE(batch.done(), done);
    QCOMPARE(batch.nextRecordsUrl(), next);

    // A body with room after it (as the transport hands them over) is parsed in place: same batch.
    QByteArray roomy;
    roomy.reserve(body.size() + 64);
    roomy.append(body);
    const fs::Result<RecordBatch> inPlace = QueryPageParser::parse(roomy);
    QVERIFY(inPlace.ok());
    QCOMPARE(inPlace.value().columns(), columns);
    QCOMPARE(rowsOf(inPlace.value()), rows);
}

void TestQueryPageParser::recordAttributes()
{
    const QByteArray body(R"({"totalSize":3,"done":true,"records":[)"
                          R"({"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/003RO00000BcDeFYAV"},"Name":"A"},)"
                          R"({"attributes":{"type":"Lead","url":"/services/data/v59.0/sobjects/Lead/00QRO00000BcDeFYAV"},"Name":"B"},)"
                          R"({"attributes":{"type":"AggregateResult"},"Id":"001RO00000XyZaBYAV","Name":"C"}]})");
    const auto result = QueryPageParser::parse(body);
    QVERIFY(result.ok());
    const RecordBatch &batch = result.value();
    QCOMPARE(batch.sobjectType(), QStringLiteral("Contact"));
    QCOMPARE(batch.recordType(1), QStringLiteral("Lead"));
    QCOMPARE(batch.recordId(0), QStringLiteral("003RO00000BcDeFYAV"));
    QCOMPARE(batch.recordId(1), QStringLiteral("00QRO00000BcDeFYAV"));
    QCOMPARE(batch.recordId(2), QStringLiteral("001RO00000XyZaBYAV")); // from the Id column
    // Id first appears in the last row, before Name: it is placed before Name.
    QCOMPARE(batch.columns(), QStringList({ QStringLiteral("Id"), QStringLiteral("Name") }));
}

void TestQueryPageParser::escapedAttributes()
{
    const QByteArray body(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"Acc\u006funt","url":"/services/data/v59.0/sobjects/Account/001\u0041"},"Id":"001B"}]})");
    const auto result = QueryPageParser::parse(body);
    QVERIFY(result.ok());
    QCOMPARE(result.value().sobjectType(), QStringLiteral("Account"));
    QCOMPARE(result.value().recordId(0), QStringLiteral("001A"));
    QCOMPARE(result.value().text(0, 0), QStringLiteral("001B"));
}

void TestQueryPageParser::childSubqueryKeepsCursor()
{
    const QByteArray body(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"Account","url":"/x/001A"},"Name":"Acme",)"
                          R"("Contacts":{"totalSize":1200,"done":false,"nextRecordsUrl":"/services/data/v59.0/query/01g1C00007zabMdQAI-499","records":[)"
                          R"({"attributes":{"type":"Contact","url":"/x/003A"},"LastName":"Ng","ReportsTo":{"attributes":{"type":"Contact","url":"/x/003Z"},"Name":"Boss"}}]},)"
                          R"("Opportunities":{"totalSize":0,"done":true,"records":[]}}]})");
    QStringList locators;
    const auto result = QueryPageParser::parse(body, {}, [&](const QString &url) { locators << url; });
    QVERIFY(result.ok());
    QVERIFY(locators.isEmpty()); // a child's cursor is not the page's
    const RecordBatch &batch = result.value();
    QCOMPARE(batch.cellType(0, 1), CellType::Child);
    const RecordBatch contacts = batch.child(0, 1);
    QCOMPARE(contacts.totalSize(), 1200);
    QVERIFY(!contacts.done());
    QCOMPARE(contacts.nextRecordsUrl(), QStringLiteral("/services/data/v59.0/query/01g1C00007zabMdQAI-499"));
    QCOMPARE(contacts.sobjectType(), QStringLiteral("Contact"));
    QCOMPARE(contacts.columns(), QStringList({ QStringLiteral("LastName"), QStringLiteral("ReportsTo.Name") }));
    QCOMPARE(contacts.text(0, 1), QStringLiteral("Boss"));
    QCOMPARE(contacts.recordId(0), QStringLiteral("003A"));
    QVERIFY(batch.isNull(0, 2)); // an empty child result reads as Null
}

void TestQueryPageParser::locatorReportedBeforeRecords()
{
    QByteArray body(R"({"totalSize":3,"done":false,"nextRecordsUrl":"/services/data/v59.0/query/01gA-2","records":[)");
    body += R"({"attributes":{"type":"A"},"Id":"1"},{"attributes":{"type":"A"},"Id":"2"}]})";
    int calls = 0;
    QString seen;
    const auto result = QueryPageParser::parse(body, {}, [&](const QString &url) {
        ++calls;
        seen = url;
    });
    QVERIFY(result.ok());
    QCOMPARE(calls, 1);
    QCOMPARE(seen, QStringLiteral("/services/data/v59.0/query/01gA-2"));
    QCOMPARE(result.value().rowCount(), 2);
}

void TestQueryPageParser::seedColumnsAcrossPages()
{
    const QByteArray body(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"Contact"},"Id":"1","Account":null,"LastName":"Ng"}]})");
    const auto result = QueryPageParser::parse(body,
        { QStringLiteral("Id"), QStringLiteral("Account.Name"), QStringLiteral("Account.Owner.Name"),
            QStringLiteral("LastName") });
    QVERIFY(result.ok());
    QCOMPARE(result.value().columns(),
        QStringList({ QStringLiteral("Id"), QStringLiteral("Account.Name"), QStringLiteral("Account.Owner.Name"),
            QStringLiteral("LastName") }));
    QVERIFY(result.value().isNull(0, 2));
}

void TestQueryPageParser::corruptPages_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addRow("empty body") << QByteArray();
    QTest::addRow("html error page") << QByteArray("<html><body>Bad gateway</body></html>");
    QTest::addRow("truncated in a record")
        << QByteArray(R"({"totalSize":2,"done":true,"records":[{"attributes":{"type":"A"},"Id":"1"},{"attributes":{"type":"A"},"Id":"2)");
    QTest::addRow("truncated after a record")
        << QByteArray(R"({"totalSize":2,"done":true,"records":[{"attributes":{"type":"A"},"Id":"1"},)");
    QTest::addRow("array instead of object") << QByteArray(R"([{"message":"x","errorCode":"Y"}])");
    QTest::addRow("records is not an array") << QByteArray(R"({"totalSize":1,"done":true,"records":{"a":1}})");
    QTest::addRow("record is not an object") << QByteArray(R"({"totalSize":1,"done":true,"records":[42]})");
    QTest::addRow("no records key") << QByteArray(R"({"totalSize":1,"done":true})");
    QTest::addRow("no done key") << QByteArray(R"({"totalSize":1,"records":[]})");
    QTest::addRow("done is a string") << QByteArray(R"({"totalSize":1,"done":"yes","records":[]})");
    QTest::addRow("invalid utf-8") << QByteArray("{\"totalSize\":1,\"done\":true,\"records\":[{\"Name\":\"\xff\xfe\"}]}");
    QTest::addRow("bad literal") << QByteArray(R"({"totalSize":1,"done":true,"records":[{"Name":nul}]})");
    QTest::addRow("unterminated string at the end") << QByteArray(R"({"totalSize":1,"done":true,"records":[{"Name":"abcdefghijk)");
    QTest::addRow("bad escape") << QByteArray(R"({"totalSize":1,"done":true,"records":[{"Name":"\q"}]})");
    QTest::addRow("broken child result")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"Contacts":{"totalSize":1,"done":true,"records":[{"LastName":]}}]})");
    QTest::addRow("child result without records")
        << QByteArray(R"({"totalSize":1,"done":true,"records":[{"Contacts":{"totalSize":1,"done":true}}]})");
}

void TestQueryPageParser::corruptPages()
{
    QFETCH(QByteArray, body);
    const auto result = QueryPageParser::parse(body);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().category, fs::EngineError::Category::Server);
    QCOMPARE(result.error().message, QueryPageParser::malformedMessage());
    QVERIFY(result.error().message.startsWith(QStringLiteral("The server sent a malformed query page")));
}

void TestQueryPageParser::sharedBodyWithoutPadding()
{
    // An exactly-sized, shared array: the parser must pad its own copy.
    QByteArray body(R"({"totalSize":1,"done":true,"records":[{"attributes":{"type":"A"},"Id":"1"}]})");
    body.squeeze();
    const QByteArray shared = body;
    const auto result = QueryPageParser::parse(shared);
    QVERIFY(result.ok());
    QCOMPARE(result.value().text(0, 0), QStringLiteral("1"));
    QCOMPARE(body, shared);
}

QTEST_GUILESS_MAIN(TestQueryPageParser)
#include "tst_querypageparser.moc"
