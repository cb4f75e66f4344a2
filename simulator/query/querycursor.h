#pragma once

#include "store/simerror.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <memory>

namespace fs::sim {

class Store;
struct CompiledQuery;
class QueryCursorPrivate;

// How a query runs: queryAll (includeDeleted) or query, the API version for attribute urls, the
// clock for relative date literals (UTC; invalid = the store's clock) and the running user.
struct QueryContext {
    bool includeDeleted = false;
    QString apiVersion = QStringLiteral("59.0");
    QDateTime now;
    QString userId;
};

// One open SOQL query over the store. The /query endpoint keeps it alive across pages (query
// locators): each nextRecordsJson() continues where the previous call stopped, stepping the open
// SQLite statement, so a page costs O(page). Not thread-safe; the Store must outlive the cursor
// and be used from the same thread.
class QueryCursor {
public:
    // Parses, checks against the schema and starts the query. On failure returns null and fills
    // *error with Salesforce's error (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, …; HTTP 400).
    static std::unique_ptr<QueryCursor> open(Store &store, const QString &soql, const QueryContext &ctx, SimError *error);
    ~QueryCursor();
    QueryCursor(const QueryCursor &) = delete;
    QueryCursor &operator=(const QueryCursor &) = delete;

    // Rows matched by the whole query (after LIMIT/OFFSET), as the response's totalSize.
    qint64 totalSize() const;
    bool atEnd() const;
    // The next up to maxRecords records as a JSON array text ("[{…},{…}]"), records shaped per
    // reference §3.2/§3.3. *count receives the number of records written. COUNT() queries always
    // yield "[]".
    QByteArray nextRecordsJson(int maxRecords, int *count);

    // Whether this is an aggregate query (AggregateResult rows, no queryMore past one batch).
    bool isAggregate() const;

private:
    QueryCursor();
    std::unique_ptr<QueryCursorPrivate> d;
};

} // namespace fs::sim
