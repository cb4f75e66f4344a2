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

    // Every path the record service builds, and the Salesforce sObject paths around them: a record
    // id or resource word is kept, a value after an external-id field name never is.
    void pathValues_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        const QString d = QStringLiteral("/services/data/v59.0");
        QTest::addRow("upsert by external id") << d + QStringLiteral("/sobjects/Account/Invoice_Number__c/INV-2024-0042")
                                               << d + QStringLiteral("/sobjects/Account/Invoice_Number__c/***");
        QTest::addRow("upsert value percent-encoded") << d + QStringLiteral("/sobjects/Account/Account_Code__c/FAC%201%20%C3%BC")
                                                      << d + QStringLiteral("/sobjects/Account/Account_Code__c/***");
        QTest::addRow("value with a raw slash hides the rest") << d + QStringLiteral("/sobjects/Account/Code__c/a/b/c")
                                                               << d + QStringLiteral("/sobjects/Account/Code__c/***");
        QTest::addRow("value looking like a resource word") << d + QStringLiteral("/sobjects/Account/Code__c/describe")
                                                            << d + QStringLiteral("/sobjects/Account/Code__c/***");
        QTest::addRow("upsert on Id") << d + QStringLiteral("/sobjects/Account/Id/001xx000003DGb2AAG")
                                      << d + QStringLiteral("/sobjects/Account/Id/***");
        QTest::addRow("upsert with query string") << d + QStringLiteral("/sobjects/Contact/Email__c/jane%40example.com?fields=Id")
                                                  << d + QStringLiteral("/sobjects/Contact/Email__c/***?fields=Id");
        QTest::addRow("absolute upsert url") << QStringLiteral("https://acme.my.salesforce.com") + d
                + QStringLiteral("/sobjects/Account/Ext__c/SECRET-VALUE")
                                             << d + QStringLiteral("/sobjects/Account/Ext__c/***");
        QTest::addRow("15-letter field name is no id") << d + QStringLiteral("/sobjects/Account/BillingLatitude/47")
                                                       << d + QStringLiteral("/sobjects/Account/BillingLatitude/***");
        QTest::addRow("18 chars with a bad checksum") << d + QStringLiteral("/sobjects/Account/001xx000003DGb2AAA/v")
                                                      << d + QStringLiteral("/sobjects/Account/001xx000003DGb2AAA/***");
        QTest::addRow("record id kept") << d + QStringLiteral("/sobjects/Account/001xx000003DGb2AAG")
                                        << d + QStringLiteral("/sobjects/Account/001xx000003DGb2AAG");
        QTest::addRow("record id with fields kept") << d + QStringLiteral("/sobjects/Account/001xx000003DGb2AAG?fields=Name,SystemModstamp")
                                                    << d + QStringLiteral("/sobjects/Account/001xx000003DGb2AAG?fields=Name,SystemModstamp");
        QTest::addRow("relationship after 15-char id kept") << d + QStringLiteral("/sobjects/Account/001xx000003DGb2/Contacts")
                                                            << d + QStringLiteral("/sobjects/Account/001xx000003DGb2/Contacts");
        QTest::addRow("relationship after 18-char id kept") << d + QStringLiteral("/sobjects/Thing__c/a0B5e00000AbCdEEAV/Owner")
                                                            << d + QStringLiteral("/sobjects/Thing__c/a0B5e00000AbCdEEAV/Owner");
        QTest::addRow("create") << d + QStringLiteral("/sobjects/Account") << d + QStringLiteral("/sobjects/Account");
        QTest::addRow("describe") << d + QStringLiteral("/sobjects/Account/describe") << d + QStringLiteral("/sobjects/Account/describe");
        QTest::addRow("describe layouts") << d + QStringLiteral("/sobjects/Account/describe/layouts/012000000000000AAA")
                                          << d + QStringLiteral("/sobjects/Account/describe/layouts/012000000000000AAA");
        QTest::addRow("updated window") << d + QStringLiteral("/sobjects/Account/updated/?start=2024-01-01T00:00:00Z")
                                        << d + QStringLiteral("/sobjects/Account/updated/?start=2024-01-01T00:00:00Z");
        QTest::addRow("list view results") << d + QStringLiteral("/sobjects/Account/listviews/00B5e00000AbCdE/results")
                                           << d + QStringLiteral("/sobjects/Account/listviews/00B5e00000AbCdE/results");
        QTest::addRow("describe global") << d + QStringLiteral("/sobjects") << d + QStringLiteral("/sobjects");
        QTest::addRow("collections retrieve") << d + QStringLiteral("/composite/sobjects/Account?ids=001xx000003DGb2AAG&fields=Id,SystemModstamp")
                                              << d + QStringLiteral("/composite/sobjects/Account?ids=001xx000003DGb2AAG&fields=Id,SystemModstamp");
        QTest::addRow("collections upsert keeps field name") << d + QStringLiteral("/composite/sobjects/Account/Ext__c")
                                                             << d + QStringLiteral("/composite/sobjects/Account/Ext__c");
        QTest::addRow("composite") << d + QStringLiteral("/composite") << d + QStringLiteral("/composite");
        QTest::addRow("query locator") << d + QStringLiteral("/query/01gxx0000000001AAA-2000")
                                       << d + QStringLiteral("/query/01gxx0000000001AAA-2000");
    }

    void pathValues()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(S::sanitizeTarget(in), out);
    }

    void recordIds_data()
    {
        QTest::addColumn<QString>("segment");
        QTest::addColumn<bool>("id");
        QTest::addRow("15 chars") << QStringLiteral("001xx000003DGb2") << true;
        QTest::addRow("18 chars, good checksum") << QStringLiteral("001xx000003DGb2AAG") << true;
        QTest::addRow("18 chars, custom object") << QStringLiteral("a0B5e00000AbCdEEAV") << true;
        QTest::addRow("18 chars, bad checksum") << QStringLiteral("001xx000003DGb2AAH") << false;
        QTest::addRow("15 letters") << QStringLiteral("BillingLatitude") << false;
        QTest::addRow("18 letters") << QStringLiteral("LastReferencedDate") << false;
        QTest::addRow("underscore") << QStringLiteral("Account_Code__c") << false;
        QTest::addRow("16 chars") << QStringLiteral("001xx000003DGb2A") << false;
        QTest::addRow("empty") << QString() << false;
    }

    void recordIds()
    {
        QFETCH(QString, segment);
        QFETCH(bool, id);
        QCOMPARE(S::looksLikeRecordId(segment), id);
    }
};

QTEST_GUILESS_MAIN(TestRequestSanitizer)
#include "tst_requestsanitizer.moc"
