#pragma once

#include "http/httptypes.h"

#include <QDateTime>

namespace fs::sim {

class Store;
struct ObjectDef;

// Data replication resources (reference §4.5 "Other useful resources"):
//   GET /sobjects/{X}/updated/?start=…&end=…  → {"ids":[…],"latestDateCovered":"…"}
//   GET /sobjects/{X}/deleted/?start=…&end=…  → {"deletedRecords":[{id,deletedDate}],"earliestDateAvailable","latestDateCovered"}
// Both read SystemModstamp (the store stamps it on insert, update and soft delete), ignore the
// seconds of start/end like Salesforce, and refuse windows that are too short, reversed or older
// than the retention (30 days updated, 15 days deleted) with INVALID_REPLICATION_DATE.
// Runs on the simulator's thread (the store's).
class ReplicationResource {
public:
    ReplicationResource(Store &store, QDateTime now);

    // kind is "updated" or "deleted".
    HttpResponse handle(const HttpRequest &req, const ObjectDef &obj, const QString &kind);

    static constexpr int kUpdatedRetentionDays = 30;
    static constexpr int kDeletedRetentionDays = 15;
    static constexpr qint64 kMaxIds = 600000;

private:
    Store &m_store;
    QDateTime m_now;
};

} // namespace fs::sim
