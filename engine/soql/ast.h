#pragma once

#include <QDate>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace fs::soql {

// Where a node came from in the query text: UTF-16 offset and length, 1-based line and column.
struct SourcePos {
    int offset = 0;
    int length = 0;
    int line = 1;
    int column = 1;
};

// A (possibly dotted) field path such as Account.Owner.Name; parts keep the user's spelling.
struct FieldPath {
    QStringList parts;
    QList<SourcePos> partPos; // one per part
    SourcePos pos;

    QString text() const { return parts.join(u'.'); }
    bool isEmpty() const { return parts.isEmpty(); }
};

struct Literal {
    enum class Kind { Null, Boolean, Integer, Decimal, String, Date, DateTime, DateLiteral, Currency };
    Kind kind = Kind::Null;
    QString text; // source text as written
    QString string; // String: decoded value; \% and \_ decode to % and _
    QString likePattern; // String: decoded LIKE pattern, literal % _ \ kept escaped with '\'
    bool boolean = false;
    qint64 integer = 0; // Integer (and DateLiteral's :n)
    double number = 0; // Integer, Decimal, Currency
    QDate date; // Date
    QDateTime dateTime; // DateTime, in UTC
    QString dateLiteral; // DateLiteral name, upper-case, without :n
    QString currencyCode; // Currency
    SourcePos pos;
};

// A value in SELECT, GROUP BY, ORDER BY or on the left of a comparison: a field path, a function
// call (COUNT(Id), CALENDAR_YEAR(CloseDate), toLabel(Status)) or, as a call argument, a literal.
struct ValueExpr {
    enum class Kind { Field, Call, Literal };
    Kind kind = Kind::Field;
    FieldPath field; // Field
    QString function; // Call: upper-case name
    QString functionSpelling; // Call: as written
    std::vector<ValueExpr> args; // Call
    Literal literal; // Literal
    SourcePos pos;

    bool isAggregate() const;
};

struct Query;

struct TypeOfBranch {
    QString sobjectType; // empty for ELSE
    std::vector<FieldPath> fields;
    SourcePos pos;
};

struct SelectItem {
    enum class Kind { Value, Subquery, Fields, TypeOf };
    Kind kind = Kind::Value;
    ValueExpr value; // Value
    QString alias;
    SourcePos aliasPos;
    std::shared_ptr<Query> subquery; // Subquery
    QString fieldsGroup; // Fields: ALL, STANDARD or CUSTOM
    FieldPath typeOfField; // TypeOf
    std::vector<TypeOfBranch> typeOfBranches; // TypeOf (ELSE last, sobjectType empty)
    SourcePos pos;
};

struct Condition {
    enum class Kind { And, Or, Not, Comparison };
    enum class Op { Eq, Ne, Lt, Le, Gt, Ge, Like, In, NotIn, Includes, Excludes };
    Kind kind = Kind::Comparison;
    std::vector<Condition> children; // And, Or (2+), Not (1)
    ValueExpr lhs; // Comparison
    Op op = Op::Eq;
    QString opText; // as written, e.g. "<>", "NOT IN"
    SourcePos opPos;
    std::vector<Literal> values; // one for scalar operators, the list for IN/INCLUDES/EXCLUDES
    std::shared_ptr<Query> subquery; // IN/NOT IN (SELECT …)
    SourcePos pos;
};

struct OrderItem {
    ValueExpr value;
    bool ascending = true;
    std::optional<bool> nullsFirst; // unset: the default (nulls first for ASC, last for DESC)
    SourcePos pos;
};

struct Query {
    std::vector<SelectItem> select;
    FieldPath from;
    QString fromAlias;
    SourcePos fromAliasPos;
    QString usingScope;
    std::optional<Condition> where;
    QString withClause; // SECURITY_ENFORCED, USER_MODE, SYSTEM_MODE
    std::vector<ValueExpr> groupBy;
    QString groupByModifier; // "", ROLLUP or CUBE
    SourcePos groupByPos;
    std::optional<Condition> having;
    std::vector<OrderItem> orderBy;
    std::optional<qint64> limit;
    SourcePos limitPos;
    std::optional<qint64> offset;
    SourcePos offsetPos;
    QString forClause; // VIEW, REFERENCE, UPDATE
    QString updateClause; // TRACKING, VIEWSTAT
    bool isSubquery = false;
    SourcePos pos;

    bool hasAggregates() const;
};

// Whether `name` (upper-case) is an aggregate function.
bool isAggregateFunction(const QString &upperName);

QString opText(Condition::Op op);

} // namespace fs::soql
