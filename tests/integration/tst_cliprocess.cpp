// The headless `forcescope <command>` binary against a forcescope-sim child process:
// every output format, describe, limits, the record life cycle with a refused stale update,
// documented exit codes, --demo, --config with a bad key, query --all with a deleted record, a
// 503 fault plan ending in exit code 3 after retries, the exact JSON document of a fixed query,
// and that the access token never reaches stdout, stderr or the CLI's HOME/XDG directories.
#include "clitestkit.h"

#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <utility>

using Run = fs::test::CliRun;

class TestCliProcess : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void cleanup();

    void queryFormats_data();
    void queryFormats();
    void queryLimitAndAll();
    void malformedSoqlNamesLineAndColumn();
    void describeObject();
    void describeUnknownObject();
    void limits();
    void recordLifeCycle();
    void staleUpdateIsRefused();
    void orgListAndShow();
    void metrics();
    void tokenOnCommandLineIsRefused_data();
    void tokenOnCommandLineIsRefused();
    void missingTokenIsAnAuthError();
    void usageErrors_data();
    void usageErrors();
    void helpDocumentsExitCodes();
    void verboseLogHasNoToken();
    void demoMode();
    void configFile_data();
    void configFile();
    void queryAllShowsDeletedRecord();
    void serverUnavailableEndsWithExit3AfterRetries();
    void jsonOutputIsExact();
    void noTokenUnderHome(); // last: scans what every run above left behind

private:
    Run run(const QStringList &args, bool withToken = true, int timeoutMs = 120000);
    // Loopback-only admin endpoint of the simulator (e.g. "faults"); true on a 2xx answer.
    bool admin(const QByteArray &verb, const QString &what, const QByteArray &body = {});
    QString writeFile(const QString &name, const QByteArray &content);
    QString createRecord(const QString &type, const QString &json);
    QStringList conn() const { return {QStringLiteral("--instance-url"), m_baseUrl}; }

    QTemporaryDir m_home;
    QProcess m_sim;
    QString m_baseUrl;
    QString m_token;
    QList<Run> m_runs; // every run of the current test, checked for the token in cleanup()
};

void TestCliProcess::initTestCase()
{
    if (!fs::test::cliBinariesBuilt())
        QSKIP("forcescope or forcescope-sim is not built in FS_BINARY_DIR/bin");
    QVERIFY(m_home.isValid());

    QString error;
    QVERIFY2(fs::test::startSimProcess(m_sim, 0.05, &m_baseUrl, &m_token, &error), qPrintable(error));
    QVERIFY(m_baseUrl.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(m_token.size() > 20);
}

void TestCliProcess::cleanupTestCase()
{
    fs::test::stopProcess(m_sim);
}

void TestCliProcess::cleanup()
{
    (void)admin("DELETE", QStringLiteral("faults"));
    // No secret in any output of any run of the test that just ended.
    const QList<Run> runs = std::exchange(m_runs, {});
    for (const Run &r : runs) {
        QVERIFY2(!r.out.contains(m_token), "access token on stdout");
        QVERIFY2(!r.err.contains(m_token), "access token on stderr");
    }
}

Run TestCliProcess::run(const QStringList &args, bool withToken, int timeoutMs)
{
    const Run r = fs::test::runCli(m_home.path(), args, withToken ? m_token : QString(), timeoutMs);
    m_runs.append(r);
    return r;
}

void TestCliProcess::queryFormats_data()
{
    QTest::addColumn<QString>("format");
    QTest::addRow("csv") << QStringLiteral("csv");
    QTest::addRow("json") << QStringLiteral("json");
    QTest::addRow("table") << QStringLiteral("table");
}

void TestCliProcess::queryFormats()
{
    QFETCH(QString, format);
    const Run r = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id, Name, Owner.Name FROM Account ORDER BY Name LIMIT 7"),
                          QStringLiteral("--format"), format}
        + conn());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    if (format == u"csv") {
        QVERIFY(r.out.endsWith(QLatin1String("\r\n")));
        const QStringList lines = r.out.split(QLatin1String("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 8);
        QCOMPARE(lines.first(), QStringLiteral("Id,Name,Owner.Name"));
        QVERIFY(QRegularExpression(QStringLiteral("^001[A-Za-z0-9]{15},")).match(lines.at(1)).hasMatch());
    } else if (format == u"json") {
        QJsonParseError err{};
        const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8(), &err).object();
        QVERIFY2(err.error == QJsonParseError::NoError, qPrintable(r.out));
        QCOMPARE(o.value(QLatin1String("records")).toArray().size(), 7);
        QCOMPARE(o.value(QLatin1String("totalSize")).toInt(), 7);
        QCOMPARE(o.value(QLatin1String("done")).toBool(), true);
        const QJsonObject rec = o.value(QLatin1String("records")).toArray().first().toObject();
        QVERIFY(rec.value(QLatin1String("Id")).toString().startsWith(QLatin1String("001")));
        QVERIFY(rec.contains(QLatin1String("Owner.Name")));
    } else {
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 10); // header, dashes, 7 rows, footer
        QVERIFY(lines.at(0).startsWith(QLatin1String("Id")));
        QCOMPARE(lines.at(9), QStringLiteral("(7 records)"));
        const qsizetype nameCol = lines.at(0).indexOf(QLatin1String("Name"));
        for (int i = 2; i < 9; ++i)
            QCOMPARE(lines.at(i).at(nameCol - 1), u' '); // aligned: the Id column ends before Name
    }
}

void TestCliProcess::queryLimitAndAll()
{
    const Run r = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account"), QStringLiteral("--limit"),
                          QStringLiteral("3"), QStringLiteral("--all"), QStringLiteral("-f"), QStringLiteral("json")}
        + conn());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QCOMPARE(o.value(QLatin1String("records")).toArray().size(), 3);
    QCOMPARE(o.value(QLatin1String("truncated")).toBool(), true);
}

void TestCliProcess::malformedSoqlNamesLineAndColumn()
{
    const Run r = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account WHERE Name = ")} + conn());
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(QRegularExpression(QStringLiteral("line 1, column \\d+")).match(r.err).hasMatch(), qPrintable(r.err));
    QVERIFY(r.out.isEmpty());
}

void TestCliProcess::describeObject()
{
    const Run table = run(QStringList{QStringLiteral("describe"), QStringLiteral("Account")} + conn());
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    QVERIFY(table.out.contains(QLatin1String("Account_Code__c")));
    const Run json = run(QStringList{QStringLiteral("describe"), QStringLiteral("Account"), QStringLiteral("--format=json")} + conn());
    QCOMPARE(json.exitCode, 0);
    const QJsonObject o = QJsonDocument::fromJson(json.out.toUtf8()).object();
    QCOMPARE(o.value(QLatin1String("name")).toString(), QStringLiteral("Account"));
    bool found = false;
    for (const QJsonValue &f : o.value(QLatin1String("fields")).toArray())
        found = found || (f.toObject().value(QLatin1String("name")).toString() == u"Account_Code__c" && f.toObject().value(QLatin1String("externalId")).toBool());
    QVERIFY(found);
    const Run csv = run(QStringList{QStringLiteral("describe"), QStringLiteral("Account"), QStringLiteral("--format=csv")} + conn());
    QCOMPARE(csv.exitCode, 0);
    QVERIFY(csv.out.startsWith(QLatin1String("Name,Label,Type,Length,Nillable,Createable,Updateable,ReferenceTo\r\n")));
}

void TestCliProcess::describeUnknownObject()
{
    const Run r = run(QStringList{QStringLiteral("describe"), QStringLiteral("NoSuchThing__c")} + conn());
    QCOMPARE(r.exitCode, 4);
    QVERIFY(r.err.contains(QLatin1String("error")));
}

void TestCliProcess::limits()
{
    const Run r = run(QStringList{QStringLiteral("limits"), QStringLiteral("--format"), QStringLiteral("json")} + conn());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject o = QJsonDocument::fromJson(r.out.toUtf8()).object();
    QVERIFY(o.value(QLatin1String("DailyApiRequests")).toObject().value(QLatin1String("Max")).toInt() > 0);
    const Run t = run(QStringList{QStringLiteral("limits")} + conn());
    QCOMPARE(t.exitCode, 0);
    QVERIFY(t.out.contains(QLatin1String("DailyApiRequests")));
}

void TestCliProcess::recordLifeCycle()
{
    const Run created = run(QStringList{QStringLiteral("record"), QStringLiteral("create"), QStringLiteral("Account"), QStringLiteral("--set"),
                                QStringLiteral("Name=CLI \"Quoted\", Inc."), QStringLiteral("--format"), QStringLiteral("json")}
        + conn());
    QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    const QJsonObject c = QJsonDocument::fromJson(created.out.toUtf8()).object();
    const QString id = c.value(QLatin1String("id")).toString();
    QCOMPARE(id.size(), 18);
    QVERIFY(c.value(QLatin1String("created")).toBool());

    const Run got = run(QStringList{QStringLiteral("record"), QStringLiteral("get"), QStringLiteral("Account"), id, QStringLiteral("--fields"),
                            QStringLiteral("Name,Industry"), QStringLiteral("--format"), QStringLiteral("csv")}
        + conn());
    QVERIFY2(got.exitCode == 0, qPrintable(got.err));
    QVERIFY2(got.out.contains(QLatin1String("\"CLI \"\"Quoted\"\", Inc.\"")), qPrintable(got.out));

    const Run updated = run(QStringList{QStringLiteral("record"), QStringLiteral("update"), QStringLiteral("Account"), id, QStringLiteral("--set"),
                                QStringLiteral("Industry=Banking")}
        + conn());
    QVERIFY2(updated.exitCode == 0, qPrintable(updated.err));
    QVERIFY(updated.out.startsWith(QLatin1String("Updated ")));

    const Run table = run(QStringList{QStringLiteral("record"), QStringLiteral("get"), QStringLiteral("Account"), id} + conn());
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains(QLatin1String("Banking")));

    const Run deleted = run(QStringList{QStringLiteral("record"), QStringLiteral("delete"), QStringLiteral("Account"), id} + conn());
    QCOMPARE(deleted.exitCode, 0);
    QCOMPARE(deleted.out, QStringLiteral("Deleted %1\n").arg(id));

    const Run gone = run(QStringList{QStringLiteral("record"), QStringLiteral("get"), QStringLiteral("Account"), id} + conn());
    QCOMPARE(gone.exitCode, 4);
    QVERIFY(gone.out.isEmpty());
}

void TestCliProcess::staleUpdateIsRefused()
{
    const Run created = run(QStringList{QStringLiteral("record"), QStringLiteral("create"), QStringLiteral("Account"), QStringLiteral("--json"),
                                QStringLiteral("{\"Name\":\"Stale\",\"NumberOfEmployees\":5}"), QStringLiteral("-f"), QStringLiteral("json")}
        + conn());
    QVERIFY2(created.exitCode == 0, qPrintable(created.err));
    const QString id = QJsonDocument::fromJson(created.out.toUtf8()).object().value(QLatin1String("id")).toString();
    const Run seen = run(QStringList{QStringLiteral("record"), QStringLiteral("get"), QStringLiteral("Account"), id, QStringLiteral("--fields"),
                             QStringLiteral("Name,SystemModstamp"), QStringLiteral("-f"), QStringLiteral("json")}
        + conn());
    const QString stamp = QJsonDocument::fromJson(seen.out.toUtf8()).object().value(QLatin1String("SystemModstamp")).toString();
    QVERIFY2(!stamp.isEmpty(), qPrintable(seen.out));
    // Modstamps come in whole seconds: a change within the second of the read cannot be told apart.
    const QDateTime seenAt = QDateTime::fromString(stamp.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss")).addSecs(1);
    QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"))
            >= seenAt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")),
        3000);

    // Someone else changes it (separate process, later modstamp).
    const Run other = run(QStringList{QStringLiteral("record"), QStringLiteral("update"), QStringLiteral("Account"), id, QStringLiteral("--set"),
                              QStringLiteral("Name=Theirs")}
        + conn());
    QCOMPARE(other.exitCode, 0);

    const Run mine = run(QStringList{QStringLiteral("record"), QStringLiteral("update"), QStringLiteral("Account"), id, QStringLiteral("--set"),
                             QStringLiteral("Name=Mine"), QStringLiteral("--expected-modstamp"), stamp, QStringLiteral("-f"), QStringLiteral("json")}
        + conn());
    QCOMPARE(mine.exitCode, 5);
    QVERIFY(mine.err.contains(QLatin1String("CONFLICT")));
    const QJsonObject conflict = QJsonDocument::fromJson(mine.out.toUtf8()).object().value(QLatin1String("conflict")).toObject();
    QCOMPARE(conflict.value(QLatin1String("serverValues")).toObject().value(QLatin1String("Name")).toString(), QStringLiteral("Theirs"));
    QCOMPARE(conflict.value(QLatin1String("attempted")).toObject().value(QLatin1String("Name")).toString(), QStringLiteral("Mine"));

    const Run after = run(QStringList{QStringLiteral("record"), QStringLiteral("get"), QStringLiteral("Account"), id, QStringLiteral("--fields"),
                              QStringLiteral("Name"), QStringLiteral("-f"), QStringLiteral("json")}
        + conn());
    QCOMPARE(QJsonDocument::fromJson(after.out.toUtf8()).object().value(QLatin1String("Name")).toString(), QStringLiteral("Theirs"));
}

void TestCliProcess::orgListAndShow()
{
    const Run list = run({QStringLiteral("org"), QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")}, false);
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    QVERIFY(QJsonDocument::fromJson(list.out.toUtf8()).isArray());
    const Run show = run(QStringList{QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("-f"), QStringLiteral("json")} + conn());
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QJsonObject o = QJsonDocument::fromJson(show.out.toUtf8()).object();
    QCOMPARE(o.value(QLatin1String("instanceUrl")).toString(), m_baseUrl);
    QCOMPARE(o.value(QLatin1String("alias")).toString(), QStringLiteral("cli"));
    QVERIFY(!show.out.contains(m_token));
    const Run noOrg = run({QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("--target-org"), QStringLiteral("nope")}, false);
    QCOMPARE(noOrg.exitCode, 4);
}

void TestCliProcess::metrics()
{
    const Run r = run(QStringList{QStringLiteral("metrics")} + conn());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(r.out.contains(QLatin1String("# TYPE sf_requests_total counter")));
}

void TestCliProcess::tokenOnCommandLineIsRefused_data()
{
    QTest::addColumn<QStringList>("extra");
    QTest::addRow("--access-token value") << QStringList{QStringLiteral("--access-token"), QStringLiteral("TOKEN")};
    QTest::addRow("--access-token=value") << QStringList{QStringLiteral("--access-token=TOKEN")};
    QTest::addRow("session id as argument") << QStringList{QStringLiteral("TOKEN")};
}

void TestCliProcess::tokenOnCommandLineIsRefused()
{
    QFETCH(QStringList, extra);
    for (QString &e : extra)
        e.replace(QLatin1String("TOKEN"), m_token);
    const Run r = run(QStringList{QStringLiteral("limits")} + conn() + extra, false);
    QCOMPARE(r.exitCode, 1);
    // Options named after secrets point at SF_ACCESS_TOKEN; a stray argument is refused unechoed.
    QVERIFY2(r.err.contains(QLatin1String("SF_ACCESS_TOKEN")) || r.err.contains(QLatin1String("unexpected extra argument")),
        qPrintable(r.err.left(200).replace(m_token, QStringLiteral("<token>"))));
    QVERIFY(r.out.isEmpty());
}

void TestCliProcess::missingTokenIsAnAuthError()
{
    const Run r = run(QStringList{QStringLiteral("limits")} + conn(), false);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.err.contains(QLatin1String("SF_ACCESS_TOKEN")));
}

void TestCliProcess::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addRow("no org") << QStringList{QStringLiteral("limits")};
    QTest::addRow("bad format") << QStringList{QStringLiteral("limits"), QStringLiteral("--demo"), QStringLiteral("-f"), QStringLiteral("yaml")};
    QTest::addRow("unknown action") << QStringList{QStringLiteral("record"), QStringLiteral("merge"), QStringLiteral("--demo")};
}

void TestCliProcess::usageErrors()
{
    QFETCH(QStringList, args);
    const Run r = run(args, false);
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.err.startsWith(QLatin1String("forcescope: error:")));
}

void TestCliProcess::helpDocumentsExitCodes()
{
    const Run r = run({QStringLiteral("query"), QStringLiteral("--help")}, false);
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains(QLatin1String("Exit codes:")));
    QVERIFY(r.out.contains(QLatin1String("130")));
}

void TestCliProcess::verboseLogHasNoToken()
{
    const Run r = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account WHERE Name = 'secret value' LIMIT 1"),
                          QStringLiteral("--verbose")}
        + conn());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("> GET ")), qPrintable(r.err));
    QVERIFY2(!r.err.contains(QLatin1String("secret value")), qPrintable(r.err)); // literals are sanitized
    // cleanup() checks the token.
}

void TestCliProcess::demoMode()
{
    const Run r = run({QStringLiteral("query"), QStringLiteral("SELECT Id, Name FROM Account LIMIT 3"), QStringLiteral("--demo"),
                          QStringLiteral("--format"), QStringLiteral("csv")},
        false);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QCOMPARE(r.out.split(QLatin1String("\r\n"), Qt::SkipEmptyParts).size(), 4);
}

bool TestCliProcess::admin(const QByteArray &verb, const QString &what, const QByteArray &body)
{
    QNetworkAccessManager nam;
    QNetworkRequest req(QUrl(m_baseUrl + QStringLiteral("/__admin/") + what));
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/yaml"));
    QNetworkReply *reply = nam.sendCustomRequest(req, verb, body);
    const bool answered = QTest::qWaitFor([reply] { return reply->isFinished(); }, 30000);
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    reply->deleteLater();
    return answered && status >= 200 && status < 300;
}

QString TestCliProcess::writeFile(const QString &name, const QByteArray &content)
{
    const QString path = m_home.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(content) != content.size())
        return {};
    return path;
}

QString TestCliProcess::createRecord(const QString &type, const QString &json)
{
    const Run r = run(QStringList{QStringLiteral("record"), QStringLiteral("create"), type, QStringLiteral("--json"), json,
                          QStringLiteral("-f"), QStringLiteral("json")}
        + conn());
    if (r.exitCode != 0) {
        qWarning() << "create failed:" << r.err;
        return {};
    }
    return QJsonDocument::fromJson(r.out.toUtf8()).object().value(QLatin1String("id")).toString();
}

void TestCliProcess::configFile_data()
{
    // An empty `yaml` means: point --config at a file that does not exist.
    QTest::addColumn<QByteArray>("yaml");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("named"); // what stderr must name besides the file
    QTest::addRow("wrong type") << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: lots\n") << 1
                                << QStringLiteral("resilience.retry.max_attempts");
    QTest::addRow("out of range") << QByteArray("salesforce:\n  resilience:\n    circuit_breaker:\n      failure_threshold: 0\n")
                                  << 1 << QStringLiteral("resilience.circuit_breaker.failure_threshold");
    QTest::addRow("section not a mapping") << QByteArray("salesforce:\n  timeouts: 5\n") << 1 << QStringLiteral("timeouts");
    QTest::addRow("unset environment variable") << QByteArray("salesforce:\n  api_version: ${FS_TEST_SURELY_UNSET_VARIABLE}\n") << 1
                                                << QStringLiteral("FS_TEST_SURELY_UNSET_VARIABLE");
    QTest::addRow("misspelt key") << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attemps: 2\n") << 1
                                  << QStringLiteral("unknown key \"resilience.retry.max_attemps\" (did you mean \"max_attempts\"?)");
    QTest::addRow("not YAML") << QByteArray("salesforce: [unclosed\n") << 1 << QStringLiteral("YAML");
    QTest::addRow("missing file") << QByteArray() << 1 << QStringLiteral("Cannot read");
    QTest::addRow("good file") << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: 2\n") << 0 << QString();
}

void TestCliProcess::configFile()
{
    QFETCH(QByteArray, yaml);
    QFETCH(int, exitCode);
    QFETCH(QString, named);
    const QString path = yaml.isEmpty() ? m_home.filePath(QStringLiteral("no-such-config.yaml"))
                                        : writeFile(QStringLiteral("config-%1.yaml").arg(QString::fromLatin1(QTest::currentDataTag())).replace(u' ', u'-'), yaml);
    QVERIFY(!path.isEmpty());
    const Run r = run(QStringList{QStringLiteral("limits"), QStringLiteral("--config"), path} + conn());
    QCOMPARE(r.exitCode, exitCode);
    if (exitCode == 0) {
        QVERIFY(r.out.contains(QLatin1String("DailyApiRequests")));
        return;
    }
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith(QLatin1String("forcescope: error: ")), qPrintable(r.err));
    QVERIFY2(r.err.contains(path), qPrintable(r.err));
    QVERIFY2(r.err.contains(named), qPrintable(r.err));
}

void TestCliProcess::queryAllShowsDeletedRecord()
{
    const QString name = QStringLiteral("CLI Deleted %1").arg(QDateTime::currentMSecsSinceEpoch());
    const QString id = createRecord(QStringLiteral("Account"), QStringLiteral("{\"Name\":\"%1\"}").arg(name));
    QCOMPARE(id.size(), 18);
    const Run del = run(QStringList{QStringLiteral("record"), QStringLiteral("delete"), QStringLiteral("Account"), id} + conn());
    QVERIFY2(del.exitCode == 0, qPrintable(del.err));

    const QStringList query{QStringLiteral("query"), QStringLiteral("SELECT Id, IsDeleted FROM Account WHERE Name = '%1'").arg(name),
        QStringLiteral("-f"), QStringLiteral("json")};
    const Run plain = run(query + conn());
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    QVERIFY2(!plain.out.contains(id), qPrintable(plain.out));
    QCOMPARE(QJsonDocument::fromJson(plain.out.toUtf8()).object().value(QLatin1String("records")).toArray().size(), 0);

    const Run all = run(query + QStringList{QStringLiteral("--all")} + conn());
    QVERIFY2(all.exitCode == 0, qPrintable(all.err));
    const QJsonArray records = QJsonDocument::fromJson(all.out.toUtf8()).object().value(QLatin1String("records")).toArray();
    QCOMPARE(records.size(), 1);
    QCOMPARE(records.at(0).toObject().value(QLatin1String("Id")).toString(), id);
    QCOMPARE(records.at(0).toObject().value(QLatin1String("IsDeleted")).toBool(), true);

    // The table format shows it too.
    const Run table = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account WHERE Name = '%1'").arg(name),
                              QStringLiteral("--all")}
        + conn());
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains(id));
}

void TestCliProcess::serverUnavailableEndsWithExit3AfterRetries()
{
    // Every query call answers 503; three attempts with short delays (from --config), then exit 3.
    const QString config = writeFile(QStringLiteral("fast-retry.yaml"),
        "salesforce:\n  resilience:\n    retry:\n      max_attempts: 3\n      base_delay_ms: 20\n      max_delay_ms: 100\n");
    QVERIFY(!config.isEmpty());
    QVERIFY(admin("POST", QStringLiteral("faults"),
        "rules:\n  - action: unavailable\n    path: \"/services/data/*/query*\"\n"));
    const Run r = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account LIMIT 1"), QStringLiteral("--config"),
                          config, QStringLiteral("--verbose")}
        + conn());
    QVERIFY(admin("DELETE", QStringLiteral("faults")));
    QCOMPARE(r.exitCode, 3);
    QVERIFY(r.out.isEmpty());
    int attempts = 0;
    for (const QString &line : r.err.split(u'\n')) {
        if (line.startsWith(QLatin1String("> GET /services/data/")) && line.contains(QLatin1String("/query?q=")))
            ++attempts;
    }
    QVERIFY2(attempts == 3, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("\u2192 503")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("attempt 3")), qPrintable(r.err));
    QVERIFY2(r.err.contains(QLatin1String("forcescope: error: ")), qPrintable(r.err));

    // With the fault gone the same command works again.
    const Run ok = run(QStringList{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account LIMIT 1")} + conn());
    QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
}

void TestCliProcess::jsonOutputIsExact()
{
    // Records of our own, so every value is known: a parent account, a child account with two
    // contacts. Compared byte for byte with the documented document.
    const QString tag = QString::number(QDateTime::currentMSecsSinceEpoch());
    const QString parent = createRecord(QStringLiteral("Account"),
        QStringLiteral("{\"Name\":\"JSON Parent %1\",\"Industry\":\"Banking\"}").arg(tag));
    QCOMPARE(parent.size(), 18);
    const QString child = createRecord(QStringLiteral("Account"),
        QStringLiteral("{\"Name\":\"JSON Child %1\",\"ParentId\":\"%2\",\"NumberOfEmployees\":12,\"AnnualRevenue\":1500000.5}")
            .arg(tag, parent));
    QCOMPARE(child.size(), 18);
    QVERIFY(!createRecord(QStringLiteral("Contact"),
        QStringLiteral("{\"LastName\":\"Ames\",\"Email\":\"ames@example.com\",\"HasOptedOutOfEmail\":true,\"AccountId\":\"%1\"}").arg(child))
                 .isEmpty());
    QVERIFY(!createRecord(QStringLiteral("Contact"),
        QStringLiteral("{\"LastName\":\"Bo \\\"Q\\\"\",\"HasOptedOutOfEmail\":false,\"AccountId\":\"%1\"}").arg(child))
                 .isEmpty());

    const Run r = run(QStringList{QStringLiteral("query"),
                          QStringLiteral("SELECT Name, Parent.Name, NumberOfEmployees, AnnualRevenue, Industry, "
                                         "(SELECT LastName, Email, HasOptedOutOfEmail FROM Contacts ORDER BY LastName) "
                                         "FROM Account WHERE Id IN ('%1', '%2') ORDER BY Name")
                              .arg(parent, child),
                          QStringLiteral("--format"), QStringLiteral("json")}
        + conn());
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QString expected = QStringLiteral(
        "{\"records\":[\n"
        "{\"Name\":\"JSON Child %1\",\"Parent.Name\":\"JSON Parent %1\",\"NumberOfEmployees\":12,\"AnnualRevenue\":1500000.5,"
        "\"Industry\":null,\"Contacts\":{\"totalSize\":2,\"done\":true,\"records\":["
        "{\"LastName\":\"Ames\",\"Email\":\"ames@example.com\",\"HasOptedOutOfEmail\":true},"
        "{\"LastName\":\"Bo \\\"Q\\\"\",\"Email\":null,\"HasOptedOutOfEmail\":false}]}},\n"
        "{\"Name\":\"JSON Parent %1\",\"Parent.Name\":null,\"NumberOfEmployees\":null,\"AnnualRevenue\":null,"
        "\"Industry\":\"Banking\",\"Contacts\":null}\n"
        "],\"totalSize\":2,\"fetched\":2,\"done\":true,\"truncated\":false}\n")
                                 .arg(tag);
    QCOMPARE(r.out, expected);
}

void TestCliProcess::noTokenUnderHome()
{
    // Everything the runs above wrote under the CLI's HOME and XDG config/data/cache directories.
    const fs::test::FileScan scan = fs::test::scanFiles(m_home.path(), {m_token.toUtf8(), QUrl::toPercentEncoding(m_token)});
    QVERIFY2(scan.unreadable.isEmpty(), qPrintable(scan.unreadable.join(u',')));
    QVERIFY2(scan.hits.at(0).isEmpty(), qPrintable(QStringLiteral("token in ") + scan.hits.at(0).join(u',')));
    QVERIFY2(scan.hits.at(1).isEmpty(), qPrintable(QStringLiteral("encoded token in ") + scan.hits.at(1).join(u',')));
    QVERIFY(scan.files > 0); // at least the config files written above
}

QTEST_GUILESS_MAIN(TestCliProcess)
#include "tst_cliprocess.moc"
