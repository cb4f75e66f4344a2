// The GUI event loop stays responsive while 200,000 records stream into the record grid.
//
// Pages of 2,000 rows are built on a worker thread (as the engine does on its thread) and handed
// to the real RecordGridWidget through queued calls, as EngineClient delivers them. A 5 ms QTimer
// on the GUI thread records the largest gap between its ticks; a sort and a filter run while rows
// are still arriving.
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"

#include "query/recordbatchbuilder.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QTableView>
#include <QTest>
#include <QThread>
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
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        const qint64 now = clock.elapsed();
        if (now - last > 50 && stalls.size() < 12)
            stalls.append(QStringLiteral("%1 ms at %2 ms/%3 rows").arg(now - last).arg(now).arg(grid.model()->loadedRows()));
        maxGap = std::max(maxGap, now - last);
        last = now;
    });
    last = clock.elapsed();
    qint64 worstAt = 0;
    QObject::connect(&probe, &QTimer::timeout, &probe, [&] {
        if (maxGap > 0 && worstAt == 0 && maxGap > 50)
            worstAt = grid.model()->loadedRows();
    });
    probe.start();

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
    driver.stop();
    probe.stop();
    QTRY_VERIFY_WITH_TIMEOUT(!grid.model()->isBusy(), 60000);
    producer.quit();
    producer.wait();

    QCOMPARE(grid.model()->loadedRows(), qint64(kTotal));
    QCOMPARE(grid.fetched(), qint64(kTotal));
    QVERIFY(grid.model()->rowCount() > 0);
    QVERIFY(grid.statusText().contains(QStringLiteral("200,000")) || grid.statusText().contains(QStringLiteral("200000")));
    qInfo("streamed %d records in %lld ms; max GUI event-loop gap %lld ms (first >50 ms stall at %lld rows); "
          "slowest page append %lld ms; slowest scroll/sort/filter step %lld ms",
        kTotal, total.elapsed(), maxGap, worstAt, maxAppendMs, maxStepMs);
    if (!stalls.isEmpty())
        qInfo("stalls: %s", qPrintable(stalls.join(QStringLiteral("; "))));
    // The 50 ms target is a performance figure: printed here (and in the issue notes), not asserted,
    // since a sanitizer build on a shared 2-core CI machine measures the machine as much as the code.
    qInfo("target: no GUI stall above 50 ms -> %s (max gap %lld ms)", maxGap <= 50 ? "met" : "NOT met", maxGap);
}

QTEST_MAIN(TestGridResponsiveness)
#include "tst_gridresponsiveness.moc"
