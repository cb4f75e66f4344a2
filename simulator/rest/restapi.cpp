#include "restapi.h"

#include "rest/compositegraph.h"
#include "rest/compositetree.h"
#include "rest/querycolumns.h"
#include "rest/queryexplain.h"
#include "rest/recordetag.h"
#include "rest/replication.h"
#include "store/store.h"

#include <QJsonDocument>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace fs::sim {

namespace {

constexpr int kFirstVersion = 31;
constexpr int kLastVersion = 62;
constexpr int kDefaultBatch = 2000;
constexpr int kMaxLocatorsPerUser = 10;
constexpr qint64 kLocatorIdleSecs = 15 * 60;

const QString kInvalidFieldTail = QStringLiteral(
    ". If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please "
    "reference your WSDL or the describe call for the appropriate names.");

QString versionLabel(int v)
{
    // Spring '24 = 60.0; three releases a year: Spring, Summer, Winter (Winter belongs to the next year).
    const int idx = v - 60;
    const int mod = ((idx % 3) + 3) % 3;
    const int yearOffset = (idx - mod) / 3;
    static const char *names[] = { "Spring", "Summer", "Winter" };
    const int year = 24 + yearOffset + (mod == 2 ? 1 : 0);
    return QStringLiteral("%1 '%2").arg(QLatin1String(names[mod])).arg(year % 100, 2, 10, QLatin1Char('0'));
}

QDateTime parseHttpDate(const QByteArray &value)
{
    const QString s = QString::fromLatin1(value).trimmed();
    QDateTime dt = QLocale::c().toDateTime(s, QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!dt.isValid())
        dt = QLocale::c().toDateTime(s, QStringLiteral("ddd, d MMM yyyy HH:mm:ss 'GMT'"));
    if (dt.isValid())
        dt.setTimeSpec(Qt::UTC);
    return dt;
}

QByteArray httpDate(const QDateTime &dt)
{
    return QLocale::c().toString(dt.toUTC(), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1();
}

HttpResponse jsonResponse(int status, const QJsonValue &v)
{
    HttpResponse r;
    r.status = status;
    r.body = toJsonBytes(v);
    return r;
}

HttpResponse noContent()
{
    HttpResponse r;
    r.status = 204;
    r.contentType.clear();
    return r;
}

HttpResponse methodNotAllowed(const QByteArray &method, const QString &allowed)
{
    HttpResponse r = errorResponse(405, QStringLiteral("METHOD_NOT_ALLOWED"),
        QStringLiteral("HTTP Method '%1' not allowed. Allowed are %2").arg(QString::fromLatin1(method), allowed));
    r.setHeader("Allow", allowed.toLatin1());
    return r;
}

HttpResponse notFound()
{
    return errorResponse(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
}

// Query parameters as Salesforce reads them: '+' is a space (form encoding), then percent-decoding.
QString param(const HttpRequest &req, const QString &name)
{
    QString raw = req.query.queryItemValue(name, QUrl::FullyEncoded);
    raw.replace(u'+', QStringLiteral("%20"));
    return QUrl::fromPercentEncoding(raw.toUtf8());
}

QJsonValue resolvePath(const QJsonValue &root, const QString &path, bool *ok)
{
    // "records[0].Owner.Name" → walk objects and arrays.
    static const QRegularExpression token(QStringLiteral("([^.\\[\\]]+)|\\[(\\d+)\\]"));
    QJsonValue cur = root;
    *ok = true;
    auto it = token.globalMatch(path);
    while (it.hasNext()) {
        const auto m = it.next();
        if (!m.captured(1).isEmpty()) {
            if (!cur.isObject() || !cur.toObject().contains(m.captured(1))) {
                *ok = false;
                return {};
            }
            cur = cur.toObject().value(m.captured(1));
        } else {
            const int idx = m.captured(2).toInt();
            if (!cur.isArray() || idx >= cur.toArray().size()) {
                *ok = false;
                return {};
            }
            cur = cur.toArray().at(idx);
        }
    }
    return cur;
}

QString scalarText(const QJsonValue &v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble()) {
        const double d = v.toDouble();
        return d == double(qint64(d)) ? QString::number(qint64(d)) : QString::number(d, 'g', 17);
    }
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isNull())
        return QStringLiteral("null");
    return QString::fromUtf8(toJsonBytes(v));
}

// A record as Salesforce orders it: attributes first, then the fields in the requested (or schema) order.
// A record read with ?fields= always carries its Id, after the requested fields when they leave
// it out (the reference's §5.1 and §5.2 examples); composite references such as @{a.Id} rely on
// it. QJsonObject would sort the keys, so the bytes are assembled here.
QByteArray recordBytes(const ObjectDef &obj, const QVariantMap &row, const QStringList &fields, const QString &version)
{
    const QString id = row.value(QStringLiteral("Id")).toString();
    QByteArray out = "{\"attributes\":{\"type\":" + toJsonBytes(obj.name) + ",\"url\":"
        + toJsonBytes(QStringLiteral("/services/data/v%1/sobjects/%2/%3").arg(version, obj.name, id)) + '}';
    auto add = [&](const FieldDef &f) {
        out += ',' + toJsonBytes(f.name) + ':' + toJsonBytes(Store::toJson(f, row.value(f.name)));
    };
    if (fields.isEmpty()) {
        for (const FieldDef &f : obj.fields)
            add(f);
    } else {
        bool hasId = false;
        for (const QString &name : fields) {
            if (const FieldDef *f = obj.field(name)) {
                add(*f);
                hasId = hasId || f->name == u"Id";
            }
        }
        if (const FieldDef *idField = obj.field(QStringLiteral("Id")); idField && !hasId)
            add(*idField);
    }
    out += '}';
    return out;
}

// One subrequest's outcome in a composite or batch reply. The body is kept as the bytes the
// subrequest produced, so a record keeps Salesforce's member order (attributes first, then the
// fields as selected) instead of QJsonObject's sorted one; empty means null.
struct SubResponse {
    QString referenceId; // composite only
    int status = 0;
    QByteArray body;
    QJsonObject headers; // composite only
};

QByteArray bodyBytes(const QByteArray &body)
{
    return body.isEmpty() ? QByteArrayLiteral("null") : body;
}

// {"compositeResponse":[{"body":…,"httpHeaders":…,"httpStatusCode":…,"referenceId":…},…]}
QByteArray compositeResponseBytes(const QList<SubResponse> &items)
{
    QByteArray out = "{\"compositeResponse\":[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        const SubResponse &item = items.at(i);
        if (i > 0)
            out += ',';
        out += "{\"body\":" + bodyBytes(item.body) + ",\"httpHeaders\":" + toJsonBytes(item.headers)
            + ",\"httpStatusCode\":" + QByteArray::number(item.status) + ",\"referenceId\":" + toJsonBytes(item.referenceId)
            + '}';
    }
    return out + "]}";
}

// {"hasErrors":…,"results":[{"statusCode":…,"result":…},…]}
QByteArray batchResponseBytes(bool hasErrors, const QList<SubResponse> &items)
{
    QByteArray out = QByteArrayLiteral("{\"hasErrors\":") + (hasErrors ? "true" : "false") + ",\"results\":[";
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        out += "{\"statusCode\":" + QByteArray::number(items.at(i).status) + ",\"result\":" + bodyBytes(items.at(i).body) + '}';
    }
    return out + "]}";
}

} // namespace

QByteArray toJsonBytes(const QJsonValue &v)
{
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    // Scalars: wrap in an array and strip the brackets.
    QByteArray b = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return b.mid(1, b.size() - 2);
}

HttpResponse errorResponse(int status, const QString &code, const QString &message, const QStringList &fields, bool withFields)
{
    QJsonObject o { { QStringLiteral("message"), message }, { QStringLiteral("errorCode"), code } };
    if (withFields || !fields.isEmpty())
        o.insert(QStringLiteral("fields"), QJsonArray::fromStringList(fields));
    return jsonResponse(status, QJsonArray { o });
}

HttpResponse errorResponse(const SimError &err)
{
    const bool dml = err.httpStatus == 400 && err.errorCode != u"MALFORMED_QUERY" && err.errorCode != u"INVALID_QUERY_LOCATOR"
        && err.errorCode != u"JSON_PARSER_ERROR" && err.errorCode != u"MALFORMED_SEARCH";
    return errorResponse(err.httpStatus, err.errorCode, err.message, err.fields, dml || err.errorCode == u"ENTITY_IS_DELETED");
}

RestApi::RestApi(Store &store, OAuthService &oauth)
    : m_store(store)
    , m_oauth(oauth)
    , m_metadataTime(QDateTime::currentDateTimeUtc().addSecs(-60))
{
    m_metadataTime.setTime(QTime(m_metadataTime.time().hour(), m_metadataTime.time().minute(), m_metadataTime.time().second()));
}

QStringList RestApi::supportedVersions()
{
    QStringList out;
    for (int v = kFirstVersion; v <= kLastVersion; ++v)
        out << QStringLiteral("%1.0").arg(v);
    return out;
}

bool RestApi::parseJsonBody(const HttpRequest &req, QJsonDocument *doc, HttpResponse *error) const
{
    if (req.body.size() > kMaxBodyBytes) {
        *error = errorResponse(413, QStringLiteral("REQUEST_ENTITY_TOO_LARGE"),
            QStringLiteral("The request body is larger than %1 bytes").arg(kMaxBodyBytes));
        return false;
    }
    const QByteArray ct = req.header("Content-Type").toLower();
    if (!req.internal && !ct.isEmpty() && !ct.contains("json")) {
        *error = errorResponse(415, QStringLiteral("UNSUPPORTED_MEDIA_TYPE"),
            QStringLiteral("MediaType of '%1' is not supported by this resource").arg(QString::fromLatin1(req.header("Content-Type"))));
        return false;
    }
    QJsonParseError pe;
    *doc = QJsonDocument::fromJson(req.body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = errorResponse(400, QStringLiteral("JSON_PARSER_ERROR"),
            QStringLiteral("Unexpected character in the request body at [line:1, column:%1]: %2").arg(pe.offset + 1).arg(pe.errorString()));
        return false;
    }
    return true;
}

bool RestApi::parseRecordBody(const HttpRequest &req, const ObjectDef &obj, QJsonObject *fields, HttpResponse *error) const
{
    QJsonDocument doc;
    if (!parseJsonBody(req, &doc, error))
        return false;
    if (!doc.isObject()) {
        *error = errorResponse(400, QStringLiteral("JSON_PARSER_ERROR"),
            QStringLiteral("Cannot deserialize instance of %1 from START_ARRAY value").arg(obj.name));
        return false;
    }
    *fields = doc.object();
    return true;
}

bool RestApi::parseArrayBody(const HttpRequest &req, const QString &member, QJsonObject *top, QJsonArray *items, HttpResponse *error) const
{
    QJsonDocument doc;
    if (!parseJsonBody(req, &doc, error))
        return false;
    if (!doc.isObject() || !doc.object().value(member).isArray()) {
        *error = errorResponse(400, QStringLiteral("JSON_PARSER_ERROR"), QStringLiteral("%1 is required").arg(member));
        return false;
    }
    *top = doc.object();
    *items = top->value(member).toArray();
    return true;
}

HttpResponse RestApi::handle(const HttpRequest &req)
{
    QStringList segs = req.path.split(u'/', Qt::SkipEmptyParts);
    // segs[0] = services, segs[1] = data
    if (segs.size() == 2) {
        if (req.method != "GET" && req.method != "HEAD")
            return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
        QJsonArray arr;
        for (const QString &v : supportedVersions()) {
            arr.append(QJsonObject { { QStringLiteral("label"), versionLabel(int(v.toDouble())) },
                { QStringLiteral("url"), QStringLiteral("/services/data/v") + v }, { QStringLiteral("version"), v } });
        }
        return jsonResponse(200, arr);
    }
    const QString vseg = segs.at(2);
    static const QRegularExpression vre(QStringLiteral("^v(\\d+)\\.0$"));
    const auto vm = vre.match(vseg);
    if (!vm.hasMatch() || vm.captured(1).toInt() < kFirstVersion || vm.captured(1).toInt() > kLastVersion)
        return notFound();
    Context ctx;
    ctx.version = vseg.mid(1);
    ctx.versionNumber = vm.captured(1).toInt();
    if (!req.internal) {
        SimError err;
        const auto session = m_oauth.authenticate(req, &err);
        if (!session)
            return errorResponse(err);
        ctx.session = *session;
        ++m_apiUsed;
    } else {
        ctx.session.userId = req.header("X-Fs-Internal-User").isEmpty() ? m_store.defaultUserId()
                                                                          : QString::fromLatin1(req.header("X-Fs-Internal-User"));
    }
    HttpResponse resp;
    if (!req.internal && m_apiUsed > m_apiMax)
        resp = errorResponse(403, QStringLiteral("REQUEST_LIMIT_EXCEEDED"), QStringLiteral("TotalRequests Limit exceeded."));
    else
        resp = dispatch(req, ctx, segs.mid(3));
    if (!req.internal)
        resp.setHeader("Sforce-Limit-Info", QStringLiteral("api-usage=%1/%2").arg(m_apiUsed).arg(m_apiMax).toLatin1());
    return resp;
}

HttpResponse RestApi::dispatch(const HttpRequest &req, const Context &ctx, const QStringList &segs)
{
    if (req.body.size() > kMaxBodyBytes)
        return errorResponse(413, QStringLiteral("REQUEST_ENTITY_TOO_LARGE"),
            QStringLiteral("The request body is larger than %1 bytes").arg(kMaxBodyBytes));
    if (segs.isEmpty()) {
        if (req.method != "GET" && req.method != "HEAD")
            return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
        HttpResponse root = resourceRoot(ctx);
        // `identity` is an absolute URL, like the token response's `id` (reference §1.4, §1.6):
        // jsforce's identity() GETs it as given and would resolve a bare path below /services/data.
        const QByteArray host = req.header("Host");
        QJsonObject map = QJsonDocument::fromJson(root.body).object();
        const QString identity = map.value(u"identity").toString();
        if (!host.isEmpty() && identity.startsWith(u'/')) {
            map.insert(QStringLiteral("identity"),
                (req.tls ? QStringLiteral("https://") : QStringLiteral("http://")) + QString::fromLatin1(host) + identity);
            root.body = toJsonBytes(map);
        }
        return root;
    }
    const QString &head = segs.first();
    if (head == u"limits") {
        const bool recordCount = segs.size() == 2 && segs.at(1) == u"recordCount" && ctx.versionNumber >= 40;
        if (segs.size() > 1 && !recordCount)
            return notFound();
        if (req.method != "GET" && req.method != "HEAD")
            return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
        return recordCount ? recordCounts(req) : limits();
    }
    if (head == u"sobjects") {
        if (segs.size() == 1) {
            if (req.method != "GET" && req.method != "HEAD")
                return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
            return describeGlobal(req, ctx);
        }
        const ObjectDef *obj = m_store.schema().object(segs.at(1));
        if (!obj)
            return notFound();
        if (segs.size() == 2)
            return sobjectRoot(req, ctx, *obj);
        if (segs.size() == 3 && segs.at(2) == u"describe") {
            if (req.method != "GET" && req.method != "HEAD")
                return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
            return describe(req, ctx, *obj);
        }
        if (segs.size() == 3 && (segs.at(2) == u"updated" || segs.at(2) == u"deleted"))
            return ReplicationResource(m_store, m_store.now()).handle(req, *obj, segs.at(2));
        if (segs.size() == 3 && RecordETag::supports(*obj))
            return RecordETag(m_store).handle(req, *obj, segs.at(2), [&] { return record(req, ctx, *obj, segs.at(2)); });
        if (segs.size() == 3)
            return record(req, ctx, *obj, segs.at(2));
        if (segs.size() == 4)
            return byExternalId(req, ctx, *obj, segs.at(2), segs.at(3));
        return notFound();
    }
    if (head == u"query" || head == u"queryAll") {
        if (req.method != "GET" && req.method != "HEAD")
            return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
        if (segs.size() == 1 && req.query.hasQueryItem(QStringLiteral("explain")))
            return QueryExplain(m_store, ctx.version, ctx.session.userId, m_oauth.now()).handle(param(req, QStringLiteral("explain")));
        if (segs.size() == 1)
            return query(req, ctx, head == u"queryAll");
        if (segs.size() == 2)
            return queryMore(req, ctx, segs.at(1));
        return notFound();
    }
    if (head == u"recent" && segs.size() == 1) {
        // Recently viewed records of the running user. Only the Salesforce UI and SOQL's
        // FOR VIEW / FOR REFERENCE mark records as viewed; the simulated org accepts those
        // clauses without marking, so the list is empty, as recentItems on /sobjects/{name} is.
        if (req.method != "GET" && req.method != "HEAD")
            return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
        return jsonResponse(200, QJsonArray {});
    }
    if (head == u"search") {
        if (req.method != "GET" && req.method != "HEAD")
            return methodNotAllowed(req.method, QStringLiteral("GET,HEAD"));
        return search(req, ctx);
    }
    if (head == u"composite") {
        if (segs.size() == 1) {
            if (req.method != "POST")
                return methodNotAllowed(req.method, QStringLiteral("POST"));
            return composite(req, ctx);
        }
        if (segs.at(1) == u"batch" && segs.size() == 2) {
            if (req.method != "POST")
                return methodNotAllowed(req.method, QStringLiteral("POST"));
            return compositeBatch(req, ctx);
        }
        if (segs.at(1) == u"sobjects")
            return collections(req, ctx, segs.mid(2));
        if (segs.at(1) == u"tree" && segs.size() == 3) {
            const ObjectDef *treeObj = m_store.schema().object(segs.at(2));
            return treeObj ? CompositeTree(m_store, ctx.session.userId).handle(req, *treeObj) : notFound();
        }
        if (segs.at(1) == u"graph" && segs.size() == 2)
            return CompositeGraph(ctx.version, ctx.session.userId, [this](const HttpRequest &sub) { return handle(sub); }).handle(req);
        return notFound();
    }
    return notFound();
}

HttpResponse RestApi::resourceRoot(const Context &ctx)
{
    QJsonObject o;
    const QString base = QStringLiteral("/services/data/v") + ctx.version + u'/';
    for (const char *name : { "tooling", "metadata", "eclair", "folders", "prechatForms", "contact-tracing", "chatter", "tabs", "appMenu",
             "quickActions", "queryAll", "commerce", "wave", "iot", "analytics", "search", "identity", "composite", "parameterizedSearch",
             "fingerprint", "theme", "nouns", "domino", "event", "serviceTemplates", "recent", "connect", "licensing", "limits",
             "process", "dedupe", "async-queries", "query", "jobs", "match", "localizedvalue", "mobile", "emailConnect", "consent",
             "tokenizer", "compactLayouts", "knowledgeManagement", "sobjects", "actions", "support", "ui-api", "scheduling" }) {
        o.insert(QLatin1String(name), base + QLatin1String(name));
    }
    o.insert(QStringLiteral("identity"), m_store.orgId().isEmpty() ? QString() : QStringLiteral("/id/%1/%2").arg(m_store.orgId(), ctx.session.userId));
    return jsonResponse(200, o);
}

// GET /limits/recordCount[?sObjects=Account,Contact] (API 40.0+): {"sObjects":[{"count","name"}]},
// live records only (not the recycle bin). Unknown names are left out; without the parameter,
// every queryable object.
HttpResponse RestApi::recordCounts(const HttpRequest &req)
{
    QList<const ObjectDef *> objects;
    if (req.query.hasQueryItem(QStringLiteral("sObjects"))) {
        for (const QString &name : param(req, QStringLiteral("sObjects")).split(u',', Qt::SkipEmptyParts)) {
            const ObjectDef *obj = m_store.schema().object(name.trimmed());
            if (obj && obj->queryable && !objects.contains(obj))
                objects << obj;
        }
    } else {
        for (const ObjectDef *obj : m_store.schema().objects()) {
            if (obj->queryable)
                objects << obj;
        }
    }
    QJsonArray out;
    for (const ObjectDef *obj : objects)
        out.append(QJsonObject { { QStringLiteral("count"), m_store.liveCount(*obj) }, { QStringLiteral("name"), obj->name } });
    return jsonResponse(200, QJsonObject { { QStringLiteral("sObjects"), out } });
}

HttpResponse RestApi::limits()
{
    auto lim = [](int max, int remaining) {
        return QJsonObject { { QStringLiteral("Max"), max }, { QStringLiteral("Remaining"), remaining } };
    };
    QJsonObject daily = lim(m_apiMax, qMax(0, m_apiMax - m_apiUsed));
    daily.insert(QStringLiteral("Ant Migration Tool"), lim(0, 0));
    daily.insert(QStringLiteral("Salesforce CLI"), lim(0, 0));
    daily.insert(QStringLiteral("Forcescope"), lim(0, 0));
    QJsonObject o;
    o.insert(QStringLiteral("ActiveScratchOrgs"), lim(3, 3));
    o.insert(QStringLiteral("ConcurrentAsyncGetReportInstances"), lim(200, 200));
    o.insert(QStringLiteral("ConcurrentSyncReportRuns"), lim(20, 20));
    o.insert(QStringLiteral("DailyApiRequests"), daily);
    o.insert(QStringLiteral("DailyAsyncApexExecutions"), lim(250000, 250000));
    o.insert(QStringLiteral("DailyBulkApiBatches"), lim(15000, 15000));
    o.insert(QStringLiteral("DailyBulkV2QueryFileStorageMB"), lim(976562, 976562));
    o.insert(QStringLiteral("DailyBulkV2QueryJobs"), lim(10000, 10000));
    o.insert(QStringLiteral("DailyDeliveredPlatformEvents"), lim(10000, 10000));
    o.insert(QStringLiteral("DailyDurableStreamingApiEvents"), lim(10000, 10000));
    o.insert(QStringLiteral("DailyGenericStreamingApiEvents"), lim(10000, 10000));
    o.insert(QStringLiteral("DailyScratchOrgs"), lim(6, 6));
    o.insert(QStringLiteral("DailyStreamingApiEvents"), lim(10000, 10000));
    o.insert(QStringLiteral("DailyWorkflowEmails"), lim(390, 390));
    o.insert(QStringLiteral("DataStorageMB"), lim(5, 5));
    o.insert(QStringLiteral("DurableStreamingApiConcurrentClients"), lim(20, 20));
    o.insert(QStringLiteral("FileStorageMB"), lim(20, 20));
    o.insert(QStringLiteral("HourlyDashboardRefreshes"), lim(200, 200));
    o.insert(QStringLiteral("HourlyODataCallout"), lim(10000, 10000));
    o.insert(QStringLiteral("HourlyPublishedPlatformEvents"), lim(50000, 50000));
    o.insert(QStringLiteral("HourlyTimeBasedWorkflow"), lim(50, 50));
    o.insert(QStringLiteral("MassEmail"), lim(10, 10));
    o.insert(QStringLiteral("MonthlyPlatformEventsUsageEntitlement"), lim(0, 0));
    o.insert(QStringLiteral("PermissionSets"), lim(1500, 1500));
    o.insert(QStringLiteral("SingleEmail"), lim(15, 15));
    o.insert(QStringLiteral("StreamingApiConcurrentClients"), lim(20, 20));
    return jsonResponse(200, o);
}

QJsonObject RestApi::describeGlobalEntry(const ObjectDef &obj, const QString &version) const
{
    const QString base = QStringLiteral("/services/data/v%1/sobjects/%2").arg(version, obj.name);
    QJsonObject urls { { QStringLiteral("rowTemplate"), base + QStringLiteral("/{ID}") },
        { QStringLiteral("defaultValues"), base + QStringLiteral("/defaultValues?recordTypeId&fields") },
        { QStringLiteral("describe"), base + QStringLiteral("/describe") }, { QStringLiteral("sobject"), base },
        { QStringLiteral("compactLayouts"), base + QStringLiteral("/describe/compactLayouts") },
        { QStringLiteral("approvalLayouts"), base + QStringLiteral("/describe/approvalLayouts") },
        { QStringLiteral("listviews"), base + QStringLiteral("/listviews") },
        { QStringLiteral("quickActions"), base + QStringLiteral("/quickActions") },
        { QStringLiteral("layouts"), base + QStringLiteral("/describe/layouts") } };
    if (obj.platformEvent) {
        urls = QJsonObject { { QStringLiteral("eventSchema"), base + QStringLiteral("/eventSchema") },
            { QStringLiteral("rowTemplate"), base + QStringLiteral("/{ID}") }, { QStringLiteral("describe"), base + QStringLiteral("/describe") },
            { QStringLiteral("sobject"), base } };
    }
    const bool regular = !obj.platformEvent;
    QJsonObject o;
    o.insert(QStringLiteral("activateable"), false);
    o.insert(QStringLiteral("createable"), obj.createable);
    o.insert(QStringLiteral("custom"), obj.custom);
    o.insert(QStringLiteral("customSetting"), false);
    o.insert(QStringLiteral("deepCloneable"), false);
    o.insert(QStringLiteral("deletable"), obj.deletable);
    o.insert(QStringLiteral("deprecatedAndHidden"), false);
    o.insert(QStringLiteral("feedEnabled"), regular);
    o.insert(QStringLiteral("hasSubtypes"), false);
    o.insert(QStringLiteral("isInterface"), false);
    o.insert(QStringLiteral("isSubtype"), false);
    o.insert(QStringLiteral("keyPrefix"), obj.keyPrefix);
    o.insert(QStringLiteral("label"), obj.label);
    o.insert(QStringLiteral("labelPlural"), obj.labelPlural);
    o.insert(QStringLiteral("layoutable"), regular);
    o.insert(QStringLiteral("mergeable"), obj.name == u"Account" || obj.name == u"Contact" || obj.name == u"Lead");
    o.insert(QStringLiteral("mruEnabled"), regular);
    o.insert(QStringLiteral("name"), obj.name);
    o.insert(QStringLiteral("queryable"), obj.queryable);
    o.insert(QStringLiteral("replicateable"), regular);
    o.insert(QStringLiteral("retrieveable"), regular);
    o.insert(QStringLiteral("searchable"), regular && obj.name != u"User" ? true : obj.name == u"User");
    o.insert(QStringLiteral("triggerable"), true);
    o.insert(QStringLiteral("undeletable"), regular && obj.deletable);
    o.insert(QStringLiteral("updateable"), obj.updateable);
    o.insert(QStringLiteral("urls"), urls);
    return o;
}

QJsonObject RestApi::describeJson(const ObjectDef &obj, const QString &version) const
{
    QJsonObject o = describeGlobalEntry(obj, version);
    QJsonObject urls = o.value(u"urls").toObject();
    urls.insert(QStringLiteral("uiDetailTemplate"), QStringLiteral("/{ID}"));
    urls.insert(QStringLiteral("uiEditTemplate"), QStringLiteral("/{ID}/e"));
    urls.insert(QStringLiteral("uiNewRecord"), QStringLiteral("/%1/e").arg(obj.keyPrefix));
    o.insert(QStringLiteral("urls"), urls);
    QJsonArray children;
    for (const ChildRelDef &c : obj.childRelationships) {
        children.append(QJsonObject { { QStringLiteral("cascadeDelete"), c.cascadeDelete }, { QStringLiteral("childSObject"), c.childSObject },
            { QStringLiteral("deprecatedAndHidden"), false }, { QStringLiteral("field"), c.field },
            { QStringLiteral("junctionIdListNames"), QJsonArray {} }, { QStringLiteral("junctionReferenceTo"), QJsonArray {} },
            { QStringLiteral("relationshipName"), c.relationshipName }, { QStringLiteral("restrictedDelete"), false } });
    }
    QJsonArray fields;
    for (const FieldDef &f : obj.fields) {
        const bool text = f.isText() && f.type != u"date" && f.type != u"datetime";
        QJsonArray picklist;
        for (const QString &v : f.picklistValues) {
            picklist.append(QJsonObject { { QStringLiteral("active"), true }, { QStringLiteral("defaultValue"), v == f.defaultValue },
                { QStringLiteral("label"), v }, { QStringLiteral("validFor"), QJsonValue::Null }, { QStringLiteral("value"), v } });
        }
        QJsonValue defaultValue = QJsonValue::Null;
        if (f.type == u"boolean")
            defaultValue = f.defaultValue == u"true";
        QJsonObject fo;
        fo.insert(QStringLiteral("aggregatable"), f.type != u"textarea" && f.type != u"multipicklist" && f.type != u"boolean");
        fo.insert(QStringLiteral("aiPredictionField"), false);
        fo.insert(QStringLiteral("autoNumber"), obj.name == u"Case" && f.name == u"CaseNumber");
        fo.insert(QStringLiteral("byteLength"), f.type == u"id" || f.type == u"reference" ? 18 : (text ? f.length * 3 : 0));
        fo.insert(QStringLiteral("calculated"), f.calculated);
        fo.insert(QStringLiteral("calculatedFormula"), QJsonValue::Null);
        fo.insert(QStringLiteral("cascadeDelete"), false);
        fo.insert(QStringLiteral("caseSensitive"), false);
        fo.insert(QStringLiteral("compoundFieldName"), QJsonValue::Null);
        fo.insert(QStringLiteral("controllerName"), QJsonValue::Null);
        fo.insert(QStringLiteral("createable"), f.createable);
        fo.insert(QStringLiteral("custom"), f.custom);
        fo.insert(QStringLiteral("defaultValue"), defaultValue);
        fo.insert(QStringLiteral("defaultValueFormula"), QJsonValue::Null);
        fo.insert(QStringLiteral("defaultedOnCreate"), f.defaultedOnCreate);
        fo.insert(QStringLiteral("dependentPicklist"), false);
        fo.insert(QStringLiteral("deprecatedAndHidden"), false);
        fo.insert(QStringLiteral("digits"), f.digits);
        fo.insert(QStringLiteral("displayLocationInDecimal"), false);
        fo.insert(QStringLiteral("encrypted"), false);
        fo.insert(QStringLiteral("externalId"), f.externalId);
        fo.insert(QStringLiteral("extraTypeInfo"), f.type == u"textarea" ? QJsonValue(QStringLiteral("plaintextarea")) : QJsonValue::Null);
        fo.insert(QStringLiteral("filterable"), f.filterable);
        fo.insert(QStringLiteral("filteredLookupInfo"), QJsonValue::Null);
        fo.insert(QStringLiteral("formulaTreatNullNumberAsZero"), false);
        fo.insert(QStringLiteral("groupable"), f.groupable);
        fo.insert(QStringLiteral("highScaleNumber"), false);
        fo.insert(QStringLiteral("htmlFormatted"), false);
        fo.insert(QStringLiteral("idLookup"), f.idLookup);
        fo.insert(QStringLiteral("inlineHelpText"), QJsonValue::Null);
        fo.insert(QStringLiteral("label"), f.label);
        fo.insert(QStringLiteral("length"), text ? f.length : 0);
        fo.insert(QStringLiteral("mask"), QJsonValue::Null);
        fo.insert(QStringLiteral("maskType"), QJsonValue::Null);
        fo.insert(QStringLiteral("name"), f.name);
        fo.insert(QStringLiteral("nameField"), f.nameField);
        fo.insert(QStringLiteral("namePointing"), false);
        fo.insert(QStringLiteral("nillable"), f.nillable);
        fo.insert(QStringLiteral("permissionable"), f.custom && f.nillable);
        fo.insert(QStringLiteral("picklistValues"), picklist);
        fo.insert(QStringLiteral("polymorphicForeignKey"), f.referenceTo.size() > 1);
        fo.insert(QStringLiteral("precision"), f.precision);
        fo.insert(QStringLiteral("queryByDistance"), false);
        fo.insert(QStringLiteral("referenceTargetField"), QJsonValue::Null);
        fo.insert(QStringLiteral("referenceTo"), QJsonArray::fromStringList(f.referenceTo));
        fo.insert(QStringLiteral("relationshipName"), f.relationshipName.isEmpty() ? QJsonValue::Null : QJsonValue(f.relationshipName));
        fo.insert(QStringLiteral("relationshipOrder"), QJsonValue::Null);
        fo.insert(QStringLiteral("restrictedDelete"), false);
        fo.insert(QStringLiteral("restrictedPicklist"), false);
        fo.insert(QStringLiteral("scale"), f.scale);
        fo.insert(QStringLiteral("searchPrefilterable"), f.type == u"reference");
        fo.insert(QStringLiteral("soapType"), f.soapType());
        fo.insert(QStringLiteral("sortable"), f.sortable);
        fo.insert(QStringLiteral("type"), f.type);
        fo.insert(QStringLiteral("unique"), f.unique);
        fo.insert(QStringLiteral("updateable"), f.updateable);
        fo.insert(QStringLiteral("writeRequiresMasterRead"), false);
        fields.append(fo);
    }
    o.insert(QStringLiteral("actionOverrides"), QJsonArray {});
    o.insert(QStringLiteral("childRelationships"), children);
    o.insert(QStringLiteral("compactLayoutable"), !obj.platformEvent);
    o.insert(QStringLiteral("defaultImplementation"), QJsonValue::Null);
    o.insert(QStringLiteral("extendedBy"), QJsonValue::Null);
    o.insert(QStringLiteral("extendsInterfaces"), QJsonValue::Null);
    o.insert(QStringLiteral("fields"), fields);
    o.insert(QStringLiteral("implementedBy"), QJsonValue::Null);
    o.insert(QStringLiteral("implementsInterfaces"), QJsonValue::Null);
    o.insert(QStringLiteral("listviewable"), QJsonValue::Null);
    o.insert(QStringLiteral("lookupLayoutable"), QJsonValue::Null);
    o.insert(QStringLiteral("namedLayoutInfos"), QJsonArray {});
    o.insert(QStringLiteral("networkScopeFieldName"), QJsonValue::Null);
    const QString rtId = QStringLiteral("012000000000000AAA");
    o.insert(QStringLiteral("recordTypeInfos"),
        obj.platformEvent ? QJsonArray {}
                          : QJsonArray { QJsonObject { { QStringLiteral("active"), true }, { QStringLiteral("available"), true },
                              { QStringLiteral("defaultRecordTypeMapping"), true }, { QStringLiteral("developerName"), QStringLiteral("Master") },
                              { QStringLiteral("master"), true }, { QStringLiteral("name"), QStringLiteral("Master") },
                              { QStringLiteral("recordTypeId"), rtId },
                              { QStringLiteral("urls"),
                                  QJsonObject { { QStringLiteral("layout"),
                                      QStringLiteral("/services/data/v%1/sobjects/%2/describe/layouts/%3").arg(version, obj.name, rtId) } } } } });
    o.insert(QStringLiteral("searchLayoutable"), !obj.platformEvent);
    o.insert(QStringLiteral("supportedScopes"),
        obj.platformEvent ? QJsonArray {}
                          : QJsonArray { QJsonObject { { QStringLiteral("label"), QStringLiteral("All %1").arg(obj.labelPlural.toLower()) },
                                             { QStringLiteral("name"), QStringLiteral("everything") } },
                              QJsonObject { { QStringLiteral("label"), QStringLiteral("My %1").arg(obj.labelPlural.toLower()) },
                                  { QStringLiteral("name"), QStringLiteral("mine") } } });
    return o;
}

HttpResponse RestApi::describeGlobal(const HttpRequest &req, const Context &ctx)
{
    if (req.hasHeader("If-Modified-Since")) {
        const QDateTime ims = parseHttpDate(req.header("If-Modified-Since"));
        if (ims.isValid() && ims >= m_metadataTime) {
            HttpResponse r;
            r.status = 304;
            return r;
        }
    }
    QJsonArray arr;
    for (const ObjectDef *obj : m_store.schema().objects())
        arr.append(describeGlobalEntry(*obj, ctx.version));
    HttpResponse r = jsonResponse(200,
        QJsonObject { { QStringLiteral("encoding"), QStringLiteral("UTF-8") }, { QStringLiteral("maxBatchSize"), 200 },
            { QStringLiteral("sobjects"), arr } });
    r.setHeader("Last-Modified", httpDate(m_metadataTime));
    return r;
}

HttpResponse RestApi::describe(const HttpRequest &req, const Context &ctx, const ObjectDef &obj)
{
    const QByteArray etag = '"' + QByteArray::number(qHash(obj.name + ctx.version), 16) + '"';
    if (req.hasHeader("If-Modified-Since")) {
        const QDateTime ims = parseHttpDate(req.header("If-Modified-Since"));
        if (ims.isValid() && ims >= m_metadataTime) {
            HttpResponse r;
            r.status = 304;
            r.setHeader("ETag", etag);
            return r;
        }
    }
    if (req.hasHeader("If-None-Match") && req.header("If-None-Match").contains(etag)) {
        HttpResponse r;
        r.status = 304;
        r.setHeader("ETag", etag);
        return r;
    }
    HttpResponse r = jsonResponse(200, describeJson(obj, ctx.version));
    r.setHeader("Last-Modified", httpDate(m_metadataTime));
    r.setHeader("ETag", etag);
    return r;
}

HttpResponse RestApi::sobjectRoot(const HttpRequest &req, const Context &ctx, const ObjectDef &obj)
{
    if (req.method == "POST")
        return create(req, ctx, obj);
    if (req.method != "GET" && req.method != "HEAD")
        return methodNotAllowed(req.method, QStringLiteral("GET,HEAD,POST"));
    return jsonResponse(200,
        QJsonObject { { QStringLiteral("objectDescribe"), describeGlobalEntry(obj, ctx.version) }, { QStringLiteral("recentItems"), QJsonArray {} } });
}

QJsonObject RestApi::saveResult(bool success, const QString &id, const SimError &err, bool withCreated, bool created) const
{
    QJsonObject o;
    if (success || !id.isEmpty())
        o.insert(QStringLiteral("id"), id);
    o.insert(QStringLiteral("success"), success);
    QJsonArray errors;
    if (!success) {
        errors.append(QJsonObject { { QStringLiteral("statusCode"), err.errorCode }, { QStringLiteral("message"), err.message },
            { QStringLiteral("fields"), QJsonArray::fromStringList(err.fields) } });
    }
    o.insert(QStringLiteral("errors"), errors);
    if (withCreated)
        o.insert(QStringLiteral("created"), created);
    return o;
}

HttpResponse RestApi::create(const HttpRequest &req, const Context &ctx, const ObjectDef &obj)
{
    QJsonObject body;
    HttpResponse error;
    if (!parseRecordBody(req, obj, &body, &error))
        return error;
    SimError err;
    QString id;
    if (!m_store.insert(obj.name, body.toVariantMap(), &id, &err, ctx.session.userId))
        return errorResponse(err);
    QJsonObject result = saveResult(true, id, {});
    if (obj.platformEvent) {
        SimError enqueued;
        const auto row = m_store.get(obj.name, id, nullptr);
        result.insert(QStringLiteral("errors"),
            QJsonArray { QJsonObject { { QStringLiteral("statusCode"), QStringLiteral("OPERATION_ENQUEUED") },
                { QStringLiteral("message"), row ? row->value(QStringLiteral("EventUuid")).toString() : QString() },
                { QStringLiteral("fields"), QJsonArray {} } } });
    }
    HttpResponse r = jsonResponse(201, result);
    r.setHeader("Location", QStringLiteral("/services/data/v%1/sobjects/%2/%3").arg(ctx.version, obj.name, id).toLatin1());
    return r;
}

HttpResponse RestApi::record(const HttpRequest &req, const Context &ctx, const ObjectDef &obj, const QString &rawId)
{
    if (req.method == "POST" && rawId.compare(u"Id", Qt::CaseInsensitive) == 0)
        return create(req, ctx, obj);
    SimError err;
    if (req.method == "GET" || req.method == "HEAD") {
        QStringList fields;
        if (req.query.hasQueryItem(QStringLiteral("fields"))) {
            for (const QString &raw : param(req, QStringLiteral("fields")).split(u',', Qt::SkipEmptyParts)) {
                const FieldDef *f = obj.field(raw.trimmed());
                if (!f)
                    return errorResponse(400, QStringLiteral("INVALID_FIELD"),
                        QStringLiteral("No such column '%1' on entity '%2'").arg(raw.trimmed(), obj.name) + kInvalidFieldTail);
                fields << f->name;
            }
        }
        const auto row = m_store.get(obj.name, rawId, &err);
        if (!row)
            return errorResponse(err);
        const QDateTime lmd = Store::parseDateTime(row->value(QStringLiteral("LastModifiedDate")).toString());
        if (req.hasHeader("If-Modified-Since")) {
            const QDateTime ims = parseHttpDate(req.header("If-Modified-Since"));
            if (ims.isValid() && lmd.toSecsSinceEpoch() <= ims.toSecsSinceEpoch()) {
                HttpResponse r;
                r.status = 304;
                return r;
            }
        }
        HttpResponse r;
        r.body = recordBytes(obj, *row, fields, ctx.version);
        if (lmd.isValid())
            r.setHeader("Last-Modified", httpDate(lmd));
        return r;
    }
    if (req.method == "PATCH") {
        QJsonObject body;
        HttpResponse error;
        if (!parseRecordBody(req, obj, &body, &error))
            return error;
        if (req.hasHeader("If-Unmodified-Since")) {
            const QDateTime ius = parseHttpDate(req.header("If-Unmodified-Since"));
            if (!ius.isValid())
                return errorResponse(400, QStringLiteral("INVALID_HEADER_VALUE"),
                    QStringLiteral("If-Unmodified-Since header value is not a valid HTTP date: %1")
                        .arg(QString::fromLatin1(req.header("If-Unmodified-Since"))));
            const auto row = m_store.get(obj.name, rawId, &err);
            if (!row)
                return errorResponse(err);
            const QDateTime lmd = Store::parseDateTime(row->value(QStringLiteral("LastModifiedDate")).toString());
            if (lmd.toSecsSinceEpoch() > ius.toSecsSinceEpoch())
                return errorResponse(412, QStringLiteral("PRECONDITION_FAILED"),
                    QStringLiteral("The requested resource has been modified since %1").arg(QString::fromLatin1(httpDate(ius))));
        }
        if (!m_store.update(obj.name, rawId, body.toVariantMap(), &err, ctx.session.userId))
            return errorResponse(err);
        return noContent();
    }
    if (req.method == "DELETE") {
        if (!m_store.softDelete(obj.name, rawId, &err))
            return errorResponse(err);
        return noContent();
    }
    return methodNotAllowed(req.method, QStringLiteral("GET,HEAD,PATCH,DELETE"));
}

HttpResponse RestApi::byExternalId(const HttpRequest &req, const Context &ctx, const ObjectDef &obj, const QString &fieldName,
    const QString &value)
{
    const FieldDef *f = obj.field(fieldName);
    if (!f || !(f->externalId || f->idLookup || f->name == u"Id"))
        return errorResponse(404, QStringLiteral("NOT_FOUND"),
            QStringLiteral("Provided external ID field does not exist or is not accessible: %1").arg(fieldName));
    QStringList ids;
    if (f->name == u"Id") {
        const QString id = Store::normalizeId(value);
        if (!id.isEmpty() && m_store.get(obj.name, id, nullptr))
            ids << id;
    } else {
        QVariant stored;
        SimError convErr;
        if (!Store::toStored(obj, *f, value, &stored, &convErr))
            return errorResponse(convErr);
        ids = m_store.findIds(obj.name, f->name, stored);
    }
    if (ids.size() > 1) {
        QJsonArray urls;
        for (const QString &id : ids)
            urls.append(QStringLiteral("/services/data/v%1/sobjects/%2/%3").arg(ctx.version, obj.name, id));
        return jsonResponse(300, urls);
    }
    if (req.method == "GET" || req.method == "HEAD" || req.method == "DELETE") {
        if (ids.isEmpty())
            return notFound();
        return record(req, ctx, obj, ids.first());
    }
    if (req.method != "PATCH" && !(req.method == "POST" && f->name == u"Id"))
        return methodNotAllowed(req.method, QStringLiteral("GET,HEAD,PATCH,DELETE"));
    QJsonObject body;
    HttpResponse error;
    if (!parseRecordBody(req, obj, &body, &error))
        return error;
    QVariantMap fields = body.toVariantMap();
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.key().compare(f->name, Qt::CaseInsensitive) == 0) {
            if (it.value().toString() != value)
                return errorResponse(400, QStringLiteral("INVALID_FIELD"),
                    QStringLiteral("The value of %1 in the request body (%2) does not match the value in the URL (%3)")
                        .arg(f->name, it.value().toString(), value),
                    { f->name });
            fields.erase(it);
            break;
        }
    }
    SimError err;
    if (ids.isEmpty()) {
        if (param(req, QStringLiteral("updateOnly")) == u"true" || f->name == u"Id")
            return notFound();
        fields.insert(f->name, value);
        QString id;
        if (!m_store.insert(obj.name, fields, &id, &err, ctx.session.userId))
            return errorResponse(err);
        HttpResponse r = jsonResponse(201, saveResult(true, id, {}, ctx.versionNumber >= 46, true));
        r.setHeader("Location", QStringLiteral("/services/data/v%1/sobjects/%2/%3").arg(ctx.version, obj.name, id).toLatin1());
        return r;
    }
    if (!m_store.update(obj.name, ids.first(), fields, &err, ctx.session.userId))
        return errorResponse(err);
    if (ctx.versionNumber < 46)
        return noContent();
    return jsonResponse(200, saveResult(true, ids.first(), {}, true, false));
}

// ---- query ----

void RestApi::expireLocators()
{
    const QDateTime now = m_oauth.now();
    for (auto it = m_locators.begin(); it != m_locators.end();) {
        if (it->second.lastUsed.secsTo(now) > kLocatorIdleSecs)
            it = m_locators.erase(it);
        else
            ++it;
    }
}

HttpResponse RestApi::pageResponse(Locator &loc, const QString &locatorId, const QString &version)
{
    int count = 0;
    const qint64 pageOffset = loc.offset;
    const QByteArray records = loc.cursor->nextRecordsJson(loc.batchSize, &count);
    loc.offset += count;
    loc.lastUsed = m_oauth.now();
    const bool done = loc.cursor->atEnd();
    QByteArray body = "{\"totalSize\":" + QByteArray::number(loc.cursor->totalSize()) + ",\"done\":" + (done ? "true" : "false");
    if (!done)
        body += ",\"nextRecordsUrl\":\"/services/data/v" + version.toLatin1() + "/query/" + locatorId.toLatin1() + '-'
            + QByteArray::number(loc.offset) + '"';
    body += ",\"records\":" + records + '}';
    loc.lastPageOffset = pageOffset;
    loc.lastPage = body;
    HttpResponse r;
    r.body = body;
    return r;
}

HttpResponse RestApi::query(const HttpRequest &req, const Context &ctx, bool all)
{
    if (req.query.hasQueryItem(QStringLiteral("explain")))
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("explain is not supported by the simulated org"));
    const QString soql = param(req, QStringLiteral("q"));
    if (soql.trimmed().isEmpty())
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("A query string has to be specified"));
    if (soql.size() > 100000)
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("Query string is longer than 100000 characters"));
    if (param(req, QStringLiteral("columns")).compare(u"true", Qt::CaseInsensitive) == 0) {
        QueryContext columnsContext;
        columnsContext.includeDeleted = all;
        columnsContext.apiVersion = ctx.version;
        columnsContext.userId = ctx.session.userId;
        columnsContext.now = m_oauth.now();
        return QueryColumns(m_store.schema(), columnsContext).handle(soql);
    }
    int batch = kDefaultBatch;
    const QByteArray opts = req.header("Sforce-Query-Options");
    static const QRegularExpression bre(QStringLiteral("batchSize\\s*=\\s*(\\d+)"), QRegularExpression::CaseInsensitiveOption);
    const auto bm = bre.match(QString::fromLatin1(opts));
    if (bm.hasMatch())
        batch = qBound(200, bm.captured(1).toInt(), 2000);
    QueryOptions qo;
    qo.includeDeleted = all;
    qo.apiVersion = ctx.version;
    qo.userId = ctx.session.userId;
    qo.now = m_oauth.now();
    qo.newLocatorId = [this] { return Store::idFor(QStringLiteral("01g"), m_locatorSeq++); };
    SimError err;
    auto cursor = openQuery(m_store, soql, qo, &err);
    if (!cursor) {
        if (!err.isSet())
            err = SimError::make(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("unexpected token: <EOF>"));
        return errorResponse(err);
    }
    expireLocators();
    Locator loc;
    loc.cursor = std::move(cursor);
    loc.userId = ctx.session.userId;
    loc.version = ctx.version;
    loc.created = loc.lastUsed = m_oauth.now();
    loc.batchSize = batch;
    const QString id = Store::idFor(QStringLiteral("01g"), m_locatorSeq++);
    HttpResponse r = pageResponse(loc, id, ctx.version);
    // A finished query stays open while its page's child results have locators (reference §3.2):
    // child locators live inside their parent's locator and do not count on their own (§3.4).
    if (!loc.cursor->atEnd() || loc.cursor->hasChildLocators()) {
        // At most 10 open locators per user: the oldest goes first.
        QList<std::map<QString, Locator>::iterator> mine;
        for (auto it = m_locators.begin(); it != m_locators.end(); ++it) {
            if (it->second.userId == ctx.session.userId)
                mine.append(it);
        }
        while (mine.size() >= kMaxLocatorsPerUser) {
            auto oldest = mine.first();
            for (auto it : mine) {
                if (it->second.created < oldest->second.created)
                    oldest = it;
            }
            mine.removeOne(oldest);
            m_locators.erase(oldest);
        }
        m_locators.emplace(id, std::move(loc));
    }
    return r;
}

HttpResponse RestApi::queryMore(const HttpRequest &req, const Context &ctx, const QString &locator)
{
    Q_UNUSED(req)
    expireLocators();
    const HttpResponse invalid = errorResponse(400, QStringLiteral("INVALID_QUERY_LOCATOR"), QStringLiteral("invalid query locator"));
    const int dash = locator.lastIndexOf(u'-');
    if (dash < 0)
        return invalid;
    const QString id = locator.left(dash);
    bool ok = false;
    const qint64 offset = locator.mid(dash + 1).toLongLong(&ok);
    auto it = m_locators.find(id);
    if (ok && it == m_locators.end()) {
        // A child subquery's locator, alive while its parent query stays on the page that gave it.
        for (auto &[parentId, parent] : m_locators) {
            Q_UNUSED(parentId)
            ChildLocator *child = parent.userId == ctx.session.userId ? parent.cursor->childLocator(id) : nullptr;
            if (!child)
                continue;
            parent.lastUsed = m_oauth.now();
            HttpResponse r;
            SimError err;
            if (!child->page(offset, &r.body, &err))
                return err.isSet() ? errorResponse(err) : invalid;
            return r;
        }
    }
    if (!ok || it == m_locators.end() || it->second.userId != ctx.session.userId)
        return invalid;
    Locator &loc = it->second;
    if (offset == loc.lastPageOffset + 0 && offset != loc.offset && !loc.lastPage.isEmpty()) {
        // The client retries the page it already fetched (e.g. after a dropped connection).
        loc.lastUsed = m_oauth.now();
        HttpResponse r;
        r.body = loc.lastPage;
        return r;
    }
    if (offset != loc.offset)
        return invalid;
    HttpResponse r = pageResponse(loc, id, ctx.version);
    if (loc.cursor->atEnd()) {
        // Keep the exhausted cursor's last page for a retry; drop it on the next sweep.
        loc.lastUsed = m_oauth.now();
    }
    return r;
}

QByteArray RestApi::jsonRecordsFor(const QString &soql, const Context &ctx, SimError *err, int *count)
{
    QueryOptions qo;
    qo.apiVersion = ctx.version;
    qo.userId = ctx.session.userId;
    qo.now = m_oauth.now();
    auto cursor = openQuery(m_store, soql, qo, err);
    if (!cursor)
        return {};
    return cursor->nextRecordsJson(2000, count);
}

// ---- SOSL ----

HttpResponse RestApi::search(const HttpRequest &req, const Context &ctx)
{
    const QString sosl = param(req, QStringLiteral("q")).trimmed();
    auto malformed = [](const QString &msg) { return errorResponse(400, QStringLiteral("MALFORMED_SEARCH"), msg); };
    if (sosl.isEmpty())
        return malformed(QStringLiteral("No search term found. The search term must be enclosed in braces."));
    static const QRegularExpression findRe(QStringLiteral("^FIND\\s*(\\{((?:\\\\.|[^}])*)\\}|'((?:\\\\.|[^'])*)')\\s*(.*)$"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const auto fm = findRe.match(sosl);
    if (!fm.hasMatch())
        return malformed(QStringLiteral("line 1:0 no viable alternative at character '%1'").arg(sosl.left(1)));
    QString term = fm.captured(2).isNull() ? fm.captured(3) : fm.captured(2);
    term.remove(QRegularExpression(QStringLiteral("\\\\(?=.)")));
    term = term.trimmed();
    QString plain = term;
    plain.remove(u'*').remove(u'?').remove(u'"');
    if (plain.trimmed().size() < 2)
        return malformed(QStringLiteral("search term must be longer than one character"));
    QString rest = fm.captured(4).trimmed();
    QString scope = QStringLiteral("ALL");
    static const QRegularExpression inRe(QStringLiteral("^IN\\s+(ALL|NAME|EMAIL|PHONE|SIDEBAR)\\s+FIELDS\\s*(.*)$"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    const auto im = inRe.match(rest);
    if (im.hasMatch()) {
        scope = im.captured(1).toUpper();
        rest = im.captured(2).trimmed();
    }
    struct Returning {
        QString object, fields, where, orderBy;
        int limit = -1;
    };
    QList<Returning> targets;
    int overallLimit = 2000;
    static const QRegularExpression limitTail(QStringLiteral("\\s*LIMIT\\s+(\\d+)\\s*$"), QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression retRe(QStringLiteral("^RETURNING\\s+(.*)$"), QRegularExpression::CaseInsensitiveOption
            | QRegularExpression::DotMatchesEverythingOption);
    const auto rm = retRe.match(rest);
    if (rm.hasMatch()) {
        QString list = rm.captured(1).trimmed();
        // Split the RETURNING list at top-level commas; a trailing LIMIT outside parentheses is global.
        QStringList items;
        int depth = 0;
        QString cur;
        bool inQuote = false;
        for (int i = 0; i < list.size(); ++i) {
            const QChar c = list.at(i);
            if (c == u'\'' && (i == 0 || list.at(i - 1) != u'\\'))
                inQuote = !inQuote;
            if (!inQuote && c == u'(')
                ++depth;
            if (!inQuote && c == u')')
                --depth;
            if (!inQuote && depth == 0 && c == u',') {
                items << cur.trimmed();
                cur.clear();
                continue;
            }
            cur += c;
        }
        if (depth != 0 || inQuote)
            return malformed(QStringLiteral("unexpected token: <EOF>"));
        if (!cur.trimmed().isEmpty())
            items << cur.trimmed();
        if (!items.isEmpty()) {
            const auto lm = limitTail.match(items.last());
            if (lm.hasMatch() && !items.last().endsWith(u')')) {
                overallLimit = lm.captured(1).toInt();
                items.last() = items.last().left(lm.capturedStart()).trimmed();
            } else if (lm.hasMatch() && items.last().lastIndexOf(u')') < lm.capturedStart()) {
                overallLimit = lm.captured(1).toInt();
                items.last() = items.last().left(lm.capturedStart()).trimmed();
            }
        }
        static const QRegularExpression itemRe(QStringLiteral("^(\\w+)\\s*(?:\\((.*)\\))?$"),
            QRegularExpression::DotMatchesEverythingOption);
        for (const QString &item : items) {
            const auto m = itemRe.match(item);
            if (!m.hasMatch())
                return malformed(QStringLiteral("unexpected token: '%1'").arg(item));
            Returning r;
            r.object = m.captured(1);
            QString inner = m.captured(2).trimmed();
            const auto ilm = limitTail.match(inner);
            if (ilm.hasMatch()) {
                r.limit = ilm.captured(1).toInt();
                inner = inner.left(ilm.capturedStart()).trimmed();
            }
            static const QRegularExpression orderRe(QStringLiteral("\\s+ORDER\\s+BY\\s+(.*)$"),
                QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
            const auto om = orderRe.match(inner);
            if (om.hasMatch()) {
                r.orderBy = om.captured(1);
                inner = inner.left(om.capturedStart()).trimmed();
            }
            static const QRegularExpression whereRe(QStringLiteral("\\s+WHERE\\s+(.*)$"),
                QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
            const auto wm = whereRe.match(inner);
            if (wm.hasMatch()) {
                r.where = wm.captured(1);
                inner = inner.left(wm.capturedStart()).trimmed();
            }
            r.fields = inner.isEmpty() ? QStringLiteral("Id") : inner;
            targets << r;
        }
    } else {
        const auto lm = limitTail.match(rest);
        if (lm.hasMatch()) {
            overallLimit = lm.captured(1).toInt();
            rest = rest.left(lm.capturedStart()).trimmed();
        }
        if (!rest.isEmpty())
            return malformed(QStringLiteral("unexpected token: '%1'").arg(rest.section(u' ', 0, 0)));
        for (const QString &name : { QStringLiteral("Account"), QStringLiteral("Contact"), QStringLiteral("Lead"), QStringLiteral("Opportunity"),
                 QStringLiteral("Case"), QStringLiteral("Invoice__c") })
            targets << Returning { name, QStringLiteral("Id"), {}, {}, -1 };
    }
    // Words of the term must all appear (in any searchable field).
    QString likeTerm = term;
    likeTerm.replace(u'\\', QStringLiteral("\\\\")).replace(u'\'', QStringLiteral("\\'"));
    likeTerm.replace(u'%', QStringLiteral("\\%")).replace(u'_', QStringLiteral("\\_"));
    likeTerm.replace(u'*', u'%').replace(u'?', u'_').remove(u'"');
    QByteArray out = "{\"searchRecords\":[";
    int total = 0;
    bool first = true;
    for (const Returning &t : targets) {
        const ObjectDef *obj = m_store.schema().object(t.object);
        if (!obj || !obj->queryable)
            return errorResponse(400, QStringLiteral("INVALID_TYPE"),
                QStringLiteral("sObject type '%1' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")
                    .arg(t.object));
        QStringList conds;
        for (const FieldDef &f : obj->fields) {
            bool searchable = false;
            if (scope == u"NAME")
                searchable = f.nameField || (obj->name != u"Case" && f.name == u"Name");
            else if (scope == u"EMAIL")
                searchable = f.type == u"email";
            else if (scope == u"PHONE")
                searchable = f.type == u"phone";
            else
                searchable = (f.type == u"string" || f.type == u"email" || f.type == u"phone" || f.type == u"url"
                                 || (f.type == u"textarea" && f.filterable))
                    && !f.calculated;
            if (searchable && f.filterable)
                conds << QStringLiteral("%1 LIKE '%%2%'").arg(f.name, likeTerm);
        }
        if (conds.isEmpty())
            continue;
        QString soql = QStringLiteral("SELECT %1 FROM %2 WHERE (%3)").arg(t.fields, obj->name, conds.join(QStringLiteral(" OR ")));
        if (!t.where.isEmpty())
            soql += QStringLiteral(" AND (%1)").arg(t.where);
        if (!t.orderBy.isEmpty())
            soql += QStringLiteral(" ORDER BY ") + t.orderBy;
        const int remaining = overallLimit - total;
        if (remaining <= 0)
            break;
        soql += QStringLiteral(" LIMIT %1").arg(t.limit >= 0 ? qMin(t.limit, remaining) : remaining);
        SimError err;
        int count = 0;
        const QByteArray records = jsonRecordsFor(soql, ctx, &err, &count);
        if (err.isSet()) {
            if (err.errorCode == u"MALFORMED_QUERY")
                err.errorCode = QStringLiteral("MALFORMED_SEARCH");
            return errorResponse(err);
        }
        if (count > 0) {
            if (!first)
                out += ',';
            out += records.mid(1, records.size() - 2);
            first = false;
            total += count;
        }
    }
    out += "]}";
    HttpResponse r;
    r.body = out;
    return r;
}

// ---- composite ----

HttpResponse RestApi::composite(const HttpRequest &req, const Context &ctx)
{
    QJsonObject top;
    QJsonArray subs;
    HttpResponse error;
    if (!parseArrayBody(req, QStringLiteral("compositeRequest"), &top, &subs, &error))
        return error;
    const bool allOrNone = top.value(u"allOrNone").toBool(false);
    // A composite graph runs each graph as an internal composite call of up to 500 nodes.
    const int maxSubs = req.internal && req.hasHeader(CompositeGraph::maxSubrequestsHeader()) ? req.header(CompositeGraph::maxSubrequestsHeader()).toInt() : 25;
    if (subs.size() > maxSubs)
        return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("Exceeded max limit of subrequests allowed. Max allowed is %1.").arg(maxSubs));
    if (subs.isEmpty())
        return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("compositeRequest must contain at least one subrequest"));
    static const QRegularExpression refIdRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_]*$"));
    static const QRegularExpression urlRe(QStringLiteral("^/services/data/v\\d+\\.0/"));
    QSet<QString> refIds;
    for (const QJsonValue &v : subs) {
        const QJsonObject s = v.toObject();
        const QString refId = s.value(u"referenceId").toString();
        const QString method = s.value(u"method").toString().toUpper();
        if (!refIdRe.match(refId).hasMatch())
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Provided referenceId ('%1') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').")
                    .arg(refId));
        if (refIds.contains(refId))
            return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("Duplicate referenceId provided in the request: %1").arg(refId));
        refIds.insert(refId);
        if (!QStringList { QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PATCH"), QStringLiteral("PUT"), QStringLiteral("DELETE") }
                 .contains(method))
            return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("Invalid HTTP method '%1' for referenceId %2").arg(method, refId));
        if (!urlRe.match(s.value(u"url").toString()).hasMatch())
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("The URL for referenceId %1 must start with /services/data/vXX.X/").arg(refId));
    }

    std::optional<Store::Transaction> tx;
    if (allOrNone)
        tx.emplace(m_store);
    QHash<QString, QJsonValue> results; // referenceId -> response body of successful subrequests
    QList<SubResponse> out;
    bool failed = false;
    static const QRegularExpression refRe(QStringLiteral("@\\{([^}.\\[]+)((?:\\.|\\[)[^}]*)\\}"));
    const QByteArray halted = errorResponse(400, QStringLiteral("PROCESSING_HALTED"),
        QStringLiteral("The transaction was rolled back since another operation in the same transaction failed.")).body;
    for (const QJsonValue &v : subs) {
        const QJsonObject s = v.toObject();
        const QString refId = s.value(u"referenceId").toString();
        if (failed && allOrNone) {
            out.append(SubResponse { refId, 400, halted, {} });
            continue;
        }
        QString unresolved;
        auto substitute = [&](const QString &text, bool *whole, QJsonValue *wholeValue) {
            QString result;
            int last = 0;
            auto it = refRe.globalMatch(text);
            while (it.hasNext()) {
                const auto m = it.next();
                result += text.mid(last, m.capturedStart() - last);
                last = m.capturedEnd();
                const QString ref = m.captured(1);
                QString path = m.captured(2);
                if (path.startsWith(u'.'))
                    path.remove(0, 1);
                bool ok = results.contains(ref);
                QJsonValue val = ok ? resolvePath(results.value(ref), path, &ok) : QJsonValue();
                if (!ok) {
                    if (unresolved.isEmpty())
                        unresolved = QStringLiteral("Invalid reference specified. No value for %1.%2 found in %1.").arg(ref, path);
                    continue;
                }
                if (whole && m.capturedStart() == 0 && m.capturedEnd() == text.size()) {
                    *whole = true;
                    *wholeValue = val;
                }
                result += scalarText(val);
            }
            result += text.mid(last);
            return result;
        };
        std::function<QJsonValue(const QJsonValue &)> substituteJson = [&](const QJsonValue &in) -> QJsonValue {
            if (in.isString()) {
                bool whole = false;
                QJsonValue wv;
                const QString s2 = substitute(in.toString(), &whole, &wv);
                return whole ? wv : QJsonValue(s2);
            }
            if (in.isObject()) {
                QJsonObject o;
                const QJsonObject src = in.toObject();
                for (auto it = src.begin(); it != src.end(); ++it)
                    o.insert(it.key(), substituteJson(it.value()));
                return o;
            }
            if (in.isArray()) {
                QJsonArray a;
                for (const QJsonValue &x : in.toArray())
                    a.append(substituteJson(x));
                return a;
            }
            return in;
        };
        const QString url = substitute(s.value(u"url").toString(), nullptr, nullptr);
        const QJsonValue body = s.contains(u"body") ? substituteJson(s.value(u"body")) : QJsonValue(QJsonValue::Undefined);
        if (!unresolved.isEmpty()) {
            out.append(SubResponse { refId, 400, errorResponse(400, QStringLiteral("PROCESSING_HALTED"), unresolved).body, {} });
            failed = true;
            continue;
        }
        HttpRequest sub;
        sub.internal = true;
        sub.method = s.value(u"method").toString().toUpper().toLatin1();
        const QUrl subUrl = QUrl::fromEncoded(url.toUtf8());
        sub.path = subUrl.path(QUrl::FullyDecoded);
        sub.query = QUrlQuery(subUrl);
        sub.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        sub.headers.append(qMakePair(QByteArray("X-Fs-Internal-User"), ctx.session.userId.toLatin1()));
        const QJsonObject hh = s.value(u"httpHeaders").toObject();
        for (auto it = hh.begin(); it != hh.end(); ++it)
            sub.headers.append(qMakePair(it.key().toLatin1(), it.value().toString().toLatin1()));
        if (!body.isUndefined())
            sub.body = toJsonBytes(body);
        const HttpResponse sr = handle(sub);
        QJsonObject headers;
        if (!sr.header("Location").isEmpty())
            headers.insert(QStringLiteral("Location"), QString::fromLatin1(sr.header("Location")));
        out.append(SubResponse { refId, sr.status, sr.body, headers });
        if (sr.status >= 400) {
            failed = true;
        } else {
            const QJsonDocument d = QJsonDocument::fromJson(sr.body);
            results.insert(refId, d.isArray() ? QJsonValue(d.array()) : d.isObject() ? QJsonValue(d.object()) : QJsonValue());
        }
    }
    if (allOrNone && failed) {
        tx->rollback();
        // Every subrequest that did not fail on its own reports PROCESSING_HALTED.
        for (SubResponse &item : out) {
            if (item.status < 400)
                item = SubResponse { item.referenceId, 400, halted, {} };
        }
    } else if (tx) {
        tx->commit();
    }
    HttpResponse r;
    r.status = 200;
    r.body = compositeResponseBytes(out);
    return r;
}

HttpResponse RestApi::compositeBatch(const HttpRequest &req, const Context &ctx)
{
    QJsonObject top;
    QJsonArray subs;
    HttpResponse error;
    if (!parseArrayBody(req, QStringLiteral("batchRequests"), &top, &subs, &error))
        return error;
    if (subs.size() > 25)
        return errorResponse(400, QStringLiteral("INVALID_BATCH_REQUEST"), QStringLiteral("A batch cannot contain more than 25 requests"));
    const bool haltOnError = top.value(u"haltOnError").toBool(false);
    static const QRegularExpression urlRe(QStringLiteral("^(?:/services/data/)?(v\\d+\\.0/.*)$"));
    QList<HttpRequest> requests;
    for (const QJsonValue &v : subs) {
        const QJsonObject s = v.toObject();
        const QString method = s.value(u"method").toString().toUpper();
        const auto m = urlRe.match(s.value(u"url").toString());
        if (!QStringList { QStringLiteral("GET"), QStringLiteral("POST"), QStringLiteral("PATCH"), QStringLiteral("PUT"), QStringLiteral("DELETE") }
                 .contains(method)
            || !m.hasMatch())
            return errorResponse(400, QStringLiteral("INVALID_BATCH_REQUEST"),
                QStringLiteral("Invalid method or url in batch subrequest: %1 %2").arg(method, s.value(u"url").toString()));
        HttpRequest sub;
        sub.internal = true;
        sub.method = method.toLatin1();
        const QUrl subUrl = QUrl::fromEncoded((QStringLiteral("/services/data/") + m.captured(1)).toUtf8());
        sub.path = subUrl.path(QUrl::FullyDecoded);
        sub.query = QUrlQuery(subUrl);
        sub.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        sub.headers.append(qMakePair(QByteArray("X-Fs-Internal-User"), ctx.session.userId.toLatin1()));
        if (s.contains(u"richInput"))
            sub.body = toJsonBytes(s.value(u"richInput"));
        requests << sub;
    }
    QList<SubResponse> results;
    bool hasErrors = false;
    const QByteArray halted =
        errorResponse(412, QStringLiteral("BATCH_PROCESSING_HALTED"), QStringLiteral("Batch processing halted per request")).body;
    for (const HttpRequest &sub : requests) {
        if (hasErrors && haltOnError) {
            results.append(SubResponse { {}, 412, halted, {} });
            continue;
        }
        ++m_apiUsed; // each batch subrequest counts against the allocation
        const HttpResponse sr = handle(sub);
        if (sr.status >= 400)
            hasErrors = true;
        results.append(SubResponse { {}, sr.status, sr.body, {} });
    }
    HttpResponse r;
    r.status = 200;
    r.body = batchResponseBytes(hasErrors, results);
    return r;
}

HttpResponse RestApi::collections(const HttpRequest &req, const Context &ctx, const QStringList &rest)
{
    const QString user = ctx.session.userId;
    auto tooMany = [] {
        return errorResponse(400, QStringLiteral("EXCEEDED_ID_LIMIT"), QStringLiteral("record limit exceeded"));
    };
    // Retrieve: GET /composite/sobjects/X?ids=&fields=  or POST /composite/sobjects/X {ids, fields}
    if (rest.size() == 1 && (req.method == "GET" || req.method == "POST")) {
        const ObjectDef *obj = m_store.schema().object(rest.at(0));
        if (!obj)
            return notFound();
        QStringList ids, fieldNames;
        if (req.method == "GET") {
            ids = param(req, QStringLiteral("ids")).split(u',', Qt::SkipEmptyParts);
            fieldNames = param(req, QStringLiteral("fields")).split(u',', Qt::SkipEmptyParts);
        } else {
            QJsonDocument doc;
            HttpResponse error;
            if (!parseJsonBody(req, &doc, &error))
                return error;
            for (const QJsonValue &v : doc.object().value(u"ids").toArray())
                ids << v.toString();
            for (const QJsonValue &v : doc.object().value(u"fields").toArray())
                fieldNames << v.toString();
        }
        if (ids.size() > 2000)
            return tooMany();
        QStringList fields;
        for (const QString &raw : fieldNames) {
            const FieldDef *f = obj->field(raw.trimmed());
            if (!f)
                return errorResponse(400, QStringLiteral("INVALID_FIELD"),
                    QStringLiteral("No such column '%1' on entity '%2'").arg(raw.trimmed(), obj->name) + kInvalidFieldTail);
            fields << f->name;
        }
        QByteArray out = "[";
        for (const QString &id : ids) {
            const auto row = m_store.get(obj->name, id.trimmed(), nullptr);
            if (out.size() > 1)
                out += ',';
            out += row ? recordBytes(*obj, *row, fields, ctx.version) : QByteArray("null");
        }
        out += ']';
        HttpResponse r;
        r.body = out;
        return r;
    }
    if (rest.isEmpty() && req.method == "DELETE") {
        const QStringList ids = param(req, QStringLiteral("ids")).split(u',', Qt::SkipEmptyParts);
        const bool allOrNone = param(req, QStringLiteral("allOrNone")) == u"true";
        if (ids.size() > 200)
            return tooMany();
        Store::Transaction tx(m_store);
        QJsonArray out;
        bool anyFailed = false;
        QList<bool> ok;
        for (const QString &raw : ids) {
            SimError err;
            const QString id = Store::normalizeId(raw.trimmed());
            const ObjectDef *obj = id.isEmpty() ? nullptr : m_store.schema().objectByKeyPrefix(id.left(3));
            bool success = false;
            if (!obj)
                err = SimError::make(400, QStringLiteral("MALFORMED_ID"), QStringLiteral("malformed id %1").arg(raw));
            else {
                Store::Transaction one(m_store);
                success = m_store.softDelete(obj->name, id, &err);
                if (success)
                    one.commit();
            }
            if (err.errorCode == u"NOT_FOUND")
                err = SimError::make(400, QStringLiteral("INVALID_CROSS_REFERENCE_KEY"), QStringLiteral("invalid cross reference id"));
            anyFailed |= !success;
            ok << success;
            out.append(saveResult(success, id.isEmpty() ? raw : id, err));
        }
        if (allOrNone && anyFailed) {
            tx.rollback();
            for (int i = 0; i < out.size(); ++i) {
                if (ok.at(i))
                    out[i] = saveResult(false, out.at(i).toObject().value(u"id").toString(),
                        SimError::make(400, QStringLiteral("ALL_OR_NONE_OPERATION_ROLLED_BACK"),
                            QStringLiteral("Record rolled back because not all records were valid and the request was using AllOrNone header")));
            }
        } else {
            tx.commit();
        }
        return jsonResponse(200, out);
    }
    if (!(rest.isEmpty() && (req.method == "POST" || req.method == "PATCH")) && !(rest.size() == 2 && req.method == "PATCH"))
        return methodNotAllowed(req.method, rest.isEmpty() ? QStringLiteral("POST,PATCH,DELETE") : QStringLiteral("GET,POST,PATCH"));
    QJsonObject top;
    QJsonArray records;
    HttpResponse error;
    if (!parseArrayBody(req, QStringLiteral("records"), &top, &records, &error))
        return error;
    const bool allOrNone = top.value(u"allOrNone").toBool(false);
    if (records.size() > 200)
        return tooMany();
    const ObjectDef *upsertObj = nullptr;
    const FieldDef *extField = nullptr;
    if (rest.size() == 2) {
        upsertObj = m_store.schema().object(rest.at(0));
        if (!upsertObj)
            return notFound();
        extField = upsertObj->field(rest.at(1));
        if (!extField || !(extField->externalId || extField->idLookup))
            return errorResponse(404, QStringLiteral("NOT_FOUND"),
                QStringLiteral("Provided external ID field does not exist or is not accessible: %1").arg(rest.at(1)));
    }
    Store::Transaction tx(m_store);
    QJsonArray out;
    QList<bool> ok;
    bool anyFailed = false;
    for (const QJsonValue &v : records) {
        QVariantMap fields = v.toObject().toVariantMap();
        const QString type = v.toObject().value(u"attributes").toObject().value(u"type").toString();
        SimError err;
        QString id;
        bool success = false;
        bool created = false;
        Store::Transaction one(m_store);
        if (upsertObj) {
            if (!type.isEmpty() && type.compare(upsertObj->name, Qt::CaseInsensitive) != 0) {
                err = SimError::make(400, QStringLiteral("INVALID_TYPE"), QStringLiteral("Record type %1 does not match %2").arg(type, upsertObj->name));
            } else {
                QVariant key;
                const QString keyText = fields.value(extField->name).toString();
                for (auto it = fields.begin(); it != fields.end(); ++it) {
                    if (it.key().compare(extField->name, Qt::CaseInsensitive) == 0)
                        key = it.value();
                }
                QVariant stored;
                if (!key.isValid() || key.isNull()) {
                    err = SimError::make(400, QStringLiteral("REQUIRED_FIELD_MISSING"),
                        QStringLiteral("Required fields are missing: [%1]").arg(extField->name), { extField->name });
                } else if (Store::toStored(*upsertObj, *extField, key, &stored, &err)) {
                    const QStringList matches = m_store.findIds(upsertObj->name, extField->name, stored);
                    if (matches.size() > 1) {
                        err = SimError::make(300, QStringLiteral("DUPLICATE_EXTERNAL_ID"),
                            QStringLiteral("%1: more than one record found for external id field: %2").arg(extField->name, keyText), { extField->name });
                    } else if (matches.isEmpty()) {
                        success = m_store.insert(upsertObj->name, fields, &id, &err, user);
                        created = success;
                    } else {
                        fields.remove(extField->name);
                        id = matches.first();
                        success = m_store.update(upsertObj->name, id, fields, &err, user);
                    }
                }
            }
        } else if (req.method == "POST") {
            const ObjectDef *obj = m_store.schema().object(type);
            if (type.isEmpty())
                err = SimError::make(400, QStringLiteral("INVALID_TYPE"), QStringLiteral("Must send a concrete entity type."));
            else if (!obj)
                err = SimError::make(400, QStringLiteral("INVALID_TYPE"), QStringLiteral("sObject type '%1' is not supported.").arg(type));
            else if (fields.contains(QStringLiteral("id")) || fields.contains(QStringLiteral("Id")))
                err = SimError::make(400, QStringLiteral("INVALID_FIELD"), QStringLiteral("cannot specify Id in an insert call"), { QStringLiteral("Id") });
            else
                success = m_store.insert(obj->name, fields, &id, &err, user);
        } else {
            const QString rawId = fields.contains(QStringLiteral("id")) ? fields.take(QStringLiteral("id")).toString()
                                                                         : fields.take(QStringLiteral("Id")).toString();
            id = Store::normalizeId(rawId);
            const ObjectDef *obj = id.isEmpty() ? nullptr : m_store.schema().objectByKeyPrefix(id.left(3));
            if (rawId.isEmpty())
                err = SimError::make(400, QStringLiteral("MISSING_ARGUMENT"), QStringLiteral("Id not specified in an update call"));
            else if (!obj)
                err = SimError::make(400, QStringLiteral("MALFORMED_ID"), QStringLiteral("malformed id %1").arg(rawId));
            else {
                success = m_store.update(obj->name, id, fields, &err, user);
                if (err.errorCode == u"NOT_FOUND")
                    err = SimError::make(400, QStringLiteral("INVALID_CROSS_REFERENCE_KEY"), QStringLiteral("invalid cross reference id"));
            }
            if (!success)
                id.clear();
        }
        if (success)
            one.commit();
        else
            one.rollback();
        anyFailed |= !success;
        ok << success;
        out.append(saveResult(success, success ? id : QString(), err, upsertObj != nullptr, created));
        if (!success && allOrNone)
            continue;
    }
    if (allOrNone && anyFailed) {
        tx.rollback();
        for (int i = 0; i < out.size(); ++i) {
            if (ok.at(i)) {
                out[i] = saveResult(false, QString(),
                    SimError::make(400, QStringLiteral("ALL_OR_NONE_OPERATION_ROLLED_BACK"),
                        QStringLiteral("Record rolled back because not all records were valid and the request was using AllOrNone header")),
                    upsertObj != nullptr, false);
            }
        }
    } else {
        tx.commit();
    }
    return jsonResponse(200, out);
}

} // namespace fs::sim
