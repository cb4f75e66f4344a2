#include "querybridge.h"

#include "store/store.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>

#if __has_include("query/querycursor.h")
#include "query/querycompiler.h"
#include "query/querycursor.h"
#include <soql/builder.h>

#include <simdjson.h>

#include <map>
#define FS_SIM_HAVE_QUERY_CURSOR 1
#endif

namespace fs::sim {

namespace {

#ifdef FS_SIM_HAVE_QUERY_CURSOR
class CursorHandle;

// Where new child locators of one page go, and what they need to run later.
struct ChildPaging {
    Store *store = nullptr;
    const QueryOptions *options = nullptr;
    std::map<QString, std::unique_ptr<ChildLocator>> *locators = nullptr;
};

std::unique_ptr<CursorHandle> openCursorHandle(Store &store, const QString &soql, const QueryOptions &options,
    SimError *error);

QByteArray bytesOf(std::string_view v)
{
    return QByteArray(v.data(), qsizetype(v.size()));
}

// Remaining pages of one child result: the child subquery re-run as a top-level query for its parent
// record (CompiledQuery::rootedSoql*), opened on first use and skipping the rows already handed out.
class CursorChildLocator : public ChildLocator {
public:
    CursorChildLocator(Store &store, const QueryOptions &options, QString id, QString soql)
        : m_store(store)
        , m_options(options)
        , m_id(std::move(id))
        , m_soql(std::move(soql))
    {
    }
    ~CursorChildLocator() override;
    bool page(qint64 offset, QByteArray *body, SimError *error) override;
    CursorHandle *handle() const { return m_handle.get(); }

private:
    Store &m_store;
    QueryOptions m_options;
    QString m_id;
    QString m_soql;
    std::unique_ptr<CursorHandle> m_handle;
    qint64 m_next = kChildPageSize;
    qint64 m_lastPageOffset = -1;
    QByteArray m_lastPage;
};

QByteArray pageChildResults(const QByteArray &records, const CompiledQuery &plan, const ChildPaging &paging);

// One child result `{"totalSize":n,"done":true,"records":[…]}` of the parent record `parentId`: cut
// to its first kChildPageSize records with a new locator when longer, grand-children paged too.
QByteArray pageChildResult(std::string_view text, const CompiledQuery &child, const QString &parentId,
    const ChildPaging &paging)
{
    simdjson::padded_string json(text);
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc = parser.iterate(json);
    simdjson::ondemand::object result = doc.get_object();
    const int64_t total = result["totalSize"].get_int64();
    if ((total <= kChildPageSize && child.children.empty()) || parentId.isEmpty() || child.rootedSoqlHead.isEmpty())
        return bytesOf(text);
    const char *base = json.data();
    size_t first = 0, end = 0;
    int kept = 0;
    for (auto element : result["records"].get_array()) {
        simdjson::ondemand::object record = element.get_object();
        const std::string_view raw = record.raw_json();
        if (kept == 0)
            first = size_t(raw.data() - base);
        end = size_t(raw.data() - base) + raw.size();
        if (++kept == kChildPageSize)
            break;
    }
    QByteArray records = '[' + bytesOf(text.substr(first, end - first)) + ']';
    if (!child.children.empty())
        records = pageChildResults(records, child, paging);
    QByteArray out = "{\"totalSize\":" + QByteArray::number(qint64(total));
    if (total <= kChildPageSize)
        return out + ",\"done\":true,\"records\":" + records + '}';
    const QString id = paging.options->newLocatorId();
    const QString soql = child.rootedSoqlHead + soql::quoteString(parentId) + child.rootedSoqlTail;
    paging.locators->emplace(id, std::make_unique<CursorChildLocator>(*paging.store, *paging.options, id, soql));
    out += ",\"done\":false,\"nextRecordsUrl\":\"/services/data/v" + paging.options->apiVersion.toLatin1() + "/query/"
        + id.toLatin1() + '-' + QByteArray::number(kChildPageSize) + "\",\"records\":" + records + '}';
    return out;
}

// Rewrites a page of records (a JSON array shaped by `plan`) so that every child result longer than
// kChildPageSize, at any depth, carries only its first page and a nextRecordsUrl (reference §3.2).
// Fields keep their order: only the child results' bytes are replaced.
QByteArray pageChildResults(const QByteArray &records, const CompiledQuery &plan, const ChildPaging &paging)
{
    QHash<QByteArray, int> childKeys;
    for (const OutputNode &n : plan.output) {
        if (n.kind == OutputNode::Kind::Child)
            childKeys.insert(n.key.toUtf8(), n.childPlan);
    }
    if (childKeys.isEmpty())
        return records;
    struct Edit {
        size_t begin = 0, end = 0;
        int childPlan = -1;
        QString parentId;
    };
    std::vector<Edit> edits;
    simdjson::padded_string json(records.constData(), size_t(records.size()));
    simdjson::ondemand::parser parser;
    simdjson::ondemand::document doc = parser.iterate(json);
    const char *base = json.data();
    for (auto element : doc.get_array()) {
        QString parentId;
        for (auto field : element.get_object()) {
            const std::string_view key = field.unescaped_key();
            if (key == "attributes") {
                const std::string_view url = field.value()["url"].get_string();
                parentId = QString::fromUtf8(bytesOf(url.substr(url.rfind('/') + 1)));
                continue;
            }
            const auto it = childKeys.constFind(bytesOf(key));
            if (it == childKeys.constEnd())
                continue;
            simdjson::ondemand::value value = field.value();
            const simdjson::ondemand::json_type type = value.type();
            if (type != simdjson::ondemand::json_type::object)
                continue; // null: no children
            simdjson::ondemand::object childResult = value.get_object();
            const std::string_view raw = childResult.raw_json();
            edits.push_back(Edit { size_t(raw.data() - base), size_t(raw.data() - base) + raw.size(), *it, parentId });
        }
    }
    if (edits.empty())
        return records;
    const std::string_view text(records.constData(), size_t(records.size()));
    QByteArray out;
    out.reserve(records.size());
    size_t pos = 0;
    for (const Edit &e : edits) {
        out += bytesOf(text.substr(pos, e.begin - pos));
        out += pageChildResult(text.substr(e.begin, e.end - e.begin), *plan.children[size_t(e.childPlan)], e.parentId,
            paging);
        pos = e.end;
    }
    out += bytesOf(text.substr(pos));
    return out;
}

class CursorHandle : public QueryHandle {
public:
    CursorHandle(Store &store, std::unique_ptr<QueryCursor> c, std::optional<CompiledQuery> plan, QueryOptions options)
        : m_store(store)
        , m_cursor(std::move(c))
        , m_plan(std::move(plan))
        , m_options(std::move(options))
    {
    }
    qint64 totalSize() const override { return m_cursor->totalSize(); }
    bool atEnd() const override { return m_cursor->atEnd(); }
    QByteArray nextRecordsJson(int maxRecords, int *count) override
    {
        m_childLocators.clear();
        QByteArray records = m_cursor->nextRecordsJson(maxRecords, count);
        if (!m_plan || m_plan->children.empty() || !m_options.newLocatorId)
            return records;
        try {
            return pageChildResults(records, *m_plan, ChildPaging { &m_store, &m_options, &m_childLocators });
        } catch (const simdjson::simdjson_error &e) {
            // Never expected (the cursor writes the JSON); the complete child results stay valid.
            qWarning("forcescope-sim: could not page child results: %s", e.what());
            m_childLocators.clear();
            return records;
        }
    }
    bool hasChildLocators() const override { return !m_childLocators.empty(); }
    ChildLocator *childLocator(const QString &id) override
    {
        const auto it = m_childLocators.find(id);
        if (it != m_childLocators.end())
            return it->second.get();
        for (const auto &entry : m_childLocators) {
            CursorHandle *h = static_cast<CursorChildLocator *>(entry.second.get())->handle();
            if (ChildLocator *found = h ? h->childLocator(id) : nullptr)
                return found;
        }
        return nullptr;
    }
    // Steps over rows already handed out (a child locator's first page came inline).
    void skip(qint64 rows)
    {
        while (rows > 0 && !m_cursor->atEnd()) {
            int n = 0;
            m_cursor->nextRecordsJson(int(qMin<qint64>(rows, 2000)), &n);
            if (n <= 0)
                break;
            rows -= n;
        }
    }

private:
    Store &m_store;
    std::unique_ptr<QueryCursor> m_cursor;
    std::optional<CompiledQuery> m_plan;
    QueryOptions m_options;
    std::map<QString, std::unique_ptr<ChildLocator>> m_childLocators;
};

std::unique_ptr<CursorHandle> openCursorHandle(Store &store, const QString &soql, const QueryOptions &options,
    SimError *error)
{
    QueryContext ctx;
    ctx.includeDeleted = options.includeDeleted;
    ctx.apiVersion = options.apiVersion;
    ctx.now = options.now;
    ctx.userId = options.userId;
    auto cursor = QueryCursor::open(store, soql, ctx, error);
    if (!cursor)
        return nullptr;
    std::optional<CompiledQuery> plan;
    if (options.newLocatorId) {
        // The cursor keeps its plan private; compile again (cheap) to learn the child subqueries.
        if (!ctx.now.isValid())
            ctx.now = store.now();
        soql::SoqlError ignored;
        plan = QueryCompiler::compile(store.schema(), soql, ctx, &ignored);
    }
    return std::make_unique<CursorHandle>(store, std::move(cursor), std::move(plan), options);
}

CursorChildLocator::~CursorChildLocator() = default;

bool CursorChildLocator::page(qint64 offset, QByteArray *body, SimError *error)
{
    if (offset == m_lastPageOffset && offset != m_next && !m_lastPage.isEmpty()) {
        *body = m_lastPage; // the client retries the page it already fetched
        return true;
    }
    if (offset != m_next)
        return false;
    if (!m_handle) {
        m_handle = openCursorHandle(m_store, m_soql, m_options, error);
        if (!m_handle)
            return false;
        m_handle->skip(m_next);
    }
    int count = 0;
    const QByteArray records = m_handle->nextRecordsJson(kChildPageSize, &count);
    m_lastPageOffset = m_next;
    m_next += count;
    const bool done = m_handle->atEnd();
    QByteArray out = "{\"totalSize\":" + QByteArray::number(m_handle->totalSize()) + ",\"done\":" + (done ? "true" : "false");
    if (!done)
        out += ",\"nextRecordsUrl\":\"/services/data/v" + m_options.apiVersion.toLatin1() + "/query/" + m_id.toLatin1()
            + '-' + QByteArray::number(m_next) + '"';
    out += ",\"records\":" + records + '}';
    m_lastPage = out;
    *body = out;
    return true;
}
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
    return openCursorHandle(store, soql, options, error);
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
