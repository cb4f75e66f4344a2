#include "soql/token.h"

#include <QTest>

using namespace fs::soql;

class TestSoqlLexer : public QObject {
    Q_OBJECT

private:
    static QString describe(const QString &input)
    {
        QStringList out;
        for (const Token &t : tokenize(input))
            out << QString::fromLatin1(tokenKindName(t.kind)) + u':' + t.text(input).toString();
        return out.join(u' ');
    }

private Q_SLOTS:
    void kinds_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("simple select") << QStringLiteral("SELECT Id FROM Account")
                                       << QStringLiteral("Keyword:SELECT Identifier:Id Keyword:FROM Identifier:Account");
        QTest::addRow("keywords any case") << QStringLiteral("select id from account where")
                                           << QStringLiteral("Keyword:select Identifier:id Keyword:from "
                                                             "Identifier:account Keyword:where");
        QTest::addRow("dotted path") << QStringLiteral("Account.Owner.Name")
                                     << QStringLiteral("Identifier:Account Dot:. Identifier:Owner Dot:. Identifier:Name");
        QTest::addRow("operators") << QStringLiteral("= != <> < <= > >=")
                                   << QStringLiteral("Operator:= Operator:!= Operator:<> Operator:< Operator:<= "
                                                     "Operator:> Operator:>=");
        QTest::addRow("no spaces") << QStringLiteral("a>=1") << QStringLiteral("Identifier:a Operator:>= Number:1");
        QTest::addRow("string with escapes") << QStringLiteral("'it\\'s \\\\ ok'")
                                             << QStringLiteral("String:'it\\'s \\\\ ok'");
        QTest::addRow("unterminated string") << QStringLiteral("Name = 'abc")
                                             << QStringLiteral("Identifier:Name Operator:= Error:'abc");
        QTest::addRow("string ending in backslash")
            << QStringLiteral("'abc\\'") << QStringLiteral("Error:'abc\\'");
        QTest::addRow("numbers") << QStringLiteral("42 3.14 0.5") << QStringLiteral("Number:42 Number:3.14 Number:0.5");
        QTest::addRow("negative number") << QStringLiteral("-5") << QStringLiteral("Operator:- Number:5");
        QTest::addRow("date") << QStringLiteral("2024-01-15") << QStringLiteral("Date:2024-01-15");
        QTest::addRow("datetime Z") << QStringLiteral("2024-01-15T10:00:00Z")
                                    << QStringLiteral("DateTime:2024-01-15T10:00:00Z");
        QTest::addRow("datetime offset") << QStringLiteral("2024-01-15T10:00:00+05:30")
                                         << QStringLiteral("DateTime:2024-01-15T10:00:00+05:30");
        QTest::addRow("datetime millis") << QStringLiteral("2024-01-15T10:00:00.123-0800")
                                         << QStringLiteral("DateTime:2024-01-15T10:00:00.123-0800");
        QTest::addRow("datetime incomplete") << QStringLiteral("2024-01-15T10:00")
                                             << QStringLiteral("Error:2024-01-15T10:00");
        QTest::addRow("date literal") << QStringLiteral("TODAY last_week")
                                      << QStringLiteral("DateLiteral:TODAY DateLiteral:last_week");
        QTest::addRow("date literal with n") << QStringLiteral("LAST_N_DAYS:30")
                                             << QStringLiteral("DateLiteral:LAST_N_DAYS:30");
        QTest::addRow("date literal n missing") << QStringLiteral("LAST_N_DAYS:")
                                                << QStringLiteral("DateLiteral:LAST_N_DAYS Bind::");
        QTest::addRow("currency") << QStringLiteral("USD5000 EUR12.50")
                                  << QStringLiteral("Currency:USD5000 Currency:EUR12.50");
        QTest::addRow("bind") << QStringLiteral("Id = :accId") << QStringLiteral("Identifier:Id Operator:= Bind::accId");
        QTest::addRow("parens and commas") << QStringLiteral("IN ('a','b')")
                                           << QStringLiteral("Keyword:IN LParen:( String:'a' Comma:, String:'b' RParen:)");
        QTest::addRow("unknown character") << QStringLiteral("Id # 1")
                                           << QStringLiteral("Identifier:Id Error:# Number:1");
        QTest::addRow("lone bang") << QStringLiteral("!a") << QStringLiteral("Error:! Identifier:a");
        QTest::addRow("custom names") << QStringLiteral("Invoice__r.Total__c")
                                      << QStringLiteral("Identifier:Invoice__r Dot:. Identifier:Total__c");
        QTest::addRow("empty") << QString() << QString();
        QTest::addRow("only spaces") << QStringLiteral("  \n\t ") << QString();
        QTest::addRow("surrogate pair") << QStringLiteral("\U0001F600") << QStringLiteral("Error:\U0001F600");
    }

    void kinds()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(describe(input), expected);
    }

    void positions()
    {
        const QString q = QStringLiteral("SELECT Id,\n  Name\nFROM Account");
        const TokenList t = tokenize(q);
        QCOMPARE(t.size(), 6);
        QCOMPARE(t[0].line, 1);
        QCOMPARE(t[0].column, 1);
        QCOMPARE(t[1].column, 8);
        QCOMPARE(t[2].kind, TokenKind::Comma);
        QCOMPARE(t[3].line, 2);
        QCOMPARE(t[3].column, 3);
        QCOMPARE(t[3].start, 13);
        QCOMPARE(t[3].length, 4);
        QCOMPARE(t[4].line, 3);
        QCOMPARE(t[4].column, 1);
        QCOMPARE(t[5].column, 6);
    }

    void multiLineStringAdvancesLines()
    {
        const QString q = QStringLiteral("'a\nb' x");
        const TokenList t = tokenize(q);
        QCOMPARE(t.size(), 2);
        QCOMPARE(t[0].kind, TokenKind::String);
        QCOMPARE(t[1].line, 2);
        QCOMPARE(t[1].column, 4);
    }

    void keywordHelpers()
    {
        QVERIFY(isKeyword(u"select"));
        QVERIFY(!isKeyword(u"Name"));
        bool arg = false;
        QVERIFY(isDateLiteralName(u"n_days_ago", &arg));
        QVERIFY(arg);
        QVERIFY(isDateLiteralName(u"THIS_FISCAL_YEAR", &arg));
        QVERIFY(!arg);
        QVERIFY(!isDateLiteralName(u"SOMEDAY"));
    }
};

QTEST_GUILESS_MAIN(TestSoqlLexer)
#include "tst_soqllexer.moc"
