#include "recordservice.h"

#include "auth/credentials.h"
#include "recordjson.h"
#include "transport/httptypes.h"
#include "transport/transport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QThread>
#include <QTimer>
#include <QUrl>

namespace fs::engine {

using namespace recordjson;

namespace {

enum Outcome : quint8 { Pending, Saved, Failed, Conflicted };

// Records how input `index` ended and counts it in `tally`; false when it had already ended (a
// second answer for the same record is ignored).
bool settle(QList<quint8> &outcomes, int index, Outcome outcome, int &tally)
{
    if (outcomes.at(index) != Pending)
        return false;
    outcomes[index] = outcome;
    ++tally;
    return true;
}

EngineError validationError(const QString &message, const QString &code = QStringLiteral("INVALID_INPUT"))
{
    return EngineError::make(EngineError::Category::Validation, message, code);
}

QByteArray toJson(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonValue parseBody(const QByteArray &body)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    if (err.error != QJsonParseError::NoError)
        return QJsonValue(QJsonValue::Undefined);
    if (doc.isArray())
        return doc.array();
    return doc.object();
}

EngineError corruptReply(int status)
{
    return EngineError::make(EngineError::Category::Server, QStringLiteral("The server sent a reply that is not valid JSON."),
        QStringLiteral("CORRUPT_REPLY"), status, true);
}

// The fields whose current server value a conflict report shows.
QStringList conflictFields(const RecordUpdate &u)
{
    QStringList fields = u.changes.keys();
    if (!fields.contains(QStringLiteral("SystemModstamp"), Qt::CaseInsensitive))
        fields.append(QStringLiteral("SystemModstamp"));
    return fields;
}

QString validateUpdate(const RecordUpdate &u)
{
    if (!isApiName(u.sobjectType))
        return QStringLiteral("'%1' is not a valid object name.").arg(u.sobjectType);
    if (!isRecordId(u.id))
        return QStringLiteral("'%1' is not a valid record id.").arg(u.id);
    if (u.changes.isEmpty())
        return QStringLiteral("The update for %1 changes no field.").arg(u.id);
    for (auto it = u.changes.cbegin(); it != u.changes.cend(); ++it) {
        if (!isApiName(it.key()))
            return QStringLiteral("'%1' is not a valid field name.").arg(it.key());
        if (it.key().compare(QLatin1String("Id"), Qt::CaseInsensitive) == 0)
            return QStringLiteral("The Id field cannot be changed.");
    }
    if (!u.expectedModstamp.isEmpty() && !parseDateTime(u.expectedModstamp).isValid())
        return QStringLiteral("'%1' is not a valid SystemModstamp.").arg(u.expectedModstamp);
    return {};
}

} // namespace

struct RecordService::Job {
    RequestId id = 0;
    QList<RecordUpdate> updates;
    QList<quint8> outcome;
    QList<int> lockAttempts;
    QList<int> ready; // passed the modstamp pre-check, waiting for the write phase
    int outstanding = 0; // calls and timers in flight
    int succeeded = 0;
    int failed = 0;
    int conflicts = 0;
    bool writing = false;
};

RecordService::RecordService(Transport *transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
{
}

RecordService::~RecordService() = default;

bool RecordService::connected() const
{
    return m_transport && m_transport->credentials() && !m_transport->credentials()->apiVersion().isEmpty();
}

QString RecordService::dataPath() const
{
    QString version = QStringLiteral("59.0");
    if (m_transport && m_transport->credentials())
        version = m_transport->credentials()->apiVersion();
    return QStringLiteral("/services/data/v") + version;
}

void RecordService::send(RequestId id, HttpRequest request, Callback callback)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_transport) {
        callback(EngineError::make(EngineError::Category::Network, QStringLiteral("The engine is shutting down.")));
        return;
    }
    auto finished = std::make_shared<bool>(false);
    auto handle = std::make_shared<quint64>(0);
    QPointer<RecordService> self(this);
    const quint64 h = m_transport->send(std::move(request), [self, id, finished, handle, callback](Result<HttpResponse> r) {
        *finished = true;
        if (!self)
            return;
        auto it = self->m_inflight.find(id);
        if (it == self->m_inflight.end())
            return; // cancelled or already ended: drop the late answer
        it->removeOne(*handle);
        callback(std::move(r));
    });
    *handle = h;
    if (!*finished && m_inflight.contains(id))
        m_inflight[id].append(h);
}

void RecordService::fail(RequestId id, const EngineError &error)
{
    m_inflight.remove(id);
    m_jobs.remove(id);
    Q_EMIT failed(id, error);
}

bool RecordService::cancel(RequestId id)
{
    if (!m_inflight.contains(id))
        return false;
    const QList<quint64> handles = m_inflight.take(id);
    m_jobs.remove(id);
    for (quint64 h : handles) {
        if (m_transport)
            m_transport->cancel(h);
    }
    Q_EMIT failed(id,
        EngineError::make(EngineError::Category::Cancelled, QStringLiteral("The request was cancelled."),
            QStringLiteral("CANCELLED")));
    return true;
}

// --- single-record operations ---------------------------------------------------------------

void RecordService::getRecord(RequestId id, const QString &sobjectType, const QString &recordId, const QStringList &fields)
{
    if (!isApiName(sobjectType))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid object name.").arg(sobjectType)));
    if (!isRecordId(recordId))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid record id.").arg(recordId), QStringLiteral("MALFORMED_ID")));
    for (const QString &f : fields) {
        if (!isApiName(f))
            return fail(id, validationError(QStringLiteral("'%1' is not a valid field name.").arg(f)));
    }
    if (!connected())
        return fail(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));

    HttpRequest req;
    req.method = "GET";
    req.path = dataPath() + QStringLiteral("/sobjects/") + sobjectType + u'/' + recordId;
    if (!fields.isEmpty())
        req.path += QStringLiteral("?fields=") + fields.join(u',');
    req.operation = QStringLiteral("retrieve");
    req.sobject = sobjectType;
    m_inflight.insert(id, {});
    send(id, req, [this, id](Result<HttpResponse> r) {
        if (!r)
            return fail(id, r.error());
        if (r->status != 200)
            return fail(id, errorFromResponse(r->status, r->body, QStringLiteral("The record could not be read.")));
        const QJsonValue v = parseBody(r->body);
        if (!v.isObject())
            return fail(id, corruptReply(r->status));
        m_inflight.remove(id);
        Q_EMIT recordFetched(id, v.toObject());
    });
}

void RecordService::createRecord(RequestId id, const QString &sobjectType, const QVariantMap &fields)
{
    if (!isApiName(sobjectType))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid object name.").arg(sobjectType)));
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!isApiName(it.key()))
            return fail(id, validationError(QStringLiteral("'%1' is not a valid field name.").arg(it.key())));
    }
    if (!connected())
        return fail(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));

    HttpRequest req;
    req.method = "POST";
    req.path = dataPath() + QStringLiteral("/sobjects/") + sobjectType;
    req.body = toJson(QJsonObject::fromVariantMap(fields));
    req.contentType = "application/json";
    req.idempotent = false; // a replayed POST could create the record twice
    req.operation = QStringLiteral("create");
    req.sobject = sobjectType;
    m_inflight.insert(id, {});
    send(id, req, [this, id](Result<HttpResponse> r) {
        if (!r)
            return fail(id, r.error());
        if (r->status != 201 && r->status != 200)
            return fail(id, errorFromResponse(r->status, r->body, QStringLiteral("The record could not be created.")));
        const QJsonValue v = parseBody(r->body);
        if (!v.isObject())
            return fail(id, corruptReply(r->status));
        SaveResult res = saveResultFromJson(v);
        res.created = true;
        m_inflight.remove(id);
        Q_EMIT recordSaved(id, res);
    });
}

void RecordService::upsertRecord(RequestId id, const QString &sobjectType, const QString &externalIdField,
    const QString &externalId, const QVariantMap &fields)
{
    if (!isApiName(sobjectType))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid object name.").arg(sobjectType)));
    if (!isApiName(externalIdField))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid field name.").arg(externalIdField)));
    if (externalId.isEmpty())
        return fail(id, validationError(QStringLiteral("The external id value is empty.")));
    QVariantMap body;
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        if (!isApiName(it.key()))
            return fail(id, validationError(QStringLiteral("'%1' is not a valid field name.").arg(it.key())));
        // The external id travels in the URL; repeating it in the body is an error on the server.
        if (it.key().compare(externalIdField, Qt::CaseInsensitive) != 0)
            body.insert(it.key(), it.value());
    }
    if (!connected())
        return fail(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));

    HttpRequest req;
    req.method = "PATCH";
    req.path = dataPath() + QStringLiteral("/sobjects/") + sobjectType + u'/' + externalIdField + u'/'
        + QString::fromLatin1(QUrl::toPercentEncoding(externalId));
    req.body = toJson(QJsonObject::fromVariantMap(body));
    req.contentType = "application/json";
    req.idempotent = true; // same key, same values: replaying converges on one record
    req.operation = QStringLiteral("upsert");
    req.sobject = sobjectType;
    m_inflight.insert(id, {});
    send(id, req, [this, id](Result<HttpResponse> r) {
        if (!r)
            return fail(id, r.error());
        if (r->status == 300) {
            EngineError e = validationError(QStringLiteral("The external id matches more than one record."),
                QStringLiteral("MULTIPLE_CHOICES"));
            e.httpStatus = 300;
            return fail(id, e);
        }
        if (r->status == 204) { // before API 46.0: updated, no body
            SaveResult res;
            res.success = true;
            m_inflight.remove(id);
            Q_EMIT recordSaved(id, res);
            return;
        }
        if (r->status != 200 && r->status != 201)
            return fail(id, errorFromResponse(r->status, r->body, QStringLiteral("The record could not be upserted.")));
        const QJsonValue v = parseBody(r->body);
        if (!v.isObject())
            return fail(id, corruptReply(r->status));
        SaveResult res = saveResultFromJson(v);
        if (!v.toObject().contains(QLatin1String("created")))
            res.created = r->status == 201;
        m_inflight.remove(id);
        Q_EMIT recordSaved(id, res);
    });
}

void RecordService::deleteRecord(RequestId id, const QString &sobjectType, const QString &recordId)
{
    if (!isApiName(sobjectType))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid object name.").arg(sobjectType)));
    if (!isRecordId(recordId))
        return fail(id, validationError(QStringLiteral("'%1' is not a valid record id.").arg(recordId), QStringLiteral("MALFORMED_ID")));
    if (!connected())
        return fail(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));

    HttpRequest req;
    req.method = "DELETE";
    req.path = dataPath() + QStringLiteral("/sobjects/") + sobjectType + u'/' + recordId;
    req.operation = QStringLiteral("delete");
    req.sobject = sobjectType;
    m_inflight.insert(id, {});
    send(id, req, [this, id, recordId](Result<HttpResponse> r) {
        if (!r)
            return fail(id, r.error());
        if (r->status != 204 && r->status != 200)
            return fail(id, errorFromResponse(r->status, r->body, QStringLiteral("The record could not be deleted.")));
        m_inflight.remove(id);
        Q_EMIT recordDeleted(id, to18(recordId));
    });
}

// --- conflict-checked batch updates ----------------------------------------------------------

void RecordService::saveUpdates(RequestId id, const QList<RecordUpdate> &updates)
{
    if (!connected())
        return fail(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));
    auto job = std::make_shared<Job>();
    job->id = id;
    job->updates = updates;
    job->outcome = QList<quint8>(updates.size(), Pending);
    job->lockAttempts = QList<int>(updates.size(), 0);
    m_jobs.insert(id, job);
    m_inflight.insert(id, {});

    QList<int> checked;
    QList<int> unchecked;
    for (int i = 0; i < updates.size(); ++i) {
        const QString problem = validateUpdate(updates.at(i));
        if (!problem.isEmpty()) {
            recordFailed(job, i, validationError(problem));
            continue;
        }
        if (updates.at(i).expectedModstamp.isEmpty())
            unchecked.append(i);
        else
            checked.append(i);
    }
    job->ready = unchecked;
    ++job->outstanding; // held until the pre-check calls are issued
    precheck(job, checked);
    callDone(job);
}

void RecordService::precheck(const std::shared_ptr<Job> &job, const QList<int> &indices)
{
    // Group by object type: one collections retrieve per type and chunk, with the union of the
    // touched fields, SystemModstamp included.
    QHash<QString, QList<int>> byType;
    QStringList typeOrder;
    for (int i : indices) {
        const QString &t = job->updates.at(i).sobjectType;
        if (!byType.contains(t))
            typeOrder.append(t);
        byType[t].append(i);
    }
    const int chunkSize = qMax(1, m_limits.collectionSize);
    for (const QString &type : typeOrder) {
        const QList<int> all = byType.value(type);
        for (int start = 0; start < all.size(); start += chunkSize) {
            const QList<int> chunk = all.mid(start, chunkSize);
            // Only Id and SystemModstamp: a bad field name in one update must not fail the check
            // for the whole chunk. A conflict fetches the touched fields of that one record.
            QStringList ids;
            const QStringList fields{QStringLiteral("Id"), QStringLiteral("SystemModstamp")};
            for (int i : chunk)
                ids.append(job->updates.at(i).id);
            HttpRequest req;
            req.method = "GET";
            req.path = dataPath() + QStringLiteral("/composite/sobjects/") + type + QStringLiteral("?ids=") + ids.join(u',')
                + QStringLiteral("&fields=") + fields.join(u',');
            req.operation = QStringLiteral("retrieve");
            req.sobject = type;
            ++job->outstanding;
            send(job->id, req, [this, job, chunk](Result<HttpResponse> r) {
                if (!r) {
                    for (int i : chunk)
                        recordFailed(job, i, r.error());
                    return callDone(job);
                }
                const QJsonValue v = parseBody(r->body);
                if (r->status != 200 || !v.isArray() || v.toArray().size() != chunk.size()) {
                    const EngineError e = r->status != 200
                        ? errorFromResponse(r->status, r->body, QStringLiteral("The records could not be checked for changes."))
                        : corruptReply(r->status);
                    for (int i : chunk)
                        recordFailed(job, i, e);
                    return callDone(job);
                }
                const QJsonArray rows = v.toArray();
                for (int k = 0; k < chunk.size(); ++k) {
                    const int i = chunk.at(k);
                    const QJsonValue row = rows.at(k);
                    if (!row.isObject()) {
                        EngineError e = validationError(
                            QStringLiteral("The record %1 no longer exists.").arg(job->updates.at(i).id), QStringLiteral("ENTITY_IS_DELETED"));
                        e.httpStatus = 404;
                        recordFailed(job, i, e);
                        continue;
                    }
                    const QJsonObject server = row.toObject();
                    const QString modstamp = server.value(QLatin1String("SystemModstamp")).toString();
                    if (isNewer(modstamp, job->updates.at(i).expectedModstamp))
                        fetchConflict(job, i, server);
                    else
                        job->ready.append(i);
                }
                callDone(job);
            });
        }
    }
}

void RecordService::callDone(const std::shared_ptr<Job> &job)
{
    if (!m_jobs.contains(job->id))
        return; // cancelled
    --job->outstanding;
    if (job->outstanding > 0)
        return;
    if (!job->writing) {
        job->writing = true;
        QList<int> ready = job->ready;
        job->ready.clear();
        std::sort(ready.begin(), ready.end());
        if (!ready.isEmpty()) {
            ++job->outstanding;
            write(job, ready);
            callDone(job);
            return;
        }
    }
    if (job->outstanding > 0)
        return;
    m_jobs.remove(job->id);
    m_inflight.remove(job->id);
    Q_EMIT updatesFinished(job->id, job->succeeded, job->failed, job->conflicts);
}

void RecordService::write(const std::shared_ptr<Job> &job, const QList<int> &indices)
{
    if (indices.isEmpty())
        return;
    if (indices.size() == 1)
        return writeSingle(job, indices.first());

    // Conflict-checked updates need a per-record If-Unmodified-Since header, which only /composite
    // carries: chunks of up to compositeSize subrequests. The rest go as collections.
    QList<int> checked;
    QList<int> unchecked;
    for (int i : indices)
        (job->updates.at(i).expectedModstamp.isEmpty() ? unchecked : checked).append(i);
    const int compositeSize = qMax(1, m_limits.compositeSize);
    for (qsizetype start = 0; start < checked.size(); start += compositeSize)
        writeComposite(job, checked.mid(start, compositeSize));
    const int collectionSize = qMax(1, m_limits.collectionSize);
    for (qsizetype start = 0; start < unchecked.size(); start += collectionSize)
        writeCollection(job, unchecked.mid(start, collectionSize));
}

void RecordService::writeSingle(const std::shared_ptr<Job> &job, int index)
{
    const RecordUpdate &u = job->updates.at(index);
    HttpRequest req;
    req.method = "PATCH";
    req.path = dataPath() + QStringLiteral("/sobjects/") + u.sobjectType + u'/' + u.id;
    req.body = toJson(QJsonObject::fromVariantMap(u.changes));
    req.contentType = "application/json";
    if (!u.expectedModstamp.isEmpty())
        req.headers.append({QByteArrayLiteral("If-Unmodified-Since"), httpDateCeil(parseDateTime(u.expectedModstamp))});
    req.operation = QStringLiteral("update");
    req.sobject = u.sobjectType;
    ++job->outstanding;
    send(job->id, req, [this, job, index](Result<HttpResponse> r) {
        if (!r) {
            failAll(job, {index}, r.error());
        } else if (r->status == 204 || r->status == 200) {
            recordSucceeded(job, index, job->updates.at(index).id);
        } else if (r->status == 412) {
            fetchConflict(job, index, {});
        } else {
            const EngineError e = errorFromResponse(r->status, r->body, QStringLiteral("The record could not be saved."));
            if (isRetryableRecordError(e.errorCode))
                scheduleLockRetry(job, {index}, {e});
            else
                recordFailed(job, index, e);
        }
        callDone(job);
    });
}

void RecordService::writeComposite(const std::shared_ptr<Job> &job, const QList<int> &indices)
{
    QJsonArray subrequests;
    for (int k = 0; k < indices.size(); ++k) {
        const RecordUpdate &u = job->updates.at(indices.at(k));
        QJsonObject sub;
        sub.insert(QLatin1String("method"), QStringLiteral("PATCH"));
        sub.insert(QLatin1String("url"), dataPath() + QStringLiteral("/sobjects/") + u.sobjectType + u'/' + u.id);
        sub.insert(QLatin1String("referenceId"), QStringLiteral("upd%1").arg(k));
        sub.insert(QLatin1String("body"), QJsonObject::fromVariantMap(u.changes));
        if (!u.expectedModstamp.isEmpty()) {
            QJsonObject headers;
            headers.insert(QLatin1String("If-Unmodified-Since"),
                QString::fromLatin1(httpDateCeil(parseDateTime(u.expectedModstamp))));
            sub.insert(QLatin1String("httpHeaders"), headers);
        }
        subrequests.append(sub);
    }
    QJsonObject body;
    body.insert(QLatin1String("allOrNone"), false);
    body.insert(QLatin1String("collateSubrequests"), false);
    body.insert(QLatin1String("compositeRequest"), subrequests);

    HttpRequest req;
    req.method = "POST";
    req.path = dataPath() + QStringLiteral("/composite");
    req.body = toJson(body);
    req.contentType = "application/json";
    req.idempotent = true; // only conditional PATCHes: a replay cannot overwrite a newer record
    req.operation = QStringLiteral("composite");
    ++job->outstanding;
    send(job->id, req, [this, job, indices](Result<HttpResponse> r) {
        if (!r) {
            failAll(job, indices, r.error());
            return callDone(job);
        }
        const QJsonValue v = parseBody(r->body);
        const QJsonArray results = v.toObject().value(QLatin1String("compositeResponse")).toArray();
        if (r->status != 200 || results.size() != indices.size()) {
            const EngineError e = r->status != 200
                ? errorFromResponse(r->status, r->body, QStringLiteral("The records could not be saved."))
                : corruptReply(r->status);
            failAll(job, indices, e);
            return callDone(job);
        }
        // Map by referenceId ("updN" → indices[N]); fall back to position.
        QList<int> lockRetry;
        QList<EngineError> lockErrors;
        for (int k = 0; k < results.size(); ++k) {
            const QJsonObject res = results.at(k).toObject();
            int pos = k;
            const QString ref = res.value(QLatin1String("referenceId")).toString();
            if (ref.startsWith(QLatin1String("upd"))) {
                bool ok = false;
                const int n = ref.mid(3).toInt(&ok);
                if (ok && n >= 0 && n < indices.size())
                    pos = n;
            }
            const int i = indices.at(pos);
            const int status = res.value(QLatin1String("httpStatusCode")).toInt();
            if (status == 204 || status == 200) {
                recordSucceeded(job, i, job->updates.at(i).id);
            } else if (status == 412) {
                fetchConflict(job, i, {});
            } else {
                const EngineError e = errorFromJson(status, res.value(QLatin1String("body")), QStringLiteral("The record could not be saved."));
                if (isRetryableRecordError(e.errorCode)) {
                    lockRetry.append(i);
                    lockErrors.append(e);
                } else {
                    recordFailed(job, i, e);
                }
            }
        }
        if (!lockRetry.isEmpty())
            scheduleLockRetry(job, lockRetry, lockErrors);
        callDone(job);
    });
}

void RecordService::writeCollection(const std::shared_ptr<Job> &job, const QList<int> &indices)
{
    QJsonArray records;
    for (int i : indices) {
        const RecordUpdate &u = job->updates.at(i);
        QJsonObject rec = QJsonObject::fromVariantMap(u.changes);
        QJsonObject attributes;
        attributes.insert(QLatin1String("type"), u.sobjectType);
        rec.insert(QLatin1String("attributes"), attributes);
        rec.insert(QLatin1String("id"), u.id);
        records.append(rec);
    }
    QJsonObject body;
    body.insert(QLatin1String("allOrNone"), false);
    body.insert(QLatin1String("records"), records);

    HttpRequest req;
    req.method = "PATCH";
    req.path = dataPath() + QStringLiteral("/composite/sobjects");
    req.body = toJson(body);
    req.contentType = "application/json";
    req.operation = QStringLiteral("update");
    ++job->outstanding;
    send(job->id, req, [this, job, indices](Result<HttpResponse> r) {
        if (!r) {
            failAll(job, indices, r.error());
            return callDone(job);
        }
        const QJsonValue v = parseBody(r->body);
        if (r->status != 200 || !v.isArray() || v.toArray().size() != indices.size()) {
            const EngineError e = r->status != 200
                ? errorFromResponse(r->status, r->body, QStringLiteral("The records could not be saved."))
                : corruptReply(r->status);
            failAll(job, indices, e);
            return callDone(job);
        }
        // The result array is aligned with the request's records.
        const QJsonArray results = v.toArray();
        QList<int> lockRetry;
        QList<EngineError> lockErrors;
        for (int k = 0; k < indices.size(); ++k) {
            const int i = indices.at(k);
            const SaveResult res = saveResultFromJson(results.at(k));
            if (res.success) {
                recordSucceeded(job, i, res.id.isEmpty() ? job->updates.at(i).id : res.id);
                continue;
            }
            bool retry = !res.errors.isEmpty();
            for (const EngineError &e : res.errors)
                retry = retry && isRetryableRecordError(e.errorCode);
            if (retry) {
                lockRetry.append(i);
                lockErrors.append(res.errors.first());
            } else {
                SaveResult failedResult = res;
                failedResult.id = job->updates.at(i).id;
                job->outcome[i] = Failed;
                ++job->failed;
                Q_EMIT recordSaved(job->id, failedResult);
            }
        }
        if (!lockRetry.isEmpty())
            scheduleLockRetry(job, lockRetry, lockErrors);
        callDone(job);
    });
}

void RecordService::failAll(const std::shared_ptr<Job> &job, const QList<int> &indices, const EngineError &error)
{
    // A whole call refused with UNABLE_TO_LOCK_ROW (after the transport's own retries): the
    // records were not written, so they get the same bounded record-level retry.
    if (isRetryableRecordError(error.errorCode))
        return scheduleLockRetry(job, indices, QList<EngineError>(indices.size(), error));
    for (int i : indices)
        recordFailed(job, i, error);
}

void RecordService::scheduleLockRetry(const std::shared_ptr<Job> &job, const QList<int> &indices, const QList<EngineError> &errors)
{
    QList<int> again;
    int maxAttempt = 0;
    for (int k = 0; k < indices.size(); ++k) {
        const int i = indices.at(k);
        if (job->lockAttempts.at(i) >= m_limits.lockRetries) {
            recordFailed(job, i, errors.value(k));
            continue;
        }
        ++job->lockAttempts[i];
        maxAttempt = qMax(maxAttempt, job->lockAttempts.at(i));
        again.append(i);
    }
    if (again.isEmpty())
        return;
    const int delay = m_limits.lockRetryBaseMs * (1 << qMin(maxAttempt - 1, 6));
    ++job->outstanding;
    QTimer::singleShot(delay, this, [this, job, again] {
        if (!m_jobs.contains(job->id))
            return;
        write(job, again);
        callDone(job);
    });
}

void RecordService::fetchConflict(const std::shared_ptr<Job> &job, int index, const QJsonObject &known)
{
    const RecordUpdate &u = job->updates.at(index);
    HttpRequest req;
    req.method = "GET";
    req.path = dataPath() + QStringLiteral("/sobjects/") + u.sobjectType + u'/' + u.id + QStringLiteral("?fields=")
        + conflictFields(u).join(u',');
    req.operation = QStringLiteral("retrieve");
    req.sobject = u.sobjectType;
    ++job->outstanding;
    send(job->id, req, [this, job, index, known](Result<HttpResponse> r) {
        QJsonObject server = known;
        if (r && r->status == 200)
            server = parseBody(r->body).toObject();
        // Even without the current values the update was refused: report the conflict.
        recordConflicted(job, index, server);
        callDone(job);
    });
}

void RecordService::recordSucceeded(const std::shared_ptr<Job> &job, int index, const QString &recordId)
{
    if (!settle(job->outcome, index, Saved, job->succeeded))
        return;
    SaveResult res;
    res.id = recordId;
    res.success = true;
    Q_EMIT recordSaved(job->id, res);
}

void RecordService::recordFailed(const std::shared_ptr<Job> &job, int index, const EngineError &error)
{
    if (!settle(job->outcome, index, Failed, job->failed))
        return;
    SaveResult res;
    res.id = job->updates.at(index).id;
    res.success = false;
    res.errors.append(error);
    Q_EMIT recordSaved(job->id, res);
}

void RecordService::recordConflicted(const std::shared_ptr<Job> &job, int index, const QJsonObject &server)
{
    if (!settle(job->outcome, index, Conflicted, job->conflicts))
        return;
    const RecordUpdate &u = job->updates.at(index);
    RecordConflict c;
    c.sobjectType = u.sobjectType;
    c.id = u.id;
    c.attempted = u.changes;
    for (const QString &f : conflictFields(u)) {
        // Field names in the reply may differ in case from the user's.
        for (auto it = server.constBegin(); it != server.constEnd(); ++it) {
            if (it.key().compare(f, Qt::CaseInsensitive) == 0) {
                c.serverValues.insert(it.key(), it.value().toVariant());
                break;
            }
        }
    }
    c.serverModstamp = server.value(QLatin1String("SystemModstamp")).toString();
    Q_EMIT updateConflict(job->id, c);
}

} // namespace fs::engine
