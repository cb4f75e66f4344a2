#pragma once

#include "store/simerror.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <memory>

namespace fs::sim {

class Store;

// The only place the REST layer touches the SOQL evaluator (simulator/query). An open query that
// hands out pages of records already rendered as a JSON array.
class QueryHandle {
public:
    virtual ~QueryHandle() = default;
    virtual qint64 totalSize() const = 0;
    virtual bool atEnd() const = 0;
    virtual QByteArray nextRecordsJson(int maxRecords, int *count) = 0;
};

struct QueryOptions {
    bool includeDeleted = false;
    QString apiVersion = QStringLiteral("59.0");
    QString userId;
    QDateTime now;
};

std::unique_ptr<QueryHandle> openQuery(Store &store, const QString &soql, const QueryOptions &options, SimError *error);
bool queryEngineAvailable();

} // namespace fs::sim
