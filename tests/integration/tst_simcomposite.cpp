// /composite, /composite/batch and sObject Collections of the simulated org over real HTTP.
#include "simulatorfixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;

class TestSimComposite : public QObject {
    Q_OBJECT

private:
    SimulatorFixture m_fx;
    QString v() const { return m_fx.dataPath(); }
    int countWhere(const QString &object, const QString &name)
    {
        const HttpResult r = m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(
            QStringLiteral("SELECT COUNT() FROM %1 WHERE %2").arg(object, name))));
        return r.json().object().value(u"totalSize").toInt(-1);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
    }

    void compositeWithReferences()
    {
        const QByteArray body = R"({"allOrNone":true,"compositeRequest":[
          {"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"newAcct","body":{"Name":"Composite Corp"}},
          {"method":"GET","url":"/services/data/v59.0/sobjects/Account/@{newAcct.id}?fields=Name,OwnerId","referenceId":"acctInfo"},
          {"method":"POST","url":"/services/data/v59.0/sobjects/Contact","referenceId":"newContact",
           "body":{"LastName":"Ng","AccountId":"@{newAcct.id}","OwnerId":"@{acctInfo.OwnerId}","Title":"Buyer at @{acctInfo.Name}"}},
          {"method":"GET","url":"/services/data/v59.0/query?q=SELECT+Id,Title+FROM+Contact+WHERE+AccountId=%27@{newAcct.id}%27","referenceId":"q1"},
          {"method":"PATCH","url":"/services/data/v59.0/sobjects/Contact/@{q1.records[0].Id}","referenceId":"upd","body":{"Department":"Ops"}}]})";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite"), body);
        QCOMPARE(r.status, 200);
        const QJsonArray out = r.json().object().value(u"compositeResponse").toArray();
        QCOMPARE(out.size(), 5);
        QCOMPARE(out.at(0).toObject().value(u"httpStatusCode").toInt(), 201);
        QVERIFY(out.at(0).toObject().value(u"httpHeaders").toObject().value(u"Location").toString().contains(u"/sobjects/Account/"));
        QCOMPARE(out.at(1).toObject().value(u"httpStatusCode").toInt(), 200);
        QCOMPARE(out.at(2).toObject().value(u"httpStatusCode").toInt(), 201);
        QCOMPARE(out.at(3).toObject().value(u"body").toObject().value(u"records").toArray().first().toObject().value(u"Title").toString(),
            QStringLiteral("Buyer at Composite Corp"));
        QCOMPARE(out.at(4).toObject().value(u"httpStatusCode").toInt(), 204);
        QVERIFY(out.at(4).toObject().value(u"body").isNull());
        QCOMPARE(out.at(4).toObject().value(u"referenceId").toString(), QStringLiteral("upd"));
    }

    // Subresponse bodies are the subrequests' own bytes: a record keeps attributes first and its
    // Id (so @{ref.Id} resolves after a ?fields= read), and a batch result reads statusCode, result.
    void subresponsesKeepTheRecordAsRead()
    {
        const QByteArray body = R"({"compositeRequest":[
          {"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"acct","body":{"Name":"Order Kept Corp"}},
          {"method":"GET","url":"/services/data/v59.0/sobjects/Account/@{acct.id}?fields=Name","referenceId":"read"},
          {"method":"PATCH","url":"/services/data/v59.0/sobjects/Account/@{read.Id}","referenceId":"upd","body":{"Industry":"Energy"}}]})";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite"), body);
        QCOMPARE(r.status, 200);
        const QJsonArray out = r.json().object().value(u"compositeResponse").toArray();
        QCOMPARE(out.size(), 3);
        const QString id = out.at(0).toObject().value(u"body").toObject().value(u"id").toString();
        QCOMPARE(out.at(2).toObject().value(u"httpStatusCode").toInt(), 204);
        QVERIFY2(r.body.contains("{\"body\":{\"attributes\":{\"type\":\"Account\",\"url\":\"/services/data/v59.0/sobjects/Account/" + id.toLatin1()
                     + "\"},\"Name\":\"Order Kept Corp\",\"Id\":\"" + id.toLatin1() + "\"},\"httpHeaders\":{},\"httpStatusCode\":200,\"referenceId\":\"read\"}"),
            r.body.constData());
        QCOMPARE(countWhere(QStringLiteral("Account"), QStringLiteral("Name = 'Order Kept Corp' AND Industry = 'Energy'")), 1);

        const HttpResult batch = m_fx.post(v() + QStringLiteral("/composite/batch"),
            R"({"batchRequests":[{"method":"GET","url":"v59.0/sobjects/Account/)" + id.toLatin1() + R"(?fields=Name"}]})");
        QCOMPARE(batch.status, 200);
        QVERIFY2(batch.body.startsWith("{\"hasErrors\":false,\"results\":[{\"statusCode\":200,\"result\":{\"attributes\":{"),
            batch.body.constData());
    }

    void compositeAllOrNoneRollsBack()
    {
        const QByteArray body = R"({"allOrNone":true,"compositeRequest":[
          {"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"a","body":{"Name":"Rollback Corp"}},
          {"method":"POST","url":"/services/data/v59.0/sobjects/Contact","referenceId":"c","body":{"FirstName":"NoLastName","AccountId":"@{a.id}"}},
          {"method":"GET","url":"/services/data/v59.0/limits","referenceId":"after"}]})";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite"), body);
        QCOMPARE(r.status, 200);
        const QJsonArray out = r.json().object().value(u"compositeResponse").toArray();
        QCOMPARE(out.size(), 3);
        QCOMPARE(out.at(1).toObject().value(u"httpStatusCode").toInt(), 400);
        QCOMPARE(out.at(1).toObject().value(u"body").toArray().first().toObject().value(u"errorCode").toString(), QStringLiteral("REQUIRED_FIELD_MISSING"));
        for (int i : { 0, 2 }) {
            QCOMPARE(out.at(i).toObject().value(u"httpStatusCode").toInt(), 400);
            QCOMPARE(out.at(i).toObject().value(u"body").toArray().first().toObject().value(u"errorCode").toString(),
                QStringLiteral("PROCESSING_HALTED"));
        }
        QCOMPARE(countWhere(QStringLiteral("Account"), QStringLiteral("Name = 'Rollback Corp'")), 0);
    }

    void compositeUnresolvedReference()
    {
        const QByteArray body = R"({"allOrNone":false,"compositeRequest":[
          {"method":"POST","url":"/services/data/v59.0/sobjects/Contact","referenceId":"bad","body":{"FirstName":"X"}},
          {"method":"GET","url":"/services/data/v59.0/sobjects/Contact/@{bad.id}","referenceId":"dependent"},
          {"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"ok","body":{"Name":"Independent Corp"}}]})";
        const QJsonArray out = m_fx.post(v() + QStringLiteral("/composite"), body).json().object().value(u"compositeResponse").toArray();
        QCOMPARE(out.at(1).toObject().value(u"httpStatusCode").toInt(), 400);
        const QJsonObject err = out.at(1).toObject().value(u"body").toArray().first().toObject();
        QCOMPARE(err.value(u"errorCode").toString(), QStringLiteral("PROCESSING_HALTED"));
        QVERIFY(err.value(u"message").toString().startsWith(u"Invalid reference specified. No value for bad.id found in bad."));
        QCOMPARE(out.at(2).toObject().value(u"httpStatusCode").toInt(), 201);
    }

    void compositeTopLevelErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QByteArray many = "{\"compositeRequest\":[";
        for (int i = 0; i < 26; ++i)
            many += QByteArray(i ? "," : "") + "{\"method\":\"GET\",\"url\":\"/services/data/v59.0/limits\",\"referenceId\":\"r" + QByteArray::number(i) + "\"}";
        many += "]}";
        QTest::addRow("26 subrequests") << many << QStringLiteral("INVALID_INPUT");
        QTest::addRow("duplicate referenceId") << QByteArray(R"({"compositeRequest":[{"method":"GET","url":"/services/data/v59.0/limits","referenceId":"a"},{"method":"GET","url":"/services/data/v59.0/limits","referenceId":"a"}]})")
                                               << QStringLiteral("INVALID_INPUT");
        QTest::addRow("bad referenceId") << QByteArray(R"({"compositeRequest":[{"method":"GET","url":"/services/data/v59.0/limits","referenceId":"a.b"}]})")
                                         << QStringLiteral("INVALID_INPUT");
        QTest::addRow("bad url") << QByteArray(R"({"compositeRequest":[{"method":"GET","url":"/elsewhere","referenceId":"a"}]})")
                                 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("malformed JSON") << QByteArray("{\"compositeRequest\":[") << QStringLiteral("JSON_PARSER_ERROR");
    }
    void compositeTopLevelErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite"), body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), code);
    }

    // Each of these bodies is a JSON object carrying one array; anything else is refused before
    // any subrequest or record runs, and the message names the array.
    void bodiesMustCarryTheirArray_data()
    {
        QTest::addColumn<QString>("resource");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("member");
        QTest::addRow("composite without its array") << QStringLiteral("/composite") << QByteArray(R"({"allOrNone":true})")
                                                     << QStringLiteral("compositeRequest");
        QTest::addRow("composite member not an array") << QStringLiteral("/composite") << QByteArray(R"({"compositeRequest":{}})")
                                                       << QStringLiteral("compositeRequest");
        QTest::addRow("composite body an array") << QStringLiteral("/composite") << QByteArray("[]") << QStringLiteral("compositeRequest");
        QTest::addRow("batch without its array") << QStringLiteral("/composite/batch") << QByteArray(R"({"haltOnError":true})")
                                                 << QStringLiteral("batchRequests");
        QTest::addRow("collections without records") << QStringLiteral("/composite/sobjects")
                                                     << QByteArray(R"({"allOrNone":true,"record":[{"attributes":{"type":"Account"},"Name":"Never"}]})")
                                                     << QStringLiteral("records");
        QTest::addRow("collections records not an array") << QStringLiteral("/composite/sobjects")
                                                          << QByteArray(R"({"records":"Never"})") << QStringLiteral("records");
    }
    void bodiesMustCarryTheirArray()
    {
        QFETCH(QString, resource);
        QFETCH(QByteArray, body);
        QFETCH(QString, member);
        const HttpResult r = m_fx.post(v() + resource, body);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("JSON_PARSER_ERROR"));
        QCOMPARE(r.json().array().first().toObject().value(u"message").toString(), member + QStringLiteral(" is required"));
        QCOMPARE(countWhere(QStringLiteral("Account"), QStringLiteral("Name = 'Never'")), 0);
    }

    void batchHaltsOnError()
    {
        const QByteArray body = R"({"haltOnError":true,"batchRequests":[
          {"method":"POST","url":"v59.0/sobjects/Account","richInput":{"Name":"Batch One"}},
          {"method":"GET","url":"v59.0/sobjects/Account/001xx"},
          {"method":"POST","url":"v59.0/sobjects/Account","richInput":{"Name":"Batch Never"}}]})";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/batch"), body);
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json().object();
        QVERIFY(o.value(u"hasErrors").toBool());
        const QJsonArray results = o.value(u"results").toArray();
        QCOMPARE(results.at(0).toObject().value(u"statusCode").toInt(), 201);
        QCOMPARE(results.at(1).toObject().value(u"statusCode").toInt(), 400);
        QCOMPARE(results.at(2).toObject().value(u"statusCode").toInt(), 412);
        QCOMPARE(results.at(2).toObject().value(u"result").toArray().first().toObject().value(u"errorCode").toString(),
            QStringLiteral("BATCH_PROCESSING_HALTED"));
        QCOMPARE(countWhere(QStringLiteral("Account"), QStringLiteral("Name = 'Batch One'")), 1);
        QCOMPARE(countWhere(QStringLiteral("Account"), QStringLiteral("Name = 'Batch Never'")), 0);

        const HttpResult noHalt = m_fx.post(v() + QStringLiteral("/composite/batch"),
            R"({"batchRequests":[{"method":"GET","url":"v59.0/sobjects/Account/001xx"},{"method":"GET","url":"/services/data/v59.0/limits"}]})");
        QCOMPARE(noHalt.json().object().value(u"results").toArray().at(1).toObject().value(u"statusCode").toInt(), 200);
        const HttpResult bad = m_fx.post(v() + QStringLiteral("/composite/batch"), R"({"batchRequests":[{"method":"FETCH","url":"v59.0/limits"}]})");
        QCOMPARE(bad.status, 400);
    }

    void collectionsCreateUpdateRetrieveDelete()
    {
        const HttpResult created = m_fx.post(v() + QStringLiteral("/composite/sobjects"),
            R"({"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"Coll A"},{"attributes":{"type":"Contact"},"LastName":"Coll B"},{"attributes":{"type":"Contact"},"FirstName":"Missing"}]})");
        QCOMPARE(created.status, 200);
        const QJsonArray res = created.json().array();
        QCOMPARE(res.size(), 3);
        QVERIFY(res.at(0).toObject().value(u"success").toBool());
        QVERIFY(res.at(1).toObject().value(u"success").toBool());
        QVERIFY(!res.at(2).toObject().value(u"success").toBool());
        QCOMPARE(res.at(2).toObject().value(u"errors").toArray().first().toObject().value(u"statusCode").toString(),
            QStringLiteral("REQUIRED_FIELD_MISSING"));
        const QString a = res.at(0).toObject().value(u"id").toString();
        const QString c = res.at(1).toObject().value(u"id").toString();

        const HttpResult updated = m_fx.patch(v() + QStringLiteral("/composite/sobjects"),
            QStringLiteral(R"({"records":[{"attributes":{"type":"Account"},"id":"%1","Industry":"Retail"}]})").arg(a).toUtf8());
        QVERIFY(updated.json().array().first().toObject().value(u"success").toBool());

        const HttpResult got = m_fx.get(v() + QStringLiteral("/composite/sobjects/Account?ids=%1,001RO0000000000AAA&fields=Id,Industry").arg(a));
        QCOMPARE(got.status, 200);
        QCOMPARE(got.json().array().at(0).toObject().value(u"Industry").toString(), QStringLiteral("Retail"));
        QVERIFY(got.json().array().at(1).isNull());
        QCOMPARE(m_fx.get(v() + QStringLiteral("/composite/sobjects/Account?ids=%1&fields=Nope").arg(a)).status, 400);

        const HttpResult deleted = m_fx.del(v() + QStringLiteral("/composite/sobjects?ids=%1,%2&allOrNone=false").arg(a, c));
        QCOMPARE(deleted.status, 200);
        QVERIFY(deleted.json().array().at(0).toObject().value(u"success").toBool());
        QVERIFY(deleted.json().array().at(1).toObject().value(u"success").toBool());
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + a).errorCode(), QStringLiteral("ENTITY_IS_DELETED"));
    }

    void collectionsAllOrNone()
    {
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/sobjects"),
            R"({"allOrNone":true,"records":[{"attributes":{"type":"Account"},"Name":"AON Keep?"},{"attributes":{"type":"Contact"},"FirstName":"NoLast"}]})");
        QCOMPARE(r.status, 200);
        const QJsonArray res = r.json().array();
        QCOMPARE(res.at(0).toObject().value(u"errors").toArray().first().toObject().value(u"statusCode").toString(),
            QStringLiteral("ALL_OR_NONE_OPERATION_ROLLED_BACK"));
        QCOMPARE(res.at(1).toObject().value(u"errors").toArray().first().toObject().value(u"statusCode").toString(),
            QStringLiteral("REQUIRED_FIELD_MISSING"));
        QCOMPARE(countWhere(QStringLiteral("Account"), QStringLiteral("Name = 'AON Keep?'")), 0);

        QByteArray many = "{\"records\":[";
        for (int i = 0; i < 201; ++i)
            many += QByteArray(i ? "," : "") + R"({"attributes":{"type":"Account"},"Name":"N"})";
        many += "]}";
        QCOMPARE(m_fx.post(v() + QStringLiteral("/composite/sobjects"), many).status, 400);
    }

    void collectionsUpsert()
    {
        const HttpResult r = m_fx.patch(v() + QStringLiteral("/composite/sobjects/Invoice__c/Invoice_Number__c"),
            R"({"allOrNone":false,"records":[{"attributes":{"type":"Invoice__c"},"Invoice_Number__c":"COLL-1","Name":"Coll 1"},{"attributes":{"type":"Invoice__c"},"Invoice_Number__c":"COLL-1","Name":"Coll 1 again"}]})");
        QCOMPARE(r.status, 200);
        const QJsonArray res = r.json().array();
        QCOMPARE(res.at(0).toObject().value(u"created").toBool(), true);
        QCOMPARE(res.at(1).toObject().value(u"created").toBool(), false);
        QCOMPARE(res.at(0).toObject().value(u"id").toString(), res.at(1).toObject().value(u"id").toString());
    }
};

QTEST_GUILESS_MAIN(TestSimComposite)
#include "tst_simcomposite.moc"
