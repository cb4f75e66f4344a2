#include "log/requestsanitizer.h"

#include <QTest>

namespace S = fs::engine::RequestSanitizer;

class TestRequestSanitizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void soql_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addRow("no literal") << QStringLiteral("SELECT Id FROM Account LIMIT 5") << QStringLiteral("SELECT Id FROM Account LIMIT 5");
        QTest::addRow("one literal") << QStringLiteral("SELECT Id FROM Contact WHERE Email = 'a@b.com'")
                                     << QStringLiteral("SELECT Id FROM Contact WHERE Email = '***'");
        QTest::addRow("escaped quote") << QStringLiteral(R"(SELECT Id FROM Account WHERE Name = 'O\'Brien' AND X = 'y')")
                                       << QStringLiteral("SELECT Id FROM Account WHERE Name = '***' AND X = '***'");
        QTest::addRow("escaped backslash at end") << QStringLiteral(R"(WHERE Name = 'a\\' AND B = 1)")
                                                  << QStringLiteral("WHERE Name = '***' AND B = 1");
        QTest::addRow("unterminated hides rest") << QStringLiteral("WHERE Name = 'secret stuff AND")
                                                 << QStringLiteral("WHERE Name = '***'");
        QTest::addRow("in list") << QStringLiteral("WHERE Id IN ('001A','001B')") << QStringLiteral("WHERE Id IN ('***','***')");
        QTest::addRow("sosl braces") << QStringLiteral("FIND {Jane Doe} IN ALL FIELDS") << QStringLiteral("FIND {***} IN ALL FIELDS");
    }

    void soql()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(S::redactSoqlLiterals(in), out);
    }

    void target_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::addRow("plain path") << QStringLiteral("/services/data/v59.0/sobjects/Account/describe")
                                    << QStringLiteral("/services/data/v59.0/sobjects/Account/describe");
        QTest::addRow("query encoded") << QStringLiteral("/services/data/v59.0/query?q=SELECT+Id+FROM+Contact+WHERE+Email+%3D+%27a%40b.com%27")
                                       << QStringLiteral("/services/data/v59.0/query?q=SELECT Id FROM Contact WHERE Email = '***'");
        QTest::addRow("absolute url") << QStringLiteral("https://acme.my.salesforce.com/services/data/v59.0/limits")
                                      << QStringLiteral("/services/data/v59.0/limits");
        QTest::addRow("oauth token param") << QStringLiteral("https://login.salesforce.com/id/00D/005?oauth_token=00D!abc&format=json")
                                           << QStringLiteral("/id/00D/005?oauth_token=***&format=json");
        QTest::addRow("revoke") << QStringLiteral("/services/oauth2/revoke?token=5Aep861xyz") << QStringLiteral("/services/oauth2/revoke?token=***");
        QTest::addRow("code and verifier") << QStringLiteral("/cb?code=aPrx%3D%3D&state=abc&code_verifier=xyz")
                                           << QStringLiteral("/cb?code=***&state=abc&code_verifier=***");
        QTest::addRow("password") << QStringLiteral("/x?username=u&password=hunter2&client_secret=s")
                                  << QStringLiteral("/x?username=u&password=***&client_secret=***");
        QTest::addRow("fragment dropped") << QStringLiteral("/cb#access_token=00D!zzz") << QStringLiteral("/cb");
        QTest::addRow("user info dropped") << QStringLiteral("https://user:pw@host/path") << QStringLiteral("/path");
    }

    void target()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(S::sanitizeTarget(in), out);
    }
};

QTEST_GUILESS_MAIN(TestRequestSanitizer)
#include "tst_requestsanitizer.moc"
