#include "querybridge.h"

#include "store/store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>

#if __has_include("query/querycursor.h")
#include "query/querycursor.h"
#define FS_SIM_HAVE_QUERY_CURSOR 1
#endif

namespace fs::sim {

namespace {

#ifdef FS_SIM_HAVE_QUERY_CURSOR
class CursorHandle : public QueryHandle {
public:
    explicit CursorHandle(std::unique_ptr<QueryCursor> c)
        : m_cursor(std::move(c))
    {
    }
    qint64 totalSize() const override { return m_cursor->totalSize(); }
    bool atEnd() const override { return m_cursor->atEnd(); }
    QByteArray nextRecordsJson(int maxRecords, int *count) override { return m_cursor->nextRecordsJson(maxRecords, count); }

private:
    std::unique_ptr<QueryCursor> m_cursor;
};
#else
// Stand-in until the SOQL evaluator lands: SELECT plain fields FROM Object [LIMIT n].
class SimpleHandle : public QueryHandle {
public:
    SimpleHandle(Store &store, const ObjectDef &obj, QStringList fields, const QueryOptions &opts, qint64 limit)
        : m_store(store)
        , m_obj(obj)
        , m_fields(std::move(fields))
        , m_opts(opts)
        , m_query(store.database())
    {
        QStringList cols;
        for (const QString &f : m_fields)
            cols << u'"' + f + u'"';
        const QString where = opts.includeDeleted || !obj.field(QStringLiteral("IsDeleted")) ? QString() : QStringLiteral(" WHERE IsDeleted = 0");
        const QString lim = limit >= 0 ? QStringLiteral(" LIMIT %1").arg(limit) : QString();
        QSqlQuery count(store.database());
        count.exec(QStringLiteral("SELECT COUNT(*) FROM (SELECT 1 FROM \"%1\"%2%3)").arg(obj.name, where, lim));
        m_total = count.next() ? count.value(0).toLongLong() : 0;
        m_query.setForwardOnly(true);
        m_query.exec(QStringLiteral("SELECT %1 FROM \"%2\"%3 ORDER BY Id%4").arg(cols.join(u','), obj.name, where, lim));
        m_hasRow = m_query.next();
    }
    qint64 totalSize() const override { return m_total; }
    bool atEnd() const override { return !m_hasRow; }
    QByteArray nextRecordsJson(int maxRecords, int *count) override
    {
        QByteArray out = "[";
        int n = 0;
        while (m_hasRow && n < maxRecords) {
            QVariantMap row;
            for (int i = 0; i < m_fields.size(); ++i)
                row.insert(m_fields.at(i), m_query.value(i));
            if (!row.contains(QStringLiteral("Id")))
                row.insert(QStringLiteral("Id"), QString());
            if (n > 0)
                out += ',';
            out += QJsonDocument(m_store.recordJson(m_obj, row, m_fields, m_opts.apiVersion)).toJson(QJsonDocument::Compact);
            ++n;
            m_hasRow = m_query.next();
        }
        out += ']';
        *count = n;
        return out;
    }

private:
    Store &m_store;
    const ObjectDef &m_obj;
    QStringList m_fields;
    QueryOptions m_opts;
    QSqlQuery m_query;
    qint64 m_total = 0;
    bool m_hasRow = false;
};
#endif

} // namespace

bool queryEngineAvailable()
{
#ifdef FS_SIM_HAVE_QUERY_CURSOR
    return true;
#else
    return false;
#endif
}

std::unique_ptr<QueryHandle> openQuery(Store &store, const QString &soql, const QueryOptions &options, SimError *error)
{
#ifdef FS_SIM_HAVE_QUERY_CURSOR
    QueryContext ctx;
    ctx.includeDeleted = options.includeDeleted;
    ctx.apiVersion = options.apiVersion;
    ctx.now = options.now;
    ctx.userId = options.userId;
    auto cursor = QueryCursor::open(store, soql, ctx, error);
    if (!cursor)
        return nullptr;
    return std::make_unique<CursorHandle>(std::move(cursor));
#else
    static const QRegularExpression re(QStringLiteral("^\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+LIMIT\\s+(\\d+))?\\s*$"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const auto m = re.match(soql);
    if (!m.hasMatch()) {
        *error = SimError::make(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("unexpected token: query not supported by the simulator"));
        return nullptr;
    }
    const ObjectDef *obj = store.schema().object(m.captured(2));
    if (!obj || !obj->queryable) {
        *error = SimError::make(400, QStringLiteral("INVALID_TYPE"),
            QStringLiteral("sObject type '%1' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")
                .arg(m.captured(2)));
        return nullptr;
    }
    QStringList fields;
    for (const QString &raw : m.captured(1).split(u',')) {
        const FieldDef *f = obj->field(raw.trimmed());
        if (!f) {
            *error = SimError::make(400, QStringLiteral("INVALID_FIELD"),
                QStringLiteral("No such column '%1' on entity '%2'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
                    .arg(raw.trimmed(), obj->name));
            return nullptr;
        }
        fields << f->name;
    }
    const qint64 limit = m.captured(3).isEmpty() ? -1 : m.captured(3).toLongLong();
    return std::make_unique<SimpleHandle>(store, *obj, fields, options, limit);
#endif
}

} // namespace fs::sim
