#pragma once

#include "auth/oauthservice.h"
#include "http/httptypes.h"
#include "rest/querybridge.h"
#include "store/simerror.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <map>
#include <memory>

namespace fs::sim {

class Store;
struct ObjectDef;

// The REST API under /services/data (reference sections 2-5): versions, resource root, limits,
// describe, record CRUD and upsert, query with locators, composite, batch, collections, SOSL.
class RestApi {
public:
    RestApi(Store &store, OAuthService &oauth);

    // Any /services/data request (the versions list and everything below a version).
    HttpResponse handle(const HttpRequest &req);

    void setApiLimit(int max) { m_apiMax = max; }
    int apiLimit() const { return m_apiMax; }
    int apiUsed() const { return m_apiUsed; }
    void setApiUsed(int used) { m_apiUsed = used; }
    int openLocatorCount() const { return int(m_locators.size()); }
    static QStringList supportedVersions();
    static constexpr qint64 kMaxBodyBytes = 10 * 1024 * 1024;

private:
    struct Context {
        Session session;
        QString version; // "59.0"
        double versionNumber = 59.0;
    };
    struct Locator {
        std::unique_ptr<QueryHandle> cursor;
        QString userId;
        QString version;
        QDateTime created, lastUsed;
        qint64 offset = 0;       // rows already handed out
        int batchSize = 2000;
        qint64 lastPageOffset = -1; // retried page (after a dropped connection)
        QByteArray lastPage;
    };

    HttpResponse dispatch(const HttpRequest &req, const Context &ctx, const QStringList &segs);
    HttpResponse resourceRoot(const Context &ctx);
    HttpResponse limits();
    HttpResponse recordCounts(const HttpRequest &req);
    HttpResponse describeGlobal(const HttpRequest &req, const Context &ctx);
    HttpResponse sobjectRoot(const HttpRequest &req, const Context &ctx, const ObjectDef &obj);
    HttpResponse describe(const HttpRequest &req, const Context &ctx, const ObjectDef &obj);
    HttpResponse record(const HttpRequest &req, const Context &ctx, const ObjectDef &obj, const QString &id);
    HttpResponse byExternalId(const HttpRequest &req, const Context &ctx, const ObjectDef &obj, const QString &field,
        const QString &value);
    HttpResponse create(const HttpRequest &req, const Context &ctx, const ObjectDef &obj);
    HttpResponse query(const HttpRequest &req, const Context &ctx, bool all);
    HttpResponse queryMore(const HttpRequest &req, const Context &ctx, const QString &locator);
    HttpResponse search(const HttpRequest &req, const Context &ctx);
    HttpResponse composite(const HttpRequest &req, const Context &ctx);
    HttpResponse compositeBatch(const HttpRequest &req, const Context &ctx);
    HttpResponse collections(const HttpRequest &req, const Context &ctx, const QStringList &rest);

    QJsonObject describeGlobalEntry(const ObjectDef &obj, const QString &version) const;
    QJsonObject describeJson(const ObjectDef &obj, const QString &version) const;
    QJsonObject saveResult(bool success, const QString &id, const SimError &err, bool withCreated = false, bool created = false) const;
    HttpResponse pageResponse(Locator &loc, const QString &locatorId, const QString &version);
    void expireLocators();
    bool parseJsonBody(const HttpRequest &req, QJsonDocument *doc, HttpResponse *error) const;
    // A body that must be one JSON object: the fields of an `obj` record.
    bool parseRecordBody(const HttpRequest &req, const ObjectDef &obj, QJsonObject *fields, HttpResponse *error) const;
    // A body that must be a JSON object with an array `member` (compositeRequest, records, ...).
    bool parseArrayBody(const HttpRequest &req, const QString &member, QJsonObject *top, QJsonArray *items,
        HttpResponse *error) const;
    QByteArray jsonRecordsFor(const QString &soql, const Context &ctx, SimError *err, int *count);

    Store &m_store;
    OAuthService &m_oauth;
    int m_apiMax = 15000;
    int m_apiUsed = 0;
    QDateTime m_metadataTime;
    std::map<QString, Locator> m_locators;
    quint64 m_locatorSeq = 1;
};

HttpResponse errorResponse(const SimError &err);
HttpResponse errorResponse(int status, const QString &code, const QString &message, const QStringList &fields = {},
    bool withFields = false);
QByteArray toJsonBytes(const QJsonValue &v);

} // namespace fs::sim
