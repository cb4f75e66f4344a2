// The simulator's replication, record ETag, sObject Tree, composite graph and query explain
// resources (reference §2.7, §3.1, §4.5, §5.3, §5.4) over real HTTP.
#include "simulatorfixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QTest>
#include <QUrl>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

QString isoParam(const QDateTime &dt)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(dt.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QStringLiteral("+00:00")));
}

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

} // namespace

class TestSimExtras : public QObject {
    Q_OBJECT

private:
    SimulatorFixture m_fx;
    QString v() const { return m_fx.dataPath(); }

    QString createAccount(const QString &name)
    {
        const HttpResult r = m_fx.post(v() + QStringLiteral("/sobjects/Account"),
            QJsonDocument(QJsonObject { { QStringLiteral("Name"), name } }).toJson(QJsonDocument::Compact));
        return r.status == 201 ? r.json().object().value(u"id").toString() : QString();
    }
    int count(const QString &soql)
    {
        const HttpResult r = m_fx.get(v() + QStringLiteral("/query?q=") + enc(soql));
        return r.json().object().value(u"totalSize").toInt(-1);
    }
    QString replicationPath(const QString &object, const QString &kind, const QDateTime &start, const QDateTime &end) const
    {
        return v() + QStringLiteral("/sobjects/%1/%2/?start=%3&end=%4").arg(object, kind, isoParam(start), isoParam(end));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
    }

    // ---- updated / deleted ----

    void replicationListsChangesAndSoftDeletes()
    {
        const QString kept = createAccount(QStringLiteral("Replicated Kept"));
        const QString gone = createAccount(QStringLiteral("Replicated Gone"));
        QVERIFY(!kept.isEmpty() && !gone.isEmpty());
        QCOMPARE(m_fx.del(v() + QStringLiteral("/sobjects/Account/") + gone).status, 204);
        const QDateTime now = QDateTime::currentDateTimeUtc();

        const HttpResult updated = m_fx.get(replicationPath(QStringLiteral("Account"), QStringLiteral("updated"), now.addSecs(-600), now.addSecs(300)));
        QCOMPARE(updated.status, 200);
        QVERIFY(updated.header("Sforce-Limit-Info").startsWith("api-usage="));
        const QJsonObject u = updated.json().object();
        const QJsonArray ids = u.value(u"ids").toArray();
        QVERIFY(ids.contains(kept));
        QVERIFY2(!ids.contains(gone), "a deleted record is reported by deleted/, not updated/");
        // latestDateCovered: no later than the current minute, whole minutes, Salesforce datetime format.
        const QString latest = u.value(u"latestDateCovered").toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:00\\.000\\+0000$")).match(latest).hasMatch(), qPrintable(latest));

        const HttpResult deleted = m_fx.get(replicationPath(QStringLiteral("Account"), QStringLiteral("deleted"), now.addSecs(-600), now.addSecs(300)));
        QCOMPARE(deleted.status, 200);
        const QJsonObject d = deleted.json().object();
        QVERIFY(d.contains(u"earliestDateAvailable"));
        QVERIFY(d.contains(u"latestDateCovered"));
        bool found = false;
        for (const QJsonValue &rec : d.value(u"deletedRecords").toArray()) {
            if (rec.toObject().value(u"id").toString() == gone) {
                found = true;
                const QString text = rec.toObject().value(u"deletedDate").toString();
                QVERIFY2(text.endsWith(u".000+0000"), qPrintable(text));
                QDateTime when = QDateTime::fromString(text.left(19), QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
                when.setTimeSpec(Qt::UTC);
                QVERIFY2(qAbs(when.secsTo(now)) < 600, qPrintable(text));
            }
            QVERIFY(rec.toObject().value(u"id").toString() != kept);
        }
        QVERIFY2(found, "the soft-deleted record appears in deleted/");

        // A window that ends before the changes contains neither.
        const HttpResult before = m_fx.get(replicationPath(QStringLiteral("Account"), QStringLiteral("updated"), now.addDays(-2), now.addDays(-1)));
        QCOMPARE(before.status, 200);
        QVERIFY(!before.json().object().value(u"ids").toArray().contains(kept));
    }

    void replicationErrors_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QString base = v() + QStringLiteral("/sobjects/Account/");
        const QString ok = isoParam(now.addSecs(-3600));
        const QString end = isoParam(now);
        QTest::addRow("missing start") << base + QStringLiteral("updated/?end=") + end << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("missing end") << base + QStringLiteral("deleted/?start=") + ok << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("not a date") << base + QStringLiteral("updated/?start=yesterday&end=") + end << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("date without time") << base + QStringLiteral("updated/?start=") + now.addDays(-1).toString(QStringLiteral("yyyy-MM-dd")) + QStringLiteral("&end=") + end
                                           << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("unencoded plus becomes a space") << base + QStringLiteral("updated/?start=") + now.addSecs(-3600).toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QStringLiteral("+00:00&end=") + end
                                                        << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("end before start") << base + QStringLiteral("updated/?start=") + end + QStringLiteral("&end=") + ok << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QDateTime minute = now.addSecs(-7200);
        minute.setTime(QTime(minute.time().hour(), minute.time().minute(), 5));
        QTest::addRow("same minute (seconds ignored)") << base + QStringLiteral("deleted/?start=") + isoParam(minute) + QStringLiteral("&end=") + isoParam(minute.addSecs(50))
                                                       << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("updated older than 30 days") << replicationPath(QStringLiteral("Account"), QStringLiteral("updated"), now.addDays(-31), now)
                                                    << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("deleted older than 15 days") << replicationPath(QStringLiteral("Account"), QStringLiteral("deleted"), now.addDays(-16), now)
                                                    << 400 << QStringLiteral("INVALID_REPLICATION_DATE");
        QTest::addRow("updated 16 days back is fine") << replicationPath(QStringLiteral("Account"), QStringLiteral("updated"), now.addDays(-16), now)
                                                      << 200 << QString();
        QTest::addRow("one minute is enough") << replicationPath(QStringLiteral("Contact"), QStringLiteral("deleted"), now.addSecs(-120), now.addSecs(-60))
                                              << 200 << QString();
        QTest::addRow("unknown object") << replicationPath(QStringLiteral("Nope__c"), QStringLiteral("updated"), now.addDays(-1), now) << 404
                                        << QStringLiteral("NOT_FOUND");
        QTest::addRow("platform event") << replicationPath(QStringLiteral("Order_Event__e"), QStringLiteral("updated"), now.addDays(-1), now) << 400
                                        << QStringLiteral("INVALID_TYPE_FOR_OPERATION");
    }
    void replicationErrors()
    {
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpResult r = m_fx.get(path);
        QCOMPARE(r.status, status);
        if (!code.isEmpty())
            QCOMPARE(r.errorCode(), code);
        QVERIFY(r.header("Sforce-Limit-Info").startsWith("api-usage="));
    }

    void replicationRefusesWrites()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const HttpResult r = m_fx.post(replicationPath(QStringLiteral("Account"), QStringLiteral("updated"), now.addDays(-1), now), "{}");
        QCOMPARE(r.status, 405);
        QCOMPARE(r.errorCode(), QStringLiteral("METHOD_NOT_ALLOWED"));
    }

    // ---- record ETags ----

    void etagOnAccountRead()
    {
        const QString id = createAccount(QStringLiteral("ETag Read Corp"));
        const HttpResult first = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id);
        QCOMPARE(first.status, 200);
        const QByteArray etag = first.header("ETag");
        QVERIFY2(etag.startsWith('"') && etag.endsWith('"') && etag.size() > 10, etag.constData());
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id).header("ETag"), etag); // stable
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id + QStringLiteral("?fields=Name")).header("ETag"), etag);

        const HttpResult cached = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id, { { "If-None-Match", etag } });
        QCOMPARE(cached.status, 304);
        QVERIFY(cached.body.isEmpty());
        QCOMPARE(cached.header("ETag"), etag);
        QVERIFY(cached.header("Sforce-Limit-Info").startsWith("api-usage="));
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id, { { "If-None-Match", "\"other\", " + etag } }).status, 304);
        QCOMPARE(m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id, { { "If-None-Match", "\"other\"" } }).status, 200);

        // Any field change gives a new tag; the old one no longer short-circuits.
        QCOMPARE(m_fx.patch(v() + QStringLiteral("/sobjects/Account/") + id, R"({"Description":"changed"})").status, 204);
        const HttpResult after = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + id, { { "If-None-Match", etag } });
        QCOMPARE(after.status, 200);
        QVERIFY(after.header("ETag") != etag);

        // ETags are for Account records only.
        const HttpResult contacts = m_fx.get(v() + QStringLiteral("/query?q=") + enc(QStringLiteral("SELECT Id FROM Contact LIMIT 1")));
        const QString contactId = contacts.json().object().value(u"records").toArray().first().toObject().value(u"Id").toString();
        QVERIFY(m_fx.get(v() + QStringLiteral("/sobjects/Contact/") + contactId).header("ETag").isEmpty());
    }

    void etagPreconditions_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QString>("value"); // CURRENT is replaced by the record's ETag
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("applied");
        QTest::addRow("PATCH If-Match current") << QByteArray("PATCH") << QByteArray("If-Match") << QStringLiteral("CURRENT") << 204 << true;
        QTest::addRow("PATCH If-Match list with current") << QByteArray("PATCH") << QByteArray("If-Match")
                                                          << QStringLiteral("\"Jbjuzw7dbhaEG3fd90kJbx6A0ow=-gzip\", CURRENT") << 204 << true;
        QTest::addRow("PATCH If-Match stale") << QByteArray("PATCH") << QByteArray("If-Match") << QStringLiteral("\"U5iWijwWbQD18jeiXwsqxeGpZQk=-gzip\"") << 412 << false;
        QTest::addRow("PATCH If-Match stale list") << QByteArray("PATCH") << QByteArray("If-Match")
                                                   << QStringLiteral("\"a=--gzip\", \"b=--gzip\"") << 412 << false;
        QTest::addRow("PATCH If-Match star") << QByteArray("PATCH") << QByteArray("If-Match") << QStringLiteral("*") << 204 << true;
        QTest::addRow("PATCH If-None-Match current") << QByteArray("PATCH") << QByteArray("If-None-Match") << QStringLiteral("CURRENT") << 412 << false;
        QTest::addRow("PATCH If-None-Match stale") << QByteArray("PATCH") << QByteArray("If-None-Match") << QStringLiteral("\"stale\"") << 204 << true;
        QTest::addRow("PATCH If-Match unquoted") << QByteArray("PATCH") << QByteArray("If-Match") << QStringLiteral("not-a-tag") << 400 << false;
        QTest::addRow("DELETE If-Match stale") << QByteArray("DELETE") << QByteArray("If-Match") << QStringLiteral("\"stale\"") << 412 << false;
        QTest::addRow("DELETE If-Match current") << QByteArray("DELETE") << QByteArray("If-Match") << QStringLiteral("CURRENT") << 204 << true;
        QTest::addRow("GET If-Match stale") << QByteArray("GET") << QByteArray("If-Match") << QStringLiteral("\"stale\"") << 412 << false;
    }
    void etagPreconditions()
    {
        QFETCH(QByteArray, method);
        QFETCH(QByteArray, header);
        QFETCH(QString, value);
        QFETCH(int, status);
        QFETCH(bool, applied);
        const QString id = createAccount(QStringLiteral("ETag Precondition Corp"));
        const QString path = v() + QStringLiteral("/sobjects/Account/") + id;
        const QByteArray etag = m_fx.get(path).header("ETag");
        QVERIFY(!etag.isEmpty());
        value.replace(QStringLiteral("CURRENT"), QString::fromLatin1(etag));
        const QByteArray body = method == "PATCH" ? QByteArray(R"({"Description":"conditional"})") : QByteArray();
        Headers headers { { header, value.toLatin1() } };
        if (method == "PATCH")
            headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        const HttpResult r = m_fx.send(method, path, body, headers);
        QCOMPARE(r.status, status);
        if (status == 412)
            QCOMPARE(r.errorCode(), QStringLiteral("PRECONDITION_FAILED"));
        if (status == 400)
            QCOMPARE(r.errorCode(), QStringLiteral("INVALID_HEADER_VALUE"));
        if (method == "PATCH" && status == 204)
            QVERIFY(!r.header("ETag").isEmpty() && r.header("ETag") != etag);
        const HttpResult after = m_fx.get(path);
        if (method == "DELETE") {
            QCOMPARE(after.status, applied ? 404 : 200);
        } else if (method == "PATCH") {
            QCOMPARE(after.json().object().value(u"Description").toString() == u"conditional", applied);
        }
    }

    void etagUnknownRecordKeepsNotFound()
    {
        const HttpResult r = m_fx.send("PATCH", v() + QStringLiteral("/sobjects/Account/001000000000000AAA"), R"({"Name":"x"})",
            { { "If-Match", "\"x\"" }, { "Content-Type", "application/json" } });
        QCOMPARE(r.status, 404);
    }

    // ---- sObject Tree ----

    void treeCreatesNestedRecords()
    {
        const QByteArray body = R"({"records":[
          {"attributes":{"type":"Account","referenceId":"acc1"},"Name":"Tree Parent One","Industry":"Banking",
           "Contacts":{"records":[
             {"attributes":{"type":"Contact","referenceId":"con1"},"LastName":"Treeleaf","Email":"leaf1@example.com"},
             {"attributes":{"type":"Contact","referenceId":"con2"},"LastName":"Treeleaf"}]},
           "ChildAccounts":{"records":[{"attributes":{"type":"Account","referenceId":"sub1"},"Name":"Tree Child Account",
             "Opportunities":{"records":[{"attributes":{"type":"Opportunity","referenceId":"opp1"},"Name":"Tree Deal","StageName":"Prospecting","CloseDate":"2026-12-31"}]}}]}},
          {"attributes":{"type":"Account","referenceId":"acc2"},"Name":"Tree Parent Two"}]})";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/tree/Account"), body);
        QCOMPARE(r.status, 201);
        QVERIFY(r.header("Sforce-Limit-Info").startsWith("api-usage="));
        const QJsonObject o = r.json().object();
        QCOMPARE(o.value(u"hasErrors").toBool(true), false);
        const QJsonArray results = o.value(u"results").toArray();
        QStringList order;
        QHash<QString, QString> ids;
        for (const QJsonValue &res : results) {
            order << res.toObject().value(u"referenceId").toString();
            ids.insert(order.last(), res.toObject().value(u"id").toString());
        }
        // Level by level: roots, then second-level records, then third; request order within a relationship.
        QCOMPARE(order.size(), 6);
        QCOMPARE(order.mid(0, 2), (QStringList { QStringLiteral("acc1"), QStringLiteral("acc2") }));
        QCOMPARE(QSet<QString>(order.begin() + 2, order.begin() + 5),
            (QSet<QString> { QStringLiteral("con1"), QStringLiteral("con2"), QStringLiteral("sub1") }));
        QVERIFY(order.indexOf(QStringLiteral("con1")) < order.indexOf(QStringLiteral("con2")));
        QCOMPARE(order.last(), QStringLiteral("opp1"));
        QVERIFY(ids.value(QStringLiteral("acc1")).startsWith(u"001"));
        QVERIFY(ids.value(QStringLiteral("con1")).startsWith(u"003"));
        const QJsonObject con = m_fx.get(v() + QStringLiteral("/sobjects/Contact/") + ids.value(QStringLiteral("con1"))).json().object();
        QCOMPARE(con.value(u"AccountId").toString(), ids.value(QStringLiteral("acc1")));
        const QJsonObject sub = m_fx.get(v() + QStringLiteral("/sobjects/Account/") + ids.value(QStringLiteral("sub1"))).json().object();
        QCOMPARE(sub.value(u"ParentId").toString(), ids.value(QStringLiteral("acc1")));
        const QJsonObject opp = m_fx.get(v() + QStringLiteral("/sobjects/Opportunity/") + ids.value(QStringLiteral("opp1"))).json().object();
        QCOMPARE(opp.value(u"AccountId").toString(), ids.value(QStringLiteral("sub1")));
    }

    void treeTwoHundredUnrelatedRecords()
    {
        QJsonArray records;
        for (int i = 0; i < 200; ++i)
            records.append(QJsonObject { { QStringLiteral("attributes"), QJsonObject { { QStringLiteral("type"), QStringLiteral("Lead") },
                                                                           { QStringLiteral("referenceId"), QStringLiteral("lead%1").arg(i) } } },
                { QStringLiteral("LastName"), QStringLiteral("Bulkleaf") }, { QStringLiteral("Company"), QStringLiteral("Tree Leads") } });
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/tree/Lead"),
            QJsonDocument(QJsonObject { { QStringLiteral("records"), records } }).toJson(QJsonDocument::Compact));
        QCOMPARE(r.status, 201);
        QCOMPARE(r.json().object().value(u"results").toArray().size(), 200);
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Lead WHERE LastName = 'Bulkleaf'")), 200);
    }

    void treeErrors_data()
    {
        QTest::addColumn<QString>("object");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");         // top-level errorCode, or the first result's statusCode
        QTest::addColumn<QStringList>("failedRefs"); // referenceIds reported (tree-shaped failures)
        QTest::addRow("required field missing in a child")
            << QStringLiteral("Account")
            << QByteArray(R"({"records":[{"attributes":{"type":"Account","referenceId":"a1"},"Name":"Tree Rollback Corp",
                 "Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"c1"},"LastName":"Fine"},
                                        {"attributes":{"type":"Contact","referenceId":"c2"},"FirstName":"NoLast"}]}}]})")
            << 400 << QStringLiteral("REQUIRED_FIELD_MISSING") << QStringList { QStringLiteral("c2") };
        QTest::addRow("unknown field")
            << QStringLiteral("Account") << QByteArray(R"({"records":[{"attributes":{"type":"Account","referenceId":"a1"},"Name":"Tree Rollback Corp","Nope__c":1}]})")
            << 400 << QStringLiteral("INVALID_FIELD") << QStringList { QStringLiteral("a1") };
        QTest::addRow("duplicate referenceId")
            << QStringLiteral("Account")
            << QByteArray(R"({"records":[{"attributes":{"type":"Account","referenceId":"dup"},"Name":"Tree Rollback Corp"},
                                         {"attributes":{"type":"Account","referenceId":"dup"},"Name":"Tree Rollback Corp"}]})")
            << 400 << QStringLiteral("INVALID_INPUT") << QStringList { QStringLiteral("dup"), QStringLiteral("dup") };
        QTest::addRow("type does not match URL")
            << QStringLiteral("Account") << QByteArray(R"({"records":[{"attributes":{"type":"Contact","referenceId":"x1"},"LastName":"Tree Rollback Corp"}]})")
            << 400 << QStringLiteral("INVALID_TYPE") << QStringList { QStringLiteral("x1") };
        QTest::addRow("missing referenceId")
            << QStringLiteral("Account") << QByteArray(R"({"records":[{"attributes":{"type":"Account"},"Name":"Tree Rollback Corp"}]})")
            << 400 << QStringLiteral("INVALID_INPUT") << QStringList { QString() };
        QTest::addRow("Id in a record")
            << QStringLiteral("Account") << QByteArray(R"({"records":[{"attributes":{"type":"Account","referenceId":"a1"},"Id":"001000000000001AAA","Name":"Tree Rollback Corp"}]})")
            << 400 << QStringLiteral("INVALID_FIELD") << QStringList { QStringLiteral("a1") };
        QByteArray tooMany = "{\"records\":[";
        for (int i = 0; i < 201; ++i)
            tooMany += QByteArray(i ? "," : "") + "{\"attributes\":{\"type\":\"Account\",\"referenceId\":\"r" + QByteArray::number(i) + "\"},\"Name\":\"Tree Rollback Corp\"}";
        tooMany += "]}";
        QTest::addRow("201 records") << QStringLiteral("Account") << tooMany << 400 << QStringLiteral("INVALID_INPUT") << QStringList {};
        // Six levels through Account.ChildAccounts.
        QByteArray deep = R"({"attributes":{"type":"Account","referenceId":"l5"},"Name":"Tree Rollback Corp"})";
        for (int level = 4; level >= 0; --level)
            deep = "{\"attributes\":{\"type\":\"Account\",\"referenceId\":\"l" + QByteArray::number(level)
                + "\"},\"Name\":\"Tree Rollback Corp\",\"ChildAccounts\":{\"records\":[" + deep + "]}}";
        QTest::addRow("six levels") << QStringLiteral("Account") << QByteArray("{\"records\":[" + deep + "]}") << 400 << QStringLiteral("INVALID_INPUT")
                                    << QStringList {};
        QTest::addRow("malformed JSON") << QStringLiteral("Account") << QByteArray("{\"records\":[") << 400 << QStringLiteral("JSON_PARSER_ERROR")
                                        << QStringList {};
        QTest::addRow("no records array") << QStringLiteral("Account") << QByteArray(R"({"record":[]})") << 400 << QStringLiteral("INVALID_INPUT")
                                          << QStringList {};
        QTest::addRow("unknown sObject") << QStringLiteral("Nope__c") << QByteArray(R"({"records":[]})") << 404 << QStringLiteral("NOT_FOUND")
                                         << QStringList {};
    }
    void treeErrors()
    {
        QFETCH(QString, object);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        QFETCH(QStringList, failedRefs);
        const int before = count(QStringLiteral("SELECT COUNT() FROM Account WHERE Name = 'Tree Rollback Corp'"));
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/tree/") + object, body);
        QCOMPARE(r.status, status);
        if (r.json().isObject()) {
            const QJsonObject o = r.json().object();
            QCOMPARE(o.value(u"hasErrors").toBool(), true);
            const QJsonArray results = o.value(u"results").toArray();
            QStringList refs;
            for (const QJsonValue &res : results) {
                refs << res.toObject().value(u"referenceId").toString();
                QVERIFY(!res.toObject().contains(u"id"));
            }
            QCOMPARE(refs, failedRefs);
            QCOMPARE(results.first().toObject().value(u"errors").toArray().first().toObject().value(u"statusCode").toString(), code);
        } else {
            QVERIFY(failedRefs.isEmpty());
            QCOMPARE(r.errorCode(), code);
        }
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Account WHERE Name = 'Tree Rollback Corp'")), before);
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Contact WHERE LastName = 'Fine'")), 0);
    }

    void treeRefusesGet()
    {
        QCOMPARE(m_fx.get(v() + QStringLiteral("/composite/tree/Account")).status, 405);
    }

    // ---- composite graph ----

    void graphRunsEachGraphAllOrNothing()
    {
        const QByteArray body = R"({"graphs":[
          {"graphId":"good","compositeRequest":[
            {"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"acct","body":{"Name":"Graph Good Corp"}},
            {"method":"POST","url":"/services/data/v59.0/sobjects/Contact","referenceId":"cont","body":{"LastName":"Graphson","AccountId":"@{acct.id}"}},
            {"method":"GET","url":"/services/data/v59.0/sobjects/Contact/@{cont.id}","referenceId":"read"}]},
          {"graphId":"bad","compositeRequest":[
            {"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"acct","body":{"Name":"Graph Bad Corp"}},
            {"method":"POST","url":"/services/data/v59.0/sobjects/Contact","referenceId":"cont","body":{"FirstName":"NoLast","AccountId":"@{acct.id}"}}]}]})";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/graph"), body);
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Sforce-Limit-Info").startsWith("api-usage="));
        const QJsonArray graphs = r.json().object().value(u"graphs").toArray();
        QCOMPARE(graphs.size(), 2);
        const QJsonObject good = graphs.at(0).toObject();
        QCOMPARE(good.value(u"graphId").toString(), QStringLiteral("good"));
        QCOMPARE(good.value(u"isSuccessful").toBool(), true);
        const QJsonArray goodNodes = good.value(u"graphResponse").toObject().value(u"compositeResponse").toArray();
        QCOMPARE(goodNodes.size(), 3);
        QCOMPARE(goodNodes.at(0).toObject().value(u"httpStatusCode").toInt(), 201);
        QCOMPARE(goodNodes.at(2).toObject().value(u"body").toObject().value(u"LastName").toString(), QStringLiteral("Graphson"));
        QCOMPARE(goodNodes.at(2).toObject().value(u"referenceId").toString(), QStringLiteral("read"));

        const QJsonObject bad = graphs.at(1).toObject();
        QCOMPARE(bad.value(u"isSuccessful").toBool(), false);
        const QJsonArray badNodes = bad.value(u"graphResponse").toObject().value(u"compositeResponse").toArray();
        QCOMPARE(badNodes.at(0).toObject().value(u"body").toArray().first().toObject().value(u"errorCode").toString(), QStringLiteral("PROCESSING_HALTED"));
        QCOMPARE(badNodes.at(1).toObject().value(u"body").toArray().first().toObject().value(u"errorCode").toString(),
            QStringLiteral("REQUIRED_FIELD_MISSING"));
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Account WHERE Name = 'Graph Good Corp'")), 1);
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Account WHERE Name = 'Graph Bad Corp'")), 0);
    }

    void graphAllowsMoreThanTwentyFiveNodes()
    {
        QJsonArray nodes;
        for (int i = 0; i < 60; ++i)
            nodes.append(QJsonObject { { QStringLiteral("method"), QStringLiteral("POST") },
                { QStringLiteral("url"), QStringLiteral("/services/data/v59.0/sobjects/Lead") }, { QStringLiteral("referenceId"), QStringLiteral("l%1").arg(i) },
                { QStringLiteral("body"), QJsonObject { { QStringLiteral("LastName"), QStringLiteral("Graphlead") }, { QStringLiteral("Company"), QStringLiteral("G") } } } });
        const QJsonObject body { { QStringLiteral("graphs"),
            QJsonArray { QJsonObject { { QStringLiteral("graphId"), QStringLiteral("big") }, { QStringLiteral("compositeRequest"), nodes } } } } };
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/graph"), QJsonDocument(body).toJson(QJsonDocument::Compact));
        QCOMPARE(r.status, 200);
        const QJsonObject g = r.json().object().value(u"graphs").toArray().first().toObject();
        QCOMPARE(g.value(u"isSuccessful").toBool(), true);
        QCOMPARE(g.value(u"graphResponse").toObject().value(u"compositeResponse").toArray().size(), 60);
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Lead WHERE LastName = 'Graphlead'")), 60);
    }

    void graphAllowsDepthFifteen()
    {
        QByteArray chain = R"({"graphs":[{"graphId":"deep","compositeRequest":[{"method":"POST","url":"/services/data/v59.0/sobjects/Lead","referenceId":"c0","body":{"LastName":"Graph Deep","Company":"G"}})";
        chain += R"(,{"method":"GET","url":"/services/data/v59.0/sobjects/Lead/@{c0.id}","referenceId":"c1"})";
        for (int i = 2; i < 15; ++i)
            chain += ",{\"method\":\"GET\",\"url\":\"/services/data/v59.0/sobjects/Lead/@{c" + QByteArray::number(i - 1) + ".Id}\",\"referenceId\":\"c"
                + QByteArray::number(i) + "\"}";
        chain += "]}]}";
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/graph"), chain);
        QCOMPARE(r.status, 200);
        const QJsonObject g = r.json().object().value(u"graphs").toArray().first().toObject();
        QCOMPARE(g.value(u"isSuccessful").toBool(), true);
        QCOMPARE(g.value(u"graphResponse").toObject().value(u"compositeResponse").toArray().last().toObject().value(u"body").toObject().value(u"LastName").toString(),
            QStringLiteral("Graph Deep"));
    }

    void graphCountsAsOneCall()
    {
        const QByteArray before = m_fx.get(v() + QStringLiteral("/limits")).header("Sforce-Limit-Info");
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/graph"),
            R"({"graphs":[{"graphId":"g","compositeRequest":[{"method":"POST","url":"/services/data/v59.0/sobjects/Account","referenceId":"a","body":{"Name":"Graph Count Corp"}},{"method":"GET","url":"/services/data/v59.0/sobjects/Account/@{a.id}","referenceId":"b"}]}]})");
        QCOMPARE(r.status, 200);
        const int used0 = QString::fromLatin1(before).section(u'=', 1).section(u'/', 0, 0).toInt();
        const int used1 = QString::fromLatin1(r.header("Sforce-Limit-Info")).section(u'=', 1).section(u'/', 0, 0).toInt();
        QCOMPARE(used1, used0 + 1);
    }

    void graphErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code"); // top-level errorCode, or the failing node's errorCode in a 200
        auto node = [](int i) {
            return "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Lead\",\"referenceId\":\"n" + QByteArray::number(i)
                + "\",\"body\":{\"LastName\":\"Graph Never\",\"Company\":\"G\"}}";
        };
        QByteArray tooMany = R"({"graphs":[{"graphId":"a","compositeRequest":[)";
        for (int i = 0; i < 300; ++i)
            tooMany += (i ? "," : "") + node(i);
        tooMany += R"(]},{"graphId":"b","compositeRequest":[)";
        for (int i = 0; i < 201; ++i)
            tooMany += (i ? "," : "") + node(i);
        tooMany += "]}]}";
        QTest::addRow("501 nodes across graphs") << tooMany << 400 << QStringLiteral("INVALID_INPUT");
        // A chain of 16 dependent nodes: each reads the record the previous one returned.
        QByteArray chain = R"({"graphs":[{"graphId":"deep","compositeRequest":[{"method":"POST","url":"/services/data/v59.0/sobjects/Lead","referenceId":"c0","body":{"LastName":"Graph Never","Company":"G"}})";
        chain += R"(,{"method":"GET","url":"/services/data/v59.0/sobjects/Lead/@{c0.id}","referenceId":"c1"})";
        for (int i = 2; i < 16; ++i)
            chain += ",{\"method\":\"GET\",\"url\":\"/services/data/v59.0/sobjects/Lead/@{c" + QByteArray::number(i - 1) + ".Id}\",\"referenceId\":\"c"
                + QByteArray::number(i) + "\"}";
        chain += "]}]}";
        QTest::addRow("depth 16") << chain << 400 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("duplicate graphId") << QByteArray(R"({"graphs":[{"graphId":"g","compositeRequest":[)" + node(1) + R"(]},{"graphId":"g","compositeRequest":[)" + node(2) + "]}]}")
                                           << 400 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("missing graphId") << QByteArray(R"({"graphs":[{"compositeRequest":[)" + node(1) + "]}]}") << 400 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("no graphs") << QByteArray(R"({"compositeRequest":[]})") << 400 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("empty graph") << QByteArray(R"({"graphs":[{"graphId":"g","compositeRequest":[]}]})") << 400 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("malformed JSON") << QByteArray(R"({"graphs":[)") << 400 << QStringLiteral("JSON_PARSER_ERROR");
        QTest::addRow("query node is not a graph resource")
            << QByteArray(R"({"graphs":[{"graphId":"g","compositeRequest":[)" + node(1)
                   + R"(,{"method":"GET","url":"/services/data/v59.0/query?q=SELECT+Id+FROM+Lead","referenceId":"q"}]}]})")
            << 200 << QStringLiteral("INVALID_INPUT");
        QTest::addRow("duplicate referenceId inside a graph")
            << QByteArray(R"({"graphs":[{"graphId":"g","compositeRequest":[)" + node(1) + "," + node(1) + "]}]}") << 200 << QStringLiteral("INVALID_INPUT");
    }
    void graphErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, code);
        const HttpResult r = m_fx.post(v() + QStringLiteral("/composite/graph"), body);
        QCOMPARE(r.status, status);
        if (status == 200) {
            const QJsonObject g = r.json().object().value(u"graphs").toArray().first().toObject();
            QCOMPARE(g.value(u"isSuccessful").toBool(true), false);
            QStringList codes;
            for (const QJsonValue &n : g.value(u"graphResponse").toObject().value(u"compositeResponse").toArray())
                codes << n.toObject().value(u"body").toArray().first().toObject().value(u"errorCode").toString();
            QVERIFY2(codes.contains(code), qPrintable(codes.join(u',')));
        } else {
            QCOMPARE(r.errorCode(), code);
        }
        QCOMPARE(count(QStringLiteral("SELECT COUNT() FROM Lead WHERE LastName = 'Graph Never'")), 0);
    }

    // ---- query explain ----

    void explainPlans_data()
    {
        QTest::addColumn<QString>("soql");
        QTest::addColumn<QString>("leading");    // leadingOperationType of the best plan
        QTest::addColumn<QStringList>("fields"); // its fields
        QTest::addColumn<QString>("noteField");  // a field that must appear in a note ("" = none needed)
        QTest::addRow("filter on Id uses the index") << QStringLiteral("SELECT Id, Name FROM Account WHERE Id = 'ACCOUNT_ID'")
                                                     << QStringLiteral("Index") << QStringList { QStringLiteral("Id") } << QStringLiteral("IsDeleted");
        QTest::addRow("external id uses the index") << QStringLiteral("SELECT Id FROM Account WHERE Account_Code__c = 'NO-SUCH-CODE'")
                                                    << QStringLiteral("Index") << QStringList { QStringLiteral("Account_Code__c") } << QString();
        QTest::addRow("lookup uses the index") << QStringLiteral("SELECT Id FROM Contact WHERE AccountId = 'ACCOUNT_ID' AND Title = 'x'")
                                               << QStringLiteral("Index") << QStringList { QStringLiteral("AccountId") } << QStringLiteral("Title");
        QTest::addRow("unindexed filter scans") << QStringLiteral("SELECT Id FROM Account WHERE Industry = 'Banking'") << QStringLiteral("TableScan")
                                                << QStringList {} << QStringLiteral("Industry");
        QTest::addRow("no filter scans") << QStringLiteral("SELECT Id FROM Contact") << QStringLiteral("TableScan") << QStringList {} << QString();
        QTest::addRow("negative operator scans") << QStringLiteral("SELECT Id FROM Account WHERE Id != 'ACCOUNT_ID'") << QStringLiteral("TableScan")
                                                 << QStringList {} << QStringLiteral("Id");
        QTest::addRow("leading wildcard scans") << QStringLiteral("SELECT Id FROM Account WHERE Name LIKE '%corp'") << QStringLiteral("TableScan")
                                                << QStringList {} << QStringLiteral("Name");
        QTest::addRow("OR is not optimised") << QStringLiteral("SELECT Id FROM Account WHERE Id = 'ACCOUNT_ID' OR Industry = 'Banking'")
                                             << QStringLiteral("TableScan") << QStringList {} << QStringLiteral("Industry");
    }
    void explainPlans()
    {
        QFETCH(QString, soql);
        QFETCH(QString, leading);
        QFETCH(QStringList, fields);
        QFETCH(QString, noteField);
        const QString accountId = createAccount(QStringLiteral("Explain Corp"));
        soql.replace(QStringLiteral("ACCOUNT_ID"), accountId);
        const HttpResult r = m_fx.get(v() + QStringLiteral("/query?explain=") + enc(soql));
        QCOMPARE(r.status, 200);
        QVERIFY(r.header("Sforce-Limit-Info").startsWith("api-usage="));
        const QJsonArray plans = r.json().object().value(u"plans").toArray();
        QVERIFY(!plans.isEmpty());
        const QJsonObject best = plans.first().toObject();
        QCOMPARE(best.value(u"leadingOperationType").toString(), leading);
        QStringList got;
        for (const QJsonValue &f : best.value(u"fields").toArray())
            got << f.toString();
        QCOMPARE(got, fields);
        const QString object = soql.section(QStringLiteral(" FROM "), 1).section(u' ', 0, 0);
        QCOMPARE(best.value(u"sobjectType").toString(), object);
        QCOMPARE(qint64(best.value(u"sobjectCardinality").toDouble()), qint64(count(QStringLiteral("SELECT COUNT() FROM ") + object)));
        for (const QString &key : { QStringLiteral("cardinality"), QStringLiteral("relativeCost"), QStringLiteral("notes") })
            QVERIFY2(best.contains(key), qPrintable(key));
        double lastCost = -1;
        bool sawScan = false;
        for (const QJsonValue &p : plans) {
            QVERIFY(p.toObject().value(u"relativeCost").toDouble() >= lastCost); // cheapest first
            lastCost = p.toObject().value(u"relativeCost").toDouble();
            sawScan |= p.toObject().value(u"leadingOperationType").toString() == u"TableScan";
        }
        QVERIFY2(sawScan, "a TableScan plan is always listed");
        if (leading == u"Index" && fields == QStringList { QStringLiteral("Id") })
            QCOMPARE(best.value(u"cardinality").toDouble(), 1.0);
        if (!noteField.isEmpty()) {
            bool noted = false;
            for (const QJsonValue &n : best.value(u"notes").toArray()) {
                const QJsonObject no = n.toObject();
                noted |= no.value(u"fields").toArray().contains(noteField) && no.value(u"tableEnumOrId").toString() == object
                    && no.value(u"description").toString().startsWith(u"Not considering filter for optimization");
            }
            QVERIFY2(noted, qPrintable(QString::fromUtf8(r.body)));
        }
    }

    void explainCardinalityCountsMatches()
    {
        const int banking = count(QStringLiteral("SELECT COUNT() FROM Account WHERE Industry = 'Banking'"));
        const HttpResult r = m_fx.get(v() + QStringLiteral("/query?explain=") + enc(QStringLiteral("SELECT Id FROM Account WHERE Industry = 'Banking'")));
        QCOMPARE(r.status, 200);
        QCOMPARE(int(r.json().object().value(u"plans").toArray().first().toObject().value(u"cardinality").toDouble()), banking);
    }

    void explainErrors_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QString>("code");
        QTest::addRow("malformed") << QStringLiteral("SELECT Id FROM Account WHERE") << QStringLiteral("MALFORMED_QUERY");
        QTest::addRow("empty") << QString() << QStringLiteral("MALFORMED_QUERY");
        QTest::addRow("unknown field") << QStringLiteral("SELECT Nmae FROM Account") << QStringLiteral("INVALID_FIELD");
        QTest::addRow("unknown object") << QStringLiteral("SELECT Id FROM Nope__c") << QStringLiteral("INVALID_TYPE");
        QTest::addRow("report id") << QStringLiteral("00O000000000001AAA") << QStringLiteral("INVALID_ID");
    }
    void explainErrors()
    {
        QFETCH(QString, query);
        QFETCH(QString, code);
        const HttpResult r = m_fx.get(v() + QStringLiteral("/query?explain=") + enc(query));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), code);
        QVERIFY(r.header("Sforce-Limit-Info").startsWith("api-usage="));
    }

    void explainMalformedCarriesPosition()
    {
        const HttpResult viaExplain = m_fx.get(v() + QStringLiteral("/query?explain=") + enc(QStringLiteral("SELECT Id FROM Account WHERE")));
        const HttpResult viaQuery = m_fx.get(v() + QStringLiteral("/query?q=") + enc(QStringLiteral("SELECT Id FROM Account WHERE")));
        QCOMPARE(viaExplain.body, viaQuery.body);
    }
};

QTEST_GUILESS_MAIN(TestSimExtras)
#include "tst_simextras.moc"
