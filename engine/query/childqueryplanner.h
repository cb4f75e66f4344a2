#pragma once

#include "api/engineerror.h"
#include "api/result.h"
#include "api/types.h"

#include <soql/ast.h>

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace fs::engine {

// Rebuilds one parent record's child result as a standalone query, for when the child locator of
// that result is gone (reference §3.2: the next parent page invalidates it; §3.4: 15 idle minutes).
//
// From a ChildCursor (top-level SOQL + path of parent ids and relationship names) and the describe
// of each level's parent object (childRelationships: relationshipName → childSObject + field):
//
//   SELECT <the subquery's select list, as written> FROM <childSObject> [alias] [USING SCOPE s]
//   WHERE <field> = '<parent id>' [AND (<the subquery's WHERE>)] [WITH …]
//   ORDER BY <the subquery's ORDER BY, then Id> | Id  [LIMIT n]
//
// The select list, WHERE and ORDER BY are the user's own text (taken from the shared parser's
// source positions, so nested subqueries, TYPEOF, aliases and literals stay exactly as written);
// the parent id goes in only through the safe builder's literal escaping, object and field names
// only after API-name validation, and the result is parsed again before it is used. `Id` ends
// the ORDER BY so that skipping the rows the caller holds is well defined (without ORDER BY a
// child result comes back in Id order in practice).
//
// Use: while pendingDescribe() is not empty, fetch that describe and addDescribe() it; then
// build(). Pure: any thread.
class ChildQueryPlanner {
public:
    explicit ChildQueryPlanner(const ChildCursor &cursor);

    bool failed() const { return m_error.has_value(); }
    const EngineError &error() const { return *m_error; }
    // The sObject whose describe is needed next; empty when every level is resolved or on error.
    QString pendingDescribe() const;
    // Feeds the describe of pendingDescribe(). An unknown relationship fails the planner.
    void addDescribe(const SObjectDescribe &describe);
    // The standalone query, or why there is none.
    Result<QString> build() const;
    // The child result's sObject type (known once every describe is in).
    QString childSObject() const { return m_childObjects.isEmpty() ? QString() : m_childObjects.last(); }

private:
    void setError(const QString &message, const QString &detail = {});

    ChildCursor m_cursor;
    std::optional<soql::Query> m_query;
    std::vector<const soql::Query *> m_levels; // the subquery of each level
    QString m_topObject;
    QStringList m_childObjects; // per resolved level
    QStringList m_fields; // per resolved level: the lookup field on the child pointing at the parent
    std::optional<EngineError> m_error;
};

} // namespace fs::engine
