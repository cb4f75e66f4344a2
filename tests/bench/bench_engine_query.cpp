// End-to-end query benchmark: QueryService (transport → simdjson page parser → RecordBatch)
// against a simulated org holding N Accounts with 10 selected fields.
//
//   bench_engine_query [--records 1000000] [--latency-records 60000] [--latency 150]
//                      [--consumer-ms 20] [--rounds 3] [--parse-repeat 300] [--default-allocator]
//
// The org runs in a child process (this executable with --serve), so the peak RSS printed is the
// client's alone. As in the app, the engine (transport + QueryService) runs on its own thread and
// the consumer (the "display") on the main thread, receiving pages through queued signals.
//
// 1. Client work on one real 2,000-record page, repeated: simdjson stage 1 alone, simdjson's own
//    full DOM parse (the yardstick the 0.5 ms target is set against: about 0.2 ms on the
//    machines it was set on; the target is printed scaled by it), the whole page
//    parser (stage 1 + walk + RecordBatch build, on a body with room after it as the transport
//    delivers it, so parsed in place), and for contrast what decoding every cell to
//    QString/QVariant would cost (the batch keeps UTF-8 and decodes only the cells shown).
// 2. The whole query, every page kept in memory as the record grid keeps it: records/s end to
//    end, client milliseconds per page (QueryStats::clientMsPerPage: queueing the body, parsing,
//    building, handing the batch over — all client work from body bytes in to pageReady; waiting
//    is not counted) and peak RSS.
// 3. An org answering every request --latency ms late, and a consumer that works --consumer-ms
//    per page (busy, like a real grid insert): "sequential" requests page N+1 only after page N was
//    parsed and displayed (blocking delivery); "overlapped" requests it as soon as its locator has
//    been read, so the round trip hides parsing and display. The simulator's own time per page
//    swings with machine load, so --rounds alternating pairs are run and medians compared.
#include "api/types.h"
#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "core/streamingallocator.h"
#include "query/queryservice.h"
#include "transport/transport.h"

#include "simulator.h"
#include "store/schema.h"
#include "store/store.h"

#include "query/querypageparser.h"

#include <simdjson.h>

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QProcess>
#include <QTextStream>
#include <QThread>
#include <QUrl>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

namespace {

const QString kSoql = QStringLiteral(
    "SELECT Id, Name, AccountNumber, Type, Industry, AnnualRevenue, NumberOfEmployees, Phone, Website, BillingCity "
    "FROM Account");

class StaticCredentials : public fs::engine::Credentials {
public:
    StaticCredentials(QUrl url, QString token)
        : m_url(std::move(url))
        , m_token(std::move(token))
    {
    }
    QUrl instanceUrl() const override { return m_url; }
    QString apiVersion() const override { return QStringLiteral("59.0"); }
    QString accessToken() const override { return m_token; }
    bool canRefresh() const override { return false; }
    void refresh(std::function<void(fs::Result<void>)> done) override
    {
        done(fs::EngineError::make(fs::EngineError::Category::Auth, QStringLiteral("no refresh in the benchmark")));
    }

private:
    QUrl m_url;
    QString m_token;
};

double peakRssMb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // Linux: kilobytes
}

// --serve: the simulated org with `records` Accounts; prints "READY <url> <token>" and serves
// until stdin closes.
int serve(qint64 records, int latencyMs)
{
    fs::sim::SimulatorOptions options;
    options.scale = 0;
    options.latencyMs = latencyMs;
    fs::sim::Simulator sim(options);
    QString error;
    if (!sim.start(&error)) {
        std::fprintf(stderr, "simulator: %s\n", qPrintable(error));
        return 1;
    }
    fs::sim::Store &store = sim.store();
    const fs::sim::ObjectDef *account = store.schema().object(QStringLiteral("Account"));
    if (!account) {
        std::fprintf(stderr, "simulator: no Account object\n");
        return 1;
    }
    {
        fs::sim::Store::Transaction tx(store);
        fs::sim::Store::BulkInserter ins(store, *account,
            { QStringLiteral("Id"), QStringLiteral("IsDeleted"), QStringLiteral("OwnerId"), QStringLiteral("CreatedDate"),
                QStringLiteral("CreatedById"), QStringLiteral("LastModifiedDate"), QStringLiteral("LastModifiedById"),
                QStringLiteral("SystemModstamp"), QStringLiteral("Name"), QStringLiteral("AccountNumber"),
                QStringLiteral("Type"), QStringLiteral("Industry"), QStringLiteral("AnnualRevenue"),
                QStringLiteral("NumberOfEmployees"), QStringLiteral("Phone"), QStringLiteral("Website"),
                QStringLiteral("BillingCity") });
        if (!ins.isValid()) {
            std::fprintf(stderr, "simulator: %s\n", qPrintable(ins.error()));
            return 1;
        }
        const QByteArray owner = store.defaultUserId().toLatin1();
        const QByteArray stamp = "2024-01-15T10:30:00.000+0000";
        static const char *const types[] = { "Customer", "Prospect", "Partner", "Reseller" };
        static const char *const industries[] = { "Banking", "Energy", "Retail", "Technology", "Media", "Shipping" };
        static const char *const cities[] = { "Paris", "Berlin", "Osaka", "Austin", "Lagos", "Lima", "Oslo" };
        const quint64 first = store.reserveIds(*account, quint64(records));
        for (qint64 i = 0; i < records; ++i) {
            ins.text(0, fs::sim::Store::idFor(account->keyPrefix, first + quint64(i)).toLatin1());
            ins.integer(1, 0);
            ins.text(2, owner);
            ins.text(3, stamp);
            ins.text(4, owner);
            ins.text(5, stamp);
            ins.text(6, owner);
            ins.text(7, stamp);
            ins.text(8, "Company number " + QByteArray::number(i));
            ins.text(9, "AC-" + QByteArray::number(100000 + i));
            ins.text(10, QByteArray(types[i % 4]));
            ins.text(11, QByteArray(industries[i % 6]));
            ins.real(12, double(i % 5000) * 1000.5);
            ins.integer(13, 5 + i % 25000);
            ins.text(14, "+1 555 " + QByteArray::number(1000000 + i % 9000000));
            ins.text(15, "https://www.company" + QByteArray::number(i) + ".example");
            ins.text(16, QByteArray(cities[i % 7]));
            if (!ins.next()) {
                std::fprintf(stderr, "simulator: %s\n", qPrintable(ins.error()));
                return 1;
            }
        }
        if (!tx.commit()) {
            std::fprintf(stderr, "simulator: commit failed\n");
            return 1;
        }
    }
    store.refreshSequences();
    std::printf("READY %s %s\n", qPrintable(sim.baseUrl().toString()), qPrintable(sim.issueAccessToken()));
    std::fflush(stdout);

    // Serve until the parent closes our stdin.
    std::thread([] {
        char buffer[64];
        while (std::fread(buffer, 1, sizeof buffer, stdin) > 0) {
        }
        QMetaObject::invokeMethod(QCoreApplication::instance(), &QCoreApplication::quit, Qt::QueuedConnection);
    }).detach();
    return QCoreApplication::exec();
}

struct Org {
    std::unique_ptr<QProcess> process;
    QUrl url;
    QString token;
};

Org startOrg(qint64 records, int latencyMs)
{
    Org org;
    org.process = std::make_unique<QProcess>();
    org.process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    org.process->start(QCoreApplication::applicationFilePath(),
        { QStringLiteral("--serve"), QStringLiteral("--records"), QString::number(records), QStringLiteral("--latency"),
            QString::number(latencyMs) });
    if (!org.process->waitForStarted(10000))
        return org;
    QByteArray line;
    while (!line.contains('\n')) {
        if (!org.process->waitForReadyRead(600000))
            return org;
        line += org.process->readAllStandardOutput();
    }
    const QList<QByteArray> parts = line.trimmed().split(' ');
    if (parts.size() == 3 && parts.at(0) == "READY") {
        org.url = QUrl(QString::fromLatin1(parts.at(1)));
        org.token = QString::fromLatin1(parts.at(2));
    }
    return org;
}

void stopOrg(Org &org)
{
    if (!org.process)
        return;
    org.process->closeWriteChannel();
    if (!org.process->waitForFinished(10000)) {
        org.process->kill();
        org.process->waitForFinished(5000);
    }
}

struct RunResult {
    bool ok = false;
    QString error;
    fs::QueryStats stats;
    double wallSeconds = 0;
    double cpuMsPerPage = 0; // the same client work in thread CPU time
    qint64 keptBytes = 0;
    double faultsPerPage = 0; // minor page faults of the whole client process per page
};

long processMinorFaults()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_minflt;
}

// Runs the query with the engine on its own thread and the consumer on this (main) thread.
// `consumerMs`: busy work per page in the consumer. `blockingDelivery`: the engine waits for the
// consumer to finish each page before going on (the sequential baseline).
RunResult runQuery(const Org &org, fs::engine::QueryService::Pipeline pipeline, bool keepPages, int consumerMs,
    bool blockingDelivery)
{
    QThread engineThread;
    engineThread.setObjectName(QStringLiteral("engine"));
    engineThread.start();
    QObject engineContext;
    engineContext.moveToThread(&engineThread);

    std::unique_ptr<fs::engine::Transport> transport;
    std::unique_ptr<fs::engine::QueryService> service;
    QMetaObject::invokeMethod(
        &engineContext,
        [&] {
            fs::engine::EngineConfig config;
            config.timeouts.requestSeconds = 120;
            transport = std::make_unique<fs::engine::Transport>(config);
            transport->setCredentials(std::make_shared<StaticCredentials>(org.url, org.token));
            service = std::make_unique<fs::engine::QueryService>(transport.get());
            service->setPipeline(pipeline);
        },
        Qt::BlockingQueuedConnection);

    RunResult result;
    QList<fs::RecordBatch> kept;
    QEventLoop loop;
    QObject display; // the consumer, on the main thread
    QObject::connect(
        service.get(), &fs::engine::QueryService::pageReady, &display,
        [&](fs::RequestId, const fs::QueryPage &page) {
            result.keptBytes += page.batch.byteSize();
            if (keepPages)
                kept.append(page.batch);
            if (consumerMs > 0) {
                QElapsedTimer busy;
                busy.start();
                volatile double sink = 0;
                while (busy.nsecsElapsed() < qint64(consumerMs) * 1000000)
                    sink = sink + page.batch.number(0, 5);
            }
        },
        blockingDelivery ? Qt::BlockingQueuedConnection : Qt::QueuedConnection);
    QObject::connect(service.get(), &fs::engine::QueryService::finished, &display,
        [&](fs::RequestId, const fs::QueryStats &stats) {
            result.ok = true;
            result.stats = stats;
            loop.quit();
        });
    QObject::connect(service.get(), &fs::engine::QueryService::failed, &display,
        [&](fs::RequestId, const fs::EngineError &error) {
            result.error = error.message + u' ' + error.detail;
            loop.quit();
        });
    const long faultsBefore = processMinorFaults();
    QElapsedTimer timer;
    timer.start();
    fs::QueryOptions options;
    options.batchSize = 2000;
    QMetaObject::invokeMethod(service.get(), [&] { service->run(1, kSoql, options); }, Qt::QueuedConnection);
    loop.exec();
    result.wallSeconds = double(timer.nsecsElapsed()) / 1e9;
    result.cpuMsPerPage = service->lastClientCpuMsPerPage(); // written before finished() was posted
    result.faultsPerPage = double(processMinorFaults() - faultsBefore) / std::max(1, result.stats.pages);

    QMetaObject::invokeMethod(
        &engineContext,
        [&] {
            service.reset();
            transport.reset();
        },
        Qt::BlockingQueuedConnection);
    engineThread.quit();
    engineThread.wait();
    return result;
}

// The first page of the query, as the transport hands it to QueryService.
QByteArray fetchFirstPage(const Org &org)
{
    fs::engine::EngineConfig config;
    fs::engine::Transport transport(config);
    transport.setCredentials(std::make_shared<StaticCredentials>(org.url, org.token));
    fs::engine::HttpRequest request;
    request.method = "GET";
    request.path = QStringLiteral("/services/data/v59.0/query?q=")
        + QString::fromLatin1(QUrl::toPercentEncoding(kSoql));
    request.operation = QStringLiteral("query");
    request.headers.append({ QByteArrayLiteral("Sforce-Query-Options"), QByteArrayLiteral("batchSize=2000") });
    QByteArray body;
    QEventLoop loop;
    transport.send(std::move(request), [&](fs::Result<fs::engine::HttpResponse> response) {
        if (response.ok() && response.value().status == 200)
            body = response.value().body;
        loop.quit();
    });
    loop.exec();
    return body;
}

struct Timing {
    double minMs = 0;
    double medianMs = 0;
};

// Runs `work` `runs` times, `before` ahead of each run (untimed), appending each run's
// milliseconds to `into`.
template<typename Work, typename Before>
void timeRuns(int runs, Work &work, Before &before, std::vector<double> &into)
{
    for (int i = 0; i < runs; ++i) {
        before();
        QElapsedTimer t;
        t.start();
        work();
        into.push_back(double(t.nsecsElapsed()) / 1e6);
    }
}

Timing summarize(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return { ms.front(), ms[ms.size() / 2] };
}

// `before` runs ahead of each repetition, untimed.
template<typename Work, typename Before>
Timing timeRepeated(int repeat, Work &&work, Before &&before)
{
    std::vector<double> ms;
    ms.reserve(size_t(repeat));
    timeRuns(repeat, work, before, ms);
    return summarize(std::move(ms));
}

template<typename Work>
Timing timeRepeated(int repeat, Work &&work)
{
    return timeRepeated(repeat, std::forward<Work>(work), [] {});
}

// Two pieces of work timed in alternating blocks of ten runs, so that both meet the same machine
// (a virtual machine's speed drifts by a third from minute to minute) while each still runs with
// its own data in the caches, as when repeated alone: for figures that are compared.
template<typename First, typename Second>
std::pair<Timing, Timing> timeAlternating(int repeat, First &&first, Second &&second)
{
    constexpr int kBlock = 10;
    const auto nothing = [] {};
    std::vector<double> a;
    std::vector<double> b;
    for (int done = 0; done < repeat; done += kBlock) {
        const int runs = std::min(kBlock, repeat - done);
        timeRuns(runs, first, nothing, a);
        timeRuns(runs, second, nothing, b);
    }
    return { summarize(std::move(a)), summarize(std::move(b)) };
}

// A private copy of `page` with HttpResponse::BodySlack bytes of room after it, as the transport
// hands bodies over (the parser then reads the body in place).
QByteArray transportBody(const QByteArray &page)
{
    QByteArray body;
    body.reserve(page.size() + fs::engine::HttpResponse::BodySlack);
    body.append(page);
    return body;
}

// Minor page faults of the calling thread so far.
long threadMinorFaults()
{
    rusage usage {};
    getrusage(RUSAGE_THREAD, &usage);
    return usage.ru_minflt;
}

QString loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("unknown");
    const QList<QByteArray> parts = file.readAll().split(' ');
    return parts.size() >= 3 ? QString::fromLatin1(parts[0] + ' ' + parts[1] + ' ' + parts[2]) : QStringLiteral("unknown");
}

} // namespace

int main(int argc, char **argv)
{
    // As the forcescope executable does, unless --default-allocator asks for glibc's defaults
    // (to see what the tuning saves: compare "minor page faults" and "client ms per page").
    bool defaultAllocator = false;
    for (int i = 1; i < argc; ++i)
        defaultAllocator = defaultAllocator || std::strcmp(argv[i], "--default-allocator") == 0;
    if (!defaultAllocator)
        fs::engine::tuneAllocatorForStreaming();
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption serveOpt(QStringLiteral("serve"), QStringLiteral("Internal: run the simulated org."));
    const QCommandLineOption recordsOpt(QStringLiteral("records"), QStringLiteral("Accounts in the main run."),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption latencyRecordsOpt(QStringLiteral("latency-records"),
        QStringLiteral("Accounts in the latency comparison."), QStringLiteral("N"), QStringLiteral("60000"));
    const QCommandLineOption latencyOpt(QStringLiteral("latency"), QStringLiteral("Per-response latency (ms) of the comparison org."),
        QStringLiteral("MS"), QStringLiteral("150"));
    const QCommandLineOption consumerOpt(QStringLiteral("consumer-ms"),
        QStringLiteral("Display work per page (ms, busy) in the latency comparison."), QStringLiteral("MS"),
        QStringLiteral("20"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"),
        QStringLiteral("Alternating sequential/overlapped runs in the latency comparison (the simulator's own time per "
                       "page varies with machine load; medians are compared)."),
        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption repeatOpt(QStringLiteral("parse-repeat"),
        QStringLiteral("Repetitions of the one-page client-work timing."), QStringLiteral("N"), QStringLiteral("300"));
    const QCommandLineOption defaultAllocatorOpt(QStringLiteral("default-allocator"),
        QStringLiteral("Keep glibc's allocator settings instead of tuneAllocatorForStreaming()."));
    parser.addOptions(
        { serveOpt, recordsOpt, latencyRecordsOpt, latencyOpt, consumerOpt, roundsOpt, repeatOpt, defaultAllocatorOpt });
    parser.process(app);

    const qint64 records = parser.value(recordsOpt).toLongLong();
    const int latency = parser.value(latencyOpt).toInt();
    if (parser.isSet(serveOpt))
        return serve(records, latency);
    const int consumerMs = std::max(0, parser.value(consumerOpt).toInt());
    const int repeat = std::max(1, parser.value(repeatOpt).toInt());
    const int rounds = std::max(1, parser.value(roundsOpt).toInt());
    if (records < 1) {
        std::fprintf(stderr, "--records must be at least 1\n");
        return 2;
    }

    using Pipeline = fs::engine::QueryService::Pipeline;
    QTextStream out(stdout);
    const auto ms = [](double v) { return QString::number(v, 'f', 3); };
    out << "bench_engine_query: " << records << " Accounts x 10 fields, batchSize 2000\n";
    out << "load average at start: " << loadAverage() << " (" << QThread::idealThreadCount() << " cores)\n";
    out << "allocator: " << (defaultAllocator ? "glibc defaults (--default-allocator)" : "tuned for streaming, as in forcescope")
        << "\n";
    out << "simdjson: active implementation " << QString::fromStdString(simdjson::get_active_implementation()->name())
        << " (stage 1, dispatched at run time), On-Demand walk compiled as "
        << fs::engine::QueryPageParser::onDemandKernel() << "\n";
    out.flush();

    QElapsedTimer load;
    load.start();
    Org org = startOrg(records, 0);
    if (!org.url.isValid()) {
        out << "could not start the simulated org\n";
        return 1;
    }
    out << "org ready in " << QString::number(double(load.elapsed()) / 1000.0, 'f', 1) << " s; RSS before query "
        << QString::number(peakRssMb(), 'f', 1) << " MB\n";
    out.flush();

    // The page for the one-page timings, fetched before the org is stopped.
    const QByteArray firstPage = fetchFirstPage(org);

    // 2. Throughput, client work per page and memory, all pages kept.
    double pipelineCpuMs = 0; // client CPU per page in the whole query, for the target line below
    double idleOrgCpuMs = 0; // the same with the org idle meanwhile
    {
        const RunResult r = runQuery(org, Pipeline::Overlapped, true, 0, false);
        // The same query with the org idle while each page is parsed (the next page is asked for
        // only after it): on this two-core machine the org otherwise builds the next page on the
        // other core meanwhile, sharing the caches and memory bandwidth with the client. Pages
        // kept as above; the first run's are freed by now, so the peak RSS is read before.
        const double peakRss = peakRssMb();
        const RunResult quiet = r.ok ? runQuery(org, Pipeline::Sequential, true, 0, false) : RunResult {};
        stopOrg(org);
        pipelineCpuMs = r.cpuMsPerPage;
        idleOrgCpuMs = quiet.ok ? quiet.cpuMsPerPage : 0;
        if (!r.ok) {
            out << "query failed: " << r.error << "\n";
            return 1;
        }
        out << "whole query (engine thread -> main thread, every page kept):\n";
        out << "  records:                 " << r.stats.records << " in " << r.stats.pages << " pages\n";
        out << "  response bytes:          " << QString::number(double(r.stats.bytes) / 1048576.0, 'f', 1) << " MB\n";
        out << "  wall time:               " << QString::number(r.wallSeconds, 'f', 2) << " s\n";
        out << "  records/s end to end:    " << QString::number(double(r.stats.records) / r.wallSeconds, 'f', 0) << "\n";
        out << "  client ms per page:      " << ms(r.stats.clientMsPerPage) << " wall, " << ms(r.cpuMsPerPage)
            << " thread CPU (body queued -> parsed -> built -> pageReady, per "
            << (r.stats.pages ? r.stats.records / r.stats.pages : 0) << "-record page)\n";
        if (quiet.ok)
            out << "    with the org idle meanwhile: " << ms(quiet.stats.clientMsPerPage) << " wall, " << ms(quiet.cpuMsPerPage)
                << " thread CPU (next page requested after the parse; " << QString::number(quiet.wallSeconds, 'f', 2)
                << " s in all)\n";
        out << "  minor page faults:       " << QString::number(r.faultsPerPage, 'f', 1)
            << " per page (whole client process: network buffers, inflate, parse, kept batches)\n";
        out << "  kept batches:            " << QString::number(double(r.keptBytes) / 1048576.0, 'f', 1) << " MB\n";
        out << "  peak RSS (ru_maxrss):    " << QString::number(peakRss, 'f', 1) << " MB\n";
        out.flush();
    }

    // 1. Client work on one page, without the network. Run after the whole query, so that the
    //    memory these timings use (kept batches, the cache scrub buffer) stays out of its peak RSS.
    {
        const QByteArray &page = firstPage;
        const fs::Result<fs::RecordBatch> probe = fs::engine::QueryPageParser::parse(page);
        if (page.isEmpty() || !probe.ok()) {
            out << "could not fetch or parse the first page\n";
            return 1;
        }
        const fs::RecordBatch batch = probe.value();
        out << "one page: " << batch.rowCount() << " records, " << batch.columnCount() << " columns, "
            << QString::number(double(page.size()) / 1024.0, 'f', 0) << " KiB JSON, " << repeat << " runs (min / median ms)\n";

        simdjson::padded_string padded(page.constData(), size_t(page.size()));
        simdjson::ondemand::parser stage1Parser;
        const Timing stage1 = timeRepeated(repeat, [&] {
            auto document = stage1Parser.iterate(padded);
            (void)document;
        });
        // The issue's yardstick, timed run for run alongside the page parser: "parsing such a page
        // with simdjson takes about 0.2 ms on our machines", i.e. simdjson's own full parse
        // (stages 1 and 2: a DOM tape with every string unescaped and every number converted),
        // building nothing of ours.
        simdjson::dom::parser domParser;
        const auto [domParse, whole] = timeAlternating(
            repeat,
            [&] {
                simdjson::dom::element root;
                const auto error = domParser.parse(padded).get(root);
                Q_ASSERT(!error);
                (void)error;
            },
            [&] {
                QByteArray body = transportBody(page); // a private body with room after it, as the transport hands it over
                const auto result = fs::engine::QueryPageParser::parse(std::move(body));
                Q_ASSERT(result.ok());
            });
        // As in the pipeline, where every batch is kept: each run's batch lands in fresh memory
        // that has to be faulted in (the runs above free theirs and glibc hands the same memory
        // back). Kept in groups of 100 to bound memory.
        QList<fs::RecordBatch> keptBatches;
        const long faultsBefore = threadMinorFaults();
        const Timing kept = timeRepeated(
            repeat,
            [&] {
                QByteArray body = transportBody(page);
                auto result = fs::engine::QueryPageParser::parse(std::move(body));
                Q_ASSERT(result.ok());
                keptBatches.append(std::move(result).value());
            },
            [&] {
                if (keptBatches.size() >= 100)
                    keptBatches.clear();
            });
        const double keptFaults = double(threadMinorFaults() - faultsBefore) / repeat;
        keptBatches.clear();
        // As after a context switch on a busy machine: the caches hold someone else's data (a
        // 32 MiB buffer is written and read before each run, untimed).
        std::vector<char> scrub(32u << 20);
        volatile char scrubSink = 0;
        const Timing cold = timeRepeated(
            repeat,
            [&] {
                QByteArray body = transportBody(page);
                const auto result = fs::engine::QueryPageParser::parse(std::move(body));
                Q_ASSERT(result.ok());
            },
            [&] {
                for (size_t i = 0; i < scrub.size(); i += 64)
                    scrub[i] = char(scrub[i] + 1);
                char x = 0;
                for (size_t i = 0; i < scrub.size(); i += 64)
                    x = char(x ^ scrub[i]);
                scrubSink = x;
            });
        const Timing copyOnly = timeRepeated(repeat, [&] {
            const QByteArray body = transportBody(page);
            Q_ASSERT(body.size() == page.size());
        });
        const Timing texts = timeRepeated(std::max(1, repeat / 10), [&] {
            qsizetype chars = 0;
            for (int r = 0; r < batch.rowCount(); ++r)
                for (int c = 0; c < batch.columnCount(); ++c)
                    chars += batch.text(r, c).size();
            Q_ASSERT(chars > 0);
        });
        const Timing variants = timeRepeated(std::max(1, repeat / 10), [&] {
            int valid = 0;
            for (int r = 0; r < batch.rowCount(); ++r)
                for (int c = 0; c < batch.columnCount(); ++c)
                    valid += batch.value(r, c).isValid() ? 1 : 0;
            Q_ASSERT(valid > 0);
        });
        // The simulator, like Salesforce, gzips responses and QNAM inflates them on the engine
        // thread before QueryService sees the body; that is outside the figure below, so show
        // what inflating one page costs (zlib, as QNAM uses).
        const QByteArray packed = qCompress(page, 6);
        const Timing inflate = timeRepeated(repeat, [&] {
            const QByteArray plain = qUncompress(packed);
            Q_ASSERT(plain.size() == page.size());
        });
        const auto line = [&](const char *label, const Timing &t) {
            out << "  " << QString::fromLatin1(label).leftJustified(52) << ms(t.minMs) << " / " << ms(t.medianMs) << "\n";
        };
        line("simdjson stage 1 only (On-Demand iterate)", stage1);
        line("simdjson full DOM parse, nothing built (yardstick)", domParse);
        line("page parser: stage 1 + walk + RecordBatch", whole);
        // The target, 0.5 ms where simdjson's parse takes about 0.2 ms, carried over to this
        // machine by the yardstick measured just now (best runs of each).
        const double scaledTarget = 0.5 * domParse.minMs / 0.2;
        const auto verdict = [&](double value) {
            return QString::number(value / domParse.minMs, 'f', 2) + QStringLiteral(" x the yardstick: ")
                + (value <= scaledTarget ? QStringLiteral("met") : QStringLiteral("NOT met"));
        };
        // As written: the figure a machine like the one the target was set on should show.
        const auto asWritten = [&](double value) {
            return ms(value) + (value <= 0.5 ? QStringLiteral(" ms: met") : QStringLiteral(" ms: NOT met"));
        };
        const auto verdicts = [&](const char *heading, const auto &judge) {
            out << heading;
            out << "      page parser alone (best run):                  " << judge(whole.minMs) << "\n";
            out << "      whole query, client CPU per page:              " << judge(pipelineCpuMs) << "\n";
            if (idleOrgCpuMs > 0)
                out << "      the same with the org idle meanwhile:          " << judge(idleOrgCpuMs) << "\n";
        };
        verdicts("    target as written: 0.5 ms of client work per page\n", asWritten);
        out << "    target scaled to this machine: 0.5 ms x " << ms(domParse.minMs) << " / 0.2 = " << ms(scaledTarget)
            << " ms (2.5 x the yardstick)\n";
        verdicts("", verdict);
        line("  not in it: the test's own body copy", copyOnly);
        line("page parser, every batch kept (fresh memory)", kept);
        out << "    minor page faults per run (this thread):          " << QString::number(keptFaults, 'f', 1) << "\n";
        line("page parser, caches cold (32 MiB scrubbed first)", cold);
        line("not counted: inflating the compressed body (zlib)", inflate);
        line("for contrast: text() of all cells (QString each)", texts);
        line("for contrast: value() of all cells (QVariant each)", variants);
        out.flush();
    }

    // 3. Overlap versus sequential fetch-parse-display with per-response latency.
    {
        const qint64 n = parser.value(latencyRecordsOpt).toLongLong();
        Org slow = startOrg(n, latency);
        if (!slow.url.isValid()) {
            out << "could not start the latency org\n";
            return 1;
        }
        std::vector<double> sequentialSeconds;
        std::vector<double> overlappedSeconds;
        int pages = 1;
        double clientMs = 0;
        for (int round = 0; round < rounds; ++round) {
            const RunResult sequential = runQuery(slow, Pipeline::Sequential, false, consumerMs, true);
            const RunResult overlapped = runQuery(slow, Pipeline::Overlapped, false, consumerMs, false);
            if (!sequential.ok || !overlapped.ok) {
                stopOrg(slow);
                out << "latency run failed: " << sequential.error << overlapped.error << "\n";
                return 1;
            }
            sequentialSeconds.push_back(sequential.wallSeconds);
            overlappedSeconds.push_back(overlapped.wallSeconds);
            pages = std::max(1, overlapped.stats.pages);
            clientMs = overlapped.stats.clientMsPerPage;
        }
        stopOrg(slow);
        const auto median = [](std::vector<double> v) {
            std::sort(v.begin(), v.end());
            return v[v.size() / 2];
        };
        const auto list = [](const std::vector<double> &v) {
            QStringList parts;
            for (const double x : v)
                parts << QString::number(x, 'f', 2);
            return parts.join(QStringLiteral(", "));
        };
        const double seq = median(sequentialSeconds);
        const double ovl = median(overlappedSeconds);
        const double saved = seq - ovl;
        out << "latency " << latency << " ms per response, " << n << " records, " << pages << " pages, consumer "
            << consumerMs << " ms per page, " << rounds << " alternating rounds (median):\n";
        out << "  sequential (request after display): " << QString::number(seq, 'f', 2) << " s ("
            << QString::number(1000.0 * seq / pages, 'f', 1) << " ms per page; runs " << list(sequentialSeconds) << ")\n";
        out << "  overlapped (request at locator):    " << QString::number(ovl, 'f', 2) << " s ("
            << QString::number(1000.0 * ovl / pages, 'f', 1) << " ms per page; runs " << list(overlappedSeconds) << ")\n";
        out << "  saved:                              " << QString::number(saved, 'f', 2) << " s ("
            << QString::number(100.0 * saved / seq, 'f', 1) << " %, " << QString::number(1000.0 * saved / pages, 'f', 1)
            << " ms per page; client work + display per page = " << QString::number(clientMs + consumerMs, 'f', 1)
            << " ms)\n";
    }
    out << "load average at end: " << loadAverage() << "\n";
    return 0;
}
