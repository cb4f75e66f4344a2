// Fuzz target for the simulator's SOQL evaluator: any input must end in records or a Salesforce
// error (never a crash, and never SQL the evaluator generated but SQLite rejected, which shows up
// as UNKNOWN_EXCEPTION).
#include "query/querycursor.h"
#include "store/store.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

fs::sim::Store &store()
{
    static fs::sim::Store *s = [] {
        auto *st = new fs::sim::Store();
        QString error;
        if (!st->open(QStringLiteral(":memory:"), &error)) {
            std::fprintf(stderr, "cannot open store: %s\n", qPrintable(error));
            std::abort();
        }
        fs::sim::SimError err;
        QString accountId, contactId;
        st->insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("Acme") } }, &accountId, &err);
        st->insert(QStringLiteral("Contact"),
            { { QStringLiteral("LastName"), QStringLiteral("Smith") }, { QStringLiteral("AccountId"), accountId } },
            &contactId, &err);
        return st;
    }();
    return *s;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 16 * 1024)
        return 0;
    const QString soql = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    fs::sim::QueryContext ctx;
    ctx.now = QDateTime(QDate(2024, 6, 15), QTime(12, 0), Qt::UTC);
    fs::sim::SimError err;
    auto cursor = fs::sim::QueryCursor::open(store(), soql, ctx, &err);
    if (!cursor) {
        if (err.errorCode.isEmpty() || err.errorCode == u"UNKNOWN_EXCEPTION" || !err.message.contains(u"ERROR at Row:")) {
            std::fprintf(stderr, "bad error for query <%s>: %s %s\n", qPrintable(soql), qPrintable(err.errorCode),
                qPrintable(err.message));
            std::abort();
        }
        return 0;
    }
    for (int page = 0; page < 3 && !cursor->atEnd(); ++page) {
        int count = 0;
        (void)cursor->nextRecordsJson(50, &count);
    }
    return 0;
}
