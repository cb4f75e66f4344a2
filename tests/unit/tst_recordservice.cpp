// RecordService building blocks that need no server: id and name checks, modstamp parsing and
// comparison, HTTP dates, error and save-result mapping, and input validation (no request sent).
#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "records/recordjson.h"
#include "records/recordservice.h"
#include "transport/transport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTest>

using namespace fs::engine;
using namespace fs::engine::recordjson;

namespace {

// Credentials for a port nobody listens on: any request that did go out would fail with Network.
class FakeCredentials : public Credentials {
public:
    QUrl instanceUrl() const override { return QUrl(QStringLiteral("http://127.0.0.1:9")); }
    QString apiVersion() const override { return QStringLiteral("59.0"); }
    QString accessToken() const override { return QStringLiteral("not-a-real-token"); }
    bool canRefresh() const override { return false; }
    void refresh(std::function<void(fs::Result<void>)> done) override
    {
        done(fs::EngineError::make(fs::EngineError::Category::Auth, QStringLiteral("no refresh")));
    }
};

} // namespace

class TestRecordService : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void apiNames_data();
    void apiNames();
    void recordIds_data();
    void recordIds();
    void to18MatchesReference();
    void parsesSalesforceDateTimes_data();
    void parsesSalesforceDateTimes();
    void httpDateRoundsUp_data();
    void httpDateRoundsUp();
    void newerModstamp_data();
    void newerModstamp();
    void errorMapping_data();
    void errorMapping();
    void saveResultMapping();
    void invalidInputFailsWithoutRequest_data();
    void invalidInputFailsWithoutRequest();
    void invalidUpdateIsAPerRecordError();
    void notConnectedIsAnAuthError();
};

void TestRecordService::apiNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("ok");
    QTest::addRow("standard") << QStringLiteral("Account") << true;
    QTest::addRow("custom") << QStringLiteral("Ext_Id__c") << true;
    QTest::addRow("namespaced") << QStringLiteral("ns__Obj__c") << true;
    QTest::addRow("empty") << QString() << false;
    QTest::addRow("leading digit") << QStringLiteral("1Account") << false;
    QTest::addRow("path traversal") << QStringLiteral("../limits") << false;
    QTest::addRow("query injection") << QStringLiteral("Name?fields=Id") << false;
    QTest::addRow("space") << QStringLiteral("First Name") << false;
    QTest::addRow("dotted") << QStringLiteral("Account.Name") << false;
}

void TestRecordService::apiNames()
{
    QFETCH(QString, name);
    QFETCH(bool, ok);
    QCOMPARE(isApiName(name), ok);
}

void TestRecordService::recordIds_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<bool>("ok");
    QTest::addRow("15 chars") << QStringLiteral("0015g00000AbCdE") << true;
    QTest::addRow("18 chars") << QStringLiteral("0015g00000AbCdEAAV") << true;
    QTest::addRow("16 chars") << QStringLiteral("0015g00000AbCdEA") << false;
    QTest::addRow("slash") << QStringLiteral("0015g00000AbC/E") << false;
    QTest::addRow("empty") << QString() << false;
}

void TestRecordService::recordIds()
{
    QFETCH(QString, id);
    QFETCH(bool, ok);
    QCOMPARE(isRecordId(id), ok);
}

void TestRecordService::to18MatchesReference()
{
    // Worked example of reference §4.4.
    QCOMPARE(to18(QStringLiteral("0015g00000AbCdE")), QStringLiteral("0015g00000AbCdEAAV"));
    QCOMPARE(to18(QStringLiteral("0015g00000AbCdEAAV")), QStringLiteral("0015g00000AbCdEAAV"));
}

void TestRecordService::parsesSalesforceDateTimes_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("msecs");
    const qint64 base = QDateTime(QDate(2023, 11, 14), QTime(22, 13, 20, 0), Qt::UTC).toMSecsSinceEpoch();
    QTest::addRow("offset without colon") << QStringLiteral("2023-11-14T22:13:20.000+0000") << base;
    QTest::addRow("milliseconds") << QStringLiteral("2023-11-14T22:13:20.123+0000") << base + 123;
    QTest::addRow("zulu") << QStringLiteral("2023-11-14T22:13:20.000Z") << base;
    QTest::addRow("offset with colon") << QStringLiteral("2023-11-14T23:13:20.000+01:00") << base;
    QTest::addRow("negative offset") << QStringLiteral("2023-11-14T17:13:20.000-0500") << base;
    QTest::addRow("garbage") << QStringLiteral("yesterday") << qint64(-1);
}

void TestRecordService::parsesSalesforceDateTimes()
{
    QFETCH(QString, text);
    QFETCH(qint64, msecs);
    const QDateTime dt = parseDateTime(text);
    if (msecs < 0) {
        QVERIFY(!dt.isValid());
        return;
    }
    QVERIFY2(dt.isValid(), qPrintable(text));
    QCOMPARE(dt.toMSecsSinceEpoch(), msecs);
}

void TestRecordService::httpDateRoundsUp_data()
{
    QTest::addColumn<QString>("modstamp");
    QTest::addColumn<QByteArray>("httpDate");
    QTest::addRow("whole second") << QStringLiteral("2015-10-21T07:28:00.000+0000") << QByteArray("Wed, 21 Oct 2015 07:28:00 GMT");
    QTest::addRow("fraction rounds up") << QStringLiteral("2015-10-21T07:28:00.001+0000") << QByteArray("Wed, 21 Oct 2015 07:28:01 GMT");
    QTest::addRow("across midnight") << QStringLiteral("2015-10-21T23:59:59.500+0000") << QByteArray("Thu, 22 Oct 2015 00:00:00 GMT");
}

void TestRecordService::httpDateRoundsUp()
{
    QFETCH(QString, modstamp);
    QFETCH(QByteArray, httpDate);
    QCOMPARE(httpDateCeil(parseDateTime(modstamp)), httpDate);
}

void TestRecordService::newerModstamp_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("newer");
    QTest::addRow("same") << QStringLiteral("2023-11-14T22:13:20.000+0000") << QStringLiteral("2023-11-14T22:13:20.000+0000") << false;
    QTest::addRow("same instant, other notation") << QStringLiteral("2023-11-14T22:13:20.000+0000") << QStringLiteral("2023-11-14T22:13:20.000Z") << false;
    QTest::addRow("one ms later") << QStringLiteral("2023-11-14T22:13:20.001+0000") << QStringLiteral("2023-11-14T22:13:20.000+0000") << true;
    QTest::addRow("older on server") << QStringLiteral("2023-11-14T22:13:19.000+0000") << QStringLiteral("2023-11-14T22:13:20.000+0000") << false;
    QTest::addRow("unparsable and different") << QStringLiteral("x") << QStringLiteral("y") << true;
}

void TestRecordService::newerModstamp()
{
    QFETCH(QString, server);
    QFETCH(QString, expected);
    QFETCH(bool, newer);
    QCOMPARE(isNewer(server, expected), newer);
}

void TestRecordService::errorMapping_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("category");
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("retryable");
    using C = fs::EngineError::Category;
    QTest::addRow("required field") << 400
                                    << QByteArray(R"([{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}])")
                                    << int(C::Validation) << QStringLiteral("REQUIRED_FIELD_MISSING") << false;
    QTest::addRow("not found") << 404 << QByteArray(R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])")
                               << int(C::Validation) << QStringLiteral("NOT_FOUND") << false;
    QTest::addRow("precondition") << 412 << QByteArray(R"([{"errorCode":"PRECONDITION_FAILED","message":"modified"}])")
                                  << int(C::Conflict) << QStringLiteral("PRECONDITION_FAILED") << false;
    QTest::addRow("412 without body") << 412 << QByteArray() << int(C::Conflict) << QStringLiteral("PRECONDITION_FAILED") << false;
    QTest::addRow("limit") << 403 << QByteArray(R"([{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}])")
                           << int(C::Limits) << QStringLiteral("REQUEST_LIMIT_EXCEEDED") << false;
    QTest::addRow("lock row") << 400 << QByteArray(R"([{"errorCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access"}])")
                              << int(C::Validation) << QStringLiteral("UNABLE_TO_LOCK_ROW") << true;
    QTest::addRow("server") << 500 << QByteArray("<html>oops</html>") << int(C::Server) << QString() << true;
    QTest::addRow("expired session") << 401 << QByteArray(R"([{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}])")
                                     << int(C::Auth) << QStringLiteral("INVALID_SESSION_ID") << false;
}

void TestRecordService::errorMapping()
{
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    QFETCH(int, category);
    QFETCH(QString, code);
    QFETCH(bool, retryable);
    const fs::EngineError e = errorFromResponse(status, body, QStringLiteral("fallback"));
    QCOMPARE(int(e.category), category);
    QCOMPARE(e.errorCode, code);
    QCOMPARE(e.retryable, retryable);
    QCOMPARE(e.httpStatus, status);
    QVERIFY(!e.message.isEmpty());
}

void TestRecordService::saveResultMapping()
{
    const QJsonDocument ok = QJsonDocument::fromJson(R"({"id":"001RO00000XyZaBYAV","success":true,"errors":[],"created":true})");
    const fs::SaveResult a = saveResultFromJson(ok.object());
    QVERIFY(a.success);
    QVERIFY(a.created);
    QCOMPARE(a.id, QStringLiteral("001RO00000XyZaBYAV"));
    QVERIFY(a.errors.isEmpty());

    const QJsonDocument bad = QJsonDocument::fromJson(
        R"({"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [LastName]","fields":["LastName"]}]})");
    const fs::SaveResult b = saveResultFromJson(bad.object());
    QVERIFY(!b.success);
    QCOMPARE(b.errors.size(), 1);
    QCOMPARE(b.errors.first().errorCode, QStringLiteral("REQUIRED_FIELD_MISSING"));
    QCOMPARE(b.errors.first().fields, QStringList{QStringLiteral("LastName")});

    // success:false with no error entry still carries one error.
    const fs::SaveResult c = saveResultFromJson(QJsonObject{{QStringLiteral("success"), false}});
    QCOMPARE(c.errors.size(), 1);
}

void TestRecordService::invalidInputFailsWithoutRequest_data()
{
    QTest::addColumn<QString>("op");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("id");
    QTest::addRow("get bad object") << QStringLiteral("get") << QStringLiteral("Acc/ount") << QStringLiteral("001000000000001AAA");
    QTest::addRow("get bad id") << QStringLiteral("get") << QStringLiteral("Account") << QStringLiteral("001?x");
    QTest::addRow("delete bad id") << QStringLiteral("delete") << QStringLiteral("Account") << QStringLiteral("../../limits");
    QTest::addRow("create bad object") << QStringLiteral("create") << QStringLiteral("Account Name") << QString();
    QTest::addRow("upsert bad field") << QStringLiteral("upsert") << QStringLiteral("Account") << QString();
}

void TestRecordService::invalidInputFailsWithoutRequest()
{
    QFETCH(QString, op);
    QFETCH(QString, type);
    QFETCH(QString, id);
    EngineConfig config;
    Transport transport(config);
    transport.setCredentials(std::make_shared<FakeCredentials>());
    RecordService service(&transport);
    QSignalSpy failed(&service, &RecordService::failed);
    QSignalSpy logged(&transport, &Transport::requestLogged);
    if (op == u"get")
        service.getRecord(7, type, id, {});
    else if (op == u"delete")
        service.deleteRecord(7, type, id);
    else if (op == u"create")
        service.createRecord(7, type, {{QStringLiteral("Name"), QStringLiteral("x")}});
    else
        service.upsertRecord(7, type, QStringLiteral("Ext Id"), QStringLiteral("A-1"), {});
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(0).value<fs::RequestId>(), fs::RequestId(7));
    QCOMPARE(failed.first().at(1).value<fs::EngineError>().category, fs::EngineError::Category::Validation);
    QCOMPARE(logged.size(), 0);
}

void TestRecordService::invalidUpdateIsAPerRecordError()
{
    EngineConfig config;
    Transport transport(config);
    transport.setCredentials(std::make_shared<FakeCredentials>());
    RecordService service(&transport);
    QSignalSpy saved(&service, &RecordService::recordSaved);
    QSignalSpy finished(&service, &RecordService::updatesFinished);
    fs::RecordUpdate noChange{QStringLiteral("Account"), QStringLiteral("001000000000001AAA"), {}, {}};
    fs::RecordUpdate badField{QStringLiteral("Account"), QStringLiteral("001000000000002AAA"),
        {{QStringLiteral("Name) FROM"), QStringLiteral("x")}}, {}};
    fs::RecordUpdate badStamp{QStringLiteral("Account"), QStringLiteral("001000000000003AAA"),
        {{QStringLiteral("Name"), QStringLiteral("x")}}, QStringLiteral("last tuesday")};
    service.saveUpdates(9, {noChange, badField, badStamp});
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.first().at(1).toInt(), 0);
    QCOMPARE(finished.first().at(2).toInt(), 3);
    QCOMPARE(saved.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const auto r = saved.at(i).at(1).value<fs::SaveResult>();
        QVERIFY(!r.success);
        QCOMPARE(r.errors.first().category, fs::EngineError::Category::Validation);
    }
}

void TestRecordService::notConnectedIsAnAuthError()
{
    EngineConfig config;
    Transport transport(config);
    RecordService service(&transport);
    QSignalSpy failed(&service, &RecordService::failed);
    service.getRecord(3, QStringLiteral("Account"), QStringLiteral("001000000000001AAA"), {});
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().at(1).value<fs::EngineError>().category, fs::EngineError::Category::Auth);
}

QTEST_GUILESS_MAIN(TestRecordService)
#include "tst_recordservice.moc"
