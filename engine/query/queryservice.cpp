#include "queryservice.h"

#include "querypageparser.h"
#include "recordbatchbuilder.h"

#include "auth/credentials.h"
#include "transport/httperrors.h"
#include "transport/transport.h"

#include "soql/parser.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QThread>
#include <QUrl>
#include <QtConcurrent/QtConcurrentRun>

#include <deque>

#include <ctime>

namespace fs::engine {

namespace {

// CPU time of the calling thread (user + system, page faults included), in ms. Unlike a wall
// clock it does not count time the thread spent waiting for a core on a busy machine.
double threadCpuMs()
{
#if defined(CLOCK_THREAD_CPUTIME_ID)
    timespec ts {};
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) == 0)
        return double(ts.tv_sec) * 1e3 + double(ts.tv_nsec) / 1e6;
#endif
    return 0.0;
}

// Wall and CPU time of one stretch of client work.
class WorkTimer {
public:
    WorkTimer()
        : m_cpuStart(threadCpuMs())
    {
        m_wall.start();
    }
    double wallMs() const { return double(m_wall.nsecsElapsed()) / 1e6; }
    double cpuMs() const { return threadCpuMs() - m_cpuStart; }

private:
    QElapsedTimer m_wall;
    double m_cpuStart;
};

// The column paths a query's select list names, in order, for the first page's column order:
// field paths (without the FROM alias), function calls on a field (toLabel(Status) → Status) or
// their alias, subquery relationship names and TYPEOF fields. Aggregate queries and FIELDS()
// keep the reply's order; a query the shared parser refuses gets no order (the server's error
// is what the user sees).
QStringList selectListColumns(const QString &soql)
{
    const fs::soql::ParseResult parsed = fs::soql::parse(soql);
    if (!parsed.ok() || !parsed.query || parsed.query->hasAggregates())
        return {};
    const fs::soql::Query &query = *parsed.query;
    const auto withoutAlias = [&query](const fs::soql::FieldPath &path) {
        QStringList parts = path.parts;
        if (parts.size() > 1 && !query.fromAlias.isEmpty() && parts.first().compare(query.fromAlias, Qt::CaseInsensitive) == 0)
            parts.removeFirst();
        return parts.join(u'.');
    };
    QStringList columns;
    for (const fs::soql::SelectItem &item : query.select) {
        switch (item.kind) {
        case fs::soql::SelectItem::Kind::Value:
            if (!item.alias.isEmpty())
                columns.append(item.alias);
            else if (item.value.kind == fs::soql::ValueExpr::Kind::Field)
                columns.append(withoutAlias(item.value.field));
            else if (item.value.args.size() == 1 && item.value.args.front().kind == fs::soql::ValueExpr::Kind::Field)
                columns.append(withoutAlias(item.value.args.front().field));
            break;
        case fs::soql::SelectItem::Kind::Subquery:
            if (item.subquery)
                columns.append(item.subquery->from.text());
            break;
        case fs::soql::SelectItem::Kind::TypeOf:
            columns.append(withoutAlias(item.typeOfField));
            break;
        case fs::soql::SelectItem::Kind::Fields:
            return {};
        }
    }
    return columns;
}

} // namespace

struct QueryService::Run {
    RequestId id = 0;
    QueryOptions options;
    bool child = false; // fetchChildPage: one page only
    qint64 childOffset = 0; // fetchChildPage: rows of the child result before this page (locator suffix)
    ChildCursor origin; // run(): the query, handed out with every page (QueryPage::origin)
    bool active = true;

    quint64 handle = 0; // in-flight transport request, 0 when none
    QString lastRequested; // path of the most recent page request
    std::deque<QByteArray> bodies; // fetched, waiting to be parsed (in order)
    bool parsing = false;

    QStringList columns; // previous page's columns: seed the next page's order
    QStringList selectOrder; // the select list's column paths: order of the first page
    qint64 fetched = 0;
    qint64 keptBytes = 0;
    qint64 bytes = 0;
    int pages = 0;
    // Client work for the pages so far: queueing the body, parsing and building on the pool,
    // and handing the batch over (pageReady emitted). Waiting (network, queues) is not counted.
    double clientMs = 0.0;
    double clientCpuMs = 0.0; // the same work in thread CPU time
    QElapsedTimer timer;
};

struct QueryService::ParseOutcome {
    Result<RecordBatch> batch = RecordBatch();
    double ms = 0.0;
    double cpuMs = 0.0;
};

QueryService::QueryService(Transport *transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
{
    // Parsing is CPU-bound and short; two workers let two queries overlap on a 2-core machine.
    m_pool.setMaxThreadCount(2);
    m_pool.setObjectName(QStringLiteral("fs-query-parse"));
}

QueryService::~QueryService()
{
    for (auto &[id, run] : m_runs) {
        run->active = false;
        if (run->handle && m_transport)
            m_transport->cancel(run->handle);
    }
    m_runs.clear();
    m_pool.waitForDone(); // workers only touch their own copies, but never outlive the pool
}

void QueryService::run(RequestId id, const QString &soql, const QueryOptions &options)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto run = std::make_shared<Run>();
    run->id = id;
    run->options = options;
    run->origin.soql = soql;
    run->origin.includeDeleted = options.includeDeleted;
    run->selectOrder = selectListColumns(soql);
    run->timer.start();
    const std::shared_ptr<Credentials> credentials = m_transport ? m_transport->credentials() : nullptr;
    if (!credentials || credentials->apiVersion().isEmpty()) {
        Q_EMIT failed(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));
        return;
    }
    if (soql.trimmed().isEmpty()) {
        Q_EMIT failed(id, EngineError::make(EngineError::Category::Validation, QStringLiteral("The query is empty.")));
        return;
    }
    m_runs[id] = run;
    const QString resource = options.includeDeleted ? QStringLiteral("queryAll") : QStringLiteral("query");
    const QString path = QStringLiteral("/services/data/v%1/%2?q=%3")
                             .arg(credentials->apiVersion(), resource,
                                 QString::fromLatin1(QUrl::toPercentEncoding(soql)));
    fetch(run, path);
}

void QueryService::fetchChildPage(RequestId id, const QString &nextRecordsUrl)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto run = std::make_shared<Run>();
    run->id = id;
    run->child = true;
    run->timer.start();
    if (!m_transport || !m_transport->credentials()) {
        Q_EMIT failed(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));
        return;
    }
    if (!nextRecordsUrl.startsWith(QStringLiteral("/services/data/"))) {
        Q_EMIT failed(id,
            EngineError::make(EngineError::Category::Validation,
                QStringLiteral("Not a query locator: expected a path beginning /services/data/.")));
        return;
    }
    // ".../query/01g…-499": the suffix is the offset of this page's first row in the child result.
    const qsizetype dash = nextRecordsUrl.lastIndexOf(u'-');
    if (dash > 0)
        run->childOffset = qMax<qint64>(0, QStringView(nextRecordsUrl).mid(dash + 1).toLongLong());
    m_runs[id] = run;
    fetch(run, nextRecordsUrl);
}

bool QueryService::cancel(RequestId id)
{
    const auto it = m_runs.find(id);
    if (it == m_runs.end())
        return false;
    const std::shared_ptr<Run> run = it->second;
    end(run);
    Q_EMIT failed(id, EngineError::make(EngineError::Category::Cancelled, QStringLiteral("The query was cancelled.")));
    return true;
}

void QueryService::fetch(const std::shared_ptr<Run> &run, const QString &path)
{
    if (!m_transport) {
        fail(run, EngineError::make(EngineError::Category::Network, QStringLiteral("The engine is shutting down.")));
        return;
    }
    HttpRequest request;
    request.method = "GET";
    request.path = path; // a nextRecordsUrl is an absolute path: the transport prepends the instance URL only
    request.operation = QStringLiteral("query");
    if (!run->child) {
        const int batchSize = qBound(200, run->options.batchSize, 2000);
        request.headers.append({ QByteArrayLiteral("Sforce-Query-Options"), "batchSize=" + QByteArray::number(batchSize) });
    }
    run->lastRequested = path;
    QPointer<QueryService> self(this);
    run->handle = m_transport->send(std::move(request), [self, run, path](Result<HttpResponse> result) {
        if (self)
            self->onResponse(run, path, std::move(result));
    });
}

void QueryService::onResponse(const std::shared_ptr<Run> &run, const QString &path, Result<HttpResponse> result)
{
    Q_UNUSED(path)
    run->handle = 0;
    if (!run->active)
        return;
    if (!result.ok()) {
        fail(run, result.error());
        return;
    }
    const WorkTimer work;
    HttpResponse &response = result.value();
    if (response.status != 200) {
        fail(run, queryErrorFromResponse(response.status, response.body));
        return;
    }
    run->bytes += response.body.size();
    run->bodies.push_back(std::move(response.body));
    pumpParse(run);
    run->clientMs += work.wallMs();
    run->clientCpuMs += work.cpuMs();
}

void QueryService::pumpParse(const std::shared_ptr<Run> &run)
{
    if (!run->active || run->parsing || run->bodies.empty())
        return;
    run->parsing = true;
    QByteArray body = std::move(run->bodies.front());
    run->bodies.pop_front();
    const QStringList seed = run->columns;
    const QStringList selectOrder = run->pages == 0 ? run->selectOrder : QStringList();
    const bool early = m_pipeline == Pipeline::Overlapped && !run->child;

    QPointer<QueryService> self(this);
    QueryPageParser::LocatorCallback onLocator;
    if (early) {
        // Called on the worker as soon as the locator is read: hop to the engine thread and
        // request the next page while this one is still being parsed.
        onLocator = [self, run](const QString &url) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, run, url] {
                    if (self)
                        self->onLocator(run, url);
                },
                Qt::QueuedConnection);
        };
    }
    QtConcurrent::run(&m_pool,
        [body = std::move(body), seed, onLocator, selectOrder]() mutable {
            const WorkTimer work;
            ParseOutcome outcome;
            outcome.batch = QueryPageParser::parse(std::move(body), seed, onLocator, selectOrder);
            outcome.ms = work.wallMs();
            outcome.cpuMs = work.cpuMs();
            return outcome;
        })
        .then(this, [this, run](ParseOutcome outcome) { onParsed(run, std::move(outcome)); });
}

void QueryService::onLocator(const std::shared_ptr<Run> &run, const QString &url)
{
    if (!run->active || run->handle != 0 || url == run->lastRequested)
        return;
    fetch(run, url);
}

void QueryService::onParsed(const std::shared_ptr<Run> &run, ParseOutcome outcome)
{
    const WorkTimer work;
    run->parsing = false;
    if (!run->active)
        return;
    if (!outcome.batch.ok()) {
        fail(run, outcome.batch.error());
        return;
    }
    RecordBatch batch = std::move(outcome.batch).value();
    run->pages += 1;
    run->clientMs += outcome.ms;
    run->clientCpuMs += outcome.cpuMs;
    run->columns = batch.columns();

    QueryPage page;
    page.pageIndex = run->pages - 1;
    page.totalSize = batch.totalSize();
    page.done = batch.done(); // for a child page: whether the child result is complete
    page.origin = run->origin;

    const QueryOptions &options = run->options;
    if (!run->child && !batch.done() && batch.nextRecordsUrl().isEmpty()) {
        EngineError error = EngineError::make(EngineError::Category::Server, QueryPageParser::malformedMessage());
        error.detail = QStringLiteral("The page is not the last one but carries no nextRecordsUrl.");
        fail(run, error);
        return;
    }
    if (!run->child && options.maxRecords > 0 && run->fetched + batch.rowCount() >= options.maxRecords) {
        const qint64 room = options.maxRecords - run->fetched;
        const bool more = batch.rowCount() > room || !batch.done();
        batch = RecordBatchBuilder::truncated(batch, int(room));
        page.truncated = more;
        page.done = true;
    }
    run->keptBytes += batch.byteSize();
    if (!run->child && !page.done && options.maxBytes > 0 && run->keptBytes >= options.maxBytes) {
        page.truncated = true;
        page.done = true;
    }
    run->fetched += batch.rowCount();
    page.fetched = run->childOffset + run->fetched;
    page.batch = std::move(batch);

    const RequestId id = run->id;
    const QString next = page.batch.nextRecordsUrl();
    const bool done = page.done;
    // Counted up to the hand-over: for a receiver on another thread (the UI) emitting posts an
    // event; a directly connected slot's own work is the receiver's, not ours.
    run->clientMs += work.wallMs();
    run->clientCpuMs += work.cpuMs();
    Q_EMIT pageReady(id, page);
    if (!run->active)
        return; // cancelled from a slot connected to pageReady
    if (done || run->child) {
        finish(run); // a child page request ends after its one page
        return;
    }
    if (run->handle == 0 && next != run->lastRequested)
        fetch(run, next); // sequential mode, or the locator arrived after the records
    pumpParse(run);
}

void QueryService::finish(const std::shared_ptr<Run> &run)
{
    QueryStats stats;
    stats.records = run->fetched;
    stats.pages = run->pages;
    stats.bytes = run->bytes;
    stats.seconds = double(run->timer.nsecsElapsed()) / 1e9;
    stats.clientMsPerPage = run->pages > 0 ? run->clientMs / run->pages : 0.0;
    m_lastClientCpuMsPerPage = run->pages > 0 ? run->clientCpuMs / run->pages : 0.0;
    const RequestId id = run->id;
    end(run);
    Q_EMIT finished(id, stats);
}

void QueryService::fail(const std::shared_ptr<Run> &run, const EngineError &error)
{
    const RequestId id = run->id;
    end(run);
    Q_EMIT failed(id, error);
}

void QueryService::end(const std::shared_ptr<Run> &run)
{
    run->active = false;
    run->bodies.clear();
    if (run->handle && m_transport) {
        const quint64 handle = run->handle;
        run->handle = 0;
        m_transport->cancel(handle); // its callback sees an inactive run and does nothing
    }
    m_runs.erase(run->id);
}

EngineError queryErrorFromResponse(int httpStatus, const QByteArray &body)
{
    EngineError error = HttpErrors::fromResponse(httpStatus, body);
    static const QRegularExpression position(QStringLiteral("ERROR at Row:(\\d+):Column:(\\d+)"));
    const QRegularExpressionMatch match = position.match(error.message);
    if (match.hasMatch()) {
        error.line = match.captured(1).toInt();
        error.column = match.captured(2).toInt();
        const QString serverText = error.message;
        const QString description = serverText.mid(match.capturedEnd()).trimmed();
        if (!description.isEmpty())
            error.message = description;
        error.detail = error.detail.isEmpty() ? serverText.trimmed() : serverText.trimmed() + u'\n' + error.detail;
    }
    return error;
}

} // namespace fs::engine
