#include "querycursor.h"

#include "querycompiler.h"
#include "store/store.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>

#include <algorithm>

namespace fs::sim {

namespace {

// One JSON scalar as text, produced by Qt's JSON writer (we only assemble objects in SELECT order,
// which QJsonObject cannot keep: it sorts its keys).
void appendScalar(QByteArray &out, const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::Bool:
        out += v.toBool() ? "true" : "false";
        return;
    default: {
        const QByteArray doc = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
        out += QByteArrayView(doc).sliced(1, doc.size() - 2);
        return;
    }
    }
}

void appendKey(QByteArray &out, const QString &key)
{
    appendScalar(out, QJsonValue(key));
    out += ':';
}

// Salesforce compares and sorts text case-insensitively for every script, not only ASCII (SQLite's
// NOCASE). FS_CI folds case with Qt's Unicode tables; pure-ASCII pairs take a fast path.
int compareCaseInsensitive(void *, int lenA, const void *a, int lenB, const void *b)
{
    const auto *pa = static_cast<const unsigned char *>(a);
    const auto *pb = static_cast<const unsigned char *>(b);
    const int common = qMin(lenA, lenB);
    bool ascii = true;
    for (int i = 0; i < common; ++i) {
        if (pa[i] >= 0x80 || pb[i] >= 0x80) {
            ascii = false;
            break;
        }
        const int ca = (pa[i] >= 'A' && pa[i] <= 'Z') ? pa[i] + 32 : pa[i];
        const int cb = (pb[i] >= 'A' && pb[i] <= 'Z') ? pb[i] + 32 : pb[i];
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    if (ascii) {
        const bool restAscii = std::all_of(pa + common, pa + lenA, [](unsigned char c) { return c < 0x80; })
            && std::all_of(pb + common, pb + lenB, [](unsigned char c) { return c < 0x80; });
        if (restAscii)
            return lenA == lenB ? 0 : (lenA < lenB ? -1 : 1);
    }
    const QString sa = QString::fromUtf8(reinterpret_cast<const char *>(pa), lenA);
    const QString sb = QString::fromUtf8(reinterpret_cast<const char *>(pb), lenB);
    const int r = sa.compare(sb, Qt::CaseInsensitive);
    return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

// LIKE with Unicode case folding (SQLite's built-in LIKE folds ASCII only). Called by SQLite as
// like(pattern, text[, escape]); '%' matches any run, '_' one character, the escape makes the next
// pattern character literal.
bool likeMatches(QStringView p, QStringView s, QChar esc, bool hasEsc)
{
    qsizetype i = 0, j = 0, starI = -1, starJ = 0;
    while (j < s.size()) {
        if (i < p.size()) {
            const QChar c = p[i];
            if (hasEsc && c == esc && i + 1 < p.size()) {
                if (p[i + 1] == s[j]) {
                    i += 2;
                    ++j;
                    continue;
                }
            } else if (c == u'%') {
                starI = ++i;
                starJ = j;
                continue;
            } else if (c == u'_' || c == s[j]) {
                ++i;
                ++j;
                continue;
            }
        }
        if (starI < 0)
            return false;
        i = starI;
        j = ++starJ;
    }
    while (i < p.size() && p[i] == u'%')
        ++i;
    return i == p.size();
}

QString textArg(sqlite3_value *v)
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(v));
    return QString::fromUtf8(text, sqlite3_value_bytes(v));
}

void likeFunction(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    for (int i = 0; i < argc; ++i) {
        if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
            sqlite3_result_null(ctx);
            return;
        }
    }
    QChar esc;
    if (argc == 3) {
        const QString e = textArg(argv[2]);
        if (e.size() != 1) {
            sqlite3_result_error(ctx, "ESCAPE expression must be a single character", -1);
            return;
        }
        esc = e.front();
    }
    const QString pattern = textArg(argv[0]).toCaseFolded();
    const QString text = textArg(argv[1]).toCaseFolded();
    sqlite3_result_int(ctx, likeMatches(pattern, text, esc, argc == 3) ? 1 : 0);
}

void registerCollation(const QSqlDatabase &db)
{
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return;
    sqlite3 *handle = *static_cast<sqlite3 *const *>(v.constData());
    if (!handle)
        return;
    sqlite3_create_collation_v2(handle, "FS_CI", SQLITE_UTF8, nullptr, compareCaseInsensitive, nullptr);
    for (int args : { 2, 3 })
        sqlite3_create_function_v2(handle, "like", args, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr, likeFunction,
            nullptr, nullptr, nullptr);
}

void bindAll(QSqlQuery &query, const QVariantList &binds)
{
    for (const QVariant &v : binds)
        query.addBindValue(v);
}

} // namespace

class QueryCursorPrivate {
public:
    Store *store = nullptr;
    QueryContext ctx;
    CompiledQuery plan;
    std::unique_ptr<QSqlQuery> query;
    std::vector<std::unique_ptr<QSqlQuery>> childQueries;
    qint64 total = 0;
    bool hasRow = false;
    QString urlPrefix; // /services/data/vXX.X/sobjects/

    // Serialized keys and attribute prefixes, computed once per cursor rather than per record.
    QHash<const OutputNode *, QByteArray> keyJson;
    QHash<const ObjectDef *, QByteArray> attributesJson;

    void cacheKeys(const std::vector<OutputNode> &nodes)
    {
        for (const OutputNode &n : nodes) {
            QByteArray k;
            appendKey(k, n.key);
            keyJson.insert(&n, k);
            cacheKeys(n.children);
        }
    }
    void cachePlan(const CompiledQuery &p)
    {
        cacheKeys(p.output);
        for (const auto &child : p.children)
            cachePlan(*child);
    }

    void appendAttributes(QByteArray &out, const ObjectDef &obj, const QString &id)
    {
        auto it = attributesJson.constFind(&obj);
        if (it == attributesJson.constEnd()) {
            QByteArray prefix = "\"attributes\":{\"type\":";
            appendScalar(prefix, QJsonValue(obj.name));
            prefix += ",\"url\":";
            it = attributesJson.insert(&obj, prefix);
        }
        out += *it;
        appendScalar(out, QJsonValue(urlPrefix + obj.name + u'/' + id));
        out += '}';
    }

    void appendNodes(QByteArray &out, const std::vector<OutputNode> &nodes, const QSqlQuery &row,
        const CompiledQuery &plan)
    {
        for (const OutputNode &n : nodes) {
            out += ',';
            out += keyJson.value(&n);
            const QVariant v = n.column >= 0 ? row.value(n.column) : QVariant();
            switch (n.kind) {
            case OutputNode::Kind::Field:
                appendScalar(out, Store::toJson(*n.field, v));
                break;
            case OutputNode::Kind::Integer:
                appendScalar(out, v.isNull() ? QJsonValue() : QJsonValue(v.toLongLong()));
                break;
            case OutputNode::Kind::Double:
                appendScalar(out, v.isNull() ? QJsonValue() : QJsonValue(v.toDouble()));
                break;
            case OutputNode::Kind::Text:
                appendScalar(out, v.isNull() ? QJsonValue() : QJsonValue(v.toString()));
                break;
            case OutputNode::Kind::Parent:
                if (v.isNull()) {
                    out += "null";
                } else {
                    out += '{';
                    appendAttributes(out, *n.object, v.toString());
                    appendNodes(out, n.children, row, plan);
                    out += '}';
                }
                break;
            case OutputNode::Kind::Child:
                appendChild(out, *plan.children[size_t(n.childPlan)], *childQueries[size_t(n.childPlan)],
                    row.value(plan.idColumn));
                break;
            }
        }
    }

    void appendChild(QByteArray &out, const CompiledQuery &child, QSqlQuery &q, const QVariant &parentId)
    {
        QVariantList binds = child.binds;
        binds[0] = parentId;
        bindAll(q, binds);
        if (!q.exec()) {
            out += "null";
            return;
        }
        QByteArray records;
        qint64 n = 0;
        while (q.next()) {
            if (n > 0)
                records += ',';
            appendRecord(records, child, q, false);
            ++n;
        }
        q.finish();
        if (n == 0) {
            out += "null";
            return;
        }
        out += "{\"totalSize\":" + QByteArray::number(n) + ",\"done\":true,\"records\":[" + records + "]}";
    }

    void appendRecord(QByteArray &out, const CompiledQuery &p, const QSqlQuery &row, bool)
    {
        out += '{';
        if (p.aggregate) {
            out += "\"attributes\":{\"type\":\"AggregateResult\"}";
        } else {
            appendAttributes(out, *p.object, row.value(p.idColumn).toString());
        }
        appendNodes(out, p.output, row, p);
        out += '}';
    }
};

QueryCursor::QueryCursor()
    : d(std::make_unique<QueryCursorPrivate>())
{
}

QueryCursor::~QueryCursor() = default;

std::unique_ptr<QueryCursor> QueryCursor::open(Store &store, const QString &soql, const QueryContext &ctx, SimError *error)
{
    QueryContext effective = ctx;
    if (!effective.now.isValid())
        effective.now = store.now();
    soql::SoqlError soqlError;
    auto plan = QueryCompiler::compile(store.schema(), soql, effective, &soqlError);
    if (!plan) {
        if (error)
            *error = SimError::make(400, soqlError.code, soql::formatSalesforceMessage(soql, soqlError));
        return nullptr;
    }
    std::unique_ptr<QueryCursor> cursor(new QueryCursor());
    QueryCursorPrivate &p = *cursor->d;
    p.store = &store;
    p.ctx = effective;
    p.plan = std::move(*plan);
    p.urlPrefix = QStringLiteral("/services/data/v") + effective.apiVersion + QStringLiteral("/sobjects/");
    p.cachePlan(p.plan);

    auto sqlFailure = [&](const QSqlQuery &q) {
        if (error)
            *error = SimError::make(500, QStringLiteral("UNKNOWN_EXCEPTION"),
                QStringLiteral("An unexpected error occurred while running the query: %1").arg(q.lastError().text()));
        return nullptr;
    };

    registerCollation(store.database());
    QSqlQuery count(store.database());
    count.setForwardOnly(true);
    if (!count.prepare(p.plan.countSql))
        return sqlFailure(count);
    bindAll(count, p.plan.binds);
    if (!count.exec() || !count.next())
        return sqlFailure(count);
    p.total = count.value(0).toLongLong();
    count.finish();

    if (p.plan.countOnly)
        return cursor;

    for (const auto &child : p.plan.children) {
        auto cq = std::make_unique<QSqlQuery>(store.database());
        cq->setForwardOnly(true);
        if (!cq->prepare(child->sql))
            return sqlFailure(*cq);
        p.childQueries.push_back(std::move(cq));
    }
    p.query = std::make_unique<QSqlQuery>(store.database());
    p.query->setForwardOnly(true);
    if (!p.query->prepare(p.plan.sql))
        return sqlFailure(*p.query);
    bindAll(*p.query, p.plan.binds);
    if (!p.query->exec())
        return sqlFailure(*p.query);
    p.hasRow = p.query->next();
    return cursor;
}

qint64 QueryCursor::totalSize() const
{
    return d->total;
}

bool QueryCursor::atEnd() const
{
    return !d->hasRow;
}

bool QueryCursor::isAggregate() const
{
    return d->plan.aggregate;
}

QByteArray QueryCursor::nextRecordsJson(int maxRecords, int *count)
{
    QByteArray out;
    out.reserve(qMin(maxRecords, 4096) * 256);
    out += '[';
    int n = 0;
    while (d->hasRow && n < maxRecords) {
        if (n > 0)
            out += ',';
        d->appendRecord(out, d->plan, *d->query, true);
        ++n;
        d->hasRow = d->query->next();
    }
    if (!d->hasRow && d->query)
        d->query->finish();
    out += ']';
    if (count)
        *count = n;
    return out;
}

} // namespace fs::sim
