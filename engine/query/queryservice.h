#pragma once

#include "api/engineerror.h"
#include "api/result.h"
#include "api/types.h"
#include "transport/httptypes.h"

#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <memory>
#include <unordered_map>

namespace fs::engine {

class Transport;

// Streams SOQL results page by page (reference §3.1–3.4). Engine thread only; page bodies are
// parsed on a worker pool (QueryPageParser, simdjson) so fetching, parsing and delivery overlap.
//
// run(): GET /services/data/vNN.N/query?q=<percent-encoded SOQL> (queryAll when
// options.includeDeleted) with `Sforce-Query-Options: batchSize=N`, then every nextRecordsUrl
// (passed to the transport as the absolute path the server gave; the transport prepends only the
// instance URL). The next page is requested as soon as its locator has been read from the current
// body — before the current page's records are parsed. Pages are delivered in order; the loop ends
// on `done`, never on totalSize arithmetic. Bounded mode (maxRecords/maxBytes) stops early and
// marks the last page truncated. A corrupt page body fails the request with a Server error; no
// partial page is delivered.
//
// Every request ends with exactly one of finished() or failed() (cancel() → failed(Cancelled)).
class QueryService : public QObject {
    Q_OBJECT
public:
    enum class Pipeline {
        Overlapped, // next page requested as soon as its locator is known (default)
        Sequential, // fetch, parse, deliver, then fetch the next page (for the benchmark)
    };

    explicit QueryService(Transport *transport, QObject *parent = nullptr);
    ~QueryService() override;

    void setPipeline(Pipeline pipeline) { m_pipeline = pipeline; }
    Pipeline pipeline() const { return m_pipeline; }

    // Requests currently streaming.
    int activeCount() const { return int(m_runs.size()); }

    // QueryStats::clientMsPerPage is wall-clock time. This is the same client work measured in
    // thread CPU time, for the request that finished last (0 before any): on a loaded machine it
    // leaves out the time the engine's threads waited for a core. For benchmarks.
    double lastClientCpuMsPerPage() const { return m_lastClientCpuMsPerPage; }

public Q_SLOTS:
    // Streams every page: pageReady per page (in order), then finished(), or failed().
    void run(fs::RequestId id, const QString &soql, const fs::QueryOptions &options);
    // One more page of a nested child result (RecordBatch::nextRecordsUrl of a Child cell):
    // pageReady once, then finished(). The page describes the child result: totalSize of the child
    // result, fetched = rows up to the end of this page (from the locator's offset suffix), done
    // when the child result is complete. A locator that is gone fails with INVALID_QUERY_LOCATOR;
    // ChildPager recovers from that.
    void fetchChildPage(fs::RequestId id, const QString &nextRecordsUrl);
    // True when `id` was ours; it then ends with failed(Cancelled) before this returns.
    bool cancel(fs::RequestId id);

Q_SIGNALS:
    void pageReady(fs::RequestId id, const fs::QueryPage &page);
    void finished(fs::RequestId id, const fs::QueryStats &stats);
    void failed(fs::RequestId id, const fs::EngineError &error);

private:
    struct Run;
    struct ParseOutcome;

    void fetch(const std::shared_ptr<Run> &run, const QString &path);
    void onResponse(const std::shared_ptr<Run> &run, const QString &path, Result<HttpResponse> result);
    void pumpParse(const std::shared_ptr<Run> &run);
    void onLocator(const std::shared_ptr<Run> &run, const QString &url);
    void onParsed(const std::shared_ptr<Run> &run, ParseOutcome outcome);
    void finish(const std::shared_ptr<Run> &run);
    void fail(const std::shared_ptr<Run> &run, const EngineError &error);
    void end(const std::shared_ptr<Run> &run);

    QPointer<Transport> m_transport;
    Pipeline m_pipeline = Pipeline::Overlapped;
    QThreadPool m_pool; // page parsing; pages of one request are parsed one after another
    std::unordered_map<fs::RequestId, std::shared_ptr<Run>> m_runs;
    double m_lastClientCpuMsPerPage = 0.0;
};

// A SOQL error reply → EngineError with line/column taken from "ERROR at Row:R:Column:C" and the
// last line of the server text as message (the whole text stays in detail). Any thread.
EngineError queryErrorFromResponse(int httpStatus, const QByteArray &body);

} // namespace fs::engine
