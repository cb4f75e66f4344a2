#include "api/result.h"
#include "api/types.h"

#include <QTest>

class TestEngineTypes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resultHoldsValueOrError();
    void authTypeNamesRoundTrip_data();
    void authTypeNamesRoundTrip();
    void describeFieldLookupIgnoresCase();
    void apiUsagePercent();
};

void TestEngineTypes::resultHoldsValueOrError()
{
    fs::Result<int> good(42);
    QVERIFY(good.ok());
    QCOMPARE(*good, 42);

    fs::Result<int> bad(fs::EngineError::make(fs::EngineError::Category::Network, QStringLiteral("offline"),
        QStringLiteral("SERVER_UNAVAILABLE"), 503, true));
    QVERIFY(!bad.ok());
    QCOMPARE(bad.error().httpStatus, 503);
    QVERIFY(bad.error().retryable);
    QCOMPARE(fs::categoryName(bad.error().category), QStringLiteral("network"));

    fs::Result<void> done;
    QVERIFY(done.ok());
    fs::Result<void> failed(fs::EngineError::make(fs::EngineError::Category::Auth, QStringLiteral("expired")));
    QVERIFY(!failed.ok());
    QCOMPARE(failed.error().message, QStringLiteral("expired"));
}

void TestEngineTypes::authTypeNamesRoundTrip_data()
{
    QTest::addColumn<int>("type");
    QTest::addRow("jwt") << int(fs::AuthType::JwtBearer);
    QTest::addRow("refresh token") << int(fs::AuthType::RefreshToken);
    QTest::addRow("browser pkce") << int(fs::AuthType::BrowserPkce);
    QTest::addRow("access token") << int(fs::AuthType::AccessToken);
}

void TestEngineTypes::authTypeNamesRoundTrip()
{
    QFETCH(int, type);
    bool ok = false;
    const auto t = fs::AuthType(type);
    QCOMPARE(fs::authTypeFromName(fs::authTypeName(t), &ok), t);
    QVERIFY(ok);
    fs::authTypeFromName(QStringLiteral("password"), &ok);
    QVERIFY(!ok);
}

void TestEngineTypes::describeFieldLookupIgnoresCase()
{
    fs::SObjectDescribe d;
    fs::FieldDescribe f;
    f.name = QStringLiteral("Industry");
    d.fields.append(f);
    QVERIFY(d.field(QStringLiteral("industry")));
    QVERIFY(!d.field(QStringLiteral("Nope")));
}

void TestEngineTypes::apiUsagePercent()
{
    fs::ApiUsage u { 12000, 15000 };
    QCOMPARE(u.percent(), 80.0);
    QCOMPARE(fs::ApiUsage {}.percent(), 0.0);
}

QTEST_GUILESS_MAIN(TestEngineTypes)
#include "tst_enginetypes.moc"
