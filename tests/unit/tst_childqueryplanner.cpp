// ChildQueryPlanner: a child result's standalone query, built from the top-level SOQL, the path of
// parent ids and relationship names, and describe's childRelationships. No network.
#include "query/childqueryplanner.h"

#include <soql/parser.h>

#include <QtTest>

using fs::ChildCursor;
using fs::ChildRelationship;
using fs::SObjectDescribe;
using fs::engine::ChildQueryPlanner;

namespace {

const QString kAccount = QStringLiteral("001000000000001AAA");
const QString kContact = QStringLiteral("003000000000001AAA");

SObjectDescribe describe(const QString &name, const QList<ChildRelationship> &children)
{
    SObjectDescribe d;
    d.summary.name = name;
    d.childRelationships = children;
    return d;
}

// Account: Contacts (Contact.AccountId), Tasks (Task.WhatId, polymorphic); Contact: Cases.
SObjectDescribe describeOf(const QString &name)
{
    if (name.compare(u"Account", Qt::CaseInsensitive) == 0)
        return describe(name,
            { { QStringLiteral("Contact"), QStringLiteral("AccountId"), QStringLiteral("Contacts"), true },
                { QStringLiteral("Task"), QStringLiteral("WhatId"), QStringLiteral("Tasks"), false },
                { QStringLiteral("AccountHistory"), QStringLiteral("AccountId"), QString(), false } });
    if (name.compare(u"Contact", Qt::CaseInsensitive) == 0)
        return describe(name, { { QStringLiteral("Case"), QStringLiteral("ContactId"), QStringLiteral("Cases"), false } });
    return describe(name, {});
}

ChildCursor cursorFor(const QString &soql, const QStringList &ids, const QStringList &relationships)
{
    ChildCursor c;
    c.soql = soql;
    c.parentIds = ids;
    c.relationships = relationships;
    return c;
}

// Resolves every describe the planner asks for; returns the query or "error: …".
QString plan(const ChildCursor &cursor, QStringList *described = nullptr)
{
    ChildQueryPlanner planner(cursor);
    for (int guard = 0; guard < 10 && !planner.pendingDescribe().isEmpty(); ++guard) {
        if (described)
            *described << planner.pendingDescribe();
        planner.addDescribe(describeOf(planner.pendingDescribe()));
    }
    const fs::Result<QString> soql = planner.build();
    return soql.ok() ? soql.value() : QStringLiteral("error: ") + soql.error().message;
}

} // namespace

class TestChildQueryPlanner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builds_data()
    {
        QTest::addColumn<QString>("soql");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QStringList>("relationships");
        QTest::addColumn<QString>("expected");
        QTest::addColumn<QStringList>("described");
        const QStringList account { kAccount };
        const QStringList contacts { QStringLiteral("Contacts") };
        const QString where = QStringLiteral(" WHERE AccountId = '%1'").arg(kAccount);
        QTest::addRow("no ORDER BY adds Id")
            << QStringLiteral("SELECT Id, (SELECT Id, LastName FROM Contacts) FROM Account") << account << contacts
            << QStringLiteral("SELECT Id, LastName FROM Contact") + where + QStringLiteral(" ORDER BY Id")
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("ORDER BY kept, Id breaks ties")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts ORDER BY LastName DESC NULLS LAST) FROM Account") << account
            << contacts << QStringLiteral("SELECT Id FROM Contact") + where + QStringLiteral(" ORDER BY LastName DESC NULLS LAST, Id")
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("ORDER BY Id not repeated")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts ORDER BY Id DESC) FROM Account") << account << contacts
            << QStringLiteral("SELECT Id FROM Contact") + where + QStringLiteral(" ORDER BY Id DESC")
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("WHERE and LIMIT kept, parenthesized")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts WHERE LastName = 'a' OR Email != null LIMIT 700) FROM Account")
            << account << contacts
            << QStringLiteral("SELECT Id FROM Contact") + where
                + QStringLiteral(" AND (LastName = 'a' OR Email != null) ORDER BY Id LIMIT 700")
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("alias kept")
            << QStringLiteral("SELECT a.Id, (SELECT c.Id, c.Name FROM Contacts c ORDER BY c.Id) FROM Account a") << account
            << contacts << QStringLiteral("SELECT c.Id, c.Name FROM Contact c") + where + QStringLiteral(" ORDER BY c.Id")
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("relationship name case-insensitive")
            << QStringLiteral("select id, (select id from contacts) from account") << account << QStringList { QStringLiteral("CONTACTS") }
            << QStringLiteral("SELECT id FROM Contact") + where + QStringLiteral(" ORDER BY Id") << QStringList { QStringLiteral("account") };
        QTest::addRow("nested subquery kept")
            << QStringLiteral("SELECT Id, (SELECT Id, (SELECT Id, Subject FROM Cases ORDER BY Subject) FROM Contacts) FROM Account")
            << account << contacts
            << QStringLiteral("SELECT Id, (SELECT Id, Subject FROM Cases ORDER BY Subject) FROM Contact") + where
                + QStringLiteral(" ORDER BY Id")
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("grand-child level")
            << QStringLiteral("SELECT Id, (SELECT Id, (SELECT Id, Subject FROM Cases WHERE IsClosed = false) FROM Contacts) FROM Account")
            << QStringList { kAccount, kContact } << QStringList { QStringLiteral("Contacts"), QStringLiteral("Cases") }
            << QStringLiteral("SELECT Id, Subject FROM Case WHERE ContactId = '%1' AND (IsClosed = false) ORDER BY Id").arg(kContact)
            << QStringList { QStringLiteral("Account"), QStringLiteral("Contact") };
        QTest::addRow("polymorphic lookup field")
            << QStringLiteral("SELECT Id, (SELECT Id, Subject, TYPEOF What WHEN Account THEN Name END FROM Tasks) FROM Account")
            << account << QStringList { QStringLiteral("Tasks") }
            << QStringLiteral("SELECT Id, Subject, TYPEOF What WHEN Account THEN Name END FROM Task WHERE WhatId = '%1' ORDER BY Id")
                   .arg(kAccount)
            << QStringList { QStringLiteral("Account") };
        QTest::addRow("parent query's own WHERE and ORDER BY are not copied")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account WHERE Name LIKE 'x%' ORDER BY Name LIMIT 5")
            << account << contacts << QStringLiteral("SELECT Id FROM Contact") + where + QStringLiteral(" ORDER BY Id")
            << QStringList { QStringLiteral("Account") };
    }

    void builds()
    {
        QFETCH(QString, soql);
        QFETCH(QStringList, ids);
        QFETCH(QStringList, relationships);
        QFETCH(QString, expected);
        QFETCH(QStringList, described);
        QStringList asked;
        const QString built = plan(cursorFor(soql, ids, relationships), &asked);
        QCOMPARE(built, expected);
        QCOMPARE(asked, described);
        QVERIFY(fs::soql::parse(built).ok());
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("soql");
        QTest::addColumn<QStringList>("ids");
        QTest::addColumn<QStringList>("relationships");
        QTest::addColumn<QString>("messagePart");
        const QStringList account { kAccount };
        QTest::addRow("describe lacks the relationship")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Widgets__r) FROM Account") << account
            << QStringList { QStringLiteral("Widgets__r") } << QStringLiteral("no child relationship named 'Widgets__r'");
        QTest::addRow("relationship with no name in describe")
            << QStringLiteral("SELECT Id, (SELECT Id FROM AccountHistory) FROM Account") << account
            << QStringList { QStringLiteral("AccountHistory") } << QStringLiteral("no child relationship named");
        QTest::addRow("no such subquery")
            << QStringLiteral("SELECT Id FROM Account") << account << QStringList { QStringLiteral("Contacts") }
            << QStringLiteral("no subquery over the relationship 'Contacts'");
        QTest::addRow("no query") << QString() << account << QStringList { QStringLiteral("Contacts") }
                                  << QStringLiteral("unknown");
        QTest::addRow("malformed query") << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts FROM Account") << account
                                         << QStringList { QStringLiteral("Contacts") } << QStringLiteral("does not parse");
        QTest::addRow("injection in the parent id")
            << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account") << QStringList { QStringLiteral("x' OR Id != '") }
            << QStringList { QStringLiteral("Contacts") } << QStringLiteral("Not a record id");
        QTest::addRow("path lengths differ") << QStringLiteral("SELECT Id, (SELECT Id FROM Contacts) FROM Account")
                                             << QStringList { kAccount, kContact } << QStringList { QStringLiteral("Contacts") }
                                             << QStringLiteral("Not a child result");
        QTest::addRow("not a child cursor") << QStringLiteral("SELECT Id FROM Account") << QStringList() << QStringList()
                                            << QStringLiteral("Not a child result");
    }

    void refuses()
    {
        QFETCH(QString, soql);
        QFETCH(QStringList, ids);
        QFETCH(QStringList, relationships);
        QFETCH(QString, messagePart);
        const QString built = plan(cursorFor(soql, ids, relationships));
        QVERIFY2(built.startsWith(u"error: "), qPrintable(built));
        QVERIFY2(built.contains(messagePart), qPrintable(built));
    }

    // Quotes and backslashes in the subquery's own literals pass through as the user wrote them.
    void literalsKeptVerbatim()
    {
        const QString soql = QStringLiteral("SELECT Id, (SELECT Id FROM Contacts WHERE LastName = 'O\\'Brien \\\\ x') FROM Account");
        const QString built = plan(cursorFor(soql, { kAccount }, { QStringLiteral("Contacts") }));
        QVERIFY2(built.contains(QStringLiteral("AND (LastName = 'O\\'Brien \\\\ x')")), qPrintable(built));
        const fs::soql::ParseResult parsed = fs::soql::parse(built);
        QVERIFY(parsed.ok());
    }

    // descend() builds the path and takes the child result's locator and size.
    void descendBuildsThePath()
    {
        ChildCursor top;
        top.soql = QStringLiteral("SELECT Id FROM Account");
        top.includeDeleted = true;
        const ChildCursor one = top.descend(kAccount, QStringLiteral("Contacts"), fs::RecordBatch());
        QCOMPARE(one.parentIds, QStringList { kAccount });
        QCOMPARE(one.relationships, QStringList { QStringLiteral("Contacts") });
        QCOMPARE(one.includeDeleted, true);
        QCOMPARE(one.soql, top.soql);
        QCOMPARE(one.held, qint64(0));
        const ChildCursor two = one.descend(kContact, QStringLiteral("Cases"), fs::RecordBatch());
        QCOMPARE(two.parentIds, QStringList({ kAccount, kContact }));
        QCOMPARE(two.relationships, QStringList({ QStringLiteral("Contacts"), QStringLiteral("Cases") }));
        QVERIFY(two.isChild());
        QVERIFY(!top.isChild());
    }
};

QTEST_GUILESS_MAIN(TestChildQueryPlanner)
#include "tst_childqueryplanner.moc"
