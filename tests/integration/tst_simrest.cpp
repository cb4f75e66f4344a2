// REST API of the simulated org over real HTTP: versions, limits, describe, CRUD, upsert, query
// paging and bad input.
#include "simulatorfixture.h"

#include "http/simhttpserver.h"
#include "store/store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QSet>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;

namespace {
using Headers = QList<QPair<QByteArray, QByteArray>>;
QByteArray httpDate(const QDateTime &dt)
{
    return QLocale::c().toString(dt.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}
} // namespace

class TestSimRest : public QObject {
    Q_OBJECT

private:
    SimulatorFixture m_fx;
    QString v() const { return m_fx.dataPath(); }
    QString createAccount(const QByteArray &body)
    {
        const HttpResult r = m_fx.post(v() + QStringLiteral("/sobjects/Account"), body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().object().value(u"id").toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
    }

    void versionsListIsPublicAndUncounted()
    {
        const HttpResult r = m_fx.send("GET", QStringLiteral("/services/data"), {}, {}, false);
        QCOMPARE(r.status, 200);
        const QJsonArray arr = r.json().array();
        QVERIFY(arr.size() >= 10);
        bool has59 = false;
        for (const QJsonValue &e : arr) {
            if (e.toObject().value(u"version").toString() == u"59.0") {
                has59 = true;
                QCOMPARE(e.toObject().value(u"url").toString(), QStringLiteral("/services/data/v59.0"));
                QCOMPARE(e.toObject().value(u"label").toString(), QStringLiteral("Winter '24"));
            }
        }
        QVERIFY(has59);
        QVERIFY(r.header("Sforce-Limit-Info").isEmpty());
    }

    void unknownVersionIs404()
    {
        const HttpResult r = m_fx.get(QStringLiteral("/services/data/v12.0/limits"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.errorCode(), QStringLiteral("NOT_FOUND"));
    }

    void resourceRoot()
    {
        const HttpResult r = m_fx.get(v() + u'/');
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().object().value(u"query").toString(), QStringLiteral("/services/data/v59.0/query"));
        QCOMPARE(r.json().object().value(u"sobjects").toString(), QStringLiteral("/services/data/v59.0/sobjects"));
    }

    // jsforce's identity() reads `identity` from the resource root and GETs it as given with
    // ?format=json&oauth_token=…; a bare path would be resolved below /services/data/v59.0 (404).
    void resourceRootIdentityIsAbsolute()
    {
        const QString identity = m_fx.get(v() + u'/').json().object().value(u"identity").toString();
        QVERIFY2(identity.startsWith(m_fx.baseUrl().toString() + QStringLiteral("/id/00D")), qPrintable(identity));
        // As jsforce sends it (encodeURIComponent leaves the '!' of the session id as is), then with the header.
        const HttpResult byQuery = m_fx.send("GET", identity + QStringLiteral("?format=json&oauth_token=") + m_fx.token(), {}, {}, false);
        QCOMPARE(byQuery.status, 200);
        QCOMPARE(byQuery.json().object().value(u"id").toString(), identity);
        QVERIFY(!byQuery.json().object().value(u"username").toString().isEmpty());
        const HttpResult byHeader = m_fx.get(identity + QStringLiteral("?format=json"));
        QCOMPARE(byHeader.status, 200);
        QCOMPARE(byHeader.json().object().value(u"id").toString(), identity);
    }

    void missingOrBadTokenIs401_data()
    {
        QTest::addColumn<QByteArray>("auth");
        QTest::addColumn<QString>("code");
        QTest::addRow("garbled token") << QByteArray("Bearer 00Dnope!xyz") << QStringLiteral("INVALID_SESSION_ID");
        QTest::addRow("no header") << QByteArray() << QStringLiteral("INVALID_AUTH_HEADER");
        QTest::addRow("basic scheme") << QByteArray("Basic Zm9vOmJhcg==") << QStringLiteral("INVALID_AUTH_HEADER");
    }
    void missingOrBadTokenIs401()
    {
        QFETCH(QByteArray, auth);
        QFETCH(QString, code);
        Headers h;
        if (!auth.isEmpty())
            h.append(qMakePair(QByteArray("Authorization"), auth));
        const HttpResult r = m_fx.send("GET", v() + QStringLiteral("/limits"), {}, h, false);
        QCOMPARE(r.status, 401);
        QCOMPARE(r.errorCode(), code);
    }

    // Doubled slashes read as one, on every route: the Salesforce CLI's access-token login keeps
    // the instance URL's trailing slash, so all its calls begin "//services/...".
    void doubledSlashesReadAsOne_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addRow("versions") << QStringLiteral("//services/data") << 200;
        QTest::addRow("limits") << QStringLiteral("//services/data/v59.0/limits") << 200;
        QTest::addRow("inside the path") << QStringLiteral("/services//data/v59.0//limits") << 200;
        QTest::addRow("query") << QStringLiteral("//services/data/v59.0/query?q=SELECT+Id+FROM+Account+LIMIT+1") << 200;
        QTest::addRow("userinfo") << QStringLiteral("//services/oauth2/userinfo") << 200;
        QTest::addRow("still unknown") << QStringLiteral("//services/nothing") << 404;
        QTest::addRow("not below services") << QStringLiteral("//data/v59.0/limits") << 404;
    }
    void doubledSlashesReadAsOne()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        // Over a plain socket: QNetworkAccessManager would tidy the path before sending it. The
        // org answers on this thread, so wait with the event loop running.
        QTcpSocket socket;
        QByteArray reply;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { reply += socket.readAll(); });
        socket.connectToHost(m_fx.baseUrl().host(), quint16(m_fx.baseUrl().port()));
        QTRY_COMPARE_WITH_TIMEOUT(socket.state(), QAbstractSocket::ConnectedState, 10000);
        socket.write("GET " + path.toLatin1() + " HTTP/1.1\r\nHost: " + m_fx.baseUrl().authority().toLatin1()
            + "\r\nAuthorization: Bearer " + m_fx.token().toLatin1() + "\r\nConnection: close\r\n\r\n");
        const auto complete = [&reply] {
            const qsizetype headerEnd = reply.indexOf("\r\n\r\n");
            if (headerEnd < 0)
                return false;
            const QByteArray head = reply.left(headerEnd).toLower();
            const qsizetype at = head.indexOf("\r\ncontent-length:");
            const qsizetype length = at < 0 ? 0 : head.mid(at + 17, head.indexOf("\r\n", at + 2) - at - 17).trimmed().toLongLong();
            return reply.size() - headerEnd - 4 >= length;
        };
        QTRY_VERIFY_WITH_TIMEOUT(complete(), 10000);
        QVERIFY2(reply.startsWith("HTTP/1.1 " + QByteArray::number(status) + ' '), reply.left(200).constData());
        if (status == 200)
            QVERIFY2(!QJsonDocument::fromJson(reply.mid(reply.indexOf("\r\n\r\n") + 4)).isNull(), reply.left(400).constData());
    }

    void limitsCountEveryCall()
    {
        const HttpResult a = m_fx.get(v() + QStringLiteral("/limits"));
        QCOMPARE(a.status, 200);
        const QByteArray info = a.header("Sforce-Limit-Info");
        QVERIFY2(info.startsWith("api-usage="), info.constData());
        const int used = info.mid(10, info.indexOf('/') - 10).toInt();
        const QJsonObject daily = a.json().object().value(u"DailyApiRequests").toObject();
        QCOMPARE(daily.value(u"Max").toInt(), 15000);
        QCOMPARE(daily.value(u"Remaining").toInt(), 15000 - used);
        QVERIFY(a.json().object().contains(u"DailyBulkApiBatches"));
        const HttpResult b = m_fx.get(v() + QStringLiteral("/sobjects"));
        QCOMPARE(b.header("Sforce-Limit-Info"), QByteArray("api-usage=") + QByteArray::number(used + 1) + "/15000");
    }

    // /recent (jsforce's conn.recent()): the running user's recently viewed records. Nothing in
    // the simulated org marks records viewed, so it is an empty array, like recentItems.
    void recentlyViewed()
    {
        const HttpResult r = m_fx.get(v() + QStringLiteral("/recent?limit=5"));
        QCOMPARE(r.status, 200);
        QVERIFY(r.json().isArray());
        QCOMPARE(r.json().array().size(), 0);
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account")).json().object().value(u"recentItems").toArray().size(), 0);
        QCOMPARE(m_fx.post(v() + QStringLiteral("/recent"), "{}").status, 405);
    }

    // /limits/recordCount (API 40.0+): live records per object, unknown names left out.
    void recordCounts()
    {
        const auto countOf = [this](const QString &soql) {
            return m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql))).json().object().value(u"totalSize").toInt(-1);
        };
        const HttpResult asked = m_fx.get(v() + QStringLiteral("/limits/recordCount?sObjects=Account,Contact,Nope__c"));
        QCOMPARE(asked.status, 200);
        const QJsonArray two = asked.json().object().value(u"sObjects").toArray();
        QCOMPARE(two.size(), 2);
        QCOMPARE(two.at(0).toObject().value(u"name").toString(), QStringLiteral("Account"));
        QCOMPARE(two.at(0).toObject().value(u"count").toInt(), countOf(QStringLiteral("SELECT COUNT() FROM Account")));
        QCOMPARE(two.at(1).toObject().value(u"name").toString(), QStringLiteral("Contact"));
        QCOMPARE(two.at(1).toObject().value(u"count").toInt(), countOf(QStringLiteral("SELECT COUNT() FROM Contact")));

        // A deleted record leaves the count.
        const QString id = m_fx.post(v() + QStringLiteral("/sobjects/Account"), R"({"Name":"Counted Then Gone"})").json().object().value(u"id").toString();
        const int before = m_fx.get(v() + QStringLiteral("/limits/recordCount?sObjects=Account")).json().object().value(u"sObjects").toArray().first().toObject().value(u"count").toInt();
        QCOMPARE(m_fx.del(v() + QStringLiteral("/sobjects/Account/") + id).status, 204);
        QCOMPARE(m_fx.get(v() + QStringLiteral("/limits/recordCount?sObjects=Account")).json().object().value(u"sObjects").toArray().first().toObject().value(u"count").toInt(),
            before - 1);

        QStringList all;
        for (const QJsonValue &o : m_fx.get(v() + QStringLiteral("/limits/recordCount")).json().object().value(u"sObjects").toArray())
            all << o.toObject().value(u"name").toString();
        QVERIFY2(all.contains(QStringLiteral("Opportunity")) && all.contains(QStringLiteral("Invoice__c")), qPrintable(all.join(u',')));
        QCOMPARE(m_fx.get(QStringLiteral("/services/data/v39.0/limits/recordCount")).status, 404);
    }

    void overTheLimitIs403()
    {
        m_fx.sim().setApiLimit(3);
        HttpResult r;
        for (int i = 0; i < 200 && r.status != 403; ++i)
            r = m_fx.get(v() + QStringLiteral("/limits"));
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("REQUEST_LIMIT_EXCEEDED"));
        m_fx.sim().setApiLimit(1000000);
        QCOMPARE(m_fx.get(v() + QStringLiteral("/limits")).status, 200);
    }

    void describeGlobal()
    {
        const HttpResult r = m_fx.get(v() + QStringLiteral("/sobjects"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"maxBatchSize").toInt(), 200);
        QStringList names;
        for (const QJsonValue &s : o.value(u"sobjects").toArray())
            names << s.toObject().value(u"name").toString();
        for (const char *n : { "Account", "Contact", "Opportunity", "Case", "Lead", "User", "Invoice__c", "Order_Event__e", "Organization" })
            QVERIFY2(names.contains(QLatin1String(n)), n);
        const HttpResult notModified = m_fx.get(v() + QStringLiteral("/sobjects"),
            { qMakePair(QByteArray("If-Modified-Since"), httpDate(QDateTime::currentDateTimeUtc().addDays(1))) });
        QCOMPARE(notModified.status, 304);
        QVERIFY(notModified.body.isEmpty());
        const HttpResult modified = m_fx.get(v() + QStringLiteral("/sobjects"),
            { qMakePair(QByteArray("If-Modified-Since"), QByteArray("Sat, 01 Jan 2000 00:00:00 GMT")) });
        QCOMPARE(modified.status, 200);
    }

    void describeHasEveryFieldKey()
    {
        const HttpResult r = m_fx.get(v() + QStringLiteral("/sobjects/Invoice__c/describe"));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json().object();
        for (const char *k : { "actionOverrides", "activateable", "childRelationships", "compactLayoutable", "createable", "custom",
                 "customSetting", "deepCloneable", "defaultImplementation", "deletable", "deprecatedAndHidden", "extendedBy",
                 "extendsInterfaces", "feedEnabled", "fields", "hasSubtypes", "implementedBy", "implementsInterfaces", "isInterface",
                 "isSubtype", "keyPrefix", "label", "labelPlural", "layoutable", "listviewable", "lookupLayoutable", "mergeable",
                 "mruEnabled", "name", "namedLayoutInfos", "networkScopeFieldName", "queryable", "recordTypeInfos", "replicateable",
                 "retrieveable", "searchLayoutable", "searchable", "supportedScopes", "triggerable", "undeletable", "updateable", "urls" })
            QVERIFY2(o.contains(QLatin1String(k)), k);
        QCOMPARE(o.value(u"keyPrefix").toString(), QStringLiteral("a01"));
        QVERIFY(o.value(u"custom").toBool());
        const QStringList fieldKeys { QStringLiteral("aggregatable"), QStringLiteral("aiPredictionField"), QStringLiteral("autoNumber"),
            QStringLiteral("byteLength"), QStringLiteral("calculated"), QStringLiteral("calculatedFormula"), QStringLiteral("cascadeDelete"),
            QStringLiteral("caseSensitive"), QStringLiteral("compoundFieldName"), QStringLiteral("controllerName"), QStringLiteral("createable"),
            QStringLiteral("custom"), QStringLiteral("defaultValue"), QStringLiteral("defaultValueFormula"), QStringLiteral("defaultedOnCreate"),
            QStringLiteral("dependentPicklist"), QStringLiteral("deprecatedAndHidden"), QStringLiteral("digits"),
            QStringLiteral("displayLocationInDecimal"), QStringLiteral("encrypted"), QStringLiteral("externalId"), QStringLiteral("extraTypeInfo"),
            QStringLiteral("filterable"), QStringLiteral("filteredLookupInfo"), QStringLiteral("formulaTreatNullNumberAsZero"),
            QStringLiteral("groupable"), QStringLiteral("highScaleNumber"), QStringLiteral("htmlFormatted"), QStringLiteral("idLookup"),
            QStringLiteral("inlineHelpText"), QStringLiteral("label"), QStringLiteral("length"), QStringLiteral("mask"), QStringLiteral("maskType"),
            QStringLiteral("name"), QStringLiteral("nameField"), QStringLiteral("namePointing"), QStringLiteral("nillable"),
            QStringLiteral("permissionable"), QStringLiteral("picklistValues"), QStringLiteral("polymorphicForeignKey"), QStringLiteral("precision"),
            QStringLiteral("queryByDistance"), QStringLiteral("referenceTargetField"), QStringLiteral("referenceTo"),
            QStringLiteral("relationshipName"), QStringLiteral("relationshipOrder"), QStringLiteral("restrictedDelete"),
            QStringLiteral("restrictedPicklist"), QStringLiteral("scale"), QStringLiteral("searchPrefilterable"), QStringLiteral("soapType"),
            QStringLiteral("sortable"), QStringLiteral("type"), QStringLiteral("unique"), QStringLiteral("updateable"),
            QStringLiteral("writeRequiresMasterRead") };
        QSet<QString> types;
        for (const QJsonValue &fv : o.value(u"fields").toArray()) {
            const QJsonObject f = fv.toObject();
            for (const QString &k : fieldKeys)
                QVERIFY2(f.contains(k), qPrintable(f.value(u"name").toString() + u' ' + k));
            types.insert(f.value(u"type").toString());
            if (f.value(u"name").toString() == u"Account__c") {
                QCOMPARE(f.value(u"relationshipName").toString(), QStringLiteral("Account__r"));
                QCOMPARE(f.value(u"referenceTo").toArray().first().toString(), QStringLiteral("Account"));
                QCOMPARE(f.value(u"soapType").toString(), QStringLiteral("tns:ID"));
            }
            if (f.value(u"name").toString() == u"Invoice_Number__c")
                QVERIFY(f.value(u"externalId").toBool());
        }
        for (const char *t : { "id", "string", "textarea", "picklist", "multipicklist", "reference", "boolean", "int", "double", "currency",
                 "percent", "date", "datetime", "email", "phone", "url" })
            QVERIFY2(types.contains(QLatin1String(t)), t);

        const HttpResult account = m_fx.get(v() + QStringLiteral("/sobjects/Account/describe"));
        QStringList rels;
        for (const QJsonValue &c : account.json().object().value(u"childRelationships").toArray())
            rels << c.toObject().value(u"relationshipName").toString();
        QVERIFY(rels.contains(u"Contacts"));
        QVERIFY(rels.contains(u"Invoices__r"));
        QCOMPARE(account.json().object().value(u"urls").toObject().value(u"describe").toString(),
            QStringLiteral("/services/data/v59.0/sobjects/Account/describe"));
        const HttpResult notModified = m_fx.get(v() + QStringLiteral("/sobjects/Account/describe"),
            { qMakePair(QByteArray("If-Modified-Since"), httpDate(QDateTime::currentDateTimeUtc().addSecs(3600))) });
        QCOMPARE(notModified.status, 304);
        const HttpResult pe = m_fx.get(v() + QStringLiteral("/sobjects/Order_Event__e/describe"));
        QCOMPARE(pe.status, 200);
        QCOMPARE(pe.json().object().value(u"queryable").toBool(), false);
    }

    void unknownObjectIs404()
    {
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Nope__c/describe")).status, 404);
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Nope__c/describe")).errorCode(), QStringLiteral("NOT_FOUND"));
        QCOMPARE(m_fx.post(v() + QStringLiteral("/sobjects/Nope__c"), "{}").status, 404);
    }

    void recordLifecycle()
    {
        const HttpResult created = m_fx.post(v() + QStringLiteral("/sobjects/Account"),
            R"({"Name":"Lifecycle Ltd","Industry":"Banking","NumberOfEmployees":12,"Regions__c":"EMEA;APAC","Customer_Since__c":"2020-02-29"})");
        QCOMPARE(created.status, 201);
        const QJsonObject res = created.json().object();
        QVERIFY(res.value(u"success").toBool());
        QCOMPARE(res.value(u"errors").toArray().size(), 0);
        const QString id = res.value(u"id").toString();
        QCOMPARE(id.size(), 18);
        QVERIFY(id.startsWith(u"001"));
        QCOMPARE(fs::sim::Store::to18(id.left(15)), id);

        const HttpResult got = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id + QStringLiteral("?fields=Name,Industry,Regions__c,CreatedDate"));
        QCOMPARE(got.status, 200);
        const QJsonObject rec = got.json().object();
        QCOMPARE(rec.value(u"attributes").toObject().value(u"type").toString(), QStringLiteral("Account"));
        QCOMPARE(rec.value(u"Name").toString(), QStringLiteral("Lifecycle Ltd"));
        QCOMPARE(rec.value(u"Regions__c").toString(), QStringLiteral("EMEA;APAC"));
        QVERIFY(!rec.contains(u"Phone"));
        QVERIFY(rec.value(u"CreatedDate").toString().endsWith(u".000+0000"));

        const HttpResult all = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id.left(15));
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json().object().value(u"Id").toString(), id);
        QCOMPARE(all.json().object().value(u"IsDeleted").toBool(), false);
        QCOMPARE(all.json().object().value(u"NumberOfEmployees").toInt(), 12);
        QVERIFY(all.json().object().value(u"Phone").isNull());

        const HttpResult patched = m_fx.patch(v() + QStringLiteral("/sobjects/Account/") + id, R"({"Industry":"Energy"})");
        QCOMPARE(patched.status, 204);
        QVERIFY(patched.body.isEmpty());
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id + QStringLiteral("?fields=Industry")).json().object().value(u"Industry").toString(),
            QStringLiteral("Energy"));

        QCOMPARE(m_fx.del(v() + QStringLiteral("/sobjects/Account/") + id).status, 204);
        const HttpResult gone = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id);
        QCOMPARE(gone.status, 404);
        QCOMPARE(gone.errorCode(), QStringLiteral("ENTITY_IS_DELETED"));
        const HttpResult twice = m_fx.del(v() + QStringLiteral("/sobjects/Account/") + id);
        QCOMPARE(twice.status, 404);
        QCOMPARE(twice.errorCode(), QStringLiteral("ENTITY_IS_DELETED"));
        QCOMPARE(m_fx.patch(v() + QStringLiteral("/sobjects/Account/") + id, R"({"Industry":"Energy"})").errorCode(),
            QStringLiteral("ENTITY_IS_DELETED"));
    }

    void recordErrors_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        QTest::addRow("unknown id") << QByteArray("GET") << QStringLiteral("/sobjects/Account/{missing}") << QByteArray() << 404
                                    << QStringLiteral("NOT_FOUND");
        QTest::addRow("malformed id") << QByteArray("GET") << QStringLiteral("/sobjects/Account/001xx") << QByteArray() << 400
                                      << QStringLiteral("MALFORMED_ID");
        QTest::addRow("id of another type") << QByteArray("GET") << QStringLiteral("/sobjects/Account/003RO0000000001YAA") << QByteArray() << 400
                                            << QStringLiteral("MALFORMED_ID");
        QTest::addRow("unknown field in fields=") << QByteArray("GET") << QStringLiteral("/sobjects/User/%1?fields=Nmae") << QByteArray() << 400
                                                  << QStringLiteral("INVALID_FIELD");
        QTest::addRow("unknown field in body") << QByteArray("POST") << QStringLiteral("/sobjects/Account") << QByteArray(R"({"Name":"X","Foo__c":1})")
                                               << 400 << QStringLiteral("INVALID_FIELD");
        QTest::addRow("required field missing") << QByteArray("POST") << QStringLiteral("/sobjects/Contact") << QByteArray(R"({"FirstName":"A"})")
                                                << 400 << QStringLiteral("REQUIRED_FIELD_MISSING");
        QTest::addRow("read-only field") << QByteArray("POST") << QStringLiteral("/sobjects/Account") << QByteArray(R"({"Name":"X","CreatedDate":"2020-01-01T00:00:00Z"})")
                                         << 400 << QStringLiteral("INVALID_FIELD_FOR_INSERT_UPDATE");
        QTest::addRow("invalid date") << QByteArray("POST") << QStringLiteral("/sobjects/Opportunity")
                                      << QByteArray(R"({"Name":"X","StageName":"Prospecting","CloseDate":"2024-13-45"})") << 400
                                      << QStringLiteral("JSON_PARSER_ERROR");
        QTest::addRow("invalid email") << QByteArray("POST") << QStringLiteral("/sobjects/Contact") << QByteArray(R"({"LastName":"A","Email":"bob"})")
                                       << 400 << QStringLiteral("INVALID_EMAIL_ADDRESS");
        QTest::addRow("bad reference") << QByteArray("POST") << QStringLiteral("/sobjects/Contact")
                                       << QByteArray(R"({"LastName":"A","AccountId":"{missing}"})") << 400
                                       << QStringLiteral("INVALID_CROSS_REFERENCE_KEY");
        QTest::addRow("malformed JSON") << QByteArray("POST") << QStringLiteral("/sobjects/Account") << QByteArray(R"({"Name":)") << 400
                                        << QStringLiteral("JSON_PARSER_ERROR");
        QTest::addRow("array body") << QByteArray("POST") << QStringLiteral("/sobjects/Account") << QByteArray("[1,2]") << 400
                                    << QStringLiteral("JSON_PARSER_ERROR");
        QTest::addRow("wrong method") << QByteArray("PUT") << QStringLiteral("/sobjects/Account") << QByteArray("{}") << 405
                                      << QStringLiteral("METHOD_NOT_ALLOWED");
        QTest::addRow("unknown resource") << QByteArray("GET") << QStringLiteral("/nothing/here") << QByteArray() << 404
                                          << QStringLiteral("NOT_FOUND");
    }
    void recordErrors()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QString p = path.contains(u"%1") ? path.arg(m_fx.sim().store().defaultUserId()) : path;
        const QString missing = fs::sim::Store::idFor(QStringLiteral("001"), 99999999);
        p.replace(QStringLiteral("{missing}"), missing);
        body.replace("{missing}", missing.toLatin1());
        const HttpResult r = m_fx.send(method, v() + p, body,
            body.isEmpty() ? Headers {} : Headers { qMakePair(QByteArray("Content-Type"), QByteArray("application/json")) });
        QCOMPARE(r.status, status);
        QCOMPARE(r.errorCode(), code);
        QVERIFY(r.json().isArray());
    }

    // The org's own Organization record, which clients such as the Salesforce CLI query for the
    // edition and the sandbox flag: one row with the org's id, read-only through the API.
    void organizationRecord()
    {
        const QString soql = QStringLiteral("SELECT Id, Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix, OrganizationType FROM Organization");
        const HttpResult r = m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().object().value(u"totalSize").toInt(), 1);
        const QJsonObject org = r.json().object().value(u"records").toArray().first().toObject();
        QCOMPARE(org.value(u"Id").toString(), m_fx.sim().store().orgId());
        QVERIFY(!org.value(u"Name").toString().isEmpty());
        QCOMPARE(org.value(u"IsSandbox").toBool(true), false);
        QVERIFY(org.value(u"TrialExpirationDate").isNull());
        QVERIFY(org.value(u"NamespacePrefix").isNull());
        QCOMPARE(org.value(u"OrganizationType").toString(), QStringLiteral("Developer Edition"));

        const QString path = v() + QStringLiteral("/sobjects/Organization/") + m_fx.sim().store().orgId();
        QCOMPARE(m_fx.get(path).status, 200);
        QCOMPARE(m_fx.patch(path, R"({"Name":"Renamed"})").errorCode(), QStringLiteral("INVALID_TYPE_FOR_OPERATION"));
        QCOMPARE(m_fx.del(path).errorCode(), QStringLiteral("INVALID_TYPE_FOR_OPERATION"));
        QCOMPARE(m_fx.post(v() + QStringLiteral("/sobjects/Organization"), R"({"Name":"Second"})").errorCode(),
            QStringLiteral("INVALID_TYPE_FOR_OPERATION"));
        const HttpResult describe = m_fx.get(v() + QStringLiteral("/sobjects/Organization/describe"));
        QCOMPARE(describe.status, 200);
        QCOMPARE(describe.json().object().value(u"keyPrefix").toString(), QStringLiteral("00D"));
        QCOMPARE(describe.json().object().value(u"createable").toBool(true), false);
    }

    // Salesforce keeps no empty text: "" is stored as no value, reads back as null, matches
    // "= null", and does not fill a required field. The generated data has none either.
    void emptyTextIsNoValue()
    {
        const HttpResult created = m_fx.post(v() + QStringLiteral("/sobjects/Account"),
            R"({"Name":"Blank Text Corp","Description":"","BillingCity":"","Regions__c":""})");
        QCOMPARE(created.status, 201);
        const QString id = created.json().object().value(u"id").toString();
        const QJsonObject read = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id + QStringLiteral("?fields=Description,BillingCity,Regions__c"))
                                     .json().object();
        for (const char *field : { "Description", "BillingCity", "Regions__c" })
            QVERIFY2(read.value(QLatin1String(field)).isNull(), field);
        const QString soql = QStringLiteral("SELECT Id FROM Account WHERE Name = 'Blank Text Corp' AND BillingCity = null");
        QCOMPARE(m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql))).json().object().value(u"totalSize").toInt(), 1);

        QCOMPARE(m_fx.patch(v() + QStringLiteral("/sobjects/Account/") + id, R"({"Name":"Blank Text Corp","Phone":"555"})").status, 204);
        QCOMPARE(m_fx.patch(v() + QStringLiteral("/sobjects/Account/") + id, R"({"Phone":""})").status, 204);
        QVERIFY(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id + QStringLiteral("?fields=Phone")).json().object().value(u"Phone").isNull());

        const HttpResult noName = m_fx.post(v() + QStringLiteral("/sobjects/Contact"), R"({"LastName":""})");
        QCOMPARE(noName.status, 400);
        QCOMPARE(noName.errorCode(), QStringLiteral("REQUIRED_FIELD_MISSING"));

        const QString all = QStringLiteral("SELECT BillingState, Regions__c, Description FROM Account");
        const HttpResult seeded = m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(all)));
        QCOMPARE(seeded.status, 200);
        QVERIFY(seeded.json().object().value(u"totalSize").toInt() > 50);
        QVERIFY2(!seeded.body.contains(":\"\""), "a generated record carries an empty string");
    }

    // A read with ?fields= keeps Salesforce's member order (attributes, the fields as asked) and
    // always carries the record's Id: after the asked fields when they leave it out, once and in
    // place when they name it.
    void recordReadWithFieldsCarriesId()
    {
        const HttpResult created = m_fx.post(v() + QStringLiteral("/sobjects/Account"), R"({"Name":"Fields Id Corp","Industry":"Banking"})");
        QCOMPARE(created.status, 201);
        const QString id = created.json().object().value(u"id").toString();
        const QString path = v() + QStringLiteral("/sobjects/Account/") + id;

        const HttpResult asked = m_fx.get(path + QStringLiteral("?fields=Name,Industry"));
        QCOMPARE(asked.status, 200);
        QVERIFY2(asked.body.startsWith("{\"attributes\":{"), asked.body.constData());
        QVERIFY2(asked.body.endsWith(",\"Name\":\"Fields Id Corp\",\"Industry\":\"Banking\",\"Id\":\"" + id.toLatin1() + "\"}"),
            asked.body.constData());

        const HttpResult withId = m_fx.get(path + QStringLiteral("?fields=Id,Name"));
        QCOMPARE(withId.status, 200);
        QVERIFY2(withId.body.endsWith(",\"Id\":\"" + id.toLatin1() + "\",\"Name\":\"Fields Id Corp\"}"), withId.body.constData());
        QCOMPARE(withId.body.count("\"Id\":"), 1);
    }

    // A record body must be one JSON object, whichever way the record is written.
    void recordBodyMustBeAnObject_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("object");
        QTest::addRow("create") << QByteArray("POST") << QStringLiteral("/sobjects/Account") << QStringLiteral("Account");
        QTest::addRow("update") << QByteArray("PATCH") << QStringLiteral("/sobjects/Account/{existing}") << QStringLiteral("Account");
        QTest::addRow("upsert by external id") << QByteArray("PATCH") << QStringLiteral("/sobjects/Invoice__c/Invoice_Number__c/ARR-0001")
                                               << QStringLiteral("Invoice__c");
    }
    void recordBodyMustBeAnObject()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QString, object);
        const HttpResult created = m_fx.post(v() + QStringLiteral("/sobjects/Account"), R"({"Name":"Array Body Corp"})");
        QCOMPARE(created.status, 201);
        const QString id = created.json().object().value(u"id").toString();
        const HttpResult r = m_fx.send(method, v() + QString(path).replace(QStringLiteral("{existing}"), id), R"([{"Name":"Renamed"}])",
            { qMakePair(QByteArray("Content-Type"), QByteArray("application/json")) });
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("JSON_PARSER_ERROR"));
        QCOMPARE(r.json().array().first().toObject().value(u"message").toString(),
            QStringLiteral("Cannot deserialize instance of %1 from START_ARRAY value").arg(object));
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id).json().object().value(u"Name").toString(),
            QStringLiteral("Array Body Corp"));
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Invoice__c/Invoice_Number__c/ARR-0001")).status, 404);
    }

    void badBodiesNeverCrash_data()
    {
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addRow("text/plain") << QByteArray("text/plain") << QByteArray("Name=Acme") << 415;
        QTest::addRow("huge body") << QByteArray("application/json") << QByteArray(11 * 1024 * 1024, ' ') << 413;
        QTest::addRow("binary junk") << QByteArray("application/json") << QByteArray("\x00\xff\xfe{\"", 5) << 400;
        QTest::addRow("deep nesting") << QByteArray("application/json") << QByteArray(5000, '[') << 400;
        QTest::addRow("object as value") << QByteArray("application/json") << QByteArray(R"({"Name":{"a":1}})") << 400;
        QTest::addRow("number for date") << QByteArray("application/json") << QByteArray(R"({"Name":"A","Customer_Since__c":42})") << 400;
    }
    void badBodiesNeverCrash()
    {
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        const HttpResult r = m_fx.send("POST", v() + QStringLiteral("/sobjects/Account"), body,
            { qMakePair(QByteArray("Content-Type"), contentType) });
        QCOMPARE(r.status, status);
        QVERIFY(!r.errorCode().isEmpty());
        QCOMPARE(m_fx.get(v() + QStringLiteral("/limits")).status, 200); // still serving
    }

    void conditionalUpdate()
    {
        const QString id = createAccount(R"({"Name":"Conditional Co"})");
        QVERIFY(!id.isEmpty());
        const QString url = v() + QStringLiteral("/sobjects/Account/") + id;
        const QByteArray past = "Sat, 01 Jan 2000 00:00:00 GMT";
        const HttpResult stale = m_fx.patch(url, R"({"Rating":"Hot"})", { qMakePair(QByteArray("If-Unmodified-Since"), past) });
        QCOMPARE(stale.status, 412);
        QCOMPARE(stale.errorCode(), QStringLiteral("PRECONDITION_FAILED"));
        const HttpResult fresh = m_fx.patch(url, R"({"Rating":"Hot"})",
            { qMakePair(QByteArray("If-Unmodified-Since"), httpDate(QDateTime::currentDateTimeUtc().addSecs(60))) });
        QCOMPARE(fresh.status, 204);
        const HttpResult garbage = m_fx.patch(url, R"({"Rating":"Hot"})", { qMakePair(QByteArray("If-Unmodified-Since"), QByteArray("yesterday")) });
        QCOMPARE(garbage.status, 400);
        const HttpResult ims = m_fx.get(url, { qMakePair(QByteArray("If-Modified-Since"), httpDate(QDateTime::currentDateTimeUtc().addSecs(60))) });
        QCOMPARE(ims.status, 304);
    }

    void upsertByExternalId()
    {
        const QString url = v() + QStringLiteral("/sobjects/Invoice__c/Invoice_Number__c/UPS-0001");
        const HttpResult created = m_fx.patch(url, R"({"Name":"Upserted","Amount__c":100.5})");
        QCOMPARE(created.status, 201);
        QCOMPARE(created.json().object().value(u"created").toBool(), true);
        const QString id = created.json().object().value(u"id").toString();
        const HttpResult updated = m_fx.patch(url, R"({"Amount__c":200})");
        QCOMPARE(updated.status, 200);
        QCOMPARE(updated.json().object().value(u"created").toBool(), false);
        QCOMPARE(updated.json().object().value(u"id").toString(), id);
        const HttpResult old = m_fx.patch(QStringLiteral("/services/data/v45.0/sobjects/Invoice__c/Invoice_Number__c/UPS-0001"), R"({"Amount__c":300})");
        QCOMPARE(old.status, 204);
        const HttpResult got = m_fx.get(url);
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json().object().value(u"Amount__c").toDouble(), 300.0);
        QCOMPARE(m_fx.patch(v() + QStringLiteral("/sobjects/Invoice__c/Nope__c/1"), "{}").errorCode(), QStringLiteral("NOT_FOUND"));
        QCOMPARE(m_fx.patch(v() + QStringLiteral("/sobjects/Invoice__c/Amount__c/1"), "{}").status, 404);
        const HttpResult mismatch = m_fx.patch(url, R"({"Invoice_Number__c":"OTHER"})");
        QCOMPARE(mismatch.status, 400);
        const HttpResult onlyUpdate = m_fx.patch(v() + QStringLiteral("/sobjects/Invoice__c/Invoice_Number__c/UPS-NEW?updateOnly=true"), R"({"Name":"N"})");
        QCOMPARE(onlyUpdate.status, 404);

        // Two contacts share an e-mail (an idLookup field): 300 with both URLs.
        QCOMPARE(m_fx.post(v() + QStringLiteral("/sobjects/Contact"), R"({"LastName":"Twin","Email":"twin@dup.example"})").status, 201);
        QCOMPARE(m_fx.post(v() + QStringLiteral("/sobjects/Contact"), R"({"LastName":"Twin","Email":"twin@dup.example"})").status, 201);
        const HttpResult ambiguous = m_fx.patch(v() + QStringLiteral("/sobjects/Contact/Email/twin@dup.example"), R"({"Title":"X"})");
        QCOMPARE(ambiguous.status, 300);
        QCOMPARE(ambiguous.json().array().size(), 2);
    }

    void queryPagesWithLocators()
    {
        const HttpResult count = m_fx.get(v() + QStringLiteral("/query?q=SELECT+COUNT()+FROM+Contact"));
        QCOMPARE(count.status, 200);
        const int total = count.json().object().value(u"totalSize").toInt();
        QVERIFY(total > 450);
        HttpResult page = m_fx.get(v() + QStringLiteral("/query?q=SELECT+Id,+Name+FROM+Contact"),
            { qMakePair(QByteArray("Sforce-Query-Options"), QByteArray("batchSize=200")) });
        QCOMPARE(page.status, 200);
        int seen = 0;
        int pages = 0;
        QSet<QString> ids;
        while (true) {
            const QJsonObject o = page.json().object();
            QCOMPARE(o.value(u"totalSize").toInt(), total);
            const QJsonArray recs = o.value(u"records").toArray();
            seen += recs.size();
            for (const QJsonValue &rv : recs)
                ids.insert(rv.toObject().value(u"Id").toString());
            ++pages;
            if (o.value(u"done").toBool()) {
                QVERIFY(!o.contains(u"nextRecordsUrl"));
                break;
            }
            QCOMPARE(recs.size(), 200);
            const QString next = o.value(u"nextRecordsUrl").toString();
            QVERIFY2(next.startsWith(u"/services/data/v59.0/query/01g"), qPrintable(next));
            QVERIFY(next.endsWith(u'-' + QString::number(seen)));
            page = m_fx.get(next);
            QCOMPARE(page.status, 200);
        }
        QCOMPARE(seen, total);
        QCOMPARE(ids.size(), total);
        QVERIFY(pages >= 3);
    }

    void queryErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("code");
        QTest::addRow("no q") << QStringLiteral("/query") << QStringLiteral("MALFORMED_QUERY");
        QTest::addRow("garbage") << QStringLiteral("/query?q=SELEKT+Id") << QStringLiteral("MALFORMED_QUERY");
        QTest::addRow("unknown object") << QStringLiteral("/query?q=SELECT+Id+FROM+Nope__c") << QStringLiteral("INVALID_TYPE");
        QTest::addRow("unknown field") << QStringLiteral("/query?q=SELECT+Nmae+FROM+Account") << QStringLiteral("INVALID_FIELD");
        QTest::addRow("unknown locator") << QStringLiteral("/query/01gRO0000000999YAA-2000") << QStringLiteral("INVALID_QUERY_LOCATOR");
        QTest::addRow("locator without offset") << QStringLiteral("/query/01gRO0000000999YAA") << QStringLiteral("INVALID_QUERY_LOCATOR");
    }
    void queryErrors()
    {
        QFETCH(QString, path);
        QFETCH(QString, code);
        const HttpResult r = m_fx.get(v() + path);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), code);
    }

    // ?columns=true (asked by the Salesforce CLI after each query): the columns, not the rows.
    void queryColumnsDescribeTheSelectList()
    {
        const auto columns = [this](const QString &soql) {
            return m_fx.get(v() + QStringLiteral("/query?columns=true&q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql)));
        };
        const auto metadata = [](const HttpResult &r) { return r.json().object().value(u"columnMetadata").toArray(); };

        const HttpResult plain = columns(QStringLiteral("SELECT Id, Name, NumberOfEmployees FROM Account"));
        QCOMPARE(plain.status, 200);
        const QJsonObject top = plain.json().object();
        QVERIFY(!top.contains(u"records") && !top.contains(u"nextRecordsUrl"));
        QCOMPARE(top.value(u"entityName").toString(), QStringLiteral("Account"));
        QCOMPARE(top.value(u"keyPrefix").toString(), QStringLiteral("001"));
        QCOMPARE(top.value(u"idSelected").toBool(), true);
        QCOMPARE(top.value(u"groupBy").toBool(), false);
        const QJsonArray cols = metadata(plain);
        QCOMPARE(cols.size(), 3);
        const QJsonObject id = cols.at(0).toObject();
        QCOMPARE(id.value(u"columnName").toString(), QStringLiteral("Id"));
        QCOMPARE(id.value(u"apexType").toString(), QStringLiteral("Id"));
        QCOMPARE(id.value(u"insertable").toBool(), false);
        QCOMPARE(id.value(u"foreignKeyName").isNull(), true);
        QCOMPARE(id.value(u"joinColumns").toArray().size(), 0);
        const QJsonObject name = cols.at(1).toObject();
        QCOMPARE(name.value(u"apexType").toString(), QStringLiteral("String"));
        QCOMPARE(name.value(u"textType").toBool(), true);
        QCOMPARE(name.value(u"updatable").toBool(), true);
        QCOMPARE(cols.at(2).toObject().value(u"numberType").toBool(), true);
        QCOMPARE(cols.at(2).toObject().value(u"apexType").toString(), QStringLiteral("Integer"));
        for (const QJsonValue &c : cols)
            QCOMPARE(c.toObject().keys().size(), 12);

        // Parent paths nest under the relationship; subqueries are aggregate columns.
        const QJsonArray nested = metadata(columns(QStringLiteral("SELECT LastName, Account.Owner.Name, (SELECT Subject FROM Cases) FROM Contact")));
        QCOMPARE(nested.size(), 3);
        const QJsonObject account = nested.at(1).toObject();
        QCOMPARE(account.value(u"columnName").toString(), QStringLiteral("Account"));
        QCOMPARE(account.value(u"foreignKeyName").toString(), QStringLiteral("AccountId"));
        QCOMPARE(account.value(u"aggregate").toBool(), false);
        QVERIFY(account.value(u"apexType").isNull());
        const QJsonObject owner = account.value(u"joinColumns").toArray().first().toObject();
        QCOMPARE(owner.value(u"columnName").toString(), QStringLiteral("Owner"));
        QCOMPARE(owner.value(u"foreignKeyName").toString(), QStringLiteral("OwnerId"));
        QCOMPARE(owner.value(u"joinColumns").toArray().first().toObject().value(u"columnName").toString(), QStringLiteral("Name"));
        const QJsonObject cases = nested.at(2).toObject();
        QCOMPARE(cases.value(u"columnName").toString(), QStringLiteral("Cases"));
        QCOMPARE(cases.value(u"aggregate").toBool(), true);
        QCOMPARE(cases.value(u"joinColumns").toArray().first().toObject().value(u"columnName").toString(), QStringLiteral("Subject"));

        // Aggregates: exprN or the alias, displayed as written.
        const HttpResult grouped = columns(QStringLiteral("SELECT Industry, AVG(NumberOfEmployees), COUNT(Id) n FROM Account GROUP BY Industry"));
        QCOMPARE(grouped.json().object().value(u"groupBy").toBool(), true);
        const QJsonArray agg = metadata(grouped);
        QCOMPARE(agg.size(), 3);
        QCOMPARE(agg.at(0).toObject().value(u"aggregate").toBool(), false);
        QCOMPARE(agg.at(1).toObject().value(u"columnName").toString(), QStringLiteral("expr0"));
        QCOMPARE(agg.at(1).toObject().value(u"displayName").toString(), QStringLiteral("avg(NumberOfEmployees)"));
        QCOMPARE(agg.at(1).toObject().value(u"aggregate").toBool(), true);
        QCOMPARE(agg.at(1).toObject().value(u"numberType").toBool(), true);
        QCOMPARE(agg.at(2).toObject().value(u"columnName").toString(), QStringLiteral("n"));
        QCOMPARE(agg.at(2).toObject().value(u"displayName").toString(), QStringLiteral("count(Id)"));

        // Checked as /query checks it.
        for (const QString &bad : { QStringLiteral("SELEC Id FROM Account"), QStringLiteral("SELECT Nmae FROM Account"),
                 QStringLiteral("SELECT Id FROM Nope__c") }) {
            const HttpResult refused = columns(bad);
            const HttpResult asQuery = m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(bad)));
            QCOMPARE(refused.status, 400);
            QCOMPARE(refused.body, asQuery.body);
        }
    }

    void queryAllSeesDeletedRecords()
    {
        const QString id = createAccount(R"({"Name":"Recycled Widgets"})");
        QCOMPARE(m_fx.del(v() + QStringLiteral("/sobjects/Account/") + id).status, 204);
        const QString q = QStringLiteral("?q=SELECT+Id,IsDeleted+FROM+Account+WHERE+Name+=+'Recycled+Widgets'");
        QCOMPARE(m_fx.get(v() + QStringLiteral("/query") + q).json().object().value(u"totalSize").toInt(), 0);
        const HttpResult all = m_fx.get(v() + QStringLiteral("/queryAll") + q);
        QCOMPARE(all.status, 200);
        QCOMPARE(all.json().object().value(u"totalSize").toInt(), 1);
        QCOMPARE(all.json().object().value(u"records").toArray().first().toObject().value(u"IsDeleted").toBool(), true);
    }

    void oldestLocatorIsDiscardedAfterTen()
    {
        QStringList nexts;
        for (int i = 0; i < 11; ++i) {
            const HttpResult r = m_fx.get(v() + QStringLiteral("/query?q=SELECT+Id+FROM+Contact"),
                { qMakePair(QByteArray("Sforce-Query-Options"), QByteArray("batchSize=200")) });
            nexts << r.json().object().value(u"nextRecordsUrl").toString();
        }
        QCOMPARE(m_fx.get(nexts.first()).errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));
        QCOMPARE(m_fx.get(nexts.last()).status, 200);
    }

    void gzipWhenAsked()
    {
        QNetworkRequest req(QUrl(m_fx.baseUrl().toString() + v() + QStringLiteral("/sobjects/Account/describe")));
        req.setRawHeader("Authorization", "Bearer " + m_fx.token().toLatin1());
        req.setRawHeader("Accept-Encoding", "gzip");
        QNetworkReply *reply = m_fx.network().get(req);
        QSignalSpy spy(reply, &QNetworkReply::finished);
        QVERIFY(spy.wait(30000));
        QCOMPARE(reply->rawHeader("Content-Encoding"), QByteArray("gzip"));
        // Setting Accept-Encoding by hand leaves the body compressed: inflate it ourselves.
        bool ok = false;
        const QByteArray plain = fs::sim::SimHttpServer::gunzip(reply->readAll(), &ok);
        QVERIFY(ok);
        QVERIFY(QJsonDocument::fromJson(plain).isObject());
        reply->deleteLater();
    }

    void searchReturnsMatches()
    {
        createAccount(R"({"Name":"Zyxwv Searchable Corp","Phone":"(555) 010-2000"})");
        const HttpResult r = m_fx.get(v() + QStringLiteral("/search?q=") + QString::fromLatin1(QUrl::toPercentEncoding(
            QStringLiteral("FIND {Zyxwv} IN NAME FIELDS RETURNING Account(Id, Name WHERE Industry = null LIMIT 5), Contact(Id) LIMIT 10"))));
        QCOMPARE(r.status, 200);
        const QJsonArray recs = r.json().object().value(u"searchRecords").toArray();
        QCOMPARE(recs.size(), 1);
        QCOMPARE(recs.first().toObject().value(u"Name").toString(), QStringLiteral("Zyxwv Searchable Corp"));
        QCOMPARE(recs.first().toObject().value(u"attributes").toObject().value(u"type").toString(), QStringLiteral("Account"));
        const HttpResult shortTerm = m_fx.get(v() + QStringLiteral("/search?q=FIND+%7BZ%7D"));
        QCOMPARE(shortTerm.status, 400);
        QCOMPARE(shortTerm.errorCode(), QStringLiteral("MALFORMED_SEARCH"));
        const HttpResult badType = m_fx.get(v() + QStringLiteral("/search?q=FIND+%7BAcme%7D+RETURNING+Nope__c"));
        QCOMPARE(badType.status, 400);
        const HttpResult broad = m_fx.get(v() + QStringLiteral("/search?q=FIND+%7BZyxwv*%7D"));
        QCOMPARE(broad.status, 200);
        QVERIFY(!broad.json().object().value(u"searchRecords").toArray().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestSimRest)
#include "tst_simrest.moc"
