// The GUI event loop stays responsive while 200,000 records stream into the record grid.
//
// Pages of 2,000 rows are built on a worker thread (as the engine does on its thread) and handed
// to the real RecordGridWidget through queued calls, as EngineClient delivers them. A 5 ms QTimer
// on the GUI thread records the largest gap between its ticks; a sort and a filter run while rows
// are still arriving. Printed, not asserted: the worst wall-clock gap, the worst GUI-thread CPU
// time between ticks (what the code costs, independent of how loaded the machine is), and the
// slowest event deliveries by GUI-thread CPU for attribution. Asserted: every one of the 200,000
// rows arrives once, and the sorted + filtered view (late pages merged) is in order and matches.
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"


#include "eventloopprobe.h"
#include "syntheticpages.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHeaderView>
#include <QTableView>
#include <QTest>
#include <QProcess>
#include <QThread>
#include <QTimer>

namespace {

using fs::testsupport::syntheticContactPage;

} // namespace

class TestGridResponsiveness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void streams200kWithoutStalling();

private:
    void printReleaseFigure();
};

void TestGridResponsiveness::streams200kWithoutStalling()
{
    constexpr int kTotal = 200000;
    constexpr int kPage = 2000;

    fs::ui::RecordGridWidget grid(nullptr, nullptr);
    grid.resize(1200, 700);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    grid.beginResult();

    // Producer thread: builds pages and posts them to the GUI thread, one per ~10 ms at most.
    QThread producer;
    QObject worker;
    worker.moveToThread(&producer);
    producer.start();
    qint64 maxAppendMs = 0;
    QMetaObject::invokeMethod(&worker, [&grid, &maxAppendMs] {
        for (int first = 0; first < kTotal; first += kPage) {
            fs::QueryPage page;
            page.batch = syntheticContactPage(first, kPage, kTotal);
            page.totalSize = kTotal;
            page.fetched = first + kPage;
            page.pageIndex = first / kPage;
            page.done = page.fetched >= kTotal;
            QMetaObject::invokeMethod(&grid, [&grid, &maxAppendMs, page] {
                QElapsedTimer t;
                t.start();
                grid.appendPage(page);
                maxAppendMs = std::max(maxAppendMs, t.elapsed());
            }, Qt::QueuedConnection);
            QThread::msleep(2); // pace roughly like a fast network
        }
    }, Qt::QueuedConnection);

    // The probe: a 5 ms timer; the longest gap between ticks is the worst stall.
    fs::testsupport::EventLoopProbe probe([&grid] { return QStringLiteral("%1 rows").arg(grid.model()->loadedRows()); });
    probe.start();
    auto *app = static_cast<fs::testsupport::ProbeApplication *>(QCoreApplication::instance());
    app->startRecording(15, 15);

    // While streaming: scroll to the end, then sort and filter the loaded rows.
    qint64 maxStepMs = 0;
    bool sorted = false;
    bool filtered = false;
    QElapsedTimer total;
    total.start();
    // A plain event loop (QTest::qWait would sleep between its processEvents calls).
    QEventLoop loop;
    QTimer driver;
    driver.setInterval(20);
    QObject::connect(&driver, &QTimer::timeout, &loop, [&] {
        QElapsedTimer step;
        step.start();
        grid.view()->scrollToBottom();
        if (!sorted && grid.model()->loadedRows() >= 60000) {
            grid.view()->horizontalHeader()->setSortIndicator(1, Qt::DescendingOrder);
            sorted = true;
        }
        if (!filtered && grid.model()->loadedRows() >= 120000) {
            grid.model()->setFilterText(QStringLiteral("Lastname1"));
            filtered = true;
        }
        maxStepMs = std::max(maxStepMs, step.elapsed());
        if ((grid.model()->loadedRows() >= kTotal && !grid.model()->isBusy()) || total.elapsed() > 120000)
            loop.quit();
    });
    driver.start();
    loop.exec();
    const qint64 streamMs = total.elapsed();
    driver.stop();
    probe.stop();
    app->stopRecording();
    QTRY_VERIFY_WITH_TIMEOUT(!grid.model()->isBusy(), 60000);
    producer.quit();
    producer.wait();

    QCOMPARE(grid.model()->loadedRows(), qint64(kTotal));
    QCOMPARE(grid.fetched(), qint64(kTotal));
    QVERIFY(grid.model()->rowCount() > 0);
    QVERIFY(grid.statusText().contains(QStringLiteral("200,000")) || grid.statusText().contains(QStringLiteral("200000")));
    QVERIFY(sorted && filtered);

    // Correctness of the arranged view after late pages: sorted (LastName descending), filtered,
    // and every matching row of all 200,000 exactly once. Expected rows come from the generator.
    auto lastName = [](int i) { return QStringLiteral("Lastname%1").arg((i * 7919) % 100003); };
    const QString filter = QStringLiteral("Lastname1");
    auto checkView = [&](bool filterActive) {
        fs::ui::RecordTableModel *model = grid.model();
        int expected = 0;
        for (int i = 0; i < kTotal; ++i)
            expected += !filterActive || lastName(i).contains(filter, Qt::CaseInsensitive) ? 1 : 0;
        QCOMPARE(model->rowCount(), expected);
        QVector<bool> seen(kTotal, false);
        QString previous;
        for (int r = 0; r < model->rowCount(); ++r) {
            const int src = model->index(r, 0).data(fs::ui::RecordTableModel::SourceRowRole).toInt();
            if (src < 0 || src >= kTotal || seen.at(src))
                QFAIL(qPrintable(QStringLiteral("row %1: source %2 out of range or shown twice").arg(r).arg(src)));
            seen[src] = true;
            const QString name = model->cellText(r, 1);
            QCOMPARE(name, lastName(src));
            if (filterActive)
                QVERIFY(name.contains(filter, Qt::CaseInsensitive));
            if (r > 0 && QString::compare(previous, name, Qt::CaseInsensitive) < 0)
                QFAIL(qPrintable(QStringLiteral("row %1: %2 after %3 (not descending)").arg(r).arg(name, previous)));
            previous = name;
        }
    };
    checkView(true);
    if (QTest::currentTestFailed())
        return;

    // A large result, looked at: the grid as the user sees it, saved for review.
    const QString shot = QStringLiteral(FS_BINARY_DIR "/test-output/grid-200k.png");
    grid.view()->scrollTo(grid.model()->index(grid.model()->rowCount() / 2, 0), QAbstractItemView::PositionAtCenter);
    QVERIFY(grid.grab().save(shot));

    // Clearing the filter keeps the sort: all 200,000 rows, each once, still in order.
    grid.model()->setFilterText(QString());
    QTRY_VERIFY_WITH_TIMEOUT(!grid.model()->isBusy(), 60000);
    checkView(false);
    qInfo("streamed %d records in %lld ms (%.0f records/s); %s; worst gap at %s; first >50 ms stall at %s; "
          "slowest page append %lld ms; slowest scroll/sort/filter step %lld ms; peak RSS %ld MiB",
        kTotal, streamMs, streamMs > 0 ? kTotal * 1000.0 / double(streamMs) : 0.0, qPrintable(probe.summary()),
        qPrintable(probe.worstAt()), probe.firstOver50().isEmpty() ? "none" : qPrintable(probe.firstOver50()), maxAppendMs,
        maxStepMs, fs::testsupport::peakRssKiB() / 1024);
    if (!probe.stalls().isEmpty())
        qInfo("stalls: %s", qPrintable(probe.stalls().join(QStringLiteral("; "))));
    // Attribution: the slowest deliveries by GUI-thread CPU time (wall time is shown too; on a
    // loaded machine it also counts time the thread waited for a core). Event 77 is UpdateRequest
    // (the window's paint), 76 LayoutRequest, 12 Paint: names are printed with the numbers.
    for (const QString &line : app->slowest(15))
        qInfo("slow event: %s", qPrintable(line));
    printReleaseFigure();
    // The 50 ms target is a performance figure: printed here (and by bench_grid), not asserted,
    // since a sanitizer build on a shared 2-core CI machine measures the machine as much as the code.
    qInfo("target: no GUI stall above 50 ms -> %s in this build (max gap %lld ms)", probe.worstGapMs() <= 50 ? "met" : "NOT met",
        probe.worstGapMs());
}

// The same figure from the Release benchmark (bench_grid, built in a Release tree): the sanitizer
// build here is several times slower per paint than what users run. FS_BENCH_GRID names the
// bench_grid binary; without it the command is printed.
void TestGridResponsiveness::printReleaseFigure()
{
    QFile loadavg(QStringLiteral("/proc/loadavg"));
    const QString load = loadavg.open(QIODevice::ReadOnly) ? QString::fromLatin1(loadavg.readAll()).section(QLatin1Char(' '), 0, 2)
                                                           : QStringLiteral("?");
    qInfo("load average: %s", qPrintable(load));
    const QString bench = qEnvironmentVariable("FS_BENCH_GRID");
    if (bench.isEmpty() || !QFileInfo(bench).isExecutable()) {
        qInfo("release figure: set FS_BENCH_GRID=<release build>/bin/bench_grid to print it here, or run "
              "QT_QPA_PLATFORM=offscreen <release build>/bin/bench_grid --records 200000 --scenario sorted");
        return;
    }
    QProcess child;
    child.setProcessChannelMode(QProcess::MergedChannels);
    child.start(bench, { QStringLiteral("--records"), QStringLiteral("200000"), QStringLiteral("--scenario"), QStringLiteral("sorted") });
    if (!child.waitForFinished(300000)) {
        child.kill();
        child.waitForFinished();
        qInfo("release figure: %s did not finish in 300 s", qPrintable(bench));
        return;
    }
    const QStringList lines = QString::fromUtf8(child.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (const QString &line : lines)
        qInfo("release: %s", qPrintable(line.trimmed()));
}

int main(int argc, char **argv)
{
    fs::testsupport::ProbeApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestGridResponsiveness tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_gridresponsiveness.moc"
