#include "soql/parser.h"

#include <QTest>

using namespace fs::soql;

namespace {

// Compact, deterministic rendering of the parts of a query the tests care about.
QString render(const ValueExpr &v);
QString render(const Literal &l)
{
    switch (l.kind) {
    case Literal::Kind::Null:
        return QStringLiteral("null");
    case Literal::Kind::Boolean:
        return l.boolean ? QStringLiteral("true") : QStringLiteral("false");
    case Literal::Kind::Integer:
        return QStringLiteral("int:%1").arg(l.integer);
    case Literal::Kind::Decimal:
        return QStringLiteral("dec:%1").arg(l.number);
    case Literal::Kind::String:
        return QStringLiteral("str:") + l.string;
    case Literal::Kind::Date:
        return QStringLiteral("date:") + l.date.toString(Qt::ISODate);
    case Literal::Kind::DateTime:
        return QStringLiteral("dt:") + l.dateTime.toUTC().toString(Qt::ISODateWithMs);
    case Literal::Kind::DateLiteral:
        return QStringLiteral("rel:") + l.dateLiteral + (l.text.contains(u':') ? QStringLiteral(":%1").arg(l.integer) : QString());
    case Literal::Kind::Currency:
        return QStringLiteral("cur:%1%2").arg(l.currencyCode).arg(l.number);
    }
    return {};
}
QString render(const Query &q);
QString render(const Condition &c)
{
    switch (c.kind) {
    case Condition::Kind::And:
    case Condition::Kind::Or: {
        QStringList parts;
        for (const auto &ch : c.children)
            parts << render(ch);
        return u'(' + parts.join(c.kind == Condition::Kind::And ? QLatin1String(" AND ") : QLatin1String(" OR ")) + u')';
    }
    case Condition::Kind::Not:
        return QStringLiteral("NOT ") + render(c.children.front());
    case Condition::Kind::Comparison: {
        QString rhs;
        if (c.subquery) {
            rhs = u'[' + render(*c.subquery) + u']';
        } else {
            QStringList vals;
            for (const auto &v : c.values)
                vals << render(v);
            rhs = vals.join(u',');
        }
        return render(c.lhs) + u' ' + opText(c.op) + u' ' + rhs;
    }
    }
    return {};
}
QString render(const ValueExpr &v)
{
    switch (v.kind) {
    case ValueExpr::Kind::Field:
        return v.field.text();
    case ValueExpr::Kind::Literal:
        return render(v.literal);
    case ValueExpr::Kind::Call: {
        QStringList args;
        for (const auto &a : v.args)
            args << render(a);
        return v.function + u'(' + args.join(u',') + u')';
    }
    }
    return {};
}
QString render(const Query &q)
{
    QStringList sel;
    for (const auto &s : q.select) {
        switch (s.kind) {
        case SelectItem::Kind::Value:
            sel << render(s.value) + (s.alias.isEmpty() ? QString() : u' ' + s.alias);
            break;
        case SelectItem::Kind::Subquery:
            sel << u'{' + render(*s.subquery) + u'}';
            break;
        case SelectItem::Kind::Fields:
            sel << QStringLiteral("FIELDS:") + s.fieldsGroup;
            break;
        case SelectItem::Kind::TypeOf:
            sel << QStringLiteral("TYPEOF:") + s.typeOfField.text() + QStringLiteral("/%1").arg(s.typeOfBranches.size());
            break;
        }
    }
    QString out = QStringLiteral("S ") + sel.join(u',') + QStringLiteral(" F ") + q.from.text();
    if (!q.fromAlias.isEmpty())
        out += u' ' + q.fromAlias;
    if (!q.usingScope.isEmpty())
        out += QStringLiteral(" SC ") + q.usingScope;
    if (q.where)
        out += QStringLiteral(" W ") + render(*q.where);
    if (!q.withClause.isEmpty())
        out += QStringLiteral(" WITH ") + q.withClause;
    if (!q.groupBy.empty()) {
        QStringList g;
        for (const auto &v : q.groupBy)
            g << render(v);
        out += QStringLiteral(" G ") + q.groupByModifier + g.join(u',');
    }
    if (q.having)
        out += QStringLiteral(" H ") + render(*q.having);
    if (!q.orderBy.empty()) {
        QStringList o;
        for (const auto &i : q.orderBy)
            o << render(i.value) + (i.ascending ? QLatin1String(" ASC") : QLatin1String(" DESC"))
                    + (i.nullsFirst ? (*i.nullsFirst ? QLatin1String(" NF") : QLatin1String(" NL")) : QLatin1String(""));
        out += QStringLiteral(" O ") + o.join(u',');
    }
    if (q.limit)
        out += QStringLiteral(" L %1").arg(*q.limit);
    if (q.offset)
        out += QStringLiteral(" OFF %1").arg(*q.offset);
    if (!q.forClause.isEmpty())
        out += QStringLiteral(" FOR ") + q.forClause;
    if (!q.updateClause.isEmpty())
        out += QStringLiteral(" UPD ") + q.updateClause;
    return out;
}

} // namespace

class TestSoqlParser : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void valid_data()
    {
        QTest::addColumn<QString>("soql");
        QTest::addColumn<QString>("expected");
        auto row = [](const char *name, const char *soql, const char *expected) {
            QTest::addRow("%s", name) << QString::fromUtf8(soql) << QString::fromUtf8(expected);
        };
        row("minimal", "SELECT Id FROM Account", "S Id F Account");
        row("lower case", "select id, name from account", "S id,name F account");
        row("parent paths", "SELECT Account.Owner.Name, Name FROM Contact", "S Account.Owner.Name,Name F Contact");
        row("fields all", "SELECT FIELDS(ALL) FROM Account LIMIT 200", "S FIELDS:ALL F Account L 200");
        row("fields standard", "SELECT fields(standard) FROM Account", "S FIELDS:STANDARD F Account");
        row("child subquery", "SELECT Name, (SELECT LastName FROM Contacts WHERE Email != null) FROM Account",
            "S Name,{S LastName F Contacts W Email != null} F Account");
        // API 58.0+: parent-to-child subqueries nest down to five levels (root = level 1).
        row("subquery depth 2", "SELECT Name, (SELECT LastName, (SELECT CaseNumber FROM Cases) FROM Contacts) FROM Account",
            "S Name,{S LastName,{S CaseNumber F Cases} F Contacts} F Account");
        row("subquery depth 3",
            "SELECT Id, (SELECT Id, (SELECT Id, (SELECT Body FROM CaseComments) FROM Cases) FROM Contacts) FROM Account",
            "S Id,{S Id,{S Id,{S Body F CaseComments} F Cases} F Contacts} F Account");
        row("subquery depth 4",
            "SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id FROM E) FROM D) FROM C) FROM B) FROM A",
            "S Id,{S Id,{S Id,{S Id,{S Id F E} F D} F C} F B} F A");
        row("subquery depth 4 with siblings and clauses",
            "SELECT Id, (SELECT Id FROM B1), (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id FROM E) FROM D "
            "LIMIT 2) FROM C WHERE X = 1) FROM B2) FROM A",
            "S Id,{S Id F B1},{S Id,{S Id,{S Id,{S Id F E} F D L 2} F C W X = int:1} F B2} F A");
        row("count", "SELECT COUNT() FROM Contact", "S COUNT() F Contact");
        row("aggregates with alias", "SELECT StageName, COUNT(Id), SUM(Amount) total FROM Opportunity GROUP BY StageName",
            "S StageName,COUNT(Id),SUM(Amount) total F Opportunity G StageName");
        row("date function", "SELECT CALENDAR_YEAR(CloseDate) y, COUNT(Id) FROM Opportunity GROUP BY CALENDAR_YEAR(CloseDate)",
            "S CALENDAR_YEAR(CloseDate) y,COUNT(Id) F Opportunity G CALENDAR_YEAR(CloseDate)");
        row("tolabel", "SELECT toLabel(StageName) FROM Opportunity", "S TOLABEL(StageName) F Opportunity");
        row("format of aggregate", "SELECT FORMAT(MIN(CloseDate)) FROM Opportunity", "S FORMAT(MIN(CloseDate)) F Opportunity");
        row("typeof", "SELECT TYPEOF What WHEN Account THEN Phone, Name WHEN Opportunity THEN Amount ELSE Name END FROM Task",
            "S TYPEOF:What/3 F Task");
        row("alias", "SELECT a.Name FROM Account a WHERE a.Name != null", "S a.Name F Account a W a.Name != null");
        row("using scope", "SELECT Id FROM Account USING SCOPE mine", "S Id F Account SC mine");
        row("where and", "SELECT Id FROM Account WHERE Name = 'A' AND Industry = 'B'",
            "S Id F Account W (Name = str:A AND Industry = str:B)");
        row("where or not", "SELECT Id FROM Account WHERE NOT Name = 'A' OR (Industry = 'B' AND Type = 'C')",
            "S Id F Account W (NOT Name = str:A OR (Industry = str:B AND Type = str:C))");
        row("all operators", "SELECT Id FROM Opportunity WHERE Amount < 1 AND Amount <= 2 AND Amount > 3 AND Amount >= 4 AND Amount <> 5 AND Amount != 6",
            "S Id F Opportunity W (Amount < int:1 AND Amount <= int:2 AND Amount > int:3 AND Amount >= int:4 AND Amount != int:5 AND Amount != int:6)");
        row("negative and decimal", "SELECT Id FROM Opportunity WHERE Amount > -5 AND Probability < 12.5",
            "S Id F Opportunity W (Amount > int:-5 AND Probability < dec:12.5)");
        row("like", "SELECT Id FROM Account WHERE Name LIKE 'Ac%'", "S Id F Account W Name LIKE str:Ac%");
        row("in list", "SELECT Id FROM Account WHERE Industry IN ('A', 'B')", "S Id F Account W Industry IN str:A,str:B");
        row("not in", "SELECT Id FROM Account WHERE Industry NOT IN ('A')", "S Id F Account W Industry NOT IN str:A");
        row("semi join", "SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'X')",
            "S Id F Account W Id IN [S AccountId F Contact W LastName = str:X]");
        row("anti join", "SELECT Id FROM Account WHERE Id NOT IN (SELECT AccountId FROM Opportunity)",
            "S Id F Account W Id NOT IN [S AccountId F Opportunity]");
        row("includes", "SELECT Id FROM Lead WHERE Interests__c INCLUDES ('a;b', 'c')",
            "S Id F Lead W Interests__c INCLUDES str:a;b,str:c");
        row("excludes", "SELECT Id FROM Lead WHERE Interests__c EXCLUDES ('a')", "S Id F Lead W Interests__c EXCLUDES str:a");
        row("null true false", "SELECT Id FROM Account WHERE Name = null AND IsDeleted = false AND X__c = TRUE",
            "S Id F Account W (Name = null AND IsDeleted = false AND X__c = true)");
        row("date", "SELECT Id FROM Opportunity WHERE CloseDate = 2024-01-15", "S Id F Opportunity W CloseDate = date:2024-01-15");
        row("datetime Z", "SELECT Id FROM Account WHERE CreatedDate > 2024-01-15T10:00:00Z",
            "S Id F Account W CreatedDate > dt:2024-01-15T10:00:00.000Z");
        row("datetime offset", "SELECT Id FROM Account WHERE CreatedDate > 2024-01-15T10:00:00+05:30",
            "S Id F Account W CreatedDate > dt:2024-01-15T04:30:00.000Z");
        row("datetime negative offset", "SELECT Id FROM Account WHERE CreatedDate > 2024-01-15T22:00:00.5-0800",
            "S Id F Account W CreatedDate > dt:2024-01-16T06:00:00.500Z");
        row("relative date", "SELECT Id FROM Account WHERE CreatedDate = LAST_N_DAYS:30 OR CreatedDate = today",
            "S Id F Account W (CreatedDate = rel:LAST_N_DAYS:30 OR CreatedDate = rel:TODAY)");
        row("currency", "SELECT Id FROM Opportunity WHERE Amount > USD5000", "S Id F Opportunity W Amount > cur:USD5000");
        row("with security enforced", "SELECT Id FROM Account WITH SECURITY_ENFORCED", "S Id F Account WITH SECURITY_ENFORCED");
        row("group by rollup", "SELECT Industry, COUNT(Id) FROM Account GROUP BY ROLLUP(Industry)",
            "S Industry,COUNT(Id) F Account G ROLLUPIndustry");
        row("having", "SELECT Industry, COUNT(Id) c FROM Account GROUP BY Industry HAVING COUNT(Id) > 1",
            "S Industry,COUNT(Id) c F Account G Industry H COUNT(Id) > int:1");
        row("order by", "SELECT Id FROM Account ORDER BY Name DESC NULLS LAST, Industry, CreatedDate ASC NULLS FIRST",
            "S Id F Account O Name DESC NL,Industry ASC,CreatedDate ASC NF");
        row("limit offset", "SELECT Id FROM Account LIMIT 10 OFFSET 20", "S Id F Account L 10 OFF 20");
        row("for view", "SELECT Id FROM Account LIMIT 1 FOR VIEW", "S Id F Account L 1 FOR VIEW");
        row("for reference", "SELECT Id FROM Account FOR REFERENCE", "S Id F Account FOR REFERENCE");
        row("update tracking", "SELECT Id FROM KnowledgeArticleVersion UPDATE TRACKING",
            "S Id F KnowledgeArticleVersion UPD TRACKING");
        row("string escapes", "SELECT Id FROM Account WHERE Name = 'a\\'b\\\\c\\nd\\u00e9'",
            "S Id F Account W Name = str:a'b\\c\nd\u00e9");
        row("multi line", "SELECT Id,\n  Name\nFROM Account\nWHERE Name != null", "S Id,Name F Account W Name != null");
        row("all clauses", "SELECT Id FROM Account a USING SCOPE everything WHERE Name != null WITH SECURITY_ENFORCED "
                           "ORDER BY Name LIMIT 5 OFFSET 1 FOR VIEW",
            "S Id F Account a SC everything W Name != null WITH SECURITY_ENFORCED O Name ASC L 5 OFF 1 FOR VIEW");
        row("keyword-like field names", "SELECT Type, Scope, View FROM Account", "S Type,Scope,View F Account");
        row("distance", "SELECT Id FROM Store__c WHERE DISTANCE(Loc__c, GEOLOCATION(37.7, -122.4), 'mi') < 20",
            "S Id F Store__c W DISTANCE(Loc__c,GEOLOCATION(dec:37.7,dec:-122.4),str:mi) < int:20");
        row("nested parens", "SELECT Id FROM Account WHERE ((Name = 'a'))", "S Id F Account W Name = str:a");
    }

    void valid()
    {
        QFETCH(QString, soql);
        QFETCH(QString, expected);
        const ParseResult r = parse(soql);
        if (!r.ok())
            QFAIL(qPrintable(formatSalesforceMessage(soql, r.error)));
        QCOMPARE(render(*r.query), expected);
    }

    void invalid_data()
    {
        QTest::addColumn<QString>("soql");
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        auto row = [](const char *name, const char *soql, const char *message, int line, int column) {
            QTest::addRow("%s", name) << QString::fromUtf8(soql) << QString::fromUtf8(message) << line << column;
        };
        row("empty", "", "unexpected token: <EOF>", 1, 1);
        row("eof after where", "SELECT Id FROM Account WHERE", "unexpected token: <EOF>", 1, 29);
        row("missing from", "SELECT Id Account", "unexpected token: <EOF>", 1, 18);
        row("empty select list", "SELECT FROM Account", "unexpected token: 'FROM'", 1, 8);
        row("trailing comma", "SELECT Id, FROM Account", "unexpected token: 'FROM'", 1, 12);
        row("garbage after", "SELECT Id FROM Account garbage more", "unexpected token: 'more'", 1, 32);
        row("mixed and or", "SELECT Id FROM Account WHERE A = 1 AND B = 2 OR C = 3", "unexpected token: 'OR'", 1, 46);
        row("mixed or and", "SELECT Id FROM Account WHERE A = 1 OR B = 2 AND C = 3", "unexpected token: 'AND'", 1, 45);
        row("bind", "SELECT Id FROM Account WHERE Id = :accId", "Bind variables only allowed in Apex code", 1, 35);
        row("bind in list", "SELECT Id FROM Account WHERE Id IN :ids", "Bind variables only allowed in Apex code", 1, 36);
        row("bind limit", "SELECT Id FROM Account LIMIT :n", "Bind variables only allowed in Apex code", 1, 30);
        row("unterminated string", "SELECT Id FROM Account WHERE Name = 'abc",
            "line 1:40 mismatched character '<EOF>' expecting '''", 1, 37);
        row("bad escape", "SELECT Id FROM Account WHERE Name = 'a\\qb'",
            "Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal.", 1, 37);
        row("bad unicode escape", "SELECT Id FROM Account WHERE Name = '\\u00g1'",
            "Invalid string literal '\\u00g1'. Illegal character sequence '\\u' in string literal.", 1, 37);
        row("unknown character", "SELECT Id FROM Account WHERE Name # 'a'",
            "line 1:34 no viable alternative at character '#'", 1, 35);
        row("missing operator value", "SELECT Id FROM Account WHERE Name =", "unexpected token: <EOF>", 1, 36);
        row("missing operator", "SELECT Id FROM Account WHERE Name 'a'", "unexpected token: ''a''", 1, 35);
        row("unclosed paren", "SELECT Id FROM Account WHERE (Name = 'a'", "unexpected token: <EOF>", 1, 41);
        row("extra paren", "SELECT Id FROM Account WHERE Name = 'a')", "unexpected token: ')'", 1, 40);
        row("limit not a number", "SELECT Id FROM Account LIMIT abc", "unexpected token: 'abc'", 1, 30);
        row("limit decimal", "SELECT Id FROM Account LIMIT 1.5", "unexpected token: '1.5'", 1, 30);
        row("order by missing by", "SELECT Id FROM Account ORDER Name", "unexpected token: 'Name'", 1, 30);
        row("nulls missing", "SELECT Id FROM Account ORDER BY Name NULLS", "unexpected token: <EOF>", 1, 43);
        row("clauses out of order", "SELECT Id FROM Account LIMIT 5 WHERE Name = 'a'", "unexpected token: 'WHERE'", 1, 32);
        row("fields bad", "SELECT FIELDS(SOME) FROM Account", "unexpected token: 'SOME'", 1, 15);
        row("subquery depth 5",
            "SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id, (SELECT Id FROM F) FROM E) FROM D) FROM C) "
            "FROM B) FROM A",
            "SOQL statements cannot query aggregate relationships more than 4 levels away from the root entity object.",
            1, 60);
        row("subquery depth 5 on a later line",
            "SELECT Id,\n (SELECT Id,\n  (SELECT Id,\n   (SELECT Id,\n    (SELECT Id,\n     (SELECT Id FROM F) FROM E)"
            " FROM D) FROM C) FROM B) FROM A",
            "SOQL statements cannot query aggregate relationships more than 4 levels away from the root entity object.",
            6, 6);
        row("semi-join with select subquery",
            "SELECT Id FROM Account WHERE Id IN (SELECT AccountId, (SELECT Id FROM Cases) FROM Contact)",
            "unexpected token: '('", 1, 55);
        row("semi-join inside child with select subquery",
            "SELECT Id, (SELECT Id FROM Contacts WHERE Id IN (SELECT ContactId, (SELECT Id FROM X) FROM Case)) FROM Account",
            "unexpected token: '('", 1, 68);
        row("subquery in includes", "SELECT Id FROM Lead WHERE X__c INCLUDES (SELECT Id FROM Account)",
            "unexpected token: 'SELECT'", 1, 42);
        row("invalid date", "SELECT Id FROM Opportunity WHERE CloseDate = 2024-13-45", "unexpected token: '2024-13-45'", 1, 46);
        row("relative literal without n", "SELECT Id FROM Opportunity WHERE CloseDate = LAST_N_DAYS",
            "unexpected token: 'LAST_N_DAYS'", 1, 46);
        row("relative literal with n not allowed", "SELECT Id FROM Opportunity WHERE CloseDate = TODAY:3",
            "Bind variables only allowed in Apex code", 1, 51);
        row("multi line position", "SELECT Id\nFROM Account\nWHERE Name = = 'x'", "unexpected token: '='", 3, 14);
        row("with unknown", "SELECT Id FROM Account WITH FOO", "unexpected token: 'FOO'", 1, 29);
        row("double dot", "SELECT Account..Name FROM Contact", "unexpected token: '.'", 1, 16);
        row("not in without in", "SELECT Id FROM Account WHERE Name NOT 'a'", "unexpected token: 'NOT'", 1, 35);
        row("typeof without when", "SELECT TYPEOF What END FROM Task", "unexpected token: 'END'", 1, 20);
        row("select keyword", "SELEC Id FROM Account", "unexpected token: 'SELEC'", 1, 1);
    }

    void invalid()
    {
        QFETCH(QString, soql);
        QFETCH(QString, message);
        QFETCH(int, line);
        QFETCH(int, column);
        const ParseResult r = parse(soql);
        QVERIFY(!r.ok());
        QCOMPARE(r.error.code, QStringLiteral("MALFORMED_QUERY"));
        QCOMPARE(r.error.message, message);
        QCOMPARE(r.error.line, line);
        QCOMPARE(r.error.column, column);
    }

    void positionsOfNodes()
    {
        const QString q = QStringLiteral("SELECT Id, Account.Name FROM Contact WHERE Email LIKE '%x' ORDER BY Name LIMIT 3");
        const ParseResult r = parse(q);
        QVERIFY(r.ok());
        const SelectItem &acc = r.query->select[1];
        QCOMPARE(acc.pos.offset, 11);
        QCOMPARE(acc.pos.length, 12);
        QCOMPARE(acc.value.field.partPos[1].column, 20);
        QCOMPARE(r.query->from.pos.column, 30);
        const Condition &w = *r.query->where;
        QCOMPARE(w.pos.column, 44);
        QCOMPARE(w.opPos.column, 50);
        QCOMPARE(w.values[0].pos.column, 55);
        QCOMPARE(w.values[0].likePattern, QStringLiteral("%x"));
        QCOMPARE(r.query->orderBy[0].pos.column, 69);
        QCOMPARE(r.query->limitPos.column, 80);
    }

    void likeEscapes()
    {
        const ParseResult r = parse(QStringLiteral("SELECT Id FROM Account WHERE Name LIKE 'a\\%b\\_c%\\\\'"));
        QVERIFY(r.ok());
        const Literal &l = r.query->where->values[0];
        QCOMPARE(l.string, QStringLiteral("a%b_c%\\"));
        QCOMPARE(l.likePattern, QStringLiteral("a\\%b\\_c%\\\\"));
    }

    void deepNestingIsRefused()
    {
        QString q = QStringLiteral("SELECT Id FROM Account WHERE ");
        for (int i = 0; i < 500; ++i)
            q += u'(';
        q += QStringLiteral("Name = 'a'");
        for (int i = 0; i < 500; ++i)
            q += u')';
        const ParseResult r = parse(q);
        QVERIFY(!r.ok());
        QCOMPARE(r.error.message, QStringLiteral("Query is too deeply nested"));
        QString notChain = QStringLiteral("SELECT Id FROM Account WHERE ");
        for (int i = 0; i < 5000; ++i)
            notChain += QStringLiteral("NOT ");
        QVERIFY(!parse(notChain).ok());
    }

    void salesforceMessageFormat()
    {
        SoqlError e;
        e.code = QStringLiteral("INVALID_FIELD");
        e.line = 1;
        e.column = 12;
        e.message = noSuchColumnMessage(QStringLiteral("Nmae"), QStringLiteral("Account"));
        QCOMPARE(formatSalesforceMessage(QStringLiteral("SELECT Id, Nmae FROM Account"), e),
            QStringLiteral("\nSELECT Id, Nmae FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Nmae' on "
                           "entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' "
                           "after the custom field name. Please reference your WSDL or the describe call for the "
                           "appropriate names."));
        const QString q = QStringLiteral("SELECT Id FROM Account WHERE");
        const ParseResult r = parse(q);
        QVERIFY(!r.ok());
        QCOMPARE(formatSalesforceMessage(q, r.error),
            QStringLiteral("SELECT Id FROM Account WHERE\n                            ^\nERROR at Row:1:Column:29\n"
                           "unexpected token: <EOF>"));
        const QString multi = QStringLiteral("SELECT Id\r\nFROM Account\r\nWHERE Name = = 'x'");
        const ParseResult m = parse(multi);
        QVERIFY(!m.ok());
        QCOMPARE(formatSalesforceMessage(multi, m.error),
            QStringLiteral("WHERE Name = = 'x'\n             ^\nERROR at Row:3:Column:14\nunexpected token: '='"));
    }
};

QTEST_GUILESS_MAIN(TestSoqlParser)
#include "tst_soqlparser.moc"
