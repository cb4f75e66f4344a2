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

#include "query/recordbatchbuilder.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QTableView>
#include <QTest>
#include <QThread>

#include <ctime>
#include <QTimer>

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
        const QByteArray last = QStringLiteral("Lastname%1").arg((i * 7919) % 100003).toUtf8();
        b.addString("LastName", std::string_view(last.constData(), size_t(last.size())));
        b.addString("Email", "someone@example.com");
        b.addNumber("Score__c", double((i * 31) % 977));
        b.addString("Account.Name", "Acme Corporation");
        b.addString("SystemModstamp", "2024-01-01T00:00:00.000+0000");
        b.endRecord();
    }
    b.setResultInfo(total, first + count >= total, {});
    return b.build();
}

// Stall attribution: times every event delivery (nested ones too) and keeps the slow ones, so a
// printed stall names the receiver and event that took the time (a paint, a timer, a posted call).
class ProbeApplication : public QApplication {
public:
    using QApplication::QApplication;

    struct Slow {
        qint64 ms = 0; // wall clock
        qint64 cpuMs = 0; // GUI thread CPU time: what the code cost, whatever the machine's load
        int depth = 0;
        QString what;
    };

    static qint64 threadCpuUs()
    {
        timespec ts {};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
    }
    bool recording = false;
    QList<Slow> slow;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (!recording || QThread::currentThread() != thread()) // the GUI thread only
            return QApplication::notify(receiver, event);
        QElapsedTimer t;
        t.start();
        const qint64 cpu0 = threadCpuUs();
        ++m_depth;
        const int type = int(event->type());
        const bool r = QApplication::notify(receiver, event);
        --m_depth;
        const qint64 ms = t.elapsed();
        if (ms >= 15 && slow.size() < 5000) {
            slow.append({ ms, (threadCpuUs() - cpu0) / 1000, m_depth,
                QStringLiteral("%1(%2) event %3").arg(QLatin1String(receiver->metaObject()->className()),
                    receiver->objectName(), QString::number(type)) });
        }
        return r;
    }

private:
    int m_depth = 0;
};

} // namespace

class TestGridResponsiveness : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void streams200kWithoutStalling();
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
            page.batch = makePage(first, kPage, kTotal);
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
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 maxGap = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(5);
    QStringList stalls;
    QString maxGapWhere;
    qint64 lastCpu = ProbeApplication::threadCpuUs();
    qint64 maxCpuGapUs = 0;
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        const qint64 now = clock.elapsed();
        if (now - last > 50 && stalls.size() < 12)
            stalls.append(QStringLiteral("%1 ms at %2 ms/%3 rows").arg(now - last).arg(now).arg(grid.model()->loadedRows()));
        if (now - last > maxGap)
            maxGapWhere = QStringLiteral("at %1 ms/%2 rows").arg(now).arg(grid.model()->loadedRows());
        maxGap = std::max(maxGap, now - last);
        last = now;
        const qint64 cpu = ProbeApplication::threadCpuUs();
        maxCpuGapUs = std::max(maxCpuGapUs, cpu - lastCpu);
        lastCpu = cpu;
    });
    last = clock.elapsed();
    qint64 worstAt = 0;
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        if (maxGap > 0 && worstAt == 0 && maxGap > 50)
            worstAt = grid.model()->loadedRows();
    });
    probe.start();
    auto *app = static_cast<ProbeApplication *>(QCoreApplication::instance());
    app->slow.clear();
    app->recording = true;

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
    app->recording = false;
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
    qInfo("streamed %d records in %lld ms; max GUI event-loop gap %lld ms %s (first >50 ms stall at %lld rows); "
          "max GUI-thread CPU between probe ticks %lld ms; slowest page append %lld ms; slowest scroll/sort/filter step %lld ms",
        kTotal, streamMs, maxGap, qPrintable(maxGapWhere), worstAt, maxCpuGapUs / 1000, maxAppendMs, maxStepMs);
    if (!stalls.isEmpty())
        qInfo("stalls: %s", qPrintable(stalls.join(QStringLiteral("; "))));
    // Attribution: the slowest deliveries by GUI-thread CPU time (wall time is shown too; on a
    // loaded machine it also counts time the thread waited for a core).
    std::sort(app->slow.begin(), app->slow.end(),
        [](const ProbeApplication::Slow &a, const ProbeApplication::Slow &b) { return a.cpuMs > b.cpuMs; });
    for (const ProbeApplication::Slow &e : std::as_const(app->slow).mid(0, 15))
        qInfo("slow event: %lld ms CPU (%lld ms wall) depth %d %s", e.cpuMs, e.ms, e.depth, qPrintable(e.what));
    // The 50 ms target is a performance figure: printed here (and in the issue notes), not asserted,
    // since a sanitizer build on a shared 2-core CI machine measures the machine as much as the code.
    qInfo("target: no GUI stall above 50 ms -> %s (max gap %lld ms)", maxGap <= 50 ? "met" : "NOT met", maxGap);
}

int main(int argc, char **argv)
{
    ProbeApplication app(argc, argv);
    app.setAttribute(Qt::AA_Use96Dpi, true);
    TestGridResponsiveness tc;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&tc, argc, argv);
}
#include "tst_gridresponsiveness.moc"
