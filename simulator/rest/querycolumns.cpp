#include "querycolumns.h"

#include "query/querycompiler.h"
#include "rest/extrasupport.h"
#include "store/schema.h"

#include <soql/parser.h>
#include <soql/soqlerror.h>

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

namespace fs::sim {

namespace {

// The Apex type Salesforce reports for a field's describe type.
QString apexType(const FieldDef &field)
{
    const QString &t = field.type;
    if (t == u"id" || t == u"reference")
        return QStringLiteral("Id");
    if (t == u"boolean")
        return QStringLiteral("Boolean");
    if (t == u"int")
        return QStringLiteral("Integer");
    if (t == u"double" || t == u"currency" || t == u"percent")
        return QStringLiteral("Double");
    if (t == u"date")
        return QStringLiteral("Date");
    if (t == u"datetime")
        return QStringLiteral("Datetime");
    if (t == u"time")
        return QStringLiteral("Time");
    if (t == u"base64")
        return QStringLiteral("Blob");
    if (t == u"address")
        return QStringLiteral("Address");
    if (t == u"location")
        return QStringLiteral("Location");
    return QStringLiteral("String");
}

QJsonObject column(const QString &name, const QString &displayName, bool aggregate)
{
    return QJsonObject {
        { QStringLiteral("aggregate"), aggregate },
        { QStringLiteral("apexType"), QJsonValue::Null },
        { QStringLiteral("booleanType"), false },
        { QStringLiteral("columnName"), name },
        { QStringLiteral("custom"), false },
        { QStringLiteral("displayName"), displayName },
        { QStringLiteral("foreignKeyName"), QJsonValue::Null },
        { QStringLiteral("insertable"), false },
        { QStringLiteral("joinColumns"), QJsonArray {} },
        { QStringLiteral("numberType"), false },
        { QStringLiteral("textType"), false },
        { QStringLiteral("updatable"), false },
    };
}

QJsonObject fieldColumn(const QString &name, const FieldDef &field)
{
    QJsonObject c = column(name, name, false);
    const QString apex = apexType(field);
    c.insert(QStringLiteral("apexType"), apex);
    c.insert(QStringLiteral("booleanType"), apex == u"Boolean");
    c.insert(QStringLiteral("numberType"), apex == u"Integer" || apex == u"Double");
    c.insert(QStringLiteral("textType"), apex == u"String");
    c.insert(QStringLiteral("custom"), field.custom);
    c.insert(QStringLiteral("insertable"), field.createable);
    c.insert(QStringLiteral("updatable"), field.updateable);
    return c;
}

// How each aggregate output key (expr0…, or the alias) reads in the query: avg(Amount).
QHash<QString, QString> aggregateDisplayNames(const soql::Query &query)
{
    QHash<QString, QString> names;
    int unaliased = 0;
    for (const soql::SelectItem &item : query.select) {
        if (item.kind != soql::SelectItem::Kind::Value || item.value.kind != soql::ValueExpr::Kind::Call)
            continue;
        QStringList args;
        for (const soql::ValueExpr &arg : item.value.args)
            args << (arg.kind == soql::ValueExpr::Kind::Field ? arg.field.text() : arg.literal.text);
        const QString display = item.value.functionSpelling.toLower() + u'(' + args.join(QStringLiteral(", ")) + u')';
        const QString key = item.alias.isEmpty() && item.value.isAggregate() ? QStringLiteral("expr%1").arg(unaliased++) : item.alias;
        if (!key.isEmpty())
            names.insert(key.toLower(), display);
    }
    return names;
}

struct ColumnWriter {
    QHash<QString, QString> aggregateNames;

    QJsonArray columns(const std::vector<OutputNode> &nodes, const ObjectDef &object, const CompiledQuery &plan) const
    {
        QJsonArray out;
        for (const OutputNode &node : nodes)
            out.append(columnOf(node, object, plan));
        return out;
    }

    QJsonObject columnOf(const OutputNode &node, const ObjectDef &object, const CompiledQuery &plan) const
    {
        switch (node.kind) {
        case OutputNode::Kind::Field:
            return node.field ? fieldColumn(node.key, *node.field) : column(node.key, node.key, false);
        case OutputNode::Kind::Parent: {
            QJsonObject c = column(node.key, node.key, false);
            if (const FieldDef *lookup = object.fieldByRelationship(node.key))
                c.insert(QStringLiteral("foreignKeyName"), lookup->name);
            if (node.object)
                c.insert(QStringLiteral("joinColumns"), columns(node.children, *node.object, plan));
            return c;
        }
        case OutputNode::Kind::Child: {
            QJsonObject c = column(node.key, node.key, true);
            if (node.childPlan >= 0 && size_t(node.childPlan) < plan.children.size()) {
                const CompiledQuery &child = *plan.children.at(size_t(node.childPlan));
                if (child.object)
                    c.insert(QStringLiteral("joinColumns"), columns(child.output, *child.object, child));
            }
            return c;
        }
        case OutputNode::Kind::Integer:
        case OutputNode::Kind::Double:
        case OutputNode::Kind::Text: {
            QJsonObject c = column(node.key, aggregateNames.value(node.key.toLower(), node.key), true);
            c.insert(QStringLiteral("numberType"), node.kind != OutputNode::Kind::Text);
            c.insert(QStringLiteral("textType"), node.kind == OutputNode::Kind::Text);
            return c;
        }
        }
        return column(node.key, node.key, false);
    }
};

} // namespace

QueryColumns::QueryColumns(const Schema &schema, const QueryContext &context)
    : m_schema(schema)
    , m_context(context)
{
}

HttpResponse QueryColumns::handle(const QString &soql) const
{
    soql::SoqlError error;
    const std::optional<CompiledQuery> plan = QueryCompiler::compile(m_schema, soql, m_context, &error);
    if (!plan)
        return errorResponse(SimError::make(400, error.code, soql::formatSalesforceMessage(soql, error)));
    const soql::ParseResult parsed = soql::parse(soql);
    if (!parsed.ok() || !plan->object)
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("unexpected token: <EOF>"));

    const ColumnWriter writer { aggregateDisplayNames(*parsed.query) };
    bool idSelected = false;
    for (const OutputNode &node : plan->output)
        idSelected = idSelected || (node.kind == OutputNode::Kind::Field && node.field && node.field->type == u"id");
    const QJsonObject body {
        { QStringLiteral("columnMetadata"), plan->countOnly ? QJsonArray {} : writer.columns(plan->output, *plan->object, *plan) },
        { QStringLiteral("entityName"), plan->object->name },
        { QStringLiteral("groupBy"), !parsed.query->groupBy.empty() },
        { QStringLiteral("idSelected"), idSelected },
        { QStringLiteral("keyPrefix"), plan->object->keyPrefix.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(plan->object->keyPrefix) },
    };
    return extras::jsonReply(200, body);
}

} // namespace fs::sim
