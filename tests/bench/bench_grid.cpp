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
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"

#include "query/recordbatchbuilder.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QProcess>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <sys/resource.h>

#include <ctime>

#include <algorithm>
#include <cstdio>

namespace {

fs::RecordBatch makePage(int first, int count, qint64 total)
{
    fs::RecordBatchBuilder b;
    b.reserve(count, qsizetype(count) * 160);
    for (int i = first; i < first + count; ++i) {
        const QByteArray id = QStringLiteral("003%1AAA").arg(i, 12, 10, QLatin1Char('0')).toUtf8();
        const std::string_view idv(id.constData(), size_t(id.size()));
        b.beginRecord("Contact", idv);
        b.addString("Id", idv);
        const QByteArray last = QStringLiteral("Lastname%1").arg(qint64(i) * 7919 % 100003).toUtf8();
        b.addString("LastName", std::string_view(last.constData(), size_t(last.size())));
        b.addString("Email", "someone@example.com");
        b.addNumber("Score__c", double((qint64(i) * 31) % 977));
        b.addString("Account.Name", "Acme Corporation");
        b.addString("SystemModstamp", "2024-01-01T00:00:00.000+0000");
        b.endRecord();
    }
    b.setResultInfo(total, first + count >= total, {});
    return b.build();
}

qint64 threadCpuUs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

// Times every event delivered on the GUI thread and keeps the slowest, by GUI-thread CPU time.
class ProbeApplication : public QApplication {
public:
    using QApplication::QApplication;
    struct Slow {
        qint64 cpuMs = 0;
        qint64 wallMs = 0;
        int depth = 0;
        QString what;
    };
    QList<Slow> slow;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (QThread::currentThread() != thread())
            return QApplication::notify(receiver, event);
        QElapsedTimer t;
        t.start();
        const qint64 cpu0 = threadCpuUs();
        const int type = int(event->type());
        ++m_depth;
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 cpuMs = (threadCpuUs() - cpu0) / 1000;
        if ((cpuMs >= 20 || t.elapsed() >= 300) && slow.size() < 10000)
            slow.append({ cpuMs, t.elapsed(), m_depth,
                QStringLiteral("%1(%2) event %3").arg(QLatin1String(receiver->metaObject()->className()), receiver->objectName(),
                    QString::number(type)) });
        return r;
    }

private:
    int m_depth = 0;
};

long peakRssKiB()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss; // KiB on Linux
}

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
            page.batch = makePage(first, std::min(kPage, total - first), total);
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
    QVector<qint64> gaps;
    gaps.reserve(200000);
    qint64 last = clock.elapsed();
    qint64 lastCpu = threadCpuUs();
    qint64 maxCpuUs = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        const qint64 now = clock.elapsed();
        gaps.append(now - last);
        last = now;
        const qint64 cpu = threadCpuUs();
        maxCpuUs = std::max(maxCpuUs, cpu - lastCpu);
        lastCpu = cpu;
    });
    probe.start();

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

    std::sort(gaps.begin(), gaps.end());
    const qint64 worst = gaps.isEmpty() ? 0 : gaps.last();
    const qint64 p99 = gaps.isEmpty() ? 0 : gaps.at(std::min<qsizetype>(gaps.size() - 1, gaps.size() * 99 / 100));
    const qint64 over50 = gaps.cend() - std::upper_bound(gaps.cbegin(), gaps.cend(), 50);
    std::printf("grid %-7d records %-6s: %7lld ms, %9.0f records/s, GUI gap worst %4lld ms, p99 %3lld ms, "
                "%lld gaps >50 ms of %lld ticks, worst GUI-thread CPU between ticks %lld ms, rows shown %d, peak RSS %ld MiB\n",
        total, arrange ? "sorted" : "plain", ms, ms > 0 ? double(grid.model()->loadedRows()) * 1000.0 / double(ms) : 0.0,
        worst, p99, over50, qint64(gaps.size()), maxCpuUs / 1000, grid.model()->rowCount(), peakRssKiB() / 1024);
    auto *app = static_cast<ProbeApplication *>(QCoreApplication::instance());
    std::sort(app->slow.begin(), app->slow.end(), [](const auto &a, const auto &b) { return a.wallMs > b.wallMs; });
    for (const auto &e : std::as_const(app->slow).mid(0, 5))
        std::printf("    slow: %lld ms CPU (%lld ms wall) depth %d %s\n", e.cpuMs, e.wallMs, e.depth, qPrintable(e.what));
    std::fflush(stdout);
    return grid.model()->loadedRows() == total ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    ProbeApplication app(argc, argv);
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
