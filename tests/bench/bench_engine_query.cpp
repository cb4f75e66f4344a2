// End-to-end query benchmark: QueryService (transport → simdjson page parser → RecordBatch)
// against a simulated org holding N Accounts with 10 selected fields.
//
//   bench_engine_query [--records 1000000] [--latency-records 100000] [--latency 150]
//
// The org runs in a child process (this executable with --serve), so the peak RSS printed is the
// client's alone. Every page is kept in memory, as the record grid would keep it. A second run
// against an org with --latency per response compares the overlapped pipeline (next page
// requested as soon as its locator is read) with sequential fetch-then-parse.
#include "api/types.h"
#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "query/queryservice.h"
#include "transport/transport.h"

#include "simulator.h"
#include "store/schema.h"
#include "store/store.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QProcess>
#include <QTextStream>

#include <sys/resource.h>

#include <cstdio>
#include <memory>
#include <thread>

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
    qint64 keptBytes = 0;
    double maxPageMs = 0;
};

RunResult runQuery(const Org &org, fs::engine::QueryService::Pipeline pipeline, bool keepPages)
{
    fs::engine::EngineConfig config;
    config.timeouts.requestSeconds = 120;
    fs::engine::Transport transport(config);
    transport.setCredentials(std::make_shared<StaticCredentials>(org.url, org.token));
    fs::engine::QueryService service(&transport);
    service.setPipeline(pipeline);

    RunResult result;
    QList<fs::RecordBatch> kept;
    QEventLoop loop;
    QObject::connect(&service, &fs::engine::QueryService::pageReady, [&](fs::RequestId, const fs::QueryPage &page) {
        result.keptBytes += page.batch.byteSize();
        if (keepPages)
            kept.append(page.batch);
    });
    QObject::connect(&service, &fs::engine::QueryService::finished, [&](fs::RequestId, const fs::QueryStats &stats) {
        result.ok = true;
        result.stats = stats;
        loop.quit();
    });
    QObject::connect(&service, &fs::engine::QueryService::failed, [&](fs::RequestId, const fs::EngineError &error) {
        result.error = error.message + u' ' + error.detail;
        loop.quit();
    });
    QElapsedTimer timer;
    timer.start();
    fs::QueryOptions options;
    options.batchSize = 2000;
    service.run(1, kSoql, options);
    loop.exec();
    result.wallSeconds = double(timer.nsecsElapsed()) / 1e9;
    return result;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption serveOpt(QStringLiteral("serve"), QStringLiteral("Internal: run the simulated org."));
    const QCommandLineOption recordsOpt(QStringLiteral("records"), QStringLiteral("Accounts in the main run."),
        QStringLiteral("N"), QStringLiteral("1000000"));
    const QCommandLineOption latencyRecordsOpt(QStringLiteral("latency-records"),
        QStringLiteral("Accounts in the latency comparison."), QStringLiteral("N"), QStringLiteral("100000"));
    const QCommandLineOption latencyOpt(QStringLiteral("latency"), QStringLiteral("Per-response latency (ms) of the comparison org."),
        QStringLiteral("MS"), QStringLiteral("150"));
    parser.addOptions({ serveOpt, recordsOpt, latencyRecordsOpt, latencyOpt });
    parser.process(app);

    const qint64 records = parser.value(recordsOpt).toLongLong();
    const int latency = parser.value(latencyOpt).toInt();
    if (parser.isSet(serveOpt))
        return serve(records, latency);

    using Pipeline = fs::engine::QueryService::Pipeline;
    QTextStream out(stdout);
    out << "bench_engine_query: " << records << " Accounts x 10 fields, batchSize 2000\n";
    out.flush();

    // 1. Throughput, client work per page and memory, all pages kept.
    {
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
        const RunResult r = runQuery(org, Pipeline::Overlapped, true);
        stopOrg(org);
        if (!r.ok) {
            out << "query failed: " << r.error << "\n";
            return 1;
        }
        out << "records:                 " << r.stats.records << " in " << r.stats.pages << " pages\n";
        out << "response bytes:          " << QString::number(double(r.stats.bytes) / 1048576.0, 'f', 1) << " MB\n";
        out << "wall time:               " << QString::number(r.wallSeconds, 'f', 2) << " s\n";
        out << "records/s end to end:    " << QString::number(double(r.stats.records) / r.wallSeconds, 'f', 0) << "\n";
        out << "client ms per page:      " << QString::number(r.stats.clientMsPerPage, 'f', 3)
            << " (parse + build, per " << (r.stats.pages ? r.stats.records / r.stats.pages : 0) << "-record page)\n";
        out << "kept batches:            " << QString::number(double(r.keptBytes) / 1048576.0, 'f', 1) << " MB\n";
        out << "peak RSS (ru_maxrss):    " << QString::number(peakRssMb(), 'f', 1) << " MB\n";
        out.flush();
    }

    // 2. Overlap versus sequential fetch-then-parse with per-response latency.
    {
        const qint64 n = parser.value(latencyRecordsOpt).toLongLong();
        Org org = startOrg(n, latency);
        if (!org.url.isValid()) {
            out << "could not start the latency org\n";
            return 1;
        }
        const RunResult sequential = runQuery(org, Pipeline::Sequential, false);
        const RunResult overlapped = runQuery(org, Pipeline::Overlapped, false);
        stopOrg(org);
        if (!sequential.ok || !overlapped.ok) {
            out << "latency run failed: " << sequential.error << overlapped.error << "\n";
            return 1;
        }
        const double saved = sequential.wallSeconds - overlapped.wallSeconds;
        out << "latency " << latency << " ms, " << n << " records, " << overlapped.stats.pages << " pages:\n";
        out << "  sequential fetch-then-parse: " << QString::number(sequential.wallSeconds, 'f', 2) << " s\n";
        out << "  overlapped (early locator):  " << QString::number(overlapped.wallSeconds, 'f', 2) << " s\n";
        out << "  saved:                       " << QString::number(saved, 'f', 2) << " s ("
            << QString::number(100.0 * saved / sequential.wallSeconds, 'f', 1) << " %, "
            << QString::number(1000.0 * saved / std::max(1, overlapped.stats.pages), 'f', 2) << " ms per page)\n";
    }
    return 0;
}
