// Record grid under a streaming result: how long the GUI event loop stalls while N records stream
// into the real RecordGridWidget (offscreen), with the user scrolling, sorting and filtering.
//
// Prints, per run: worst and p99 gap between ticks of a 5 ms probe timer on the GUI thread,
// records/s until every row is loaded and arranged, and the process's peak RSS.
//
//   QT_QPA_PLATFORM=offscreen bench_grid                   # 200,000 and 1,000,000, both scenarios
//   QT_QPA_PLATFORM=offscreen bench_grid --records 1000000 --scenario sorted
//
// Without --records the benchmark runs each size and scenario in a child process of its own, so
// every peak RSS belongs to one run.
#include "core/streamingallocator.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"


#include "eventloopprobe.h"
#include "syntheticpages.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QHeaderView>
#include <QProcess>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

namespace {

using fs::testsupport::syntheticContactPage;

constexpr int kPage = 2000; // records per page, as the REST query API sends them by default

int runOne(int total, bool arrange)
{
    fs::ui::RecordGridWidget grid(nullptr, nullptr);
    grid.resize(1200, 700);
    grid.show();
    grid.beginResult();

    QThread producer;
    QObject worker;
    worker.moveToThread(&producer);
    producer.start();
    QMetaObject::invokeMethod(&worker, [&grid, total] {
        for (int first = 0; first < total; first += kPage) {
            fs::QueryPage page;
            page.batch = syntheticContactPage(first, std::min(kPage, total - first), total);
            page.totalSize = total;
            page.fetched = first + page.batch.rowCount();
            page.pageIndex = first / kPage;
            page.done = page.fetched >= total;
            QMetaObject::invokeMethod(&grid, [&grid, page] { grid.appendPage(page); }, Qt::QueuedConnection);
            QThread::msleep(1);
        }
    }, Qt::QueuedConnection);

    QElapsedTimer clock;
    clock.start();
    fs::testsupport::EventLoopProbe probe([&grid] { return QStringLiteral("%1 rows").arg(grid.model()->loadedRows()); });
    probe.start();
    auto *app = static_cast<fs::testsupport::ProbeApplication *>(QCoreApplication::instance());
    app->startRecording(20, 300);

    bool sorted = false;
    bool filtered = false;
    QEventLoop loop;
    QTimer driver;
    driver.setInterval(20);
    QObject::connect(&driver, &QTimer::timeout, &loop, [&] {
        grid.view()->scrollToBottom();
        const qint64 loaded = grid.model()->loadedRows();
        if (arrange && !sorted && loaded >= total * 3 / 10) {
            grid.view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
            sorted = true;
        }
        if (arrange && !filtered && loaded >= total * 6 / 10) {
            grid.model()->setFilterText(QStringLiteral("Lastname1"));
            filtered = true;
        }
        if ((loaded >= total && !grid.model()->isBusy()) || clock.elapsed() > 600000)
            loop.quit();
    });
    driver.start();
    loop.exec();
    const qint64 ms = clock.elapsed();
    driver.stop();
    probe.stop();
    producer.quit();
    producer.wait();

    app->stopRecording();
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QString load = loadavg.open(QIODevice::ReadOnly) ? QString::fromLatin1(loadavg.readAll()).section(QLatin1Char(' '), 0, 2)
                                                           : QStringLiteral("?");
    std::printf("grid %-7d records %-6s: %7lld ms, %9.0f records/s, %s, rows shown %d, peak RSS %ld MiB, load average %s\n",
        total, arrange ? "sorted" : "plain", ms, ms > 0 ? double(grid.model()->loadedRows()) * 1000.0 / double(ms) : 0.0,
        qPrintable(probe.summary()), grid.model()->rowCount(), fs::testsupport::peakRssKiB() / 1024, qPrintable(load));
    for (const QString &line : app->slowest(5))
        std::printf("    slow: %s\n", qPrintable(line));
    std::fflush(stdout);
    return grid.model()->loadedRows() == total ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    fs::engine::tuneAllocatorForStreaming(); // as the forcescope executable does
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    fs::testsupport::ProbeApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Record grid responsiveness while records stream in"));
    parser.addHelpOption();
    QCommandLineOption records(QStringLiteral("records"), QStringLiteral("Records to stream (one run)."), QStringLiteral("n"));
    QCommandLineOption scenario(QStringLiteral("scenario"),
        QStringLiteral("plain: stream and scroll; sorted: also sort at 30% and filter at 60%."), QStringLiteral("name"),
        QStringLiteral("sorted"));
    parser.addOption(records);
    parser.addOption(scenario);
    parser.process(app);

    if (parser.isSet(records)) {
        bool ok = false;
        const int n = parser.value(records).toInt(&ok);
        if (!ok || n <= 0) {
            std::fprintf(stderr, "--records needs a positive number\n");
            return 2;
        }
        return runOne(n, parser.value(scenario) != u"plain");
    }

    int failures = 0;
    for (const int n : { 200000, 1000000 }) {
        for (const char *s : { "plain", "sorted" }) {
            QProcess child;
            child.setProcessChannelMode(QProcess::ForwardedChannels);
            child.start(QCoreApplication::applicationFilePath(),
                { QStringLiteral("--records"), QString::number(n), QStringLiteral("--scenario"), QLatin1String(s) });
            if (!child.waitForFinished(-1) || child.exitCode() != 0)
                ++failures;
        }
    }
    return failures == 0 ? 0 : 1;
}
