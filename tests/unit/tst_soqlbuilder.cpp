#include "soql/builder.h"
#include "soql/parser.h"

#include <QTest>

using namespace fs::soql;

class TestSoqlBuilder : public QObject {
    Q_OBJECT

private:
    // Parses `soql` and returns its single WHERE comparison, failing if there is anything else.
    static const Condition *singleComparison(const ParseResult &r)
    {
        if (!r.ok() || !r.query->where || r.query->where->kind != Condition::Kind::Comparison)
            return nullptr;
        return &*r.query->where;
    }

private Q_SLOTS:
    void injectionIsInert_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addRow("quote or") << QStringLiteral("' OR Name != '");
        QTest::addRow("escaped quote attempt") << QStringLiteral("\\' OR Name != \\'");
        QTest::addRow("trailing backslash") << QStringLiteral("abc\\");
        QTest::addRow("backslash quote") << QStringLiteral("\\'");
        QTest::addRow("double backslash") << QStringLiteral("a\\\\b");
        QTest::addRow("percent and underscore") << QStringLiteral("100%_done");
        QTest::addRow("unicode") << QStringLiteral("Zoë Ωmega \U0001F600 日本");
        QTest::addRow("newlines and tabs") << QStringLiteral("line1\nline2\r\n\tx");
        QTest::addRow("control chars") << QStringLiteral("a") + QChar(0x01) + QChar(0x07) + QChar(0x0c) + QChar(0x7f);
        QTest::addRow("closing paren") << QStringLiteral("') OR (Name = 'x");
        QTest::addRow("comment-like") << QStringLiteral("x' -- ");
        QTest::addRow("looks like escape") << QStringLiteral("\\u0027");
        QTest::addRow("empty") << QString();
        QTest::addRow("double quotes") << QStringLiteral("\"quoted\"");
        QTest::addRow("subquery attempt") << QStringLiteral("' AND Id IN (SELECT Id FROM User) AND Name = '");
    }

    void injectionIsInert()
    {
        QFETCH(QString, value);
        const QString soql = Builder(QStringLiteral("Account"))
                                 .select({ QStringLiteral("Id"), QStringLiteral("Name") })
                                 .where(Filter::equals(QStringLiteral("Name"), value))
                                 .build();
        QVERIFY(!soql.isEmpty());
        const ParseResult r = parse(soql);
        if (!r.ok())
            QFAIL(qPrintable(formatSalesforceMessage(soql, r.error)));
        const Condition *c = singleComparison(r);
        QVERIFY(c);
        QCOMPARE(c->lhs.field.text(), QStringLiteral("Name"));
        QCOMPARE(c->op, Condition::Op::Eq);
        QCOMPARE(c->values.size(), size_t(1));
        QCOMPARE(c->values[0].kind, Literal::Kind::String);
        QCOMPARE(c->values[0].string, value);

        // Same value through LIKE: matches literally, wildcards only where the builder put them.
        const QString like = Builder(QStringLiteral("Account"))
                                 .where(Filter::like(QStringLiteral("Name"), value, LikeMatch::Contains))
                                 .build();
        const ParseResult lr = parse(like);
        const Condition *lc = singleComparison(lr);
        QVERIFY(lc);
        QCOMPARE(lc->op, Condition::Op::Like);
        QString expectedPattern = value;
        expectedPattern.replace(u'\\', QLatin1String("\\\\"));
        expectedPattern.replace(u'%', QLatin1String("\\%"));
        expectedPattern.replace(u'_', QLatin1String("\\_"));
        QCOMPARE(lc->values[0].likePattern, u'%' + expectedPattern + u'%');

        // And in an IN list: exactly the intended values.
        const QString in = Builder(QStringLiteral("Account"))
                               .where(Filter::in(QStringLiteral("Name"), { value, QStringLiteral("b") }))
                               .build();
        const ParseResult ir = parse(in);
        const Condition *ic = singleComparison(ir);
        QVERIFY(ic);
        QCOMPARE(ic->values.size(), size_t(2));
        QCOMPARE(ic->values[0].string, value);
    }

    void quoting()
    {
        QCOMPARE(quoteString(u"it's"), QStringLiteral("'it\\'s'"));
        QCOMPARE(quoteString(u"a\\b"), QStringLiteral("'a\\\\b'"));
        QCOMPARE(quoteString(u"a\nb"), QStringLiteral("'a\\nb'"));
        QCOMPARE(quoteString(u"100%"), QStringLiteral("'100%'"));
        QCOMPARE(quoteLike(u"100%_", LikeMatch::StartsWith), QStringLiteral("'100\\%\\_%'"));
        QCOMPARE(quoteLike(u"x", LikeMatch::Exact), QStringLiteral("'x'"));
        QCOMPARE(quoteLike(u"x", LikeMatch::EndsWith), QStringLiteral("'%x'"));
    }

    void identifiers_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::addRow("standard") << QStringLiteral("Name") << true;
        QTest::addRow("custom") << QStringLiteral("Total__c") << true;
        QTest::addRow("namespaced") << QStringLiteral("ns__Total__c") << true;
        QTest::addRow("relationship") << QStringLiteral("Invoice__r") << true;
        QTest::addRow("inner underscore") << QStringLiteral("Is_Active__c") << true;
        QTest::addRow("path") << QStringLiteral("Account.Owner.Name") << true;
        QTest::addRow("five hops") << QStringLiteral("A.B.C.D.E.Name") << true;
        QTest::addRow("six hops") << QStringLiteral("A.B.C.D.E.F.Name") << false;
        QTest::addRow("space") << QStringLiteral("Name FROM") << false;
        QTest::addRow("quote") << QStringLiteral("Name'") << false;
        QTest::addRow("leading digit") << QStringLiteral("1Name") << false;
        QTest::addRow("leading underscore") << QStringLiteral("_Name") << false;
        QTest::addRow("trailing underscore") << QStringLiteral("Name_") << false;
        QTest::addRow("triple underscore") << QStringLiteral("A___c") << false;
        QTest::addRow("empty") << QString() << false;
        QTest::addRow("empty part") << QStringLiteral("Account..Name") << false;
        QTest::addRow("reserved") << QStringLiteral("Where") << false;
        QTest::addRow("unicode") << QStringLiteral("Nämé") << false;
        QTest::addRow("paren") << QStringLiteral("COUNT(Id)") << false;
    }

    void identifiers()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(isValidFieldPath(name), valid);
        const Builder b = Builder(QStringLiteral("Account")).select({ name });
        QCOMPARE(b.isValid(), valid);
        QCOMPARE(b.build().isEmpty(), !valid);
    }

    void literals_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("expected");
        QTest::addRow("null") << QVariant() << QStringLiteral("null");
        QTest::addRow("true") << QVariant(true) << QStringLiteral("true");
        QTest::addRow("int") << QVariant(-42) << QStringLiteral("-42");
        QTest::addRow("qint64") << QVariant(qint64(1) << 40) << QStringLiteral("1099511627776");
        QTest::addRow("double") << QVariant(12.5) << QStringLiteral("12.5");
        QTest::addRow("tiny double") << QVariant(1e-7) << QStringLiteral("0.0000001");
        QTest::addRow("big double") << QVariant(1e21) << QStringLiteral("1000000000000000000000");
        QTest::addRow("date") << QVariant(QDate(2024, 1, 15)) << QStringLiteral("2024-01-15");
        QTest::addRow("datetime utc") << QVariant(QDateTime(QDate(2024, 1, 15), QTime(10, 0), Qt::UTC))
                                      << QStringLiteral("2024-01-15T10:00:00Z");
        QTest::addRow("datetime offset") << QVariant(QDateTime(QDate(2024, 1, 15), QTime(10, 0, 0, 250), Qt::OffsetFromUTC, 3600))
                                         << QStringLiteral("2024-01-15T09:00:00.250Z");
        QTest::addRow("string") << QVariant(QStringLiteral("a'b")) << QStringLiteral("'a\\'b'");
    }

    void literals()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, expected);
        const auto s = formatLiteral(value);
        QVERIFY(s.has_value());
        QCOMPARE(*s, expected);
        // Each literal must parse back as a comparison value.
        const QString soql = QStringLiteral("SELECT Id FROM Account WHERE X = ") + *s;
        QVERIFY2(parse(soql).ok(), qPrintable(soql));
    }

    void unsupportedLiterals()
    {
        QVERIFY(!formatLiteral(QVariant(std::numeric_limits<double>::quiet_NaN())).has_value());
        QVERIFY(!formatLiteral(QVariant(std::numeric_limits<double>::infinity())).has_value());
        QVERIFY(!formatLiteral(QVariant::fromValue(QStringList { QStringLiteral("a") })).has_value());
        QVERIFY(!Filter::equals(QStringLiteral("X"), QVariant(std::numeric_limits<double>::quiet_NaN())).isValid());
        QVERIFY(!Filter::compare(QStringLiteral("X"), QStringLiteral("= 1 OR X ="), 1).isValid());
        QVERIFY(!Filter::in(QStringLiteral("X"), {}).isValid());
    }

    void composition()
    {
        const Filter f = Filter::allOf({ Filter::anyOf({ Filter::equals(QStringLiteral("A"), 1), Filter::equals(QStringLiteral("B"), 2) }),
            Filter::negate(Filter::isNull(QStringLiteral("C"))), Filter::includes(QStringLiteral("M__c"), { QStringLiteral("x;y") }) });
        const QString soql = Builder(QStringLiteral("Account"))
                                 .select({ QStringLiteral("Id") })
                                 .where(f)
                                 .where(Filter::notIn(QStringLiteral("Id"), { QStringLiteral("001") }))
                                 .orderBy(QStringLiteral("Name"), false, true)
                                 .limit(10)
                                 .offset(5)
                                 .build();
        QCOMPARE(soql,
            QStringLiteral("SELECT Id FROM Account WHERE ((A = 1 OR B = 2) AND NOT (C = null) AND M__c INCLUDES ('x;y')) "
                           "AND Id NOT IN ('001') ORDER BY Name DESC NULLS FIRST LIMIT 10 OFFSET 5"));
        QVERIFY(parse(soql).ok());
        QVERIFY(!Builder(QStringLiteral("Account; DROP")).isValid());
        QVERIFY(!Builder(QStringLiteral("Account")).offset(2001).isValid());
        QVERIFY(!Builder(QStringLiteral("Account")).where(Filter::equals(QStringLiteral("Bad Name"), 1)).isValid());
    }
};

QTEST_GUILESS_MAIN(TestSoqlBuilder)
#include "tst_soqlbuilder.moc"
