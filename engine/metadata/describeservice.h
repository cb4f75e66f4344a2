#pragma once

#include "api/engineerror.h"
#include "api/result.h"
#include "api/types.h"
#include "transport/httptypes.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <unordered_map>

namespace fs::engine {

class Transport;

// Versions, describeGlobal and sObject describe (reference §2.1, §2.7, §4.1–4.3), with an
// on-disk describe cache. Engine thread only; JSON is parsed on a pool thread.
//
// Cache: one JSON file per answer under <cacheDirectory>/<org key>/v<api version>/
// (global.json, sobjects/<Name>.json), written atomically (QSaveFile). It holds the server's
// body and its Last-Modified time. A cached answer younger than maxAgeSeconds() is served
// without a request; an older one is revalidated with If-Modified-Since: 304 serves the cache
// (and marks it fresh again), 200 replaces it. A cache that cannot be read or written is ignored
// (the answer then comes from the server), never an error.
class DescribeService : public QObject {
    Q_OBJECT
public:
    explicit DescribeService(Transport *transport, QObject *parent = nullptr);
    ~DescribeService() override;

    // Default: QStandardPaths::CacheLocation + "/describe".
    void setCacheDirectory(const QString &directory);
    QString cacheDirectory() const { return m_cacheDir; }
    // The cache partition for the current org: its alias or organization id. Empty → the
    // instance URL's host.
    void setOrgKey(const QString &key) { m_orgKey = key; }
    QString orgKey() const;
    // Seconds a cached answer is served without revalidation (default 600; 0 = always revalidate).
    void setMaxAgeSeconds(int seconds) { m_maxAgeSeconds = seconds; }
    int maxAgeSeconds() const { return m_maxAgeSeconds; }

    // Counters for tests and the metrics panel.
    int cacheHits() const { return m_cacheHits; } // served from disk without a request
    int notModified() const { return m_notModified; } // 304 answers (served from disk)

    // For engine-internal callers (ChildPager): the describe of sObject `name` through the same
    // cache and revalidation as describe(), answered to `done` instead of a signal (so nothing
    // reaches the engine's clients). `done` runs exactly once, later, on this object's thread
    // (never before this returns), unless dropDescribe(ticket) ran first; then never. Requests
    // for one name while a fetch of it is under way share that fetch. Returns a ticket, never 0.
    using DescribeCallback = std::function<void(const Result<SObjectDescribe> &)>;
    quint64 describeFor(const QString &name, DescribeCallback done);
    // Forgets `ticket` (unknown tickets are ignored). The shared fetch is cancelled when no other
    // ticket waits for it.
    void dropDescribe(quint64 ticket);

public Q_SLOTS:
    // GET /services/data → versionsReady (oldest first, e.g. "59.0").
    void fetchVersions(fs::RequestId id);
    // GET /sobjects → globalDescribeReady.
    void describeGlobal(fs::RequestId id);
    // GET /sobjects/<name>/describe → sobjectDescribed. `name` must be an API name.
    void describe(fs::RequestId id, const QString &name);
    // Deletes every cached answer of the current org.
    void clearCache();
    // True when `id` was ours; it then ends with failed(Cancelled).
    bool cancel(fs::RequestId id);

Q_SIGNALS:
    void versionsReady(fs::RequestId id, const QStringList &versions);
    void globalDescribeReady(fs::RequestId id, const QList<fs::SObjectSummary> &objects);
    void sobjectDescribed(fs::RequestId id, const fs::SObjectDescribe &describe);
    void failed(fs::RequestId id, const fs::EngineError &error);

public:
    // Pure parsers (any thread), public for tests.
    static Result<QList<SObjectSummary>> parseGlobal(const QByteArray &body);
    static Result<SObjectDescribe> parseDescribe(const QByteArray &body);
    static Result<QStringList> parseVersions(const QByteArray &body);

private:
    struct CacheEntry {
        QByteArray body;
        QDateTime lastModified; // for If-Modified-Since
        QDateTime savedAt; // when it was last confirmed by the server
    };
    enum class Kind { Global, SObject };

    void fetchDescribe(RequestId id, Kind kind, const QString &name);
    void deliver(RequestId id, Kind kind, const QByteArray &body, const QDateTime &lastModified);
    QString cacheFile(Kind kind, const QString &name) const;
    std::optional<CacheEntry> readCache(const QString &file) const;
    void writeCache(const QString &file, const CacheEntry &entry) const;
    QString dataPath() const;
    void fail(RequestId id, const EngineError &error);
    // describeFor(): internal fetches use ids from kInternalIds up, apart from the clients' ids.
    static constexpr RequestId kInternalIds = RequestId(1) << 63;
    static bool isInternal(RequestId id) { return id >= kInternalIds; }
    void resolveInternal(RequestId id, const Result<SObjectDescribe> &result);

    QPointer<Transport> m_transport;
    QString m_cacheDir;
    QString m_orgKey;
    int m_maxAgeSeconds = 600;
    int m_cacheHits = 0;
    int m_notModified = 0;
    std::unordered_map<RequestId, quint64> m_pending; // request → transport handle
    struct Waiter {
        QString name;
        DescribeCallback done;
    };
    std::unordered_map<quint64, Waiter> m_waiters; // describeFor() ticket → waiter
    QHash<QString, RequestId> m_internalFetches; // sObject name → internal fetch under way
    quint64 m_nextTicket = 1;
    RequestId m_nextInternal = kInternalIds;
};

} // namespace fs::engine
