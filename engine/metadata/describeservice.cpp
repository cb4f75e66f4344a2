#include "describeservice.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "auth/credentials.h"
#include "transport/httperrors.h"
#include "transport/transport.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>
#include <QtConcurrent/QtConcurrentRun>

namespace fs::engine {

namespace {

const QString kHttpDateFormat = QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'");

QString httpDate(const QDateTime &when)
{
    return QLocale::c().toString(when.toUTC(), kHttpDateFormat);
}

QDateTime parseHttpDate(const QByteArray &text)
{
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(text).trimmed(), kHttpDateFormat);
    if (!when.isValid())
        return {};
    when.setTimeSpec(Qt::UTC);
    return when;
}

EngineError malformed(const QString &what, const QString &detail = {})
{
    EngineError error = EngineError::make(EngineError::Category::Server,
        QStringLiteral("The server sent a malformed %1.").arg(what));
    error.detail = detail;
    return error;
}

bool isApiName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z][A-Za-z0-9_]{0,79}$"));
    return re.match(name).hasMatch();
}

QString safeSegment(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text)
        out += (c.isLetterOrNumber() && c.unicode() < 128) || c == u'.' || c == u'-' || c == u'_' ? c : QChar(u'_');
    return out.isEmpty() ? QStringLiteral("_") : out;
}

SObjectSummary summaryFrom(const QJsonObject &o)
{
    SObjectSummary s;
    s.name = o.value(u"name").toString();
    s.label = o.value(u"label").toString();
    s.labelPlural = o.value(u"labelPlural").toString();
    s.keyPrefix = o.value(u"keyPrefix").toString(); // null → ""
    s.custom = o.value(u"custom").toBool();
    s.queryable = o.value(u"queryable").toBool(true);
    s.createable = o.value(u"createable").toBool();
    s.updateable = o.value(u"updateable").toBool();
    s.deletable = o.value(u"deletable").toBool();
    return s;
}

FieldDescribe fieldFrom(const QJsonObject &o)
{
    FieldDescribe f;
    f.name = o.value(u"name").toString();
    f.label = o.value(u"label").toString();
    f.type = o.value(u"type").toString();
    f.soapType = o.value(u"soapType").toString();
    f.length = o.value(u"length").toInt();
    f.precision = o.value(u"precision").toInt();
    f.scale = o.value(u"scale").toInt();
    f.digits = o.value(u"digits").toInt();
    f.nillable = o.value(u"nillable").toBool(true);
    f.createable = o.value(u"createable").toBool();
    f.updateable = o.value(u"updateable").toBool();
    f.filterable = o.value(u"filterable").toBool(true);
    f.sortable = o.value(u"sortable").toBool(true);
    f.groupable = o.value(u"groupable").toBool(true);
    f.aggregatable = o.value(u"aggregatable").toBool(true);
    f.custom = o.value(u"custom").toBool();
    f.externalId = o.value(u"externalId").toBool();
    f.idLookup = o.value(u"idLookup").toBool();
    f.nameField = o.value(u"nameField").toBool();
    f.calculated = o.value(u"calculated").toBool();
    f.defaultedOnCreate = o.value(u"defaultedOnCreate").toBool();
    for (const QJsonValue &target : o.value(u"referenceTo").toArray())
        f.referenceTo << target.toString();
    f.relationshipName = o.value(u"relationshipName").toString();
    for (const QJsonValue &v : o.value(u"picklistValues").toArray()) {
        const QJsonObject p = v.toObject();
        PicklistValue value;
        value.value = p.value(u"value").toString();
        value.label = p.value(u"label").toString();
        value.active = p.value(u"active").toBool(true);
        value.defaultValue = p.value(u"defaultValue").toBool();
        f.picklistValues << value;
    }
    return f;
}

} // namespace

DescribeService::DescribeService(Transport *transport, QObject *parent)
    : QObject(parent)
    , m_transport(transport)
    , m_cacheDir(QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/describe"))
{
}

DescribeService::~DescribeService()
{
    // Cancelling runs the callbacks, which erase from m_pending: iterate over a moved-out copy.
    const auto pending = std::exchange(m_pending, {});
    for (const auto &[id, handle] : pending) {
        if (handle && m_transport)
            m_transport->cancel(handle);
    }
}

void DescribeService::setCacheDirectory(const QString &directory)
{
    m_cacheDir = directory;
}

QString DescribeService::orgKey() const
{
    if (!m_orgKey.isEmpty())
        return m_orgKey;
    const auto credentials = m_transport ? m_transport->credentials() : nullptr;
    return credentials ? credentials->instanceUrl().host() : QString();
}

QString DescribeService::dataPath() const
{
    const auto credentials = m_transport ? m_transport->credentials() : nullptr;
    return QStringLiteral("/services/data/v") + (credentials ? credentials->apiVersion() : QString());
}

Result<QStringList> DescribeService::parseVersions(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (!doc.isArray())
        return malformed(QStringLiteral("versions list"), error.errorString());
    QStringList versions;
    for (const QJsonValue &v : doc.array()) {
        const QString version = v.toObject().value(u"version").toString();
        if (!version.isEmpty())
            versions << version;
    }
    return versions;
}

Result<QList<SObjectSummary>> DescribeService::parseGlobal(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (!doc.isObject() || !doc.object().value(u"sobjects").isArray())
        return malformed(QStringLiteral("global describe"), error.errorString());
    QList<SObjectSummary> objects;
    const QJsonArray list = doc.object().value(u"sobjects").toArray();
    objects.reserve(list.size());
    for (const QJsonValue &v : list)
        objects << summaryFrom(v.toObject());
    return objects;
}

Result<SObjectDescribe> DescribeService::parseDescribe(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (!doc.isObject() || !doc.object().value(u"fields").isArray())
        return malformed(QStringLiteral("sObject describe"), error.errorString());
    const QJsonObject o = doc.object();
    SObjectDescribe d;
    d.summary = summaryFrom(o);
    for (const QJsonValue &v : o.value(u"fields").toArray())
        d.fields << fieldFrom(v.toObject());
    for (const QJsonValue &v : o.value(u"childRelationships").toArray()) {
        const QJsonObject c = v.toObject();
        ChildRelationship r;
        r.childSObject = c.value(u"childSObject").toString();
        r.field = c.value(u"field").toString();
        r.relationshipName = c.value(u"relationshipName").toString();
        r.cascadeDelete = c.value(u"cascadeDelete").toBool();
        d.childRelationships << r;
    }
    return d;
}

void DescribeService::fetchVersions(RequestId id)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!m_transport) {
        fail(id, EngineError::make(EngineError::Category::Network, QStringLiteral("The engine is shutting down.")));
        return;
    }
    HttpRequest request;
    request.path = QStringLiteral("/services/data");
    request.authenticated = false;
    request.operation = QStringLiteral("versions");
    QPointer<DescribeService> self(this);
    m_pending[id] = 0;
    const quint64 handle = m_transport->send(std::move(request), [self, id](Result<HttpResponse> result) {
        if (!self || self->m_pending.erase(id) == 0)
            return;
        if (!result.ok())
            return Q_EMIT self->failed(id, result.error());
        if (result.value().status != 200)
            return Q_EMIT self->failed(id, HttpErrors::fromResponse(result.value().status, result.value().body));
        const Result<QStringList> versions = parseVersions(result.value().body);
        if (!versions.ok())
            return Q_EMIT self->failed(id, versions.error());
        Q_EMIT self->versionsReady(id, versions.value());
    });
    if (m_pending.count(id))
        m_pending[id] = handle;
}

void DescribeService::describeGlobal(RequestId id)
{
    Q_ASSERT(QThread::currentThread() == thread());
    fetchDescribe(id, Kind::Global, {});
}

void DescribeService::describe(RequestId id, const QString &name)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!isApiName(name)) {
        fail(id, EngineError::make(EngineError::Category::Validation,
                     QStringLiteral("\"%1\" is not an sObject API name.").arg(name.left(100))));
        return;
    }
    fetchDescribe(id, Kind::SObject, name);
}

void DescribeService::fetchDescribe(RequestId id, Kind kind, const QString &name)
{
    const auto credentials = m_transport ? m_transport->credentials() : nullptr;
    if (!credentials || credentials->apiVersion().isEmpty()) {
        fail(id, EngineError::make(EngineError::Category::Auth, QStringLiteral("Not connected to an org.")));
        return;
    }
    const QString file = cacheFile(kind, name);
    std::optional<CacheEntry> cached = readCache(file);
    m_pending[id] = 0;
    if (cached && m_maxAgeSeconds > 0 && cached->savedAt.secsTo(QDateTime::currentDateTimeUtc()) < m_maxAgeSeconds) {
        ++m_cacheHits;
        deliver(id, kind, cached->body, cached->lastModified);
        return;
    }

    HttpRequest request;
    request.path = kind == Kind::Global ? dataPath() + QStringLiteral("/sobjects")
                                        : dataPath() + QStringLiteral("/sobjects/%1/describe").arg(name);
    request.operation = QStringLiteral("describe");
    request.sobject = name;
    if (cached && cached->lastModified.isValid())
        request.headers.append({ QByteArrayLiteral("If-Modified-Since"), httpDate(cached->lastModified).toLatin1() });

    QPointer<DescribeService> self(this);
    const quint64 handle
        = m_transport->send(std::move(request), [self, id, kind, file, cached](Result<HttpResponse> result) mutable {
              if (!self || !self->m_pending.count(id))
                  return;
              self->m_pending[id] = 0;
              if (!result.ok()) {
                  if (cached && result.error().category == EngineError::Category::Network) {
                      // Offline: a stale describe beats none.
                      self->deliver(id, kind, cached->body, cached->lastModified);
                      return;
                  }
                  self->fail(id, result.error());
                  return;
              }
              const HttpResponse &response = result.value();
              if (response.status == 304 && cached) {
                  ++self->m_notModified;
                  cached->savedAt = QDateTime::currentDateTimeUtc();
                  self->writeCache(file, *cached);
                  self->deliver(id, kind, cached->body, cached->lastModified);
                  return;
              }
              if (response.status != 200) {
                  self->fail(id, HttpErrors::fromResponse(response.status, response.body));
                  return;
              }
              CacheEntry entry;
              entry.body = response.body;
              entry.lastModified = parseHttpDate(response.header("Last-Modified"));
              if (!entry.lastModified.isValid())
                  entry.lastModified = parseHttpDate(response.header("Date"));
              if (!entry.lastModified.isValid())
                  entry.lastModified = QDateTime::currentDateTimeUtc();
              entry.savedAt = QDateTime::currentDateTimeUtc();
              self->deliver(id, kind, entry.body, entry.lastModified);
              // Cache only what parses (deliver() checks too; a bad body must not stick).
              const bool parses = kind == Kind::Global ? parseGlobal(entry.body).ok() : parseDescribe(entry.body).ok();
              if (parses)
                  self->writeCache(file, entry);
          });
    if (m_pending.count(id) && m_pending[id] == 0)
        m_pending[id] = handle;
}

void DescribeService::deliver(RequestId id, Kind kind, const QByteArray &body, const QDateTime &lastModified)
{
    QPointer<DescribeService> self(this);
    if (kind == Kind::Global) {
        QtConcurrent::run([body] { return parseGlobal(body); })
            .then(this, [self, id](const Result<QList<SObjectSummary>> &result) {
                if (!self || self->m_pending.erase(id) == 0)
                    return;
                if (!result.ok())
                    return Q_EMIT self->failed(id, result.error());
                Q_EMIT self->globalDescribeReady(id, result.value());
            });
        return;
    }
    QtConcurrent::run([body] { return parseDescribe(body); })
        .then(this, [self, id, lastModified](const Result<SObjectDescribe> &result) {
            if (!self || self->m_pending.erase(id) == 0)
                return;
            if (isInternal(id)) {
                if (!result.ok())
                    return self->resolveInternal(id, result);
                SObjectDescribe describe = result.value();
                describe.fetchedAt = lastModified;
                return self->resolveInternal(id, describe);
            }
            if (!result.ok())
                return Q_EMIT self->failed(id, result.error());
            SObjectDescribe describe = result.value();
            describe.fetchedAt = lastModified;
            Q_EMIT self->sobjectDescribed(id, describe);
        });
}

QString DescribeService::cacheFile(Kind kind, const QString &name) const
{
    const auto credentials = m_transport ? m_transport->credentials() : nullptr;
    const QString version = credentials ? credentials->apiVersion() : QString();
    const QString base = m_cacheDir + u'/' + safeSegment(orgKey()) + QStringLiteral("/v") + safeSegment(version);
    return kind == Kind::Global ? base + QStringLiteral("/global.json")
                                : base + QStringLiteral("/sobjects/") + safeSegment(name) + QStringLiteral(".json");
}

std::optional<DescribeService::CacheEntry> DescribeService::readCache(const QString &file) const
{
    QFile meta(file + QStringLiteral(".meta"));
    QFile data(file);
    if (!meta.open(QIODevice::ReadOnly) || !data.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QJsonObject m = QJsonDocument::fromJson(meta.readAll()).object();
    CacheEntry entry;
    entry.lastModified = QDateTime::fromString(m.value(u"lastModified").toString(), Qt::ISODate);
    entry.savedAt = QDateTime::fromString(m.value(u"savedAt").toString(), Qt::ISODate);
    entry.body = data.readAll();
    if (!entry.lastModified.isValid() || !entry.savedAt.isValid() || entry.body.isEmpty())
        return std::nullopt;
    return entry;
}

void DescribeService::writeCache(const QString &file, const CacheEntry &entry) const
{
    if (!QDir().mkpath(QFileInfo(file).absolutePath()))
        return;
    // Body first, then the meta file that makes it valid: a crash in between leaves either the
    // old pair or a body whose meta still describes the old one (revalidated on next use).
    QSaveFile data(file);
    if (data.open(QIODevice::WriteOnly)) {
        data.write(entry.body);
        if (!data.commit())
            return;
    }
    QJsonObject m;
    m.insert(QStringLiteral("lastModified"), entry.lastModified.toUTC().toString(Qt::ISODate));
    m.insert(QStringLiteral("savedAt"), entry.savedAt.toUTC().toString(Qt::ISODate));
    QSaveFile meta(file + QStringLiteral(".meta"));
    if (meta.open(QIODevice::WriteOnly)) {
        meta.write(QJsonDocument(m).toJson(QJsonDocument::Compact));
        meta.commit();
    }
}

void DescribeService::clearCache()
{
    QDir(m_cacheDir + u'/' + safeSegment(orgKey())).removeRecursively();
}

bool DescribeService::cancel(RequestId id)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end() || isInternal(id)) // internal fetches end through dropDescribe()
        return false;
    const quint64 handle = it->second;
    m_pending.erase(it);
    if (handle && m_transport)
        m_transport->cancel(handle);
    Q_EMIT failed(id, EngineError::make(EngineError::Category::Cancelled, QStringLiteral("The request was cancelled.")));
    return true;
}

void DescribeService::fail(RequestId id, const EngineError &error)
{
    m_pending.erase(id);
    if (isInternal(id))
        return resolveInternal(id, error);
    Q_EMIT failed(id, error);
}

quint64 DescribeService::describeFor(const QString &name, DescribeCallback done)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const quint64 ticket = m_nextTicket++;
    m_waiters[ticket] = Waiter { name, std::move(done) };
    if (m_internalFetches.contains(name))
        return ticket; // answered by the fetch under way
    const RequestId id = m_nextInternal++;
    m_internalFetches.insert(name, id);
    // Started from the event loop, so that even an answer known at once (no connection, bad
    // name) reaches `done` only after this returns.
    QPointer<DescribeService> self(this);
    QMetaObject::invokeMethod(
        this,
        [self, id, name] {
            if (self && self->m_internalFetches.value(name) == id)
                self->describe(id, name);
        },
        Qt::QueuedConnection);
    return ticket;
}

void DescribeService::dropDescribe(quint64 ticket)
{
    const auto it = m_waiters.find(ticket);
    if (it == m_waiters.end())
        return;
    const QString name = it->second.name;
    m_waiters.erase(it);
    for (const auto &[other, waiter] : m_waiters) {
        if (waiter.name == name)
            return; // still wanted
    }
    const auto fetch = m_internalFetches.find(name);
    if (fetch == m_internalFetches.end())
        return;
    const RequestId id = fetch.value();
    m_internalFetches.erase(fetch);
    const auto pending = m_pending.find(id);
    if (pending == m_pending.end())
        return; // not started yet, or parsing: it then finds no pending entry and stops
    const quint64 handle = pending->second;
    m_pending.erase(pending); // before cancel(): its callback then finds nothing to answer
    if (handle && m_transport)
        m_transport->cancel(handle);
}

void DescribeService::resolveInternal(RequestId id, const Result<SObjectDescribe> &result)
{
    QString name;
    for (auto it = m_internalFetches.begin(); it != m_internalFetches.end(); ++it) {
        if (it.value() == id) {
            name = it.key();
            m_internalFetches.erase(it);
            break;
        }
    }
    if (name.isEmpty())
        return; // every waiter left
    std::vector<quint64> tickets;
    for (const auto &[ticket, waiter] : m_waiters) {
        if (waiter.name == name)
            tickets.push_back(ticket);
    }
    std::sort(tickets.begin(), tickets.end()); // in the order they asked
    // A callback may drop other tickets or ask again (a new fetch): look each one up afresh.
    QPointer<DescribeService> self(this);
    for (const quint64 ticket : tickets) {
        if (!self)
            return;
        const auto it = self->m_waiters.find(ticket);
        if (it == self->m_waiters.end())
            continue;
        const DescribeCallback done = std::move(it->second.done);
        self->m_waiters.erase(it);
        done(result);
    }
}

} // namespace fs::engine
