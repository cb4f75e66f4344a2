// Child subquery paging in the simulated org over real HTTP (reference §3.2, §3.4): a child result
// longer than the child page size comes back cut with its own nextRecordsUrl, child locators page
// like any locator, grand-children page the same way, and moving the parent on invalidates them.
#include "simulatorfixture.h"

#include "auth/oauthservice.h"
#include "rest/querybridge.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSet>
#include <QSqlDatabase>
#include <QTest>
#include <QUrl>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;

namespace {
using Headers = QList<QPair<QByteArray, QByteArray>>;
constexpr int kBigChildren = 1200;
constexpr int kGrandChildren = 520;
} // namespace

class TestSimChildPaging : public QObject {
    Q_OBJECT

private:
    SimulatorFixture m_fx;
    QString m_bigAccount;
    QString m_emptyAccount;
    QString m_smallAccount;

    QString v() const { return m_fx.dataPath(); }
    HttpResult query(const QString &soql, const Headers &headers = {})
    {
        return m_fx.get(v() + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql)), headers);
    }
    QString insert(const QString &object, const QVariantMap &fields)
    {
        QString id;
        fs::sim::SimError err;
        if (!m_fx.sim().store().insert(object, fields, &id, &err))
            qWarning() << "insert failed" << object << err.message;
        return id;
    }
    static QString lastName(int i) { return QStringLiteral("Pager %1").arg(i, 4, 10, QLatin1Char('0')); }

    // Follows a child result's nextRecordsUrl to the end; returns every record, checks each page.
    QJsonArray drainChild(const QJsonObject &first, int *pages)
    {
        QJsonArray all;
        QJsonObject result = first;
        const int total = first.value(u"totalSize").toInt();
        *pages = 0;
        while (true) {
            ++*pages;
            const QJsonArray recs = result.value(u"records").toArray();
            for (const QJsonValue &r : recs)
                all.append(r);
            if (result.value(u"done").toBool()) {
                if (result.contains(u"nextRecordsUrl"))
                    qWarning() << "done child page carries nextRecordsUrl";
                break;
            }
            if (recs.size() != fs::sim::kChildPageSize) {
                qWarning() << "child page of" << recs.size() << "records";
                return {};
            }
            const QString next = result.value(u"nextRecordsUrl").toString();
            if (!next.startsWith(u"/services/data/v59.0/query/01g") || !next.endsWith(u'-' + QString::number(all.size()))) {
                qWarning() << "bad child nextRecordsUrl" << next << "after" << all.size();
                return {};
            }
            const HttpResult page = m_fx.get(next);
            if (page.status != 200) {
                qWarning() << "child page failed" << page.status << page.body;
                return {};
            }
            result = page.json().object();
            if (result.value(u"totalSize").toInt() != total) {
                qWarning() << "child totalSize changed" << result.value(u"totalSize");
                return {};
            }
        }
        return all;
    }

    QJsonObject childOf(const HttpResult &r, const QString &accountId, const QString &relationship)
    {
        for (const QJsonValue &rec : r.json().object().value(u"records").toArray()) {
            if (rec.toObject().value(u"Id").toString() == accountId)
                return rec.toObject().value(relationship).toObject();
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
        m_bigAccount = insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("Child Paging Big") } });
        m_emptyAccount = insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("Child Paging Empty") } });
        m_smallAccount = insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("Child Paging Small") } });
        QVERIFY(!m_bigAccount.isEmpty() && !m_emptyAccount.isEmpty() && !m_smallAccount.isEmpty());
        QSqlDatabase db = m_fx.sim().store().database();
        const bool tx = db.transaction();
        for (int i = 0; i < kBigChildren; ++i) {
            const QString contact = insert(QStringLiteral("Contact"),
                { { QStringLiteral("LastName"), lastName(i) }, { QStringLiteral("AccountId"), m_bigAccount } });
            QVERIFY(!contact.isEmpty());
            // Two contacts with many cases: one on the first (inline) child page, one on the second.
            if (i == 0 || i == 600) {
                for (int c = 0; c < kGrandChildren; ++c) {
                    QVERIFY(!insert(QStringLiteral("Case"),
                        { { QStringLiteral("Subject"), QStringLiteral("Paged case %1").arg(c) },
                            { QStringLiteral("ContactId"), contact } })
                                 .isEmpty());
                }
            }
        }
        for (int i = 0; i < 3; ++i)
            insert(QStringLiteral("Contact"),
                { { QStringLiteral("LastName"), lastName(i) }, { QStringLiteral("AccountId"), m_smallAccount } });
        if (tx)
            QVERIFY(db.commit());
    }

    void childResultsPageExactlyOnce_data()
    {
        QTest::addColumn<QString>("subquery");
        QTest::addColumn<int>("expected");
        QTest::addColumn<bool>("descending");
        QTest::addRow("all 1,200 by name") << QStringLiteral("(SELECT Id, LastName FROM Contacts ORDER BY LastName)") << 1200 << false;
        QTest::addRow("alias, descending") << QStringLiteral("(SELECT c.Id, c.LastName FROM Contacts c ORDER BY c.LastName DESC)") << 1200 << true;
        QTest::addRow("LIMIT 700") << QStringLiteral("(SELECT Id, LastName FROM Contacts ORDER BY LastName LIMIT 700)") << 700 << false;
        QTest::addRow("WHERE with OR") << QStringLiteral("(SELECT Id, LastName FROM Contacts WHERE LastName < 'Pager 0600' OR LastName >= 'Pager 1100' ORDER BY LastName)") << 700 << false;
        QTest::addRow("WHERE in parentheses") << QStringLiteral("(SELECT Id, LastName FROM Contacts WHERE (LastName LIKE 'Pager 0%') ORDER BY LastName)") << 1000 << false;
        QTest::addRow("exactly one page") << QStringLiteral("(SELECT Id, LastName FROM Contacts ORDER BY LastName LIMIT 499)") << 499 << false;
        QTest::addRow("one past a page") << QStringLiteral("(SELECT Id, LastName FROM Contacts ORDER BY LastName LIMIT 500)") << 500 << false;
    }
    void childResultsPageExactlyOnce()
    {
        QFETCH(QString, subquery);
        QFETCH(int, expected);
        QFETCH(bool, descending);
        const HttpResult r = query(QStringLiteral("SELECT Id, Name, %1 FROM Account WHERE Id = '%2'").arg(subquery, m_bigAccount));
        QCOMPARE(r.status, 200);
        const QJsonObject top = r.json().object();
        QCOMPARE(top.value(u"done").toBool(), true);
        const QJsonObject first = childOf(r, m_bigAccount, QStringLiteral("Contacts"));
        QCOMPARE(first.value(u"totalSize").toInt(), expected);
        QCOMPARE(first.value(u"done").toBool(), expected <= fs::sim::kChildPageSize);
        QCOMPARE(first.value(u"records").toArray().size(), qMin(expected, fs::sim::kChildPageSize));
        if (expected > fs::sim::kChildPageSize)
            QVERIFY(first.value(u"nextRecordsUrl").toString().endsWith(QStringLiteral("-499")));
        int pages = 0;
        const QJsonArray all = drainChild(first, &pages);
        QCOMPARE(all.size(), expected);
        QCOMPARE(pages, (expected + fs::sim::kChildPageSize - 1) / fs::sim::kChildPageSize);
        QSet<QString> ids;
        QString previous;
        for (const QJsonValue &rv : all) {
            const QJsonObject rec = rv.toObject();
            QCOMPARE(rec.value(u"attributes").toObject().value(u"type").toString(), QStringLiteral("Contact"));
            ids.insert(rec.value(u"Id").toString());
            const QString name = rec.value(u"LastName").toString();
            if (!previous.isEmpty())
                QVERIFY2(descending ? name < previous : name > previous, qPrintable(previous + QStringLiteral(" then ") + name));
            previous = name;
        }
        QCOMPARE(ids.size(), expected);
    }

    void noChildrenIsNullAndSmallResultsAreComplete()
    {
        const HttpResult r = query(QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name LIKE "
                                                  "'Child Paging%' ORDER BY Name"));
        QCOMPARE(r.status, 200);
        const QJsonArray recs = r.json().object().value(u"records").toArray();
        QCOMPARE(recs.size(), 3);
        QVERIFY(recs.at(1).toObject().value(u"Contacts").isNull());
        const QJsonObject small = recs.at(2).toObject().value(u"Contacts").toObject();
        QCOMPARE(small.value(u"totalSize").toInt(), 3);
        QCOMPARE(small.value(u"done").toBool(), true);
        QVERIFY(!small.contains(u"nextRecordsUrl"));
        QCOMPARE(small.value(u"records").toArray().size(), 3);
        // Keys keep SELECT order around the rewritten child result.
        const QJsonObject big = recs.at(0).toObject().value(u"Contacts").toObject();
        QCOMPARE(big.value(u"done").toBool(), false);
        QVERIFY(r.body.indexOf("\"Contacts\":{\"totalSize\":1200,\"done\":false,\"nextRecordsUrl\":") > 0);
    }

    void grandChildrenPageTheSameWay()
    {
        const HttpResult r = query(QStringLiteral("SELECT Id, (SELECT Id, LastName, (SELECT Id, Subject FROM Cases) FROM "
                                                  "Contacts ORDER BY LastName) FROM Account WHERE Id = '%1'")
                                       .arg(m_bigAccount));
        QCOMPARE(r.status, 200);
        // Moving the Contacts result on invalidates the Cases locators of its previous page, so each
        // contact page's grand-children are drained before the next contact page is fetched.
        QJsonObject contacts = childOf(r, m_bigAccount, QStringLiteral("Contacts"));
        int seen = 0;
        int paged = 0;
        while (true) {
            for (const QJsonValue &cv : contacts.value(u"records").toArray()) {
                ++seen;
                const QJsonObject contact = cv.toObject();
                const QString name = contact.value(u"LastName").toString();
                const QJsonValue cases = contact.value(u"Cases");
                if (name != lastName(0) && name != lastName(600)) {
                    QVERIFY2(cases.isNull(), qPrintable(name));
                    continue;
                }
                // Pager 0000 came inline in the parent's page, Pager 0600 on the second child page.
                const QJsonObject first = cases.toObject();
                QCOMPARE(first.value(u"totalSize").toInt(), kGrandChildren);
                QCOMPARE(first.value(u"done").toBool(), false);
                QCOMPARE(first.value(u"records").toArray().size(), fs::sim::kChildPageSize);
                int casePages = 0;
                const QJsonArray allCases = drainChild(first, &casePages);
                QCOMPARE(allCases.size(), kGrandChildren);
                QCOMPARE(casePages, 2);
                QSet<QString> ids;
                for (const QJsonValue &c : allCases)
                    ids.insert(c.toObject().value(u"Id").toString());
                QCOMPARE(ids.size(), kGrandChildren);
                ++paged;
            }
            if (contacts.value(u"done").toBool())
                break;
            const HttpResult next = m_fx.get(contacts.value(u"nextRecordsUrl").toString());
            QCOMPARE(next.status, 200);
            contacts = next.json().object();
        }
        QCOMPARE(seen, kBigChildren);
        QCOMPARE(paged, 2);
    }

    // Subqueries inside subqueries exist from API 58.0 on, down to five levels with the root.
    void nestedSubqueriesFollowTheApiVersion_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("soql");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        const QString grandChildren = QStringLiteral("SELECT Id, (SELECT Id, (SELECT Id FROM Cases) FROM Contacts) FROM "
                                                     "Account WHERE Id = '%1'")
                                          .arg(m_bigAccount);
        const QString tooDeep = QStringLiteral("SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id "
                                               "FROM F) FROM E) FROM D) FROM C) FROM B) FROM A");
        QTest::addRow("v57.0 refuses a grand-child subquery")
            << QStringLiteral("57.0") << grandChildren << 400
            << QStringLiteral("ERROR at Row:1:Column:24\nSOQL statements cannot query aggregate relationships more "
                              "than 1 level away from the root entity object.");
        QTest::addRow("v58.0 evaluates it") << QStringLiteral("58.0") << grandChildren << 200 << QString();
        QTest::addRow("v59.0 refuses a sixth level")
            << QStringLiteral("59.0") << tooDeep << 400
            << QStringLiteral("ERROR at Row:1:Column:60\nSOQL statements cannot query aggregate relationships more "
                              "than 4 levels away from the root entity object.");
    }
    void nestedSubqueriesFollowTheApiVersion()
    {
        QFETCH(QString, version);
        QFETCH(QString, soql);
        QFETCH(int, status);
        QFETCH(QString, message);
        const HttpResult r = m_fx.get(
            m_fx.dataPath(version) + QStringLiteral("/query?q=") + QString::fromLatin1(QUrl::toPercentEncoding(soql)));
        QCOMPARE(r.status, status);
        if (status != 200) {
            QCOMPARE(r.errorCode(), QStringLiteral("MALFORMED_QUERY"));
            const QString got = r.json().array().at(0).toObject().value(u"message").toString();
            QVERIFY2(got.endsWith(message), qPrintable(got));
            return;
        }
        const QJsonObject contacts = childOf(r, m_bigAccount, QStringLiteral("Contacts"));
        QCOMPARE(contacts.value(u"totalSize").toInt(), kBigChildren);
        const QJsonObject firstContact = contacts.value(u"records").toArray().at(0).toObject();
        QVERIFY(firstContact.contains(u"Cases"));
    }

    void movingTheParentOnInvalidatesChildLocators()
    {
        const Headers batch200 { qMakePair(QByteArray("Sforce-Query-Options"), QByteArray("batchSize=200")) };
        const QString soql = QStringLiteral("SELECT Id, LastName, (SELECT Id FROM Cases) FROM Contact WHERE AccountId = "
                                            "'%1' ORDER BY LastName")
                                 .arg(m_bigAccount);
        const HttpResult first = query(soql, batch200);
        QCOMPARE(first.status, 200);
        const QJsonObject top = first.json().object();
        QCOMPARE(top.value(u"done").toBool(), false);
        const QJsonObject cases = top.value(u"records").toArray().at(0).toObject().value(u"Cases").toObject();
        const QString childNext = cases.value(u"nextRecordsUrl").toString();
        QVERIFY2(childNext.endsWith(u"-499"), qPrintable(childNext));

        // While the parent stays on its page the child locator works, and a retry of that page too.
        const HttpResult child = m_fx.get(childNext);
        QCOMPARE(child.status, 200);
        QCOMPARE(child.json().object().value(u"records").toArray().size(), kGrandChildren - fs::sim::kChildPageSize);
        QCOMPARE(child.json().object().value(u"done").toBool(), true);
        const HttpResult retry = m_fx.get(childNext);
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.body, child.body);
        const QString wrongOffset = childNext.left(childNext.lastIndexOf(u'-')) + QStringLiteral("-100");
        QCOMPARE(m_fx.get(wrongOffset).errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));

        // A second run of the query: move its parent on before draining the child.
        const HttpResult again = query(soql, batch200);
        const QJsonObject againTop = again.json().object();
        const QString staleChild = againTop.value(u"records").toArray().at(0).toObject().value(u"Cases").toObject().value(u"nextRecordsUrl").toString();
        QVERIFY(!staleChild.isEmpty());
        QVERIFY(staleChild != childNext);
        const HttpResult parentPage2 = m_fx.get(againTop.value(u"nextRecordsUrl").toString());
        QCOMPARE(parentPage2.status, 200);
        const HttpResult stale = m_fx.get(staleChild);
        QCOMPARE(stale.status, 400);
        QCOMPARE(stale.errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));
        QCOMPARE(stale.json().array().at(0).toObject().value(u"message").toString(), QStringLiteral("invalid query locator"));
    }

    void childLocatorsLiveInTheirParentsSlot()
    {
        // A finished parent holding child locators keeps one of the user's 10 locator slots; its
        // child locators do not take slots of their own, and go when the parent is discarded.
        const QString soql = QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id = '%1'").arg(m_bigAccount);
        const QString childNext = childOf(query(soql), m_bigAccount, QStringLiteral("Contacts")).value(u"nextRecordsUrl").toString();
        QVERIFY(!childNext.isEmpty());
        const Headers batch200 { qMakePair(QByteArray("Sforce-Query-Options"), QByteArray("batchSize=200")) };
        for (int i = 0; i < 9; ++i)
            QCOMPARE(query(QStringLiteral("SELECT Id FROM Contact"), batch200).json().object().value(u"done").toBool(), false);
        const HttpResult alive = m_fx.get(childNext);
        QCOMPARE(alive.status, 200);
        const QString childNext2 = alive.json().object().value(u"nextRecordsUrl").toString();
        QVERIFY(childNext2.endsWith(u"-998"));
        QCOMPARE(query(QStringLiteral("SELECT Id FROM Contact"), batch200).status, 200); // the 11th evicts the parent
        QCOMPARE(m_fx.get(childNext2).errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));
    }

    void unknownAndExpiredChildLocators_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addRow("unknown id") << QStringLiteral("unknown");
        QTest::addRow("idle past 15 minutes") << QStringLiteral("expired");
    }
    void unknownAndExpiredChildLocators()
    {
        QFETCH(QString, kind);
        QString url = v() + QStringLiteral("/query/01gRO0000000998YAA-499");
        if (kind == u"expired") {
            const HttpResult r = query(QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Id = '%1'").arg(m_bigAccount));
            url = childOf(r, m_bigAccount, QStringLiteral("Contacts")).value(u"nextRecordsUrl").toString();
            QVERIFY(!url.isEmpty());
            m_fx.sim().oauth().advanceClock(16 * 60);
        }
        const HttpResult r = m_fx.get(url);
        if (kind == u"expired")
            m_fx.sim().oauth().advanceClock(-16 * 60);
        QCOMPARE(r.status, 400);
        QCOMPARE(r.errorCode(), QStringLiteral("INVALID_QUERY_LOCATOR"));
    }
};

QTEST_GUILESS_MAIN(TestSimChildPaging)
#include "tst_simchildpaging.moc"
