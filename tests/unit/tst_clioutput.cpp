// The CLI's output writers: RFC 4180 CSV quoting, aligned tables, the stable JSON document, and
// the streamed page-by-page query output; plus the argument parser's refusals.
#include "clicommand.h"
#include "io/csvwriter.h"
#include "queryoutput.h"
#include "texttable.h"

#include "query/querypageparser.h"
#include "query/recordbatchbuilder.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace fs::cli;
using fs::engine::CsvWriter;

namespace {

fs::RecordBatch twoRows(const QString &firstName)
{
    fs::RecordBatchBuilder b;
    const QByteArray n = firstName.toUtf8();
    b.beginRecord("Account", "001000000000001AAA");
    b.addString("Id", "001000000000001AAA");
    b.addString("Name", std::string_view(n.constData(), size_t(n.size())));
    b.addNumber("NumberOfEmployees", 12);
    b.addBool("IsActive__c", true);
    b.addString("Owner.Name", "Ada");
    b.endRecord();
    b.beginRecord("Account", "001000000000002AAA");
    b.addString("Id", "001000000000002AAA");
    b.addNull("Name");
    b.addNumber("NumberOfEmployees", 2.5);
    b.addBool("IsActive__c", false);
    b.addNullParent("Owner");
    b.endRecord();
    b.setResultInfo(2, true, {});
    return b.build();
}

} // namespace

class TestCliOutput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvQuoting_data();
    void csvQuoting();
    void csvRowEndsInCrlf();
    void tableIsAligned();
    void streamsCsvPageByPage();
    void jsonDocumentShape();
    void jsonWithoutRecords();
    void jsonDocumentIsExact();
    void tableFooterCountsRecords();
    void parserRefusesSecrets_data();
    void parserRefusesSecrets();
    void parserUsageErrors_data();
    void parserUsageErrors();
    void parserAcceptsCommands();
    void usageDocumentsExitCodes();
};

void TestCliOutput::csvQuoting_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("quoted");
    QTest::addRow("plain") << QStringLiteral("Acme") << QStringLiteral("Acme");
    QTest::addRow("empty") << QString() << QString();
    QTest::addRow("comma") << QStringLiteral("Acme, Inc.") << QStringLiteral("\"Acme, Inc.\"");
    QTest::addRow("embedded quotes") << QStringLiteral("The \"Best\" Co") << QStringLiteral("\"The \"\"Best\"\" Co\"");
    QTest::addRow("only a quote") << QStringLiteral("\"") << QStringLiteral("\"\"\"\"");
    QTest::addRow("LF") << QStringLiteral("line1\nline2") << QStringLiteral("\"line1\nline2\"");
    QTest::addRow("CRLF") << QStringLiteral("line1\r\nline2") << QStringLiteral("\"line1\r\nline2\"");
    QTest::addRow("lone CR") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::addRow("leading space") << QStringLiteral("  padded") << QStringLiteral("\"  padded\"");
    QTest::addRow("trailing space") << QStringLiteral("padded ") << QStringLiteral("\"padded \"");
    QTest::addRow("inner space") << QStringLiteral("two words") << QStringLiteral("two words");
    QTest::addRow("unicode") << QStringLiteral("Zürich ✓") << QStringLiteral("Zürich ✓");
    QTest::addRow("semicolon") << QStringLiteral("a;b") << QStringLiteral("a;b");
}

void TestCliOutput::csvQuoting()
{
    QFETCH(QString, field);
    QFETCH(QString, quoted);
    QCOMPARE(CsvWriter::quote(field), quoted);
}

void TestCliOutput::csvRowEndsInCrlf()
{
    QCOMPARE(CsvWriter::row({QStringLiteral("a"), QStringLiteral("b,c"), QString()}), QStringLiteral("a,\"b,c\",\r\n"));
}

void TestCliOutput::tableIsAligned()
{
    const QString t = TextTable::render({QStringLiteral("Name"), QStringLiteral("N")},
        {{QStringLiteral("Acme"), QStringLiteral("1")}, {QStringLiteral("Globex Corporation"), QStringLiteral("22")},
            {QStringLiteral("multi\nline"), QStringLiteral("3")}});
    const QStringList lines = t.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 5);
    // The second column starts at the same offset on every line.
    const qsizetype col = lines.at(0).indexOf(u'N', 1);
    QVERIFY(col > 0);
    QCOMPARE(lines.at(2).indexOf(u'1'), col);
    QCOMPARE(lines.at(3).indexOf(QLatin1String("22")), col);
    QCOMPARE(lines.at(4).indexOf(u'3'), col);
    QVERIFY(lines.at(1).startsWith(QLatin1String("------------------")));
    QVERIFY(lines.at(4).startsWith(QLatin1String("multi line")));

    // Cells wider than the limit are cut with an ellipsis.
    const QString narrow = TextTable::render({QStringLiteral("X")}, {{QString(100, u'x')}}, 10);
    QVERIFY(narrow.contains(QString(9, u'x') + QChar(0x2026)));
    QVERIFY(!narrow.contains(QString(11, u'x')));
}

void TestCliOutput::streamsCsvPageByPage()
{
    QStringList chunks;
    QueryOutput out(OutputFormat::Csv, [&](const QString &s) { chunks.append(s); });
    out.writePage(twoRows(QStringLiteral("Acme, \"Inc\"")));
    QCOMPARE(chunks.size(), 1); // the first page is written before the second exists
    out.writePage(twoRows(QStringLiteral(" lead")));
    QCOMPARE(chunks.size(), 2);
    out.finish(4, 4, true, false);
    const QString all = chunks.join(QString());
    const QStringList lines = all.split(QLatin1String("\r\n"));
    QCOMPARE(lines.at(0), QStringLiteral("Id,Name,NumberOfEmployees,IsActive__c,Owner.Name"));
    QCOMPARE(lines.at(1), QStringLiteral("001000000000001AAA,\"Acme, \"\"Inc\"\"\",12,true,Ada"));
    QCOMPARE(lines.at(2), QStringLiteral("001000000000002AAA,,2.5,false,"));
    QCOMPARE(lines.at(3), QStringLiteral("001000000000001AAA,\" lead\",12,true,Ada"));
    QCOMPARE(lines.size(), 6); // 1 header + 4 rows + "" after the last CRLF
}

void TestCliOutput::jsonDocumentShape()
{
    QString text;
    QueryOutput out(OutputFormat::Json, [&](const QString &s) { text += s; });
    out.writePage(twoRows(QStringLiteral("Acme")));
    out.writePage(twoRows(QStringLiteral("Beta")));
    out.finish(10, 4, false, true);
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
    QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(err.errorString() + u'\n' + text));
    const QJsonObject o = doc.object();
    QCOMPARE(o.value(QLatin1String("totalSize")).toInt(), 10);
    QCOMPARE(o.value(QLatin1String("fetched")).toInt(), 4);
    QCOMPARE(o.value(QLatin1String("done")).toBool(), false);
    QCOMPARE(o.value(QLatin1String("truncated")).toBool(), true);
    const QJsonArray records = o.value(QLatin1String("records")).toArray();
    QCOMPARE(records.size(), 4);
    const QJsonObject first = records.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("Name")).toString(), QStringLiteral("Acme"));
    QCOMPARE(first.value(QLatin1String("NumberOfEmployees")).toDouble(), 12.0);
    QCOMPARE(first.value(QLatin1String("IsActive__c")).toBool(), true);
    QCOMPARE(first.value(QLatin1String("Owner.Name")).toString(), QStringLiteral("Ada"));
    const QJsonObject second = records.at(1).toObject();
    QVERIFY(second.value(QLatin1String("Name")).isNull());
    QCOMPARE(records.at(2).toObject().value(QLatin1String("Name")).toString(), QStringLiteral("Beta"));
}

void TestCliOutput::jsonWithoutRecords()
{
    QString text;
    QueryOutput out(OutputFormat::Json, [&](const QString &s) { text += s; });
    out.finish(0, 0, true, false);
    const QJsonObject o = QJsonDocument::fromJson(text.toUtf8()).object();
    QVERIFY(o.value(QLatin1String("records")).isArray());
    QCOMPARE(o.value(QLatin1String("records")).toArray().size(), 0);
    QCOMPARE(o.value(QLatin1String("done")).toBool(), true);
}

void TestCliOutput::jsonDocumentIsExact()
{
    // Two server pages (reference §3.2 shapes: attributes, a parent object, a null parent, a
    // child subquery and a null one, a compound address, every scalar type and null) through the
    // parser into the writer. The whole document is compared byte for byte: key order (select
    // list; the tail as documented), number forms, booleans, nulls, nesting, one record per line.
    const QByteArray page1 = R"({"totalSize":2,"done":false,"nextRecordsUrl":"/services/data/v59.0/query/01g000000000001AAA-1","records":[
        {"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/001000000000001AAA"},
         "Id":"001000000000001AAA","Name":"Acme \"Quoted\", Inc.",
         "Owner":{"attributes":{"type":"User","url":"/services/data/v59.0/sobjects/User/005000000000001AAA"},"Name":"Ada Lovelace"},
         "NumberOfEmployees":12,"AnnualRevenue":1500000.5,"IsActive__c":true,"Industry":null,
         "BillingAddress":{"city":"Z\u00fcrich","country":"CH"},
         "Contacts":{"totalSize":2,"done":true,"records":[
           {"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/003000000000001AAA"},"LastName":"Ames","Email":"ames@example.com"},
           {"attributes":{"type":"Contact","url":"/services/data/v59.0/sobjects/Contact/003000000000002AAA"},"LastName":"Bo","Email":null}]}}]})";
    const QByteArray page2 = R"({"totalSize":2,"done":true,"records":[
        {"attributes":{"type":"Account","url":"/services/data/v59.0/sobjects/Account/001000000000002AAA"},
         "Id":"001000000000002AAA","Name":"Beta","Owner":null,"NumberOfEmployees":null,"AnnualRevenue":0,
         "IsActive__c":false,"Industry":"Banking","BillingAddress":null,"Contacts":null}]})";
    auto first = fs::engine::QueryPageParser::parse(page1);
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().message));
    auto second = fs::engine::QueryPageParser::parse(page2, first->columns());
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().message));

    QString text;
    QueryOutput out(OutputFormat::Json, [&](const QString &s) { text += s; });
    out.writePage(first.value());
    out.writePage(second.value());
    out.finish(2, 2, true, false);

    const QString expected = QStringLiteral(
        "{\"records\":[\n"
        "{\"Id\":\"001000000000001AAA\",\"Name\":\"Acme \\\"Quoted\\\", Inc.\",\"Owner.Name\":\"Ada Lovelace\","
        "\"NumberOfEmployees\":12,\"AnnualRevenue\":1500000.5,\"IsActive__c\":true,\"Industry\":null,"
        "\"BillingAddress\":{\"city\":\"Z\u00fcrich\",\"country\":\"CH\"},"
        "\"Contacts\":{\"totalSize\":2,\"done\":true,\"records\":["
        "{\"LastName\":\"Ames\",\"Email\":\"ames@example.com\"},{\"LastName\":\"Bo\",\"Email\":null}]}},\n"
        "{\"Id\":\"001000000000002AAA\",\"Name\":\"Beta\",\"Owner.Name\":null,\"NumberOfEmployees\":null,"
        "\"AnnualRevenue\":0,\"IsActive__c\":false,\"Industry\":\"Banking\",\"BillingAddress\":null,\"Contacts\":null}\n"
        "],\"totalSize\":2,\"fetched\":2,\"done\":true,\"truncated\":false}\n");
    QCOMPARE(text, expected);
    // And it is one valid document.
    QJsonParseError err{};
    (void)QJsonDocument::fromJson(text.toUtf8(), &err);
    QCOMPARE(err.error, QJsonParseError::NoError);
}

void TestCliOutput::tableFooterCountsRecords()
{
    QString text;
    QueryOutput out(OutputFormat::Table, [&](const QString &s) { text += s; });
    out.writePage(twoRows(QStringLiteral("Acme")));
    out.finish(2, 2, true, false);
    QVERIFY(text.startsWith(QLatin1String("Id ")));
    QVERIFY(text.contains(QLatin1String("Acme")));
    QVERIFY(text.endsWith(QLatin1String("(2 records)\n")));
}

void TestCliOutput::parserRefusesSecrets_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addRow("--access-token") << QStringList{QStringLiteral("limits"), QStringLiteral("--access-token"), QStringLiteral("abc")};
    QTest::addRow("--access-token=") << QStringList{QStringLiteral("limits"), QStringLiteral("--access-token=abc")};
    QTest::addRow("--token") << QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account"), QStringLiteral("--token"), QStringLiteral("abc")};
    QTest::addRow("--refresh-token") << QStringList{QStringLiteral("org"), QStringLiteral("login"), QStringLiteral("--refresh-token"), QStringLiteral("x")};
    QTest::addRow("--client-secret") << QStringList{QStringLiteral("org"), QStringLiteral("login"), QStringLiteral("--client-secret=x")};
    QTest::addRow("session id as argument")
        << QStringList{QStringLiteral("limits"), QStringLiteral("--instance-url"), QStringLiteral("http://127.0.0.1:1"),
               QStringLiteral("00D5g000004SxyZ!AQ0AQFakeSessionTokenValue1234567890")};
    QTest::addRow("credentials in URL")
        << QStringList{QStringLiteral("limits"), QStringLiteral("--instance-url"), QStringLiteral("https://user:pw@example.com")};
}

void TestCliOutput::parserRefusesSecrets()
{
    QFETCH(QStringList, args);
    const auto r = CliParser::parse(args);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(QLatin1String("SF_ACCESS_TOKEN")), qPrintable(r.error().message));
    // The refusal never echoes the secret.
    QVERIFY(!r.error().message.contains(QLatin1String("AQ0AQFake")));
    QVERIFY(!r.error().message.contains(QLatin1String("pw@")));
}

void TestCliOutput::parserUsageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("needle");
    QTest::addRow("no command") << QStringList{} << QStringLiteral("no command");
    QTest::addRow("unknown command") << QStringList{QStringLiteral("frobnicate")} << QStringLiteral("unknown command");
    QTest::addRow("query without org") << QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account")} << QStringLiteral("--target-org");
    QTest::addRow("query without text") << QStringList{QStringLiteral("query"), QStringLiteral("--demo")} << QStringLiteral("SOQL");
    QTest::addRow("bad format") << QStringList{QStringLiteral("limits"), QStringLiteral("--demo"), QStringLiteral("--format"), QStringLiteral("xml")} << QStringLiteral("--format");
    QTest::addRow("bad limit") << QStringList{QStringLiteral("query"), QStringLiteral("x"), QStringLiteral("--demo"), QStringLiteral("--limit"), QStringLiteral("-3")} << QStringLiteral("--limit");
    QTest::addRow("two connections") << QStringList{QStringLiteral("limits"), QStringLiteral("--demo"), QStringLiteral("-o"), QStringLiteral("dev")} << QStringLiteral("only one");
    QTest::addRow("record update without values") << QStringList{QStringLiteral("record"), QStringLiteral("update"), QStringLiteral("Account"), QStringLiteral("001000000000001AAA"), QStringLiteral("--demo")} << QStringLiteral("--set");
    QTest::addRow("bad --set") << QStringList{QStringLiteral("record"), QStringLiteral("create"), QStringLiteral("Account"), QStringLiteral("--set"), QStringLiteral("Name"), QStringLiteral("--demo")} << QStringLiteral("Field=Value");
    QTest::addRow("bad --json") << QStringList{QStringLiteral("record"), QStringLiteral("create"), QStringLiteral("Account"), QStringLiteral("--json"), QStringLiteral("[1]"), QStringLiteral("--demo")} << QStringLiteral("JSON object");
    QTest::addRow("unknown option") << QStringList{QStringLiteral("limits"), QStringLiteral("--demo"), QStringLiteral("--colour")} << QStringLiteral("unknown option");
    QTest::addRow("missing value") << QStringList{QStringLiteral("limits"), QStringLiteral("--target-org")} << QStringLiteral("needs a value");
    QTest::addRow("unknown record action") << QStringList{QStringLiteral("record"), QStringLiteral("merge"), QStringLiteral("--demo")} << QStringLiteral("unknown record action");
}

void TestCliOutput::parserUsageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, needle);
    const auto r = CliParser::parse(args);
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(needle), qPrintable(r.error().message));
}

void TestCliOutput::parserAcceptsCommands()
{
    auto q = CliParser::parse({QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account"), QStringLiteral("--all"),
        QStringLiteral("--format=csv"), QStringLiteral("--limit"), QStringLiteral("5"), QStringLiteral("--instance-url"),
        QStringLiteral("http://127.0.0.1:8080")});
    QVERIFY(q.ok());
    QCOMPARE(q->command, QStringLiteral("query"));
    QCOMPARE(q->args, QStringList{QStringLiteral("SELECT Id FROM Account")});
    QVERIFY(q->all);
    QCOMPARE(q->format, OutputFormat::Csv);
    QCOMPARE(q->limit, qint64(5));
    QCOMPARE(q->instanceUrl, QUrl(QStringLiteral("http://127.0.0.1:8080")));

    auto u = CliParser::parse({QStringLiteral("record"), QStringLiteral("update"), QStringLiteral("Account"),
        QStringLiteral("001000000000001AAA"), QStringLiteral("--set"), QStringLiteral("Name=Acme = Co"), QStringLiteral("--set"),
        QStringLiteral("Phone="), QStringLiteral("--json"), QStringLiteral("{\"NumberOfEmployees\":12}"),
        QStringLiteral("--expected-modstamp"), QStringLiteral("2024-01-01T00:00:00.000+0000"), QStringLiteral("-o"), QStringLiteral("dev")});
    QVERIFY2(u.ok(), u.ok() ? "" : qPrintable(u.error().message));
    QCOMPARE(u->action, QStringLiteral("update"));
    QCOMPARE(u->values.value(QStringLiteral("Name")).toString(), QStringLiteral("Acme = Co"));
    QVERIFY(u->values.value(QStringLiteral("Phone")).isNull());
    QCOMPARE(u->values.value(QStringLiteral("NumberOfEmployees")).toInt(), 12);
    QCOMPARE(u->targetOrg, QStringLiteral("dev"));

    auto list = CliParser::parse({QStringLiteral("org"), QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY(list.ok());
    QVERIFY(!list->needsConnection());

    auto help = CliParser::parse({QStringLiteral("query"), QStringLiteral("--help")});
    QVERIFY(help.ok());
    QVERIFY(help->help);
}

void TestCliOutput::usageDocumentsExitCodes()
{
    const QString u = CliParser::usage();
    for (const char *code : {"0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "130"})
        QVERIFY2(u.contains(QLatin1String("\n  ") + QLatin1String(code)), code);
    QVERIFY(u.contains(QLatin1String("SF_ACCESS_TOKEN")));
}

QTEST_GUILESS_MAIN(TestCliOutput)
#include "tst_clioutput.moc"
