#pragma once

#include "api/result.h"
#include "api/types.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace fs::engine {

class Transport;
struct HttpRequest;
struct HttpResponse;

// Record get/create/update/delete/upsert and conflict-checked, batched updates over the REST
// sObject, sObject Collections and Composite resources. Engine thread only.
//
// Conflict check for an update with an expectedModstamp: the record's current SystemModstamp is
// fetched and compared first (so a change within the same second is still caught); the write
// then carries If-Unmodified-Since where the endpoint allows per-record headers (single PATCH or
// /composite). A 412 or a newer modstamp ends in updateConflict with the server's current values;
// the record is never overwritten.
//
// Batching (a save of more than one record): updates that carry a modstamp go out as /composite
// calls of up to `compositeSize` (25) PATCH subrequests, each with its own If-Unmodified-Since
// header (26 → 2 calls, 60 → 3); updates without a modstamp go out as /composite/sobjects
// collections of up to `collectionSize` (200) records. Both use allOrNone false. Composite
// results are mapped back to their input record by referenceId ("upd<k>" = k-th subrequest of
// that call), collection results by position. A save of one record is a single PATCH.
// UNABLE_TO_LOCK_ROW in a per-record result is retried (bounded, with backoff).
class RecordService : public QObject {
    Q_OBJECT
public:
    struct BatchLimits {
        int collectionSize = 200; // records per /composite/sobjects call
        int compositeSize = 25; // subrequests per /composite call
        int lockRetries = 3; // extra attempts for UNABLE_TO_LOCK_ROW records
        int lockRetryBaseMs = 200; // first backoff; doubles per attempt
    };

    explicit RecordService(Transport *transport, QObject *parent = nullptr);
    ~RecordService() override;

    void setBatchLimits(const BatchLimits &limits) { m_limits = limits; }
    BatchLimits batchLimits() const { return m_limits; }

    void getRecord(fs::RequestId id, const QString &sobjectType, const QString &recordId, const QStringList &fields);
    void createRecord(fs::RequestId id, const QString &sobjectType, const QVariantMap &fields);
    void upsertRecord(fs::RequestId id, const QString &sobjectType, const QString &externalIdField,
        const QString &externalId, const QVariantMap &fields);
    void deleteRecord(fs::RequestId id, const QString &sobjectType, const QString &recordId);
    void saveUpdates(fs::RequestId id, const QList<fs::RecordUpdate> &updates);

    // True when `id` was one of ours; it then ends with failed(Cancelled).
    bool cancel(fs::RequestId id);

Q_SIGNALS:
    void recordFetched(fs::RequestId id, const QJsonObject &record);
    void recordSaved(fs::RequestId id, const fs::SaveResult &result);
    void recordDeleted(fs::RequestId id, const QString &recordId);
    void updateConflict(fs::RequestId id, const fs::RecordConflict &conflict);
    void updatesFinished(fs::RequestId id, int succeeded, int failed, int conflicts);
    void failed(fs::RequestId id, const fs::EngineError &error);

private:
    struct Job;
    using Callback = std::function<void(Result<HttpResponse>)>;

    QString dataPath() const; // "/services/data/v59.0"
    bool connected() const;
    void send(fs::RequestId id, HttpRequest request, Callback callback);
    void fail(fs::RequestId id, const EngineError &error);

    void precheck(const std::shared_ptr<Job> &job, const QList<int> &indices);
    void write(const std::shared_ptr<Job> &job, const QList<int> &indices);
    void writeSingle(const std::shared_ptr<Job> &job, int index);
    void writeComposite(const std::shared_ptr<Job> &job, const QList<int> &indices);
    void writeCollection(const std::shared_ptr<Job> &job, const QList<int> &indices);
    void fetchConflict(const std::shared_ptr<Job> &job, int index, const QJsonObject &known);
    void failAll(const std::shared_ptr<Job> &job, const QList<int> &indices, const EngineError &error);
    void scheduleLockRetry(const std::shared_ptr<Job> &job, const QList<int> &indices, const QList<EngineError> &errors);
    void recordSucceeded(const std::shared_ptr<Job> &job, int index, const QString &recordId);
    void recordFailed(const std::shared_ptr<Job> &job, int index, const EngineError &error);
    void recordConflicted(const std::shared_ptr<Job> &job, int index, const QJsonObject &server);
    void callDone(const std::shared_ptr<Job> &job);

    QPointer<Transport> m_transport;
    BatchLimits m_limits;
    QHash<fs::RequestId, QList<quint64>> m_inflight; // transport handles per request
    QHash<fs::RequestId, std::shared_ptr<Job>> m_jobs;
};

} // namespace fs::engine
