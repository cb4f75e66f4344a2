#pragma once

#include "store/simerror.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <functional>
#include <memory>

namespace fs::sim {

class Store;

// Rows per page of a child subquery result (reference §3.2). The reference's example child result
// of 1,200 rows carries nextRecordsUrl "…-499", and jsforce users saw exactly 499 child rows
// (jsforce/jsforce#577): with the locator suffix being the offset of the next page's first row
// (§3.1), the first child page holds rows 0..498. Later child pages use the same size.
constexpr int kChildPageSize = 499;

// The remaining pages of one child subquery result, behind the locator in its nextRecordsUrl.
class ChildLocator {
public:
    virtual ~ChildLocator() = default;
    // The page starting at `offset` as a whole query response body
    // ({"totalSize","done"[,"nextRecordsUrl"],"records"}). Returns false when `offset` is neither the
    // next page nor the page just served (a retry); *error is set only for a failure other than an
    // invalid locator.
    virtual bool page(qint64 offset, QByteArray *body, SimError *error) = 0;
};

// The only place the REST layer touches the SOQL evaluator (simulator/query). An open query that
// hands out pages of records already rendered as a JSON array.
class QueryHandle {
public:
    virtual ~QueryHandle() = default;
    virtual qint64 totalSize() const = 0;
    virtual bool atEnd() const = 0;
    virtual QByteArray nextRecordsJson(int maxRecords, int *count) = 0;
    // Whether the last page handed out child locators (child results longer than kChildPageSize).
    virtual bool hasChildLocators() const { return false; }
    // A child locator handed out by the last page, or by a page of one of those child locators (any
    // depth); null when unknown. Every nextRecordsJson() call invalidates the previous page's ones.
    virtual ChildLocator *childLocator(const QString &id)
    {
        Q_UNUSED(id)
        return nullptr;
    }
};

struct QueryOptions {
    bool includeDeleted = false;
    QString apiVersion = QStringLiteral("59.0");
    QString userId;
    QDateTime now;
    // Mints query locator ids ("01g…"). When set, child results longer than kChildPageSize are cut
    // to their first page with a nextRecordsUrl; when empty they come back complete.
    std::function<QString()> newLocatorId;
};

std::unique_ptr<QueryHandle> openQuery(Store &store, const QString &soql, const QueryOptions &options, SimError *error);
bool queryEngineAvailable();

} // namespace fs::sim
