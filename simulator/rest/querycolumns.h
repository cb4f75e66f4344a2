#pragma once

#include "http/httptypes.h"
#include "query/querycursor.h"

namespace fs::sim {

class Schema;

// GET /query?q=<SOQL>&columns=true: the columns a query returns, without running it. The
// Salesforce CLI asks for them after every `sf data query` that returns rows, to lay out its
// table. Not in the reference; the shape is the one those clients read:
//   {"columnMetadata":[{aggregate, apexType, booleanType, columnName, custom, displayName,
//     foreignKeyName, insertable, joinColumns[], numberType, textType, updatable}, …],
//    "entityName", "groupBy", "idSelected", "keyPrefix"}
// one column per select item, in select order. A parent path (Owner.Name) is a column named after
// the relationship, with its lookup field as foreignKeyName and the selected field in
// joinColumns; a child subquery is an aggregate column named after the relationship with its
// fields in joinColumns; an aggregate function is an aggregate column named expr0… (or its
// alias), displayed as written (avg(Amount)). The query is checked as /query checks it: the same
// errors with the same codes and messages. Simulator thread only.
class QueryColumns {
public:
    QueryColumns(const Schema &schema, const QueryContext &context);

    HttpResponse handle(const QString &soql) const;

private:
    const Schema &m_schema;
    QueryContext m_context;
};

} // namespace fs::sim
