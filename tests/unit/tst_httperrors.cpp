#include "transport/httperrors.h"

#include "records/recordjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using fs::EngineError;
namespace HttpErrors = fs::engine::HttpErrors;

class TestHttpErrors : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void mapping_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("category");
        QTest::addColumn<QString>("code");
        QTest::addColumn<bool>("retryable");
        QTest::addRow("expired session") << 401
                                         << QByteArray(R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])")
                                         << int(EngineError::Category::Auth) << QStringLiteral("INVALID_SESSION_ID") << false;
        QTest::addRow("limit exceeded") << 403
                                        << QByteArray(R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])")
                                        << int(EngineError::Category::Limits) << QStringLiteral("REQUEST_LIMIT_EXCEEDED") << false;
        QTest::addRow("malformed query") << 400 << QByteArray(R"([{"message":"unexpected token","errorCode":"MALFORMED_QUERY"}])")
                                         << int(EngineError::Category::Validation) << QStringLiteral("MALFORMED_QUERY") << false;
        QTest::addRow("lock row") << 400 << QByteArray(R"([{"message":"unable to obtain exclusive access to this record","errorCode":"UNABLE_TO_LOCK_ROW"}])")
                                  << int(EngineError::Category::Validation) << QStringLiteral("UNABLE_TO_LOCK_ROW") << true;
        QTest::addRow("server unavailable") << 503 << QByteArray(R"([{"message":"Server temporarily unavailable","errorCode":"SERVER_UNAVAILABLE"}])")
                                            << int(EngineError::Category::Server) << QStringLiteral("SERVER_UNAVAILABLE") << true;
        QTest::addRow("precondition") << 412 << QByteArray(R"([{"message":"changed","errorCode":"PRECONDITION_FAILED"}])")
                                      << int(EngineError::Category::Conflict) << QStringLiteral("PRECONDITION_FAILED") << false;
        QTest::addRow("oauth invalid grant") << 400 << QByteArray(R"({"error":"invalid_grant","error_description":"expired access/refresh token"})")
                                             << int(EngineError::Category::Auth) << QStringLiteral("invalid_grant") << false;
        QTest::addRow("html 502") << 502 << QByteArray("<html>bad gateway</html>") << int(EngineError::Category::Server)
                                  << QString() << true;
        QTest::addRow("empty 404") << 404 << QByteArray() << int(EngineError::Category::Validation) << QString() << false;
    }

    void mapping()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(int, category);
        QFETCH(QString, code);
        QFETCH(bool, retryable);
        const EngineError e = HttpErrors::fromResponse(status, body);
        QCOMPARE(int(e.category), category);
        QCOMPARE(e.errorCode, code);
        QCOMPARE(e.retryable, retryable);
        QCOMPARE(e.httpStatus, status);
        QVERIFY(!e.message.isEmpty());
    }

    // One row per status/errorCode class. The record helpers must agree with the transport: both
    // call HttpErrors::categoryFor, which once existed twice and disagreed on 429 and status 0.
    void categoryFor_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("category");
        const int limits = int(EngineError::Category::Limits);
        const int auth = int(EngineError::Category::Auth);
        const int conflict = int(EngineError::Category::Conflict);
        const int server = int(EngineError::Category::Server);
        const int validation = int(EngineError::Category::Validation);
        QTest::addRow("403 REQUEST_LIMIT_EXCEEDED") << 403 << QStringLiteral("REQUEST_LIMIT_EXCEEDED") << limits;
        QTest::addRow("400 REQUEST_LIMIT_EXCEEDED") << 400 << QStringLiteral("REQUEST_LIMIT_EXCEEDED") << limits;
        QTest::addRow("429 without code") << 429 << QString() << limits;
        QTest::addRow("429 TOO_MANY_REQUESTS") << 429 << QStringLiteral("TOO_MANY_REQUESTS") << limits;
        QTest::addRow("status 0 TOO_MANY_REQUESTS") << 0 << QStringLiteral("TOO_MANY_REQUESTS") << limits;
        QTest::addRow("401 INVALID_SESSION_ID") << 401 << QStringLiteral("INVALID_SESSION_ID") << auth;
        QTest::addRow("401 without code") << 401 << QString() << auth;
        QTest::addRow("400 INVALID_AUTH_HEADER") << 400 << QStringLiteral("INVALID_AUTH_HEADER") << auth;
        QTest::addRow("status 0 INVALID_SESSION_ID") << 0 << QStringLiteral("INVALID_SESSION_ID") << auth;
        QTest::addRow("403 INSUFFICIENT_ACCESS") << 403 << QStringLiteral("INSUFFICIENT_ACCESS") << auth;
        QTest::addRow("409 conflict") << 409 << QString() << conflict;
        QTest::addRow("412 PRECONDITION_FAILED") << 412 << QStringLiteral("PRECONDITION_FAILED") << conflict;
        QTest::addRow("500 UNKNOWN_EXCEPTION") << 500 << QStringLiteral("UNKNOWN_EXCEPTION") << server;
        QTest::addRow("503 SERVER_UNAVAILABLE") << 503 << QStringLiteral("SERVER_UNAVAILABLE") << server;
        QTest::addRow("status 0 without code") << 0 << QString() << server;
        QTest::addRow("400 MALFORMED_QUERY") << 400 << QStringLiteral("MALFORMED_QUERY") << validation;
        QTest::addRow("404 NOT_FOUND") << 404 << QStringLiteral("NOT_FOUND") << validation;
        QTest::addRow("400 UNABLE_TO_LOCK_ROW") << 400 << QStringLiteral("UNABLE_TO_LOCK_ROW") << validation;
        QTest::addRow("status 0 REQUIRED_FIELD_MISSING") << 0 << QStringLiteral("REQUIRED_FIELD_MISSING") << validation;
    }

    void categoryFor()
    {
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(int, category);
        QCOMPARE(int(HttpErrors::categoryFor(status, code)), category);

        // The record endpoints' error parser lands on the same category for the same reply.
        QJsonArray body;
        if (!code.isEmpty())
            body.append(QJsonObject { { QStringLiteral("errorCode"), code }, { QStringLiteral("message"), QStringLiteral("x") } });
        const EngineError record = fs::engine::recordjson::errorFromJson(status, body, QStringLiteral("fallback"));
        QCOMPARE(int(record.category), category);
        if (status != 0) {
            const EngineError transport
                = HttpErrors::fromResponse(status, QJsonDocument(body).toJson(QJsonDocument::Compact));
            QCOMPARE(int(transport.category), category);
        }
    }

    void fieldsAndMoreErrors()
    {
        const EngineError e = HttpErrors::fromResponse(400,
            R"([{"message":"Required fields are missing: [LastName]","errorCode":"REQUIRED_FIELD_MISSING","fields":["LastName"]},{"message":"x","errorCode":"OTHER"}])");
        QCOMPARE(e.fields, QStringList { QStringLiteral("LastName") });
        QVERIFY(e.detail.contains(QStringLiteral("OTHER")));
    }

    void refreshable_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("refreshable");
        QTest::addRow("expired") << 401 << QByteArray(R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])") << true;
        QTest::addRow("not valid for REST") << 401
                                            << QByteArray(R"([{"message":"This session is not valid for use with the REST API","errorCode":"INVALID_SESSION_ID"}])")
                                            << false;
        QTest::addRow("agent") << 401 << QByteArray(R"([{"message":"Connected app is not attached to Agent","errorCode":"INVALID_SESSION_ID"}])") << false;
        QTest::addRow("empty 401") << 401 << QByteArray() << true;
        QTest::addRow("403 is not") << 403 << QByteArray(R"([{"message":"x","errorCode":"INVALID_SESSION_ID"}])") << false;
    }

    void refreshable()
    {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, refreshable);
        QCOMPARE(HttpErrors::isRefreshableSessionError(status, body), refreshable);
    }

    void limitInfo_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<bool>("present");
        QTest::addColumn<qint64>("used");
        QTest::addColumn<qint64>("max");
        QTest::addRow("simple") << QByteArray("api-usage=1450/15000") << true << qint64(1450) << qint64(15000);
        QTest::addRow("with bursts") << QByteArray("api-usage=10018/100000; api-bursts=1/750") << true << qint64(10018) << qint64(100000);
        QTest::addRow("per app first") << QByteArray("per-app-api-usage=17/250(appName=sample-connected-app);api-usage=25/5000")
                                       << true << qint64(25) << qint64(5000);
        QTest::addRow("over max") << QByteArray(" api-usage = 15010/15000 ") << true << qint64(15010) << qint64(15000);
        QTest::addRow("garbage") << QByteArray("api-usage=lots") << false << qint64(0) << qint64(0);
        QTest::addRow("empty") << QByteArray() << false << qint64(0) << qint64(0);
    }

    void limitInfo()
    {
        QFETCH(QByteArray, header);
        QFETCH(bool, present);
        QFETCH(qint64, used);
        QFETCH(qint64, max);
        const auto u = HttpErrors::apiUsageFromLimitInfo(header);
        QCOMPARE(u.has_value(), present);
        if (present) {
            QCOMPARE(u->used, used);
            QCOMPARE(u->max, max);
        }
    }

    void perAppParsed()
    {
        const auto all = HttpErrors::parseLimitInfo("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)");
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.value(QStringLiteral("per-app-api-usage")).max, qint64(250));
    }
};

QTEST_GUILESS_MAIN(TestHttpErrors)
#include "tst_httperrors.moc"
