#include "querycompiler.h"

#include "store/store.h"

#include <soql/parser.h>

#include <QHash>
#include <QSet>

#include <algorithm>

namespace fs::sim {

using soql::Condition;
using soql::FieldPath;
using soql::Literal;
using soql::OrderItem;
using soql::Query;
using soql::SelectItem;
using soql::SoqlError;
using soql::SourcePos;
using soql::ValueExpr;

namespace {

constexpr int s_maxRelationshipHops = 5;
constexpr qint64 s_maxOffset = 2000;
constexpr qint64 s_maxFieldsLimit = 200;

struct CompileFailure {
    SoqlError error;
};

QString q(const QString &ident)
{
    return u'"' + ident + u'"';
}

// Value classes for type checks and SQL generation.
enum class VType { Text, Id, MultiPicklist, Boolean, Integer, Double, Date, DateTime };

VType vtypeOf(const FieldDef &f)
{
    const QString &t = f.type;
    if (t == u"id" || t == u"reference")
        return VType::Id;
    if (t == u"multipicklist")
        return VType::MultiPicklist;
    if (t == u"boolean")
        return VType::Boolean;
    if (t == u"int")
        return VType::Integer;
    if (t == u"double" || t == u"currency" || t == u"percent")
        return VType::Double;
    if (t == u"date")
        return VType::Date;
    if (t == u"datetime")
        return VType::DateTime;
    return VType::Text;
}

QString vtypeName(VType t)
{
    switch (t) {
    case VType::Text:
    case VType::MultiPicklist:
        return QStringLiteral("string");
    case VType::Id:
        return QStringLiteral("id");
    case VType::Boolean:
        return QStringLiteral("boolean");
    case VType::Integer:
        return QStringLiteral("integer");
    case VType::Double:
        return QStringLiteral("double");
    case VType::Date:
        return QStringLiteral("date");
    case VType::DateTime:
        return QStringLiteral("dateTime");
    }
    return {};
}

bool isDateFunction(const QString &f)
{
    static const QSet<QString> names = { QStringLiteral("CALENDAR_MONTH"), QStringLiteral("CALENDAR_QUARTER"),
        QStringLiteral("CALENDAR_YEAR"), QStringLiteral("DAY_IN_MONTH"), QStringLiteral("DAY_IN_WEEK"),
        QStringLiteral("DAY_IN_YEAR"), QStringLiteral("DAY_ONLY"), QStringLiteral("FISCAL_MONTH"),
        QStringLiteral("FISCAL_QUARTER"), QStringLiteral("FISCAL_YEAR"), QStringLiteral("HOUR_IN_DAY"),
        QStringLiteral("WEEK_IN_MONTH"), QStringLiteral("WEEK_IN_YEAR") };
    return names.contains(f);
}

bool isPassThroughFunction(const QString &f)
{
    return f == u"TOLABEL" || f == u"FORMAT" || f == u"CONVERTCURRENCY";
}

// [start, end) of a relative date literal, in dates (UTC calendar of `today`). Fiscal years are
// taken to start in January, as in a default org.
std::pair<QDate, QDate> relativeRange(const QString &name, qint64 n64, QDate today)
{
    const int n = int(std::clamp<qint64>(n64, 0, 100000));
    const QDate weekStart = today.addDays(-(today.dayOfWeek() % 7)); // weeks start on Sunday
    const QDate monthStart(today.year(), today.month(), 1);
    const QDate quarterStart(today.year(), ((today.month() - 1) / 3) * 3 + 1, 1);
    const QDate yearStart(today.year(), 1, 1);
    QString key = name;
    key.replace(QLatin1String("FISCAL_"), QString());
    if (key == u"TODAY")
        return { today, today.addDays(1) };
    if (key == u"YESTERDAY")
        return { today.addDays(-1), today };
    if (key == u"TOMORROW")
        return { today.addDays(1), today.addDays(2) };
    if (key == u"THIS_WEEK")
        return { weekStart, weekStart.addDays(7) };
    if (key == u"LAST_WEEK")
        return { weekStart.addDays(-7), weekStart };
    if (key == u"NEXT_WEEK")
        return { weekStart.addDays(7), weekStart.addDays(14) };
    if (key == u"THIS_MONTH")
        return { monthStart, monthStart.addMonths(1) };
    if (key == u"LAST_MONTH")
        return { monthStart.addMonths(-1), monthStart };
    if (key == u"NEXT_MONTH")
        return { monthStart.addMonths(1), monthStart.addMonths(2) };
    if (key == u"LAST_90_DAYS")
        return { today.addDays(-90), today.addDays(1) };
    if (key == u"NEXT_90_DAYS")
        return { today.addDays(1), today.addDays(91) };
    if (key == u"LAST_N_DAYS")
        return { today.addDays(-n), today.addDays(1) };
    if (key == u"NEXT_N_DAYS")
        return { today.addDays(1), today.addDays(1 + n) };
    if (key == u"N_DAYS_AGO")
        return { today.addDays(-n), today.addDays(-n + 1) };
    if (key == u"LAST_N_WEEKS")
        return { weekStart.addDays(-7 * n), weekStart };
    if (key == u"NEXT_N_WEEKS")
        return { weekStart.addDays(7), weekStart.addDays(7 + 7 * n) };
    if (key == u"N_WEEKS_AGO")
        return { weekStart.addDays(-7 * n), weekStart.addDays(-7 * n + 7) };
    if (key == u"LAST_N_MONTHS")
        return { monthStart.addMonths(-n), monthStart };
    if (key == u"NEXT_N_MONTHS")
        return { monthStart.addMonths(1), monthStart.addMonths(1 + n) };
    if (key == u"N_MONTHS_AGO")
        return { monthStart.addMonths(-n), monthStart.addMonths(-n + 1) };
    if (key == u"THIS_QUARTER")
        return { quarterStart, quarterStart.addMonths(3) };
    if (key == u"LAST_QUARTER")
        return { quarterStart.addMonths(-3), quarterStart };
    if (key == u"NEXT_QUARTER")
        return { quarterStart.addMonths(3), quarterStart.addMonths(6) };
    if (key == u"LAST_N_QUARTERS")
        return { quarterStart.addMonths(-3 * n), quarterStart };
    if (key == u"NEXT_N_QUARTERS")
        return { quarterStart.addMonths(3), quarterStart.addMonths(3 + 3 * n) };
    if (key == u"N_QUARTERS_AGO")
        return { quarterStart.addMonths(-3 * n), quarterStart.addMonths(-3 * n + 3) };
    if (key == u"THIS_YEAR")
        return { yearStart, yearStart.addYears(1) };
    if (key == u"LAST_YEAR")
        return { yearStart.addYears(-1), yearStart };
    if (key == u"NEXT_YEAR")
        return { yearStart.addYears(1), yearStart.addYears(2) };
    if (key == u"LAST_N_YEARS")
        return { yearStart.addYears(-n), yearStart };
    if (key == u"NEXT_N_YEARS")
        return { yearStart.addYears(1), yearStart.addYears(1 + n) };
    if (key == u"N_YEARS_AGO")
        return { yearStart.addYears(-n), yearStart.addYears(-n + 1) };
    return { today, today.addDays(1) };
}

QString escapeLikeText(const QString &s)
{
    QString out;
    for (const QChar c : s) {
        if (c == u'\\' || c == u'%' || c == u'_')
            out += u'\\';
        out += c;
    }
    return out;
}

// A field resolved to SQL: the column expression and the relationship hops leading to it.
struct Hop {
    QString relationshipName;
    const ObjectDef *target = nullptr;
    QString alias;
};
struct Resolved {
    const FieldDef *field = nullptr;
    QString sql;
    std::vector<Hop> hops;
};

// One SELECT statement being built (root, child subquery or semi-join).
struct Scope {
    const ObjectDef *object = nullptr;
    QString alias;
    QString fromAlias;
    QStringList joins;
    QHash<QString, QString> joinAliases; // lower-case relationship chain -> table alias
    QStringList columns;
};

// A compiled value expression on the left of a comparison or in a select/group/order list.
struct Expr {
    QString sql;
    VType type = VType::Text;
    const FieldDef *field = nullptr; // when typed by a field
    bool aggregate = false;
    OutputNode::Kind outKind = OutputNode::Kind::Field;
    Resolved resolved; // for plain fields
};

class Compiler {
public:
    Compiler(const Schema &schema, const QString &soql, const QueryContext &ctx)
        : m_schema(schema)
        , m_soql(soql)
        , m_ctx(ctx)
    {
        const QDateTime now = ctx.now.isValid() ? ctx.now.toUTC() : QDateTime::currentDateTimeUtc();
        m_today = now.date();
    }

    CompiledQuery compileRoot(const Query &query)
    {
        CompiledQuery out;
        compileSelect(query, out, nullptr);
        return out;
    }

private:
    [[noreturn]] void fail(const char *code, const QString &message, const SourcePos &pos) const
    {
        SoqlError e;
        e.code = QString::fromLatin1(code);
        e.message = message;
        e.line = pos.line;
        e.column = pos.column;
        e.offset = pos.offset;
        throw CompileFailure { e };
    }

    QString newAlias() { return QStringLiteral("t%1").arg(m_aliasCounter++); }

    const ObjectDef *resolveObject(const FieldPath &from)
    {
        const ObjectDef *obj = from.parts.size() == 1 ? m_schema.object(from.parts.first()) : nullptr;
        if (!obj || !obj->queryable)
            fail("INVALID_TYPE", soql::unsupportedTypeMessage(from.text()), from.pos);
        return obj;
    }

    Resolved resolve(Scope &scope, const FieldPath &path)
    {
        qsizetype start = 0;
        if (path.parts.size() > 1 && !scope.fromAlias.isEmpty()
            && path.parts.first().compare(scope.fromAlias, Qt::CaseInsensitive) == 0)
            start = 1;
        Resolved r;
        const ObjectDef *obj = scope.object;
        QString alias = scope.alias;
        QString chain;
        for (qsizetype i = start; i + 1 < path.parts.size(); ++i) {
            const FieldDef *rel = obj->fieldByRelationship(path.parts[i]);
            if (!rel || rel->type != u"reference" || rel->referenceTo.isEmpty())
                fail("INVALID_FIELD",
                    QStringLiteral("Didn't understand relationship '%1' in field path. If you are attempting to use a "
                                   "custom relationship, be sure to append the '__r' after the custom relationship "
                                   "name. Please reference your WSDL or the describe call for the appropriate names.")
                        .arg(path.parts[i]),
                    path.pos);
            if (int(r.hops.size()) >= s_maxRelationshipHops)
                fail("MALFORMED_QUERY",
                    QStringLiteral("A driving SObject type can only be followed by %1 levels of relationships")
                        .arg(s_maxRelationshipHops),
                    path.pos);
            const ObjectDef *target = m_schema.object(rel->referenceTo.first());
            if (!target)
                fail("INVALID_FIELD", soql::noSuchColumnMessage(path.parts[i], obj->name), path.pos);
            chain += u'.' + rel->relationshipName.toLower();
            QString joinAlias = scope.joinAliases.value(chain);
            if (joinAlias.isEmpty()) {
                joinAlias = newAlias();
                scope.joinAliases.insert(chain, joinAlias);
                scope.joins << QStringLiteral("LEFT JOIN %1 %2 ON %2.\"Id\" = %3.%4")
                                   .arg(q(target->name), joinAlias, alias, q(rel->name));
            }
            r.hops.push_back(Hop { rel->relationshipName, target, joinAlias });
            obj = target;
            alias = joinAlias;
        }
        const FieldDef *f = obj->field(path.parts.last());
        if (!f)
            fail("INVALID_FIELD", soql::noSuchColumnMessage(path.parts.last(), obj->name), path.pos);
        r.field = f;
        r.sql = alias + u'.' + q(f->name);
        return r;
    }

    static QString datePart(const QString &fn, const QString &col)
    {
        const QString day = QStringLiteral("substr(%1,1,10)").arg(col);
        if (fn == u"CALENDAR_YEAR" || fn == u"FISCAL_YEAR")
            return QStringLiteral("CAST(substr(%1,1,4) AS INTEGER)").arg(col);
        if (fn == u"CALENDAR_MONTH" || fn == u"FISCAL_MONTH")
            return QStringLiteral("CAST(substr(%1,6,2) AS INTEGER)").arg(col);
        if (fn == u"CALENDAR_QUARTER" || fn == u"FISCAL_QUARTER")
            return QStringLiteral("((CAST(substr(%1,6,2) AS INTEGER)+2)/3)").arg(col);
        if (fn == u"DAY_IN_MONTH")
            return QStringLiteral("CAST(substr(%1,9,2) AS INTEGER)").arg(col);
        if (fn == u"DAY_IN_WEEK")
            return QStringLiteral("(CAST(strftime('%w',%1) AS INTEGER)+1)").arg(day);
        if (fn == u"DAY_IN_YEAR")
            return QStringLiteral("CAST(strftime('%j',%1) AS INTEGER)").arg(day);
        if (fn == u"WEEK_IN_YEAR")
            return QStringLiteral("((CAST(strftime('%j',%1) AS INTEGER)-1)/7+1)").arg(day);
        if (fn == u"WEEK_IN_MONTH")
            return QStringLiteral("((CAST(substr(%1,9,2) AS INTEGER)-1)/7+1)").arg(col);
        if (fn == u"HOUR_IN_DAY")
            return QStringLiteral("CAST(substr(%1,12,2) AS INTEGER)").arg(col);
        return day; // DAY_ONLY
    }

    // Compiles a value expression. `aggregates` allows aggregate functions (select list of an
    // aggregate query, HAVING, ORDER BY of an aggregate query).
    Expr compileExpr(Scope &scope, const ValueExpr &v, bool aggregates)
    {
        Expr e;
        if (v.kind == ValueExpr::Kind::Field) {
            e.resolved = resolve(scope, v.field);
            e.sql = e.resolved.sql;
            e.field = e.resolved.field;
            e.type = vtypeOf(*e.field);
            return e;
        }
        if (v.kind == ValueExpr::Kind::Literal)
            fail("MALFORMED_QUERY", QStringLiteral("unexpected token: '%1'").arg(v.literal.text), v.pos);
        const QString &fn = v.function;
        if (isPassThroughFunction(fn)) {
            if (v.args.size() != 1 || v.args[0].kind != ValueExpr::Kind::Field)
                fail("MALFORMED_QUERY", QStringLiteral("unexpected token: '%1'").arg(v.functionSpelling), v.pos);
            return compileExpr(scope, v.args[0], aggregates);
        }
        if (isDateFunction(fn)) {
            if (v.args.size() != 1 || v.args[0].kind != ValueExpr::Kind::Field)
                fail("MALFORMED_QUERY", QStringLiteral("unexpected token: '%1'").arg(v.functionSpelling), v.pos);
            const Expr arg = compileExpr(scope, v.args[0], false);
            if (arg.type != VType::Date && arg.type != VType::DateTime)
                fail("MALFORMED_QUERY",
                    QStringLiteral("%1 can only be applied to date or dateTime fields: %2")
                        .arg(fn, arg.field ? arg.field->name : QString()),
                    v.args[0].pos);
            if ((fn == u"HOUR_IN_DAY" || fn == u"DAY_ONLY") && arg.type != VType::DateTime)
                fail("MALFORMED_QUERY", QStringLiteral("%1 can only be applied to dateTime fields").arg(fn), v.pos);
            e.sql = datePart(fn, arg.sql);
            e.type = fn == u"DAY_ONLY" ? VType::Date : VType::Integer;
            e.outKind = fn == u"DAY_ONLY" ? OutputNode::Kind::Text : OutputNode::Kind::Integer;
            return e;
        }
        if (soql::isAggregateFunction(fn)) {
            if (!aggregates)
                fail("MALFORMED_QUERY", QStringLiteral("Aggregate functions are not allowed in this context"), v.pos);
            e.aggregate = true;
            if (fn == u"COUNT" && v.args.empty()) {
                e.sql = QStringLiteral("COUNT(*)");
                e.type = VType::Integer;
                e.outKind = OutputNode::Kind::Integer;
                return e;
            }
            if (v.args.size() != 1 || v.args[0].kind != ValueExpr::Kind::Field)
                fail("MALFORMED_QUERY", QStringLiteral("unexpected token: '%1'").arg(v.functionSpelling), v.pos);
            const Expr arg = compileExpr(scope, v.args[0], false);
            if (fn == u"COUNT") {
                e.sql = QStringLiteral("COUNT(%1)").arg(arg.sql);
                e.type = VType::Integer;
                e.outKind = OutputNode::Kind::Integer;
            } else if (fn == u"COUNT_DISTINCT") {
                e.sql = QStringLiteral("COUNT(DISTINCT %1%2)")
                            .arg(arg.sql, arg.type == VType::Text ? QStringLiteral(" COLLATE FS_CI") : QString());
                e.type = VType::Integer;
                e.outKind = OutputNode::Kind::Integer;
            } else if (fn == u"SUM" || fn == u"AVG") {
                if (arg.type != VType::Integer && arg.type != VType::Double)
                    fail("MALFORMED_QUERY",
                        QStringLiteral("field %1 does not support aggregate operator %2").arg(arg.field->name, fn),
                        v.args[0].pos);
                e.sql = QStringLiteral("%1(%2)").arg(fn == u"SUM" ? QStringLiteral("TOTAL") : QStringLiteral("AVG"), arg.sql);
                if (fn == u"SUM")
                    e.sql = QStringLiteral("CASE WHEN COUNT(%1) = 0 THEN NULL ELSE TOTAL(%1) END").arg(arg.sql);
                e.type = VType::Double;
                e.outKind = OutputNode::Kind::Double;
            } else { // MIN, MAX
                if (arg.type == VType::MultiPicklist || arg.type == VType::Boolean)
                    fail("MALFORMED_QUERY",
                        QStringLiteral("field %1 does not support aggregate operator %2").arg(arg.field->name, fn),
                        v.args[0].pos);
                e.sql = QStringLiteral("%1(%2)").arg(fn, arg.sql);
                e.type = arg.type;
                e.field = arg.field;
                e.outKind = OutputNode::Kind::Field;
            }
            return e;
        }
        fail("MALFORMED_QUERY", QStringLiteral("unexpected token: '%1'").arg(v.functionSpelling), v.pos);
    }

    static QString noCase(VType t) { return t == VType::Text ? QStringLiteral(" COLLATE FS_CI") : QString(); }

    // Converts a literal for comparison with a value of type `t` (not DateLiteral, not Null).
    QVariant bindValue(const Literal &lit, VType t, const QString &fieldName)
    {
        auto mismatch = [&]() { failMismatch(lit, t, fieldName); };
        switch (t) {
        case VType::Text:
        case VType::MultiPicklist:
            if (lit.kind != Literal::Kind::String)
                mismatch();
            return lit.string;
        case VType::Id: {
            if (lit.kind != Literal::Kind::String)
                mismatch();
            const QString id = Store::normalizeId(lit.string);
            if (id.isEmpty())
                fail("INVALID_QUERY_FILTER_OPERATOR", QStringLiteral("invalid ID field: %1").arg(lit.string), lit.pos);
            return id;
        }
        case VType::Boolean:
            if (lit.kind != Literal::Kind::Boolean)
                mismatch();
            return lit.boolean ? 1 : 0;
        case VType::Integer:
        case VType::Double:
            if (lit.kind == Literal::Kind::Integer)
                return lit.integer;
            if (lit.kind == Literal::Kind::Decimal || lit.kind == Literal::Kind::Currency)
                return lit.number;
            failMismatch(lit, t, fieldName);
        case VType::Date:
            if (lit.kind != Literal::Kind::Date)
                mismatch();
            return lit.date.toString(Qt::ISODate);
        case VType::DateTime:
            if (lit.kind != Literal::Kind::DateTime)
                mismatch();
            return Store::formatDateTime(lit.dateTime);
        }
        failMismatch(lit, t, fieldName);
    }

    [[noreturn]] void failMismatch(const Literal &lit, VType t, const QString &fieldName) const
    {
        const bool quoted = t == VType::Text || t == VType::Id || t == VType::MultiPicklist;
        fail("MALFORMED_QUERY",
            QStringLiteral("value of filter criterion for field '%1' must be of type %2 and should %3be enclosed in quotes")
                .arg(fieldName, vtypeName(t), quoted ? QString() : QStringLiteral("not ")),
            lit.pos);
    }

    QString rangeBound(QDate d, VType t) const
    {
        if (t == VType::DateTime)
            return Store::formatDateTime(QDateTime(d, QTime(0, 0), Qt::UTC));
        return d.toString(Qt::ISODate);
    }

    QString bind(const QVariant &v)
    {
        m_binds << v;
        return QStringLiteral("?");
    }

    QString compileRelative(const QString &lhs, Condition::Op op, const Literal &lit, VType t, const QString &fieldName)
    {
        if (t != VType::Date && t != VType::DateTime)
            fail("MALFORMED_QUERY",
                QStringLiteral("value of filter criterion for field '%1' must be of type %2 and should not be enclosed in quotes")
                    .arg(fieldName, vtypeName(t)),
                lit.pos);
        const auto [from, to] = relativeRange(lit.dateLiteral, lit.integer, m_today);
        // Bind in textual order: the placeholders below appear start-then-end.
        const QString s = rangeBound(from, t);
        const QString e = rangeBound(to, t);
        auto both = [&](const char *pattern) {
            const QString ps = bind(s);
            const QString pe = bind(e);
            return QString::fromLatin1(pattern).arg(lhs, ps, pe);
        };
        switch (op) {
        case Condition::Op::Eq:
        case Condition::Op::In:
            return both("(%1 >= %2 AND %1 < %3)");
        case Condition::Op::Ne:
        case Condition::Op::NotIn:
            return both("(%1 IS NULL OR %1 < %2 OR %1 >= %3)");
        case Condition::Op::Lt:
            return QStringLiteral("(%1 < %2)").arg(lhs, bind(s));
        case Condition::Op::Le:
            return QStringLiteral("(%1 < %2)").arg(lhs, bind(e));
        case Condition::Op::Gt:
            return QStringLiteral("(%1 >= %2)").arg(lhs, bind(e));
        case Condition::Op::Ge:
            return QStringLiteral("(%1 >= %2)").arg(lhs, bind(s));
        default:
            fail("INVALID_QUERY_FILTER_OPERATOR", QStringLiteral("invalid operator on date field"), lit.pos);
        }
    }

    QString compileCondition(Scope &scope, const Condition &c, bool having)
    {
        switch (c.kind) {
        case Condition::Kind::And:
        case Condition::Kind::Or: {
            QStringList parts;
            for (const Condition &child : c.children)
                parts << compileCondition(scope, child, having);
            return u'(' + parts.join(c.kind == Condition::Kind::And ? QLatin1String(" AND ") : QLatin1String(" OR ")) + u')';
        }
        case Condition::Kind::Not:
            return QStringLiteral("(NOT IFNULL(%1, 0))").arg(compileCondition(scope, c.children.front(), having));
        case Condition::Kind::Comparison:
            return compileComparison(scope, c, having);
        }
        return QStringLiteral("1");
    }

    QString compileComparison(Scope &scope, const Condition &c, bool having)
    {
        const Expr lhsExpr = compileExpr(scope, c.lhs, having);
        if (!having && lhsExpr.aggregate)
            fail("MALFORMED_QUERY", QStringLiteral("Aggregate functions are not allowed in WHERE"), c.lhs.pos);
        const QString lhs = lhsExpr.sql;
        const VType t = lhsExpr.type;
        const QString fieldName = lhsExpr.field ? lhsExpr.field->name : c.lhs.function;
        if (lhsExpr.field && !lhsExpr.aggregate && !lhsExpr.field->filterable)
            fail("INVALID_FIELD",
                QStringLiteral("field '%1' can not be filtered in a query call").arg(lhsExpr.field->name), c.lhs.pos);
        const QString typeName = lhsExpr.field ? lhsExpr.field->type : vtypeName(t);
        auto badOperator = [&]() {
            fail("INVALID_QUERY_FILTER_OPERATOR", QStringLiteral("invalid operator on %1 field").arg(typeName), c.opPos);
        };
        switch (c.op) {
        case Condition::Op::Eq:
        case Condition::Op::Ne:
        case Condition::Op::Lt:
        case Condition::Op::Le:
        case Condition::Op::Gt:
        case Condition::Op::Ge: {
            const Literal &lit = c.values.front();
            const bool ordering = c.op != Condition::Op::Eq && c.op != Condition::Op::Ne;
            if (ordering && (t == VType::MultiPicklist || t == VType::Boolean))
                badOperator();
            if (lit.kind == Literal::Kind::Null) {
                if (c.op == Condition::Op::Eq)
                    return QStringLiteral("(%1 IS NULL)").arg(lhs);
                if (c.op == Condition::Op::Ne)
                    return QStringLiteral("(%1 IS NOT NULL)").arg(lhs);
                return QStringLiteral("0");
            }
            if (lit.kind == Literal::Kind::DateLiteral)
                return compileRelative(lhs, c.op, lit, t, fieldName);
            const QVariant value = bindValue(lit, t, fieldName);
            const QString nc = noCase(t);
            switch (c.op) {
            case Condition::Op::Eq:
                return QStringLiteral("(%1 = %2%3)").arg(lhs, bind(value), nc);
            case Condition::Op::Ne:
                return QStringLiteral("(%1 IS NULL OR %1 <> %2%3)").arg(lhs, bind(value), nc);
            default:
                return QStringLiteral("(%1 %2 %3%4)").arg(lhs, soql::opText(c.op), bind(value), nc);
            }
        }
        case Condition::Op::Like: {
            if (t != VType::Text && t != VType::Id)
                badOperator();
            const Literal &lit = c.values.front();
            if (lit.kind != Literal::Kind::String)
                fail("MALFORMED_QUERY",
                    QStringLiteral("value of filter criterion for field '%1' must be of type string and should be "
                                   "enclosed in quotes")
                        .arg(fieldName),
                    lit.pos);
            return QStringLiteral("(%1 LIKE %2 ESCAPE '\\')").arg(lhs, bind(lit.likePattern));
        }
        case Condition::Op::In:
        case Condition::Op::NotIn: {
            const bool negate = c.op == Condition::Op::NotIn;
            if (t == VType::Boolean)
                badOperator();
            if (c.subquery)
                return compileSemiJoin(lhs, lhsExpr, c, negate);
            QStringList placeholders;
            QStringList ranges;
            bool hasNull = false;
            // Bind plain values first, then ranges: the SQL below lists them in that order.
            for (const Literal &lit : c.values) {
                if (lit.kind == Literal::Kind::Null)
                    hasNull = true;
                else if (lit.kind != Literal::Kind::DateLiteral)
                    placeholders << bind(bindValue(lit, t, fieldName));
            }
            for (const Literal &lit : c.values) {
                if (lit.kind == Literal::Kind::DateLiteral)
                    ranges << compileRelative(lhs, Condition::Op::Eq, lit, t, fieldName);
            }
            QStringList alternatives;
            if (!placeholders.isEmpty())
                alternatives << QStringLiteral("%1%2 IN (%3)").arg(lhs, noCase(t), placeholders.join(u','));
            alternatives << ranges;
            if (hasNull)
                alternatives << QStringLiteral("%1 IS NULL").arg(lhs);
            const QString any = u'(' + alternatives.join(QLatin1String(" OR ")) + u')';
            if (!negate)
                return any;
            return QStringLiteral("(NOT IFNULL(%1, 0))").arg(any);
        }
        case Condition::Op::Includes:
        case Condition::Op::Excludes: {
            if (t != VType::MultiPicklist)
                fail("INVALID_QUERY_FILTER_OPERATOR",
                    QStringLiteral("includes or excludes operator only valid on multipicklist field"), c.opPos);
            QStringList anyOf;
            for (const Literal &lit : c.values) {
                if (lit.kind != Literal::Kind::String)
                    fail("MALFORMED_QUERY",
                        QStringLiteral("value of filter criterion for field '%1' must be of type string and should be "
                                       "enclosed in quotes")
                            .arg(fieldName),
                        lit.pos);
                QStringList allOf;
                const QStringList parts = lit.string.split(u';');
                for (const QString &part : parts) {
                    const QString p = part.trimmed();
                    if (p.isEmpty())
                        continue;
                    allOf << QStringLiteral("(';' || %1 || ';' LIKE %2 ESCAPE '\\')")
                                 .arg(lhs, bind(QStringLiteral("%;") + escapeLikeText(p) + QStringLiteral(";%")));
                }
                if (!allOf.isEmpty())
                    anyOf << u'(' + allOf.join(QLatin1String(" AND ")) + u')';
            }
            if (anyOf.isEmpty())
                anyOf << QStringLiteral("0");
            const QString inc = QStringLiteral("(%1 IS NOT NULL AND (%2))").arg(lhs, anyOf.join(QLatin1String(" OR ")));
            if (c.op == Condition::Op::Includes)
                return inc;
            return QStringLiteral("(NOT %1)").arg(inc);
        }
        }
        return QStringLiteral("1");
    }

    QString compileSemiJoin(const QString &lhs, const Expr &lhsExpr, const Condition &c, bool negate)
    {
        if (lhsExpr.type != VType::Id)
            fail("MALFORMED_QUERY",
                QStringLiteral("semi join sub-selects are only allowed on ID or reference fields"), c.lhs.pos);
        const Query &sub = *c.subquery;
        Scope scope;
        scope.object = resolveObject(sub.from);
        scope.alias = newAlias();
        scope.fromAlias = sub.fromAlias;
        if (sub.select.size() != 1 || sub.select.front().kind != SelectItem::Kind::Value
            || sub.select.front().value.kind != ValueExpr::Kind::Field)
            fail("MALFORMED_QUERY", QStringLiteral("semi join sub-selects must select exactly one ID field"), sub.pos);
        const Expr inner = compileExpr(scope, sub.select.front().value, false);
        if (inner.type != VType::Id)
            fail("MALFORMED_QUERY", QStringLiteral("semi join sub-selects can only select ID or reference fields"),
                sub.select.front().pos);
        if (!sub.groupBy.empty() || sub.having || sub.offset || !sub.orderBy.empty())
            fail("MALFORMED_QUERY", QStringLiteral("semi join sub-selects cannot use GROUP BY, ORDER BY or OFFSET"), sub.pos);
        QStringList where;
        if (!m_ctx.includeDeleted && scope.object->hasField(QStringLiteral("IsDeleted")))
            where << QStringLiteral("%1.\"IsDeleted\" = 0").arg(scope.alias);
        where << QStringLiteral("%1 IS NOT NULL").arg(inner.sql);
        if (sub.where)
            where << compileCondition(scope, *sub.where, false);
        QString sql = QStringLiteral("SELECT %1 FROM %2 %3").arg(inner.sql, q(scope.object->name), scope.alias);
        if (!scope.joins.isEmpty())
            sql += u' ' + scope.joins.join(u' ');
        sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
        if (sub.limit)
            sql += QStringLiteral(" LIMIT %1").arg(*sub.limit);
        if (negate)
            return QStringLiteral("(%1 IS NULL OR %1 NOT IN (%2))").arg(lhs, sql);
        return QStringLiteral("(%1 IN (%2))").arg(lhs, sql);
    }

    static int addColumn(Scope &scope, const QString &expr)
    {
        scope.columns << expr;
        return int(scope.columns.size() - 1);
    }

    void addFieldOutput(Scope &scope, std::vector<OutputNode> &output, const Resolved &r)
    {
        std::vector<OutputNode> *nodes = &output;
        for (const Hop &hop : r.hops) {
            auto it = std::find_if(nodes->begin(), nodes->end(), [&](const OutputNode &n) {
                return n.kind == OutputNode::Kind::Parent && n.key == hop.relationshipName;
            });
            if (it == nodes->end()) {
                OutputNode parent;
                parent.kind = OutputNode::Kind::Parent;
                parent.key = hop.relationshipName;
                parent.object = hop.target;
                parent.column = addColumn(scope, hop.alias + QStringLiteral(".\"Id\""));
                nodes->push_back(std::move(parent));
                it = nodes->end() - 1;
            }
            nodes = &it->children;
        }
        OutputNode leaf;
        leaf.kind = OutputNode::Kind::Field;
        leaf.key = r.field->name;
        leaf.field = r.field;
        leaf.column = addColumn(scope, r.sql);
        nodes->push_back(std::move(leaf));
    }

    QString orderSql(Scope &scope, const std::vector<OrderItem> &items, bool aggregates,
        const QStringList &groupSql = {})
    {
        QStringList parts;
        for (const OrderItem &item : items) {
            const Expr e = compileExpr(scope, item.value, aggregates);
            if (e.field && !e.aggregate && !e.field->sortable)
                fail("INVALID_FIELD", QStringLiteral("field '%1' can not be sorted in a query call").arg(e.field->name),
                    item.value.pos);
            if (aggregates && !e.aggregate && !groupSql.contains(e.sql))
                fail("MALFORMED_QUERY",
                    QStringLiteral("Ordered field must be grouped or aggregated: %1")
                        .arg(e.field ? e.field->name : item.value.function),
                    item.value.pos);
            const bool nullsFirst = item.nullsFirst.value_or(item.ascending);
            parts << QStringLiteral("%1%2 %3 NULLS %4")
                         .arg(e.sql, noCase(e.type), item.ascending ? QStringLiteral("ASC") : QStringLiteral("DESC"),
                             nullsFirst ? QStringLiteral("FIRST") : QStringLiteral("LAST"));
        }
        return parts.join(QLatin1String(", "));
    }

    void checkLimitOffset(const Query &query)
    {
        if (query.offset && *query.offset > s_maxOffset)
            fail("NUMBER_OUTSIDE_VALID_RANGE", QStringLiteral("Maximum SOQL offset allowed is %1").arg(s_maxOffset),
                query.offsetPos);
    }

    QString limitSql(const Query &query)
    {
        QString sql;
        if (query.limit || query.offset)
            sql += QStringLiteral(" LIMIT %1").arg(bind(query.limit ? *query.limit : qint64(-1)));
        if (query.offset)
            sql += QStringLiteral(" OFFSET %1").arg(bind(*query.offset));
        return sql;
    }

    QString sourceText(const SourcePos &first, const SourcePos &last) const
    {
        return m_soql.mid(first.offset, last.offset + last.length - first.offset);
    }

    // The child subquery `sub` rewritten as a top-level statement over the child object, filtered
    // on the relationship field, from the user's own text for the select list, WHERE and ORDER BY
    // (so grand-child subqueries, semi-joins and literals stay exactly as written).
    void setRootedSoql(const Query &sub, const ChildRelDef &rel, CompiledQuery &child) const
    {
        QString head = QStringLiteral("SELECT ") + sourceText(sub.select.front().pos, sub.select.back().pos)
            + QStringLiteral(" FROM ") + child.object->name;
        if (!sub.fromAlias.isEmpty())
            head += u' ' + sub.fromAlias;
        if (!sub.usingScope.isEmpty())
            head += QStringLiteral(" USING SCOPE ") + sub.usingScope;
        head += QStringLiteral(" WHERE ") + rel.field + QStringLiteral(" = ");
        QString tail;
        if (sub.where)
            tail += QStringLiteral(" AND (") + sourceText(sub.where->pos, sub.where->pos) + u')';
        if (!sub.withClause.isEmpty())
            tail += QStringLiteral(" WITH ") + sub.withClause;
        if (!sub.orderBy.empty())
            tail += QStringLiteral(" ORDER BY ") + sourceText(sub.orderBy.front().pos, sub.orderBy.back().pos);
        if (sub.limit)
            tail += QStringLiteral(" LIMIT ") + QString::number(*sub.limit);
        child.rootedSoqlHead = head;
        child.rootedSoqlTail = tail;
    }

    // Whether the request's API version (e.g. "57.0") is 58.0 or later; unparsable counts as current.
    bool nestedSubqueriesAllowed() const
    {
        const QString &v = m_ctx.apiVersion;
        bool ok = false;
        const int major = QStringView(v).left(v.indexOf(u'.') < 0 ? v.size() : v.indexOf(u'.')).toInt(&ok);
        return !ok || major >= 58;
    }

    // Compiles `query` into `out`. `childRel` is set for a parent-to-child subquery.
    void compileSelect(const Query &query, CompiledQuery &out, const ChildRelDef *childRel)
    {
        Scope scope;
        scope.object = childRel ? m_schema.object(childRel->childSObject) : resolveObject(query.from);
        if (!scope.object)
            fail("INVALID_TYPE", soql::unsupportedTypeMessage(query.from.text()), query.from.pos);
        scope.alias = newAlias();
        scope.fromAlias = query.fromAlias;
        out.object = scope.object;
        const QVariantList outerBinds = std::exchange(m_binds, {});
        if (childRel)
            m_binds << QVariant(); // placeholder for the parent id, bound per parent row

        checkLimitOffset(query);
        if (childRel && query.offset)
            fail("MALFORMED_QUERY", QStringLiteral("OFFSET is not supported in subqueries"), query.offsetPos);

        // COUNT() alone.
        bool countOnly = false;
        for (const SelectItem &item : query.select) {
            if (item.kind == SelectItem::Kind::Value && item.value.kind == ValueExpr::Kind::Call
                && item.value.function == u"COUNT" && item.value.args.empty()) {
                countOnly = true;
                if (query.select.size() != 1)
                    fail("MALFORMED_QUERY", QStringLiteral("COUNT() must be the only element in the SELECT list"),
                        item.pos);
                if (!item.alias.isEmpty())
                    fail("MALFORMED_QUERY", QStringLiteral("unexpected token: '%1'").arg(item.alias), item.aliasPos);
            }
        }
        if (countOnly && childRel)
            fail("MALFORMED_QUERY", QStringLiteral("COUNT() is not supported in subqueries"), query.pos);
        const bool aggregate = !countOnly && query.hasAggregates();
        if (aggregate && childRel)
            fail("MALFORMED_QUERY", QStringLiteral("Aggregate functions are not supported in subqueries"), query.pos);
        out.countOnly = countOnly;
        out.aggregate = aggregate;

        // GROUP BY first, so the select list can be checked against it.
        QStringList groupSql;
        if (!query.groupByModifier.isEmpty())
            fail("MALFORMED_QUERY",
                QStringLiteral("GROUP BY %1 is not supported by this simulated org").arg(query.groupByModifier),
                query.groupByPos);
        for (const ValueExpr &g : query.groupBy) {
            const Expr e = compileExpr(scope, g, false);
            if (e.field && e.outKind == OutputNode::Kind::Field && !e.field->groupable)
                fail("MALFORMED_QUERY", QStringLiteral("field '%1' can not be grouped in a query call").arg(e.field->name),
                    g.pos);
            groupSql << e.sql;
        }

        // SELECT list.
        QSet<QString> seen;
        int exprIndex = 0;
        if (!countOnly && !aggregate)
            out.idColumn = addColumn(scope, scope.alias + QStringLiteral(".\"Id\""));
        for (const SelectItem &item : query.select) {
            if (countOnly)
                break;
            switch (item.kind) {
            case SelectItem::Kind::TypeOf:
                fail("MALFORMED_QUERY", QStringLiteral("TYPEOF is not supported by this simulated org"), item.pos);
            case SelectItem::Kind::Fields: {
                if (aggregate)
                    fail("MALFORMED_QUERY", QStringLiteral("FIELDS() cannot be used in aggregate queries"), item.pos);
                if (item.fieldsGroup != u"STANDARD" && (!query.limit || *query.limit > s_maxFieldsLimit))
                    fail("MALFORMED_QUERY",
                        QStringLiteral("The SOQL FIELDS function must have a LIMIT of at most %1").arg(s_maxFieldsLimit),
                        item.pos);
                for (const FieldDef &f : scope.object->fields) {
                    const bool take = item.fieldsGroup == u"ALL" || (item.fieldsGroup == u"CUSTOM") == f.custom;
                    if (!take || seen.contains(f.name.toLower()))
                        continue;
                    seen.insert(f.name.toLower());
                    Resolved r;
                    r.field = &f;
                    r.sql = scope.alias + u'.' + q(f.name);
                    addFieldOutput(scope, out.output, r);
                }
                break;
            }
            case SelectItem::Kind::Subquery: {
                if (aggregate)
                    fail("MALFORMED_QUERY", QStringLiteral("Subqueries cannot be used in aggregate queries"), item.pos);
                // Before API 58.0 a subquery could not hold another one; from 58.0 the parser allows
                // five levels (root included).
                if (childRel && !nestedSubqueriesAllowed())
                    fail("MALFORMED_QUERY",
                        QStringLiteral("SOQL statements cannot query aggregate relationships more than 1 level away "
                                       "from the root entity object."),
                        item.pos);
                const Query &sub = *item.subquery;
                const ChildRelDef *rel = sub.from.parts.size() == 1
                    ? scope.object->childRelationship(sub.from.parts.first())
                    : nullptr;
                if (!rel)
                    fail("INVALID_TYPE",
                        QStringLiteral("Didn't understand relationship '%1' in FROM part of query call. If you are "
                                       "attempting to use a custom relationship, be sure to append the '__r' after the "
                                       "custom relationship name. Please reference your WSDL or the describe call for "
                                       "the appropriate names.")
                            .arg(sub.from.text()),
                        sub.from.pos);
                if (seen.contains(rel->relationshipName.toLower()))
                    fail("MALFORMED_QUERY", QStringLiteral("duplicate field selected: %1").arg(rel->relationshipName),
                        item.pos);
                seen.insert(rel->relationshipName.toLower());
                auto child = std::make_shared<CompiledQuery>();
                compileSelect(sub, *child, rel);
                setRootedSoql(sub, *rel, *child);
                OutputNode node;
                node.kind = OutputNode::Kind::Child;
                node.key = rel->relationshipName;
                node.childPlan = int(out.children.size());
                out.children.push_back(child);
                out.output.push_back(std::move(node));
                break;
            }
            case SelectItem::Kind::Value: {
                const Expr e = compileExpr(scope, item.value, aggregate);
                if (!aggregate) {
                    if (!item.alias.isEmpty())
                        fail("MALFORMED_QUERY", QStringLiteral("Only aggregate expressions use field aliasing"),
                            item.aliasPos);
                    if (item.value.kind == ValueExpr::Kind::Call && !isPassThroughFunction(item.value.function))
                        fail("MALFORMED_QUERY",
                            QStringLiteral("%1 can only be used in aggregate queries").arg(item.value.functionSpelling),
                            item.value.pos);
                    const QString key = e.resolved.sql.toLower();
                    if (seen.contains(key))
                        fail("MALFORMED_QUERY",
                            QStringLiteral("duplicate field selected: %1").arg(item.value.kind == ValueExpr::Kind::Field
                                    ? item.value.field.text()
                                    : item.value.args.front().field.text()),
                            item.pos);
                    seen.insert(key);
                    addFieldOutput(scope, out.output, e.resolved);
                    break;
                }
                OutputNode node;
                node.column = addColumn(scope, e.sql);
                if (e.aggregate || (item.value.kind == ValueExpr::Kind::Call && !isPassThroughFunction(item.value.function))) {
                    if (!e.aggregate && !groupSql.contains(e.sql))
                        fail("MALFORMED_QUERY",
                            QStringLiteral("Field must be grouped or aggregated: %1").arg(item.value.functionSpelling),
                            item.pos);
                    node.key = item.alias.isEmpty() ? QStringLiteral("expr%1").arg(exprIndex++) : item.alias;
                    node.kind = e.outKind;
                    node.field = e.field;
                } else {
                    if (!groupSql.contains(e.sql))
                        fail("MALFORMED_QUERY",
                            QStringLiteral("Field must be grouped or aggregated: %1").arg(e.field->name), item.pos);
                    node.key = item.alias.isEmpty() ? e.field->name : item.alias;
                    node.kind = OutputNode::Kind::Field;
                    node.field = e.field;
                }
                for (const OutputNode &existing : out.output) {
                    if (existing.key.compare(node.key, Qt::CaseInsensitive) == 0)
                        fail("MALFORMED_QUERY", QStringLiteral("duplicate alias: %1").arg(node.key),
                            item.alias.isEmpty() ? item.pos : item.aliasPos);
                }
                out.output.push_back(std::move(node));
                break;
            }
            }
        }

        // WHERE.
        QStringList where;
        if (childRel)
            where << QStringLiteral("%1.%2 = ?").arg(scope.alias, q(childRel->field));
        if (!m_ctx.includeDeleted && scope.object->hasField(QStringLiteral("IsDeleted")))
            where << QStringLiteral("%1.\"IsDeleted\" = 0").arg(scope.alias);
        if (query.where)
            where << compileCondition(scope, *query.where, false);

        QString having;
        if (query.having) {
            if (!aggregate)
                fail("MALFORMED_QUERY", QStringLiteral("HAVING can only be used in aggregate queries"), query.having->pos);
            having = compileCondition(scope, *query.having, true);
        }
        QString order;
        if (!query.orderBy.empty()) {
            if (countOnly)
                fail("MALFORMED_QUERY", QStringLiteral("ORDER BY cannot be used with COUNT()"), query.orderBy.front().pos);
            order = orderSql(scope, query.orderBy, aggregate, groupSql);
        }

        QString sql = QStringLiteral("SELECT ")
            + (scope.columns.isEmpty() ? QStringLiteral("1") : scope.columns.join(QLatin1String(", ")))
            + QStringLiteral(" FROM ") + q(scope.object->name) + u' ' + scope.alias;
        if (!scope.joins.isEmpty())
            sql += u' ' + scope.joins.join(u' ');
        if (!where.isEmpty())
            sql += QStringLiteral(" WHERE ") + where.join(QLatin1String(" AND "));
        if (!groupSql.isEmpty())
            sql += QStringLiteral(" GROUP BY ") + groupSql.join(QLatin1String(", "));
        if (!having.isEmpty())
            sql += QStringLiteral(" HAVING ") + having;
        if (!order.isEmpty())
            sql += QStringLiteral(" ORDER BY ") + order;
        if (!aggregate && !countOnly)
            sql += (order.isEmpty() ? QStringLiteral(" ORDER BY ") : QStringLiteral(", ")) + scope.alias
                + QStringLiteral(".rowid");
        else if (aggregate && order.isEmpty() && !groupSql.isEmpty())
            sql += QStringLiteral(" ORDER BY ") + groupSql.join(QLatin1String(", "));
        sql += limitSql(query);

        out.sql = sql;
        out.countSql = QStringLiteral("SELECT COUNT(*) FROM (%1)").arg(sql);
        out.binds = std::exchange(m_binds, outerBinds);
    }

    const Schema &m_schema;
    QString m_soql;
    const QueryContext &m_ctx;
    QDate m_today;
    int m_aliasCounter = 0;
    QVariantList m_binds;
};

} // namespace

std::optional<CompiledQuery> QueryCompiler::compile(const Schema &schema, const QString &soql, const QueryContext &ctx,
    SoqlError *error)
{
    const soql::ParseResult parsed = soql::parse(soql);
    if (!parsed.ok()) {
        if (error)
            *error = parsed.error;
        return std::nullopt;
    }
    try {
        Compiler compiler(schema, soql, ctx);
        return compiler.compileRoot(*parsed.query);
    } catch (const CompileFailure &f) {
        if (error)
            *error = f.error;
        return std::nullopt;
    }
}

} // namespace fs::sim
