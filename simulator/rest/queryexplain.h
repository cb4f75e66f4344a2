#pragma once

#include "http/httptypes.h"
#include "rest/querybridge.h"

namespace fs::sim {

class Store;

// GET /query?explain=<SOQL> (reference §3.1): the query plans Salesforce would consider, cheapest
// first: {"plans":[{cardinality, fields, leadingOperationType, notes[], relativeCost,
// sobjectCardinality, sobjectType}]}. The query is checked like /query (MALFORMED_QUERY,
// INVALID_FIELD, … with the usual messages) but its rows are not returned. Plans are derived from
// the parsed WHERE clause: an Index plan for each top-level AND filter on an indexed field (Id,
// name, lookups, external ids, unique fields, CreatedDate, SystemModstamp) with a positive
// operator, and always a TableScan plan. Cardinalities are counts over the store's tables; costs
// compare them with Salesforce's selectivity thresholds (standard index 30% of the first million
// rows + 15% of the rest, custom index 10% + 5%). Simulator thread only.
class QueryExplain {
public:
    QueryExplain(Store &store, const QString &apiVersion, const QString &userId, const QDateTime &now);

    HttpResponse handle(const QString &soql);

private:
    qint64 countWhere(const QString &object, const QString &alias, const QString &condition, bool *ok);

    Store &m_store;
    QueryOptions m_options;
};

} // namespace fs::sim
