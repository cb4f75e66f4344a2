#include "ast.h"

namespace fs::soql {

bool isAggregateFunction(const QString &upperName)
{
    return upperName == u"COUNT" || upperName == u"COUNT_DISTINCT" || upperName == u"SUM" || upperName == u"AVG"
        || upperName == u"MIN" || upperName == u"MAX";
}

bool ValueExpr::isAggregate() const
{
    if (kind != Kind::Call)
        return false;
    if (isAggregateFunction(function))
        return true;
    for (const auto &a : args) {
        if (a.isAggregate())
            return true;
    }
    return false;
}

bool Query::hasAggregates() const
{
    if (!groupBy.empty())
        return true;
    for (const auto &item : select) {
        if (item.kind == SelectItem::Kind::Value && item.value.isAggregate())
            return true;
    }
    return false;
}

QString opText(Condition::Op op)
{
    switch (op) {
    case Condition::Op::Eq:
        return QStringLiteral("=");
    case Condition::Op::Ne:
        return QStringLiteral("!=");
    case Condition::Op::Lt:
        return QStringLiteral("<");
    case Condition::Op::Le:
        return QStringLiteral("<=");
    case Condition::Op::Gt:
        return QStringLiteral(">");
    case Condition::Op::Ge:
        return QStringLiteral(">=");
    case Condition::Op::Like:
        return QStringLiteral("LIKE");
    case Condition::Op::In:
        return QStringLiteral("IN");
    case Condition::Op::NotIn:
        return QStringLiteral("NOT IN");
    case Condition::Op::Includes:
        return QStringLiteral("INCLUDES");
    case Condition::Op::Excludes:
        return QStringLiteral("EXCLUDES");
    }
    return {};
}

} // namespace fs::soql
