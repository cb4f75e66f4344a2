#include "replication.h"

#include "rest/extrasupport.h"
#include "store/store.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>

namespace fs::sim {

namespace {

const QString kReplicationCode = QStringLiteral("INVALID_REPLICATION_DATE");

QDateTime truncateToMinute(const QDateTime &dt)
{
    QDateTime t = dt.toUTC();
    t.setTime(QTime(t.time().hour(), t.time().minute(), 0));
    return t;
}

// ISO 8601 as the replication resources take it: date, 'T', hours and minutes, optional seconds
// and fraction, optional zone (Z, ±hh:mm or ±hhmm; none means UTC). A date alone is refused.
bool parseWindowDate(const QString &text, QDateTime *out)
{
    static const QRegularExpression shape(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|[+-]\\d{2}:?\\d{2})?$"));
    if (!shape.match(text).hasMatch())
        return false;
    const QDateTime dt = Store::parseDateTime(text);
    if (!dt.isValid())
        return false;
    *out = dt.toUTC();
    return true;
}

} // namespace

ReplicationResource::ReplicationResource(Store &store, QDateTime now)
    : m_store(store)
    , m_now(std::move(now))
{
}

HttpResponse ReplicationResource::handle(const HttpRequest &req, const ObjectDef &obj, const QString &kind)
{
    if (req.method != "GET" && req.method != "HEAD")
        return extras::methodNotAllowedReply(req.method, QStringLiteral("GET,HEAD"));
    const bool deleted = kind == u"deleted";
    if (obj.platformEvent || !obj.field(QStringLiteral("SystemModstamp")))
        return errorResponse(400, QStringLiteral("INVALID_TYPE_FOR_OPERATION"),
            QStringLiteral("entity type %1 does not support replication").arg(obj.name));

    QDateTime bounds[2];
    const QString names[2] = { QStringLiteral("start"), QStringLiteral("end") };
    for (int i = 0; i < 2; ++i) {
        const QString raw = extras::queryParam(req, names[i]).trimmed();
        if (raw.isEmpty())
            return errorResponse(400, kReplicationCode, QStringLiteral("%1 date is required").arg(names[i]));
        if (!parseWindowDate(raw, &bounds[i]))
            return errorResponse(400, kReplicationCode, QStringLiteral("%1 date is not in the correct format: %2").arg(names[i], raw));
        bounds[i] = truncateToMinute(bounds[i]); // Salesforce ignores the seconds
    }
    const QDateTime start = bounds[0];
    const QDateTime end = bounds[1];
    if (start.secsTo(end) < 60)
        return errorResponse(400, kReplicationCode, QStringLiteral("startDate must be at least one minute greater than endDate"));
    const int retentionDays = deleted ? kDeletedRetentionDays : kUpdatedRetentionDays;
    const QDateTime earliest = truncateToMinute(m_now.addDays(-retentionDays));
    if (start < earliest)
        return errorResponse(400, kReplicationCode,
            QStringLiteral("startDate cannot be more than %1 days ago").arg(retentionDays));

    // Changes are covered up to the end of the window or the current minute, whichever is earlier.
    const QDateTime latestCovered = qMin(end, truncateToMinute(m_now));
    const QString from = Store::formatDateTime(start);
    const QString to = Store::formatDateTime(end);
    const bool softDeletes = obj.field(QStringLiteral("IsDeleted")) != nullptr;
    if (deleted && !softDeletes) {
        return extras::jsonReply(200,
            QJsonObject { { QStringLiteral("deletedRecords"), QJsonArray {} },
                { QStringLiteral("earliestDateAvailable"), Store::formatDateTime(earliest) },
                { QStringLiteral("latestDateCovered"), Store::formatDateTime(latestCovered) } });
    }
    QString where = QStringLiteral("SystemModstamp >= ? AND SystemModstamp < ?");
    if (softDeletes)
        where += deleted ? QStringLiteral(" AND IsDeleted = 1") : QStringLiteral(" AND IsDeleted = 0");
    const QString table = u'"' + obj.name + u'"';

    QSqlQuery count(m_store.database());
    count.prepare(QStringLiteral("SELECT COUNT(*) FROM %1 WHERE %2").arg(table, where));
    count.addBindValue(from);
    count.addBindValue(to);
    if (!count.exec() || !count.next())
        return errorResponse(500, QStringLiteral("UNKNOWN_EXCEPTION"), QStringLiteral("An unexpected error occurred while reading %1").arg(obj.name));
    if (count.value(0).toLongLong() > kMaxIds)
        return errorResponse(400, QStringLiteral("EXCEEDED_ID_LIMIT"),
            QStringLiteral("More than %1 ids match; choose start and end dates that are closer together").arg(kMaxIds));

    QSqlQuery q(m_store.database());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT Id, SystemModstamp FROM %1 WHERE %2 ORDER BY SystemModstamp, Id").arg(table, where));
    q.addBindValue(from);
    q.addBindValue(to);
    if (!q.exec())
        return errorResponse(500, QStringLiteral("UNKNOWN_EXCEPTION"), QStringLiteral("An unexpected error occurred while reading %1").arg(obj.name));
    QJsonArray items;
    while (q.next()) {
        if (deleted) {
            items.append(QJsonObject { { QStringLiteral("id"), q.value(0).toString() },
                { QStringLiteral("deletedDate"), q.value(1).toString() } });
        } else {
            items.append(q.value(0).toString());
        }
    }
    if (deleted) {
        return extras::jsonReply(200,
            QJsonObject { { QStringLiteral("deletedRecords"), items },
                { QStringLiteral("earliestDateAvailable"), Store::formatDateTime(earliest) },
                { QStringLiteral("latestDateCovered"), Store::formatDateTime(latestCovered) } });
    }
    return extras::jsonReply(200,
        QJsonObject { { QStringLiteral("ids"), items }, { QStringLiteral("latestDateCovered"), Store::formatDateTime(latestCovered) } });
}

} // namespace fs::sim
