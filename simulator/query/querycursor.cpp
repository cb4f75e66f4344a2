#include "querycursor.h"

#include "querycompiler.h"
#include "store/store.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QLocale>
#include <QSqlDriver>

#include <sqlite3.h>

#include <algorithm>
#include <cmath>

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

// Whether Qt's JSON writer would emit these UTF-8 bytes unchanged between quotes: printable ASCII
// other than '"' and '\\' (Qt escapes only those and control characters). Anything else (control
// characters, non-ASCII) goes through Qt's writer, so no escaping is done here.
bool isVerbatimAscii(const char *p, qsizetype n)
{
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(p[i]);
        if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\')
            return false;
    }
    return true;
}

// A JSON string from UTF-8 text, byte-for-byte as Qt's writer produces it.
void appendText(QByteArray &out, const char *p, qsizetype n)
{
    if (isVerbatimAscii(p, n)) {
        out += '"';
        out.append(p, n);
        out += '"';
        return;
    }
    appendScalar(out, QJsonValue(QString::fromUtf8(p, n)));
}

// A JSON number as Qt's writer produces it for QJsonValue(double): whole numbers within ±2^53 as
// integers, others in the shortest round-trip form, non-finite as null.
void appendDouble(QByteArray &out, double d)
{
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    if (d == std::trunc(d) && std::fabs(d) <= 9007199254740992.0) {
        out += QByteArray::number(qint64(d));
        return;
    }
    out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
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

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QVariant v = db.driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

struct StatementDeleter {
    void operator()(sqlite3_stmt *s) const { sqlite3_finalize(s); }
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// Binds one parameter the way Qt's SQLite driver would (numbers as numbers, strings as text).
int bindValue(sqlite3_stmt *stmt, int index, const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return sqlite3_bind_null(stmt, index);
    switch (v.typeId()) {
    case QMetaType::Bool:
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
    case QMetaType::Char:
        return sqlite3_bind_int64(stmt, index, v.toLongLong());
    case QMetaType::ULong:
    case QMetaType::ULongLong:
        return sqlite3_bind_int64(stmt, index, qint64(v.toULongLong()));
    case QMetaType::Double:
    case QMetaType::Float:
        return sqlite3_bind_double(stmt, index, v.toDouble());
    case QMetaType::QByteArray: {
        const QByteArray b = v.toByteArray();
        return sqlite3_bind_blob(stmt, index, b.constData(), int(b.size()), SQLITE_TRANSIENT);
    }
    default: {
        const QByteArray utf8 = v.toString().toUtf8();
        return sqlite3_bind_text(stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    }
    }
}

int bindAll(sqlite3_stmt *stmt, const QVariantList &binds, int from = 0)
{
    for (int i = from; i < binds.size(); ++i) {
        const int rc = bindValue(stmt, i + 1, binds.at(i));
        if (rc != SQLITE_OK)
            return rc;
    }
    return SQLITE_OK;
}

const char *columnText(sqlite3_stmt *stmt, int col, qsizetype *len)
{
    const auto *p = reinterpret_cast<const char *>(sqlite3_column_text(stmt, col));
    *len = sqlite3_column_bytes(stmt, col);
    return p ? p : "";
}

qint64 columnInteger(sqlite3_stmt *stmt, int col)
{
    // Qt rounds a REAL to the nearest integer when asked for one; SQLite's own conversion truncates.
    if (sqlite3_column_type(stmt, col) == SQLITE_FLOAT)
        return qRound64(sqlite3_column_double(stmt, col));
    return sqlite3_column_int64(stmt, col);
}

// How a Field node's stored value becomes JSON (Store::toJson, resolved once per cursor).
enum class FieldJson { Boolean, Integer, Double, Text };

FieldJson fieldJsonFor(const FieldDef &f)
{
    if (f.type == u"boolean")
        return FieldJson::Boolean;
    if (f.type == u"int")
        return FieldJson::Integer;
    if (f.type == u"double" || f.type == u"currency" || f.type == u"percent")
        return FieldJson::Double;
    return FieldJson::Text;
}

} // namespace

// An output node prepared for rendering: its key already serialized, its JSON typing resolved.
struct RenderNode {
    OutputNode::Kind kind = OutputNode::Kind::Field;
    FieldJson json = FieldJson::Text;
    QByteArray key; // "Key":
    int column = -1;
    const ObjectDef *object = nullptr;
    std::vector<RenderNode> children;
    int childPlan = -1;
};

// A compiled (sub)query prepared for rendering. Child plans own the statement they re-run per
// parent row.
struct RenderPlan {
    const CompiledQuery *plan = nullptr;
    std::vector<RenderNode> nodes;
    std::vector<std::unique_ptr<RenderPlan>> children;
    Statement stmt; // child plans only
};

class QueryCursorPrivate {
public:
    Store *store = nullptr;
    QueryContext ctx;
    CompiledQuery plan;
    qint64 total = 0;
    RenderPlan root;
    Statement query;
    bool hasRow = false;
    QByteArray urlPrefix; // /services/data/vXX.X/sobjects/
    bool urlPrefixVerbatim = true;
    // "attributes":{"type":"X","url":" per object (the url's opening quote included when verbatim).
    QHash<const ObjectDef *, QByteArray> attributesJson;

    static std::vector<RenderNode> prepareNodes(const std::vector<OutputNode> &nodes)
    {
        std::vector<RenderNode> out;
        out.reserve(nodes.size());
        for (const OutputNode &n : nodes) {
            RenderNode r;
            r.kind = n.kind;
            if (n.kind == OutputNode::Kind::Field && n.field)
                r.json = fieldJsonFor(*n.field);
            r.key = ",";
            appendKey(r.key, n.key);
            r.column = n.column;
            r.object = n.object;
            r.children = prepareNodes(n.children);
            r.childPlan = n.childPlan;
            out.push_back(std::move(r));
        }
        return out;
    }

    // Prepares `rp` for `p`; child statements are compiled against `db`. Returns an SQLite error
    // message, empty on success.
    static QString preparePlan(RenderPlan &rp, const CompiledQuery &p, sqlite3 *db)
    {
        rp.plan = &p;
        rp.nodes = prepareNodes(p.output);
        for (const auto &child : p.children) {
            auto crp = std::make_unique<RenderPlan>();
            const QByteArray sql = child->sql.toUtf8();
            sqlite3_stmt *stmt = nullptr;
            if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK) {
                sqlite3_finalize(stmt);
                return QString::fromUtf8(sqlite3_errmsg(db));
            }
            crp->stmt.reset(stmt);
            const QString err = preparePlan(*crp, *child, db);
            if (!err.isEmpty())
                return err;
            rp.children.push_back(std::move(crp));
        }
        return {};
    }

    void appendAttributes(QByteArray &out, const ObjectDef &obj, sqlite3_stmt *row, int idColumn)
    {
        auto it = attributesJson.constFind(&obj);
        if (it == attributesJson.constEnd()) {
            QByteArray prefix = "\"attributes\":{\"type\":";
            appendScalar(prefix, QJsonValue(obj.name));
            prefix += ",\"url\":";
            const QByteArray name = obj.name.toUtf8();
            if (urlPrefixVerbatim && isVerbatimAscii(name.constData(), name.size()))
                prefix += '"' + urlPrefix + name + '/';
            it = attributesJson.insert(&obj, prefix);
        }
        qsizetype len = 0;
        const char *id = columnText(row, idColumn, &len);
        if (it->endsWith('/') && isVerbatimAscii(id, len)) {
            out += *it;
            out.append(id, len);
            out += "\"}";
            return;
        }
        out += *it;
        if (it->endsWith('/')) // the prefix opened the url verbatim: close over Qt's writer instead
            out.chop(1 + urlPrefix.size() + obj.name.toUtf8().size() + 1);
        appendScalar(out, QJsonValue(QString::fromUtf8(urlPrefix) + obj.name + u'/' + QString::fromUtf8(id, len)));
        out += '}';
    }

    void appendNodes(QByteArray &out, const std::vector<RenderNode> &nodes, sqlite3_stmt *row, const RenderPlan &rp)
    {
        for (const RenderNode &n : nodes) {
            out += n.key;
            const bool isNull = n.column < 0 || sqlite3_column_type(row, n.column) == SQLITE_NULL;
            switch (n.kind) {
            case OutputNode::Kind::Field:
                if (n.json == FieldJson::Boolean) {
                    out += (!isNull && columnInteger(row, n.column) != 0) ? "true" : "false";
                    break;
                }
                if (isNull) {
                    out += "null";
                    break;
                }
                switch (n.json) {
                case FieldJson::Integer:
                    out += QByteArray::number(columnInteger(row, n.column));
                    break;
                case FieldJson::Double:
                    appendDouble(out, sqlite3_column_double(row, n.column));
                    break;
                default: {
                    qsizetype len = 0;
                    const char *p = columnText(row, n.column, &len);
                    appendText(out, p, len);
                    break;
                }
                }
                break;
            case OutputNode::Kind::Integer:
                if (isNull)
                    out += "null";
                else
                    out += QByteArray::number(columnInteger(row, n.column));
                break;
            case OutputNode::Kind::Double:
                if (isNull)
                    out += "null";
                else
                    appendDouble(out, sqlite3_column_double(row, n.column));
                break;
            case OutputNode::Kind::Text:
                if (isNull) {
                    out += "null";
                } else {
                    qsizetype len = 0;
                    const char *p = columnText(row, n.column, &len);
                    appendText(out, p, len);
                }
                break;
            case OutputNode::Kind::Parent:
                if (isNull) {
                    out += "null";
                } else {
                    out += '{';
                    appendAttributes(out, *n.object, row, n.column);
                    appendNodes(out, n.children, row, rp);
                    out += '}';
                }
                break;
            case OutputNode::Kind::Child:
                appendChild(out, *rp.children[size_t(n.childPlan)], row, rp.plan->idColumn);
                break;
            }
        }
    }

    void appendChild(QByteArray &out, RenderPlan &child, sqlite3_stmt *parentRow, int parentIdColumn)
    {
        sqlite3_stmt *q = child.stmt.get();
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        qsizetype len = 0;
        const char *id = columnText(parentRow, parentIdColumn, &len);
        int rc = sqlite3_bind_text(q, 1, id, int(len), SQLITE_TRANSIENT);
        if (rc == SQLITE_OK)
            rc = bindAll(q, child.plan->binds, 1);
        if (rc != SQLITE_OK) {
            out += "null";
            return;
        }
        QByteArray records;
        qint64 n = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            if (n > 0)
                records += ',';
            appendRecord(records, child, q);
            ++n;
        }
        sqlite3_reset(q);
        if (n == 0) {
            out += "null";
            return;
        }
        out += "{\"totalSize\":" + QByteArray::number(n) + ",\"done\":true,\"records\":[" + records + "]}";
    }

    void appendRecord(QByteArray &out, const RenderPlan &rp, sqlite3_stmt *row)
    {
        out += '{';
        if (rp.plan->aggregate)
            out += "\"attributes\":{\"type\":\"AggregateResult\"}";
        else
            appendAttributes(out, *rp.plan->object, row, rp.plan->idColumn);
        appendNodes(out, rp.nodes, row, rp);
        out += '}';
    }

    bool step()
    {
        hasRow = query && sqlite3_step(query.get()) == SQLITE_ROW;
        if (!hasRow && query)
            sqlite3_reset(query.get()); // ends the read so the statement holds no lock between pages
        return hasRow;
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
    p.urlPrefix = (QStringLiteral("/services/data/v") + effective.apiVersion + QStringLiteral("/sobjects/")).toUtf8();
    p.urlPrefixVerbatim = isVerbatimAscii(p.urlPrefix.constData(), p.urlPrefix.size());

    auto sqlFailure = [&](const QString &message) {
        if (error)
            *error = SimError::make(500, QStringLiteral("UNKNOWN_EXCEPTION"),
                QStringLiteral("An unexpected error occurred while running the query: %1").arg(message));
        return nullptr;
    };

    registerCollation(store.database());
    sqlite3 *db = sqliteHandle(store.database());
    if (!db)
        return sqlFailure(QStringLiteral("the store is not open"));
    auto prepare = [db](const QString &sql, Statement *out) {
        const QByteArray utf8 = sql.toUtf8();
        sqlite3_stmt *stmt = nullptr;
        const int rc = sqlite3_prepare_v2(db, utf8.constData(), int(utf8.size()), &stmt, nullptr);
        out->reset(stmt);
        return rc == SQLITE_OK && stmt;
    };
    auto dbError = [db]() { return QString::fromUtf8(sqlite3_errmsg(db)); };

    {
        Statement count;
        if (!prepare(p.plan.countSql, &count) || bindAll(count.get(), p.plan.binds) != SQLITE_OK)
            return sqlFailure(dbError());
        if (sqlite3_step(count.get()) != SQLITE_ROW)
            return sqlFailure(dbError());
        p.total = sqlite3_column_int64(count.get(), 0);
    }

    if (p.plan.countOnly)
        return cursor;

    const QString childError = QueryCursorPrivate::preparePlan(p.root, p.plan, db);
    if (!childError.isEmpty())
        return sqlFailure(childError);
    if (!prepare(p.plan.sql, &p.query) || bindAll(p.query.get(), p.plan.binds) != SQLITE_OK)
        return sqlFailure(dbError());
    const int rc = sqlite3_step(p.query.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sqlFailure(dbError());
    p.hasRow = rc == SQLITE_ROW;
    if (!p.hasRow)
        sqlite3_reset(p.query.get());
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
    out.reserve(qsizetype(qMin(maxRecords, 4096)) * 256);
    out += '[';
    int n = 0;
    while (d->hasRow && n < maxRecords) {
        if (n > 0)
            out += ',';
        d->appendRecord(out, d->root, d->query.get());
        ++n;
        d->step();
    }
    out += ']';
    if (count)
        *count = n;
    return out;
}

} // namespace fs::sim
