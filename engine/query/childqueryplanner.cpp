#include "childqueryplanner.h"

#include <soql/builder.h>
#include <soql/parser.h>

namespace fs::engine {

namespace {

const QString kUnknownRelationship = QStringLiteral("UNKNOWN_CHILD_RELATIONSHIP");

QString sourceText(const QString &soql, const soql::SourcePos &first, const soql::SourcePos &last)
{
    return soql.mid(first.offset, last.offset + last.length - first.offset);
}

bool isRecordId(const QString &id)
{
    if (id.size() != 15 && id.size() != 18)
        return false;
    for (const QChar c : id) {
        if (!(c.isDigit() || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z')))
            return false;
    }
    return true;
}

// Whether an ORDER BY item sorts on Id (plain, or through the subquery's alias).
bool ordersById(const soql::OrderItem &item, const QString &alias)
{
    if (item.value.kind != soql::ValueExpr::Kind::Field)
        return false;
    const QStringList &parts = item.value.field.parts;
    if (parts.size() == 1)
        return parts.first().compare(u"Id", Qt::CaseInsensitive) == 0;
    return parts.size() == 2 && !alias.isEmpty() && parts.first().compare(alias, Qt::CaseInsensitive) == 0
        && parts.last().compare(u"Id", Qt::CaseInsensitive) == 0;
}

} // namespace

ChildQueryPlanner::ChildQueryPlanner(const ChildCursor &cursor)
    : m_cursor(cursor)
{
    if (!cursor.isChild() || cursor.parentIds.size() != cursor.relationships.size()) {
        setError(QStringLiteral("Not a child result: the cursor names no parent record and relationship."));
        return;
    }
    if (cursor.soql.trimmed().isEmpty()) {
        setError(QStringLiteral("The query that produced these child rows is unknown, so they cannot be fetched again."));
        return;
    }
    for (const QString &id : cursor.parentIds) {
        if (!isRecordId(id)) {
            setError(QStringLiteral("Not a record id: %1").arg(id.left(40)));
            return;
        }
    }
    soql::ParseResult parsed = soql::parse(cursor.soql);
    if (!parsed.ok()) {
        setError(QStringLiteral("The query that produced these child rows does not parse: %1").arg(parsed.error.message));
        m_error->line = parsed.error.line;
        m_error->column = parsed.error.column;
        return;
    }
    m_query = std::move(parsed.query);
    m_topObject = m_query->from.text();
    if (m_query->from.parts.size() != 1 || !soql::isValidApiName(m_topObject)) {
        setError(QStringLiteral("The query's FROM is not an sObject name: %1").arg(m_topObject));
        return;
    }
    const soql::Query *current = &*m_query;
    for (const QString &relationship : cursor.relationships) {
        const soql::Query *next = nullptr;
        for (const soql::SelectItem &item : current->select) {
            if (item.kind == soql::SelectItem::Kind::Subquery && item.subquery
                && item.subquery->from.text().compare(relationship, Qt::CaseInsensitive) == 0) {
                next = item.subquery.get();
                break;
            }
        }
        if (!next) {
            setError(QStringLiteral("The query has no subquery over the relationship '%1'.").arg(relationship));
            m_error->errorCode = kUnknownRelationship;
            return;
        }
        m_levels.push_back(next);
        current = next;
    }
}

void ChildQueryPlanner::setError(const QString &message, const QString &detail)
{
    EngineError e = EngineError::make(EngineError::Category::Validation, message);
    e.detail = detail;
    m_error = e;
}

QString ChildQueryPlanner::pendingDescribe() const
{
    if (failed() || m_childObjects.size() >= m_cursor.relationships.size())
        return {};
    return m_childObjects.isEmpty() ? m_topObject : m_childObjects.last();
}

void ChildQueryPlanner::addDescribe(const SObjectDescribe &describe)
{
    const QString parent = pendingDescribe();
    if (parent.isEmpty())
        return;
    const QString &relationship = m_cursor.relationships.at(m_childObjects.size());
    for (const ChildRelationship &rel : describe.childRelationships) {
        if (rel.relationshipName.isEmpty() || rel.relationshipName.compare(relationship, Qt::CaseInsensitive) != 0)
            continue;
        if (!soql::isValidApiName(rel.childSObject) || !soql::isValidApiName(rel.field)) {
            setError(QStringLiteral("The describe of %1 names an invalid child object or field for '%2'.")
                         .arg(parent, relationship));
            return;
        }
        m_childObjects << rel.childSObject;
        m_fields << rel.field;
        return;
    }
    setError(QStringLiteral("Cannot fetch more %1 rows: %2 has no child relationship named '%1'.").arg(relationship, parent),
        QStringLiteral("The describe of %1 lists no such childRelationships entry, so the child rows cannot be "
                       "queried on their own.")
            .arg(parent));
    m_error->errorCode = kUnknownRelationship;
}

Result<QString> ChildQueryPlanner::build() const
{
    if (failed())
        return *m_error;
    if (!pendingDescribe().isEmpty() || m_levels.empty())
        return EngineError::make(EngineError::Category::Validation, QStringLiteral("The child relationship is not resolved yet."));
    const soql::Query &sub = *m_levels.back();
    const QString &text = m_cursor.soql;

    // Only the parent id is a value: it goes in through the builder's escaping.
    const soql::Filter parent = soql::Filter::equals(m_fields.last(), m_cursor.parentIds.last());
    if (!parent.isValid())
        return EngineError::make(EngineError::Category::Validation, parent.error());

    QString soql = QStringLiteral("SELECT ") + sourceText(text, sub.select.front().pos, sub.select.back().pos)
        + QStringLiteral(" FROM ") + m_childObjects.last();
    if (!sub.fromAlias.isEmpty())
        soql += u' ' + sub.fromAlias;
    if (!sub.usingScope.isEmpty())
        soql += QStringLiteral(" USING SCOPE ") + sub.usingScope;
    soql += QStringLiteral(" WHERE ") + parent.toSoql();
    if (sub.where)
        soql += QStringLiteral(" AND (") + sourceText(text, sub.where->pos, sub.where->pos) + u')';
    if (!sub.withClause.isEmpty())
        soql += QStringLiteral(" WITH ") + sub.withClause;
    if (sub.orderBy.empty()) {
        soql += QStringLiteral(" ORDER BY Id");
    } else {
        soql += QStringLiteral(" ORDER BY ") + sourceText(text, sub.orderBy.front().pos, sub.orderBy.back().pos);
        bool hasId = false;
        for (const soql::OrderItem &item : sub.orderBy)
            hasId = hasId || ordersById(item, sub.fromAlias);
        if (!hasId)
            soql += QStringLiteral(", Id");
    }
    if (sub.limit)
        soql += QStringLiteral(" LIMIT ") + QString::number(*sub.limit);

    // Defence in depth: the pieces came from a parsed query, so the whole must parse again, over
    // the child object, with the same select list.
    const soql::ParseResult check = soql::parse(soql);
    if (!check.ok() || check.query->from.text() != m_childObjects.last() || check.query->select.size() != sub.select.size()) {
        EngineError e = EngineError::make(EngineError::Category::Validation,
            QStringLiteral("Could not rebuild the child query of relationship '%1'.").arg(m_cursor.relationships.last()));
        e.detail = check.ok() ? QString() : check.error.message;
        return e;
    }
    return soql;
}

} // namespace fs::engine
