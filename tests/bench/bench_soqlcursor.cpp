// Prints how fast the simulator's SOQL cursor renders records: loads N Accounts (default 200,000)
// into an in-memory store, then drains queries in pages of 2,000 as /query would.
// Usage: bench_soqlcursor [records]
#include "query/querycursor.h"
#include "store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include <sys/resource.h>

#include <cstdio>

using namespace fs::sim;

namespace {

long peakRssKb()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

void drain(Store &store, const char *soql)
{
    QueryContext ctx;
    ctx.now = QDateTime(QDate(2024, 6, 15), QTime(12, 0), Qt::UTC);
    SimError err;
    QElapsedTimer timer;
    timer.start();
    auto cursor = QueryCursor::open(store, QString::fromLatin1(soql), ctx, &err);
    if (!cursor) {
        std::printf("%s: %s\n", soql, qPrintable(err.message));
        return;
    }
    const qint64 openMs = timer.elapsed();
    qint64 records = 0, bytes = 0;
    int pages = 0;
    while (!cursor->atEnd()) {
        int count = 0;
        bytes += cursor->nextRecordsJson(2000, &count).size();
        records += count;
        ++pages;
    }
    const qint64 ms = qMax<qint64>(1, timer.elapsed());
    std::printf("%-75s open %5lld ms, %8lld records in %4d pages, %7lld ms, %9.0f records/s, %6.1f MB JSON\n", soql,
        openMs, records, pages, ms, double(records) * 1000.0 / double(ms), double(bytes) / 1e6);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const qint64 n = argc > 1 ? QByteArray(argv[1]).toLongLong() : 200000;
    Store store;
    QString error;
    if (!store.open(QStringLiteral(":memory:"), &error)) {
        std::printf("cannot open store: %s\n", qPrintable(error));
        return 1;
    }
    const ObjectDef *account = store.schema().object(QStringLiteral("Account"));
    QElapsedTimer timer;
    timer.start();
    {
        Store::Transaction tx(store);
        const QStringList columns = { QStringLiteral("Id"), QStringLiteral("Name"), QStringLiteral("Industry"),
            QStringLiteral("AnnualRevenue"), QStringLiteral("NumberOfEmployees"), QStringLiteral("CreatedDate"),
            QStringLiteral("IsDeleted"), QStringLiteral("OwnerId") };
        Store::BulkInserter ins(store, *account, columns);
        const quint64 first = store.reserveIds(*account, quint64(n));
        const QString owner = store.defaultUserId();
        static const char *industries[] = { "Technology", "Energy", "Retail", "Finance" };
        for (qint64 i = 0; i < n; ++i) {
            ins.text(0, Store::idFor(account->keyPrefix, first + quint64(i)));
            ins.text(1, QStringLiteral("Account %1").arg(i));
            ins.text(2, QString::fromLatin1(industries[i % 4]));
            ins.real(3, double(i) * 10.5);
            ins.integer(4, i % 5000);
            ins.text(5, QStringLiteral("2024-01-01T00:00:00.000+0000"));
            ins.integer(6, 0);
            ins.text(7, owner);
            if (!ins.next()) {
                std::printf("insert failed: %s\n", qPrintable(ins.error()));
                return 1;
            }
        }
        tx.commit();
    }
    std::printf("loaded %lld Accounts in %lld ms\n", n, timer.elapsed());
    drain(store, "SELECT Id, Name, Industry, AnnualRevenue, NumberOfEmployees, CreatedDate FROM Account");
    drain(store, "SELECT Id, Name, Owner.Name FROM Account");
    drain(store, "SELECT Id, Name FROM Account WHERE Industry = 'Retail' ORDER BY Name");
    drain(store, "SELECT Industry, COUNT(Id), SUM(AnnualRevenue) FROM Account GROUP BY Industry");
    drain(store, "SELECT COUNT() FROM Account WHERE Name LIKE 'Account 1%'");
    std::printf("peak RSS %.1f MB\n", double(peakRssKb()) / 1024.0);
    return 0;
}
