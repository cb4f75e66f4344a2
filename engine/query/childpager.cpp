#include "childpager.h"

#include "childqueryplanner.h"
#include "queryservice.h"
#include "recordbatchbuilder.h"

#include "auth/credentials.h"
#include "metadata/describeservice.h"
#include "transport/transport.h"

#include <soql/builder.h>

#include <QElapsedTimer>
#include <QThread>

namespace fs::engine {

namespace {

// A locator the server no longer knows: invalidated by the parent's next page, or expired.
bool locatorIsGone(const EngineError &error)
{
    return error.errorCode == u"INVALID_QUERY_LOCATOR";
}

// `batch` without its first `rows` rows (the caller holds them already). Child cells are shared.
RecordBatch dropLeadingRows(const RecordBatch &batch, int rows)
{
    RecordBatchBuilder b;
    const QStringList &columns = batch.columns();
    b.seedColumns(columns);
    std::vector<QByteArray> paths;
    paths.reserve(size_t(columns.size()));
    for (const QString &c : columns)
        paths.push_back(c.toUtf8());
    for (int r = rows; r < batch.rowCount(); ++r) {
        const QByteArray type = batch.recordType(r).toUtf8();
        const QByteArray id = batch.recordId(r).toUtf8();
        b.beginRecord(std::string_view(type.constData(), size_t(type.size())), std::string_view(id.constData(), size_t(id.size())));
        for (int c = 0; c < columns.size(); ++c) {
            const std::string_view path(paths[size_t(c)].constData(), size_t(paths[size_t(c)].size()));
            switch (batch.cellType(r, c)) {
            case RecordBatch::CellType::Null:
                b.addNull(path);
                break;
            case RecordBatch::CellType::String: {
                const QByteArrayView v = batch.utf8(r, c);
                b.addString(path, std::string_view(v.data(), size_t(v.size())));
                break;
            }
            case RecordBatch::CellType::Number:
                b.addNumber(path, batch.number(r, c));
                break;
            case RecordBatch::CellType::Boolean:
                b.addBool(path, batch.value(r, c).toBool());
                break;
            case RecordBatch::CellType::Child:
                b.addChild(path, batch.child(r, c));
                break;
            case RecordBatch::CellType::Object: {
                const QByteArrayView v = batch.utf8(r, c);
                b.addObject(path, std::string_view(v.data(), size_t(v.size())));
                break;
            }
            }
        }
        b.endRecord();
    }
    b.setResultInfo(batch.totalSize(), batch.done(), batch.nextRecordsUrl());
    b.setSObjectType(batch.sobjectType());
    return b.build();
}

} // namespace

struct ChildPager::Job {
    enum class Mode { Locator, Requery };

    RequestId id = 0;
    ChildCursor cursor;
    Mode mode = Mode::Locator;
    bool active = true;
    RequestId inner = 0; // request of m_queries in flight, 0 when none
    quint64 describeTicket = 0; // DescribeService::describeFor() ticket, 0 when none
    QString next; // Locator: the page after the one just delivered
    qint64 delivered = 0; // rows delivered by this request
    qint64 skip = 0; // Requery: rows of the standalone query still to drop
    qint64 totalSize = 0;
    int pages = 0;
    qint64 bytes = 0;
    double clientMs = 0.0;
    std::unique_ptr<ChildQueryPlanner> planner;
    QElapsedTimer timer;
};

ChildPager::ChildPager(Transport *transport, DescribeService *describes, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_describes(describes)
    , m_queries(std::make_unique<QueryService>(transport))
{
    connect(m_queries.get(), &QueryService::pageReady, this, &ChildPager::onPage);
    connect(m_queries.get(), &QueryService::finished, this, &ChildPager::onFinished);
    connect(m_queries.get(), &QueryService::failed, this, &ChildPager::onFailed);
}

ChildPager::~ChildPager()
{
    const auto jobs = m_jobs;
    for (const auto &[id, job] : jobs)
        end(job);
}

void ChildPager::fetchRows(RequestId id, const ChildCursor &cursor)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto job = std::make_shared<Job>();
    job->id = id;
    job->cursor = cursor;
    job->totalSize = cursor.totalSize;
    job->timer.start();
    m_jobs[id] = job;
    if (!m_transport || !m_transport->credentials()) {
        fail(job, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));
        return;
    }
    if (!cursor.nextRecordsUrl.isEmpty())
        followLocator(job, cursor.nextRecordsUrl);
    else if (cursor.totalSize > 0 && cursor.held >= cursor.totalSize)
        finish(job); // nothing left
    else
        requery(job);
}

bool ChildPager::cancel(RequestId id)
{
    const auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return false;
    end(it->second); // end() keeps its own reference while it erases the map's
    Q_EMIT failed(id, EngineError::make(EngineError::Category::Cancelled, QStringLiteral("The query was cancelled.")));
    return true;
}

std::shared_ptr<ChildPager::Job> ChildPager::jobOf(RequestId inner) const
{
    const auto it = m_inner.find(inner);
    if (it == m_inner.end())
        return nullptr;
    const auto j = m_jobs.find(it->second);
    return j == m_jobs.end() ? nullptr : j->second;
}

void ChildPager::followLocator(const std::shared_ptr<Job> &job, const QString &url)
{
    job->mode = Job::Mode::Locator;
    job->inner = m_nextInner++;
    m_inner[job->inner] = job->id;
    m_queries->fetchChildPage(job->inner, url);
}

void ChildPager::requery(const std::shared_ptr<Job> &job)
{
    ++m_requeries;
    job->mode = Job::Mode::Requery;
    job->skip = job->cursor.held + job->delivered;
    job->planner = std::make_unique<ChildQueryPlanner>(job->cursor);
    if (job->planner->failed()) {
        fail(job, job->planner->error());
        return;
    }
    describeNext(job);
}

void ChildPager::describeNext(const std::shared_ptr<Job> &job)
{
    const QString name = job->planner->pendingDescribe();
    if (name.isEmpty()) {
        runStandalone(job);
        return;
    }
    if (!m_describes) {
        fail(job, EngineError::make(EngineError::Category::Server, QStringLiteral("The engine is shutting down.")));
        return;
    }
    // Through the engine's describe cache (fresh: no request; stale: If-Modified-Since → 304).
    // The answer comes later, never from within describeFor().
    QPointer<ChildPager> self(this);
    job->describeTicket = m_describes->describeFor(name, [self, job](const Result<SObjectDescribe> &describe) {
        job->describeTicket = 0;
        if (!self || !job->active)
            return;
        if (!describe.ok())
            return self->fail(job, describe.error());
        job->planner->addDescribe(describe.value());
        if (job->planner->failed())
            return self->fail(job, job->planner->error());
        self->describeNext(job);
    });
}

void ChildPager::runStandalone(const std::shared_ptr<Job> &job)
{
    const Result<QString> soql = job->planner->build();
    if (!soql.ok()) {
        fail(job, soql.error());
        return;
    }
    QueryOptions options;
    options.includeDeleted = job->cursor.includeDeleted;
    options.batchSize = 2000;
    job->inner = m_nextInner++;
    m_inner[job->inner] = job->id;
    m_queries->run(job->inner, soql.value(), options);
}

void ChildPager::onPage(RequestId inner, const QueryPage &page)
{
    const std::shared_ptr<Job> job = jobOf(inner);
    if (!job)
        return;
    RecordBatch batch = page.batch;
    bool done = page.done;
    if (job->mode == Job::Mode::Locator) {
        done = batch.done();
        job->totalSize = batch.totalSize();
        job->next = done ? QString() : batch.nextRecordsUrl();
    } else {
        job->totalSize = page.totalSize;
        if (job->skip > 0) {
            const int drop = int(qMin<qint64>(job->skip, batch.rowCount()));
            job->skip -= drop;
            if (drop == batch.rowCount() && !done)
                return; // every row of this page is already held
            batch = dropLeadingRows(batch, drop);
        }
    }
    job->delivered += batch.rowCount();

    QueryPage out;
    out.pageIndex = job->pages++;
    out.totalSize = job->totalSize;
    out.fetched = job->cursor.held + job->delivered;
    out.done = done;
    // Where the child result continues after this page (a top-level locator after a re-query:
    // the standalone query's rows line up with the child result's).
    out.origin = job->cursor;
    out.origin.nextRecordsUrl = done ? QString() : batch.nextRecordsUrl();
    out.origin.held = out.fetched;
    out.origin.totalSize = job->totalSize;
    out.batch = std::move(batch);
    Q_EMIT pageReady(job->id, out);
}

void ChildPager::onFinished(RequestId inner, const QueryStats &stats)
{
    const std::shared_ptr<Job> job = jobOf(inner);
    m_inner.erase(inner);
    if (!job)
        return;
    job->inner = 0;
    job->bytes += stats.bytes;
    job->clientMs += stats.clientMsPerPage * stats.pages;
    if (job->mode == Job::Mode::Locator && !job->next.isEmpty())
        followLocator(job, job->next);
    else
        finish(job);
}

void ChildPager::onFailed(RequestId inner, const EngineError &error)
{
    const std::shared_ptr<Job> job = jobOf(inner);
    m_inner.erase(inner);
    if (!job)
        return;
    job->inner = 0;
    if (job->mode == Job::Mode::Locator && locatorIsGone(error) && job->planner == nullptr) {
        requery(job);
        return;
    }
    fail(job, error);
}

void ChildPager::finish(const std::shared_ptr<Job> &job)
{
    QueryStats stats;
    stats.records = job->delivered;
    stats.pages = job->pages;
    stats.bytes = job->bytes;
    stats.seconds = double(job->timer.nsecsElapsed()) / 1e9;
    stats.clientMsPerPage = job->pages > 0 ? job->clientMs / job->pages : 0.0;
    const RequestId id = job->id;
    end(job);
    Q_EMIT finished(id, stats);
}

void ChildPager::fail(const std::shared_ptr<Job> &job, const EngineError &error)
{
    const RequestId id = job->id;
    end(job);
    Q_EMIT failed(id, error);
}

void ChildPager::end(const std::shared_ptr<Job> &jobRef)
{
    const std::shared_ptr<Job> job = jobRef; // jobRef may be the map's own, erased below
    job->active = false;
    m_jobs.erase(job->id);
    if (job->inner) {
        const RequestId inner = job->inner;
        job->inner = 0;
        m_inner.erase(inner);
        m_queries->cancel(inner); // its failed(Cancelled) finds no job
    }
    if (job->describeTicket) {
        const quint64 ticket = job->describeTicket;
        job->describeTicket = 0;
        if (m_describes)
            m_describes->dropDescribe(ticket); // its callback never runs
    }
}

} // namespace fs::engine
