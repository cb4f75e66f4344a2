#pragma once

#include "api/engineerror.h"
#include "api/types.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <unordered_map>

namespace fs::engine {

class DescribeService;
class QueryService;
class Transport;

// Streams the rest of one nested child result (reference §3.2), surviving a dead child locator.
//
// fetchRows() follows the cursor's nextRecordsUrl page by page. When the locator is gone (400
// INVALID_QUERY_LOCATOR: the parent query moved on to its next page, or 15 idle minutes passed)
// or the cursor has none, it re-queries that parent's children on their own (ChildQueryPlanner,
// with the describe of each level's sObject from `describes`, the engine's DescribeService, so
// its cache serves repeated re-queries), as queryAll when the parent query was, skips the rows
// the caller already holds and pages on normally. Each row is delivered once.
//
// Pages describe the child result: totalSize of the child result, fetched = rows the caller now
// holds (cursor.held included), done on the last one; origin is the cursor that continues after
// the page. Every request ends with exactly one of finished() or failed(). Engine thread only.
class ChildPager : public QObject {
    Q_OBJECT
public:
    // `describes` must outlive this pager's requests (the engine destroys the pager first).
    ChildPager(Transport *transport, DescribeService *describes, QObject *parent = nullptr);
    ~ChildPager() override;

    int activeCount() const { return int(m_jobs.size()); }
    // Re-queries done so far (for tests and metrics).
    int requeries() const { return m_requeries; }

public Q_SLOTS:
    void fetchRows(fs::RequestId id, const fs::ChildCursor &cursor);
    // True when `id` was ours; it then ends with failed(Cancelled) before this returns.
    bool cancel(fs::RequestId id);

Q_SIGNALS:
    void pageReady(fs::RequestId id, const fs::QueryPage &page);
    void finished(fs::RequestId id, const fs::QueryStats &stats);
    void failed(fs::RequestId id, const fs::EngineError &error);

private:
    struct Job;

    void followLocator(const std::shared_ptr<Job> &job, const QString &url);
    void requery(const std::shared_ptr<Job> &job);
    void describeNext(const std::shared_ptr<Job> &job);
    void runStandalone(const std::shared_ptr<Job> &job);
    void onPage(fs::RequestId inner, const fs::QueryPage &page);
    void onFinished(fs::RequestId inner, const fs::QueryStats &stats);
    void onFailed(fs::RequestId inner, const fs::EngineError &error);
    void finish(const std::shared_ptr<Job> &job);
    void fail(const std::shared_ptr<Job> &job, const EngineError &error);
    void end(const std::shared_ptr<Job> &job);
    std::shared_ptr<Job> jobOf(fs::RequestId inner) const;

    QPointer<Transport> m_transport;
    QPointer<DescribeService> m_describes;
    // Private: its answers carry this pager's inner ids, never the caller's, so nothing else sees them.
    std::unique_ptr<QueryService> m_queries;
    std::unordered_map<fs::RequestId, std::shared_ptr<Job>> m_jobs; // by caller id
    std::unordered_map<fs::RequestId, fs::RequestId> m_inner; // inner request → caller id
    fs::RequestId m_nextInner = 1;
    int m_requeries = 0;
};

} // namespace fs::engine
