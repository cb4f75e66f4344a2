#pragma once

#include "engineerror.h"
#include "recordbatch.h"

#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

namespace fs {

// Every facade call returns one at once; the answer arrives later as a signal carrying it.
using RequestId = quint64;

enum class AuthType {
    JwtBearer, // RS256 assertion signed with the key at OrgProfile::keyFile
    RefreshToken, // refresh token held in the keychain
    BrowserPkce, // system browser + loopback redirect, then refresh token in the keychain
    AccessToken, // a pasted session id, held in the keychain (or in memory for --demo)
};
QString authTypeName(AuthType type); // "jwt", "refresh_token", "browser", "access_token"
AuthType authTypeFromName(const QString &name, bool *ok = nullptr);

// A saved org connection. Holds no secret: tokens live in the keychain, keyed by alias.
struct OrgProfile {
    QString alias; // unique, user-chosen
    QUrl loginUrl; // https://login.salesforce.com, https://test.salesforce.com or a My Domain
    QUrl instanceUrl; // filled after login
    QString apiVersion = QStringLiteral("59.0");
    AuthType authType = AuthType::BrowserPkce;
    QString username;
    QString clientId; // connected app consumer key
    QString keyFile; // path to the PEM private key (JWT only); the key itself is never copied
    bool demo = false; // the embedded simulated org: token in memory only, never stored
};

// What a connected org looks like to the UI.
struct OrgSession {
    QString alias;
    QUrl instanceUrl;
    QString apiVersion;
    QString username;
    QString organizationId;
    QString userId;
    bool demo = false;
};

enum class CircuitState { Closed, Open, HalfOpen };
QString circuitStateName(CircuitState state);

struct ApiUsage {
    qint64 used = 0;
    qint64 max = 0;
    double percent() const { return max > 0 ? 100.0 * double(used) / double(max) : 0.0; }
};

// One named limit from /limits (DailyApiRequests, DailyBulkV2QueryJobs, …).
struct LimitValue {
    QString name;
    qint64 max = 0;
    qint64 remaining = 0;
};
using OrgLimits = QList<LimitValue>;

// describeGlobal entry.
struct SObjectSummary {
    QString name;
    QString label;
    QString labelPlural;
    QString keyPrefix;
    bool custom = false;
    bool queryable = true;
    bool createable = false;
    bool updateable = false;
    bool deletable = false;
};

struct PicklistValue {
    QString value;
    QString label;
    bool active = true;
    bool defaultValue = false;
};

struct FieldDescribe {
    QString name;
    QString label;
    QString type; // describe type: id, string, reference, picklist, datetime, …
    QString soapType;
    int length = 0;
    int precision = 0;
    int scale = 0;
    int digits = 0;
    bool nillable = true;
    bool createable = false;
    bool updateable = false;
    bool filterable = true;
    bool sortable = true;
    bool groupable = true;
    bool aggregatable = true;
    bool custom = false;
    bool externalId = false;
    bool idLookup = false;
    bool nameField = false;
    bool calculated = false;
    bool defaultedOnCreate = false;
    QStringList referenceTo;
    QString relationshipName; // for reference fields: the parent relationship (Owner, Account__r)
    QList<PicklistValue> picklistValues;
};

struct ChildRelationship {
    QString childSObject;
    QString field;
    QString relationshipName; // may be empty: not usable in SOQL
    bool cascadeDelete = false;
};

struct SObjectDescribe {
    SObjectSummary summary;
    QList<FieldDescribe> fields;
    QList<ChildRelationship> childRelationships;
    QDateTime fetchedAt; // when the server last produced this describe (for If-Modified-Since)

    const FieldDescribe *field(const QString &name) const; // case-insensitive; nullptr if none
};

struct QueryOptions {
    bool includeDeleted = false; // queryAll
    int batchSize = 2000; // Sforce-Query-Options: batchSize (200–2000)
    qint64 maxRecords = 0; // 0 = unbounded; stop and report truncation beyond it
    qint64 maxBytes = 0; // 0 = unbounded; approximate memory of the kept batches
};

// Where a nested child result continues, so the engine can page it even after its server
// locator is gone (fetching the next parent page invalidates the child locators of the previous
// one, and any locator expires after 15 idle minutes: reference §3.2, §3.4).
//
// QueryPage::origin is the cursor of the page's own rows: the top-level query and, for rows of a
// child result, the path of parent records and child relationships that leads to them. A Child
// cell's cursor is origin.descend(parent row's id, the cell's column name, the cell's batch).
// A value: cheap to copy, safe across threads. Holds no secret (the SOQL is the user's own).
struct ChildCursor {
    QString soql; // the top-level query as it was run
    bool includeDeleted = false; // it ran as queryAll
    QStringList parentIds; // per level, outermost first: the record holding the child result
    QStringList relationships; // per level: the child relationship name (the subquery's FROM)
    QString nextRecordsUrl; // the server's locator for the rows after `held`; may be gone or empty
    qint64 held = 0; // child rows the caller already holds; never delivered again
    qint64 totalSize = 0; // rows of the whole child result (0 when unknown)

    // True for the cursor of a child result (at least one level).
    bool isChild() const { return !relationships.isEmpty(); }
    // The cursor of the child result `child` that the row `parentId` holds under the column
    // `relationship` of a page whose origin is *this. held = the rows `child` carries.
    ChildCursor descend(const QString &parentId, const QString &relationship, const RecordBatch &child) const;
};

// One streamed page. Pages of one request arrive in order.
struct QueryPage {
    RecordBatch batch;
    qint64 totalSize = 0; // rows matched by the whole query
    qint64 fetched = 0; // rows delivered so far, this page included
    int pageIndex = 0;
    bool done = false; // last page of this request
    bool truncated = false; // stopped early by maxRecords/maxBytes
    ChildCursor origin; // where these rows came from (descend() it for a Child cell's cursor)
};

struct QueryStats {
    qint64 records = 0;
    int pages = 0;
    qint64 bytes = 0; // response bytes received
    double seconds = 0.0;
    double clientMsPerPage = 0.0; // parse + build time per page on the engine side
};

// One record change for a conflict-checked update. `expectedModstamp` is the SystemModstamp the
// user saw (ISO text as the server sent it); the engine refuses the save if the server has a
// newer one and reports the server's values.
struct RecordUpdate {
    QString sobjectType;
    QString id;
    QVariantMap changes; // field → new value (QString/double/bool/null QVariant)
    QString expectedModstamp;
};

struct SaveResult {
    QString id;
    bool success = false;
    bool created = false;
    QList<EngineError> errors; // per-record errors (statusCode in errorCode)
};

// The server's current state of a record that an update would have overwritten.
struct RecordConflict {
    QString sobjectType;
    QString id;
    QVariantMap attempted; // what the user tried to write
    QVariantMap serverValues; // the server's current values of the touched fields + modstamp
    QString serverModstamp;
};

// One line of the sanitized request log. Never a token, password, key or record value; SOQL has
// its string literals replaced.
struct RequestLogEntry {
    QDateTime when;
    QString method;
    QString path; // path + sanitized query string
    int status = 0;
    double durationMs = 0.0;
    int attempt = 1;
    QString errorCode;
};

} // namespace fs

Q_DECLARE_METATYPE(fs::OrgProfile)
Q_DECLARE_METATYPE(fs::OrgSession)
Q_DECLARE_METATYPE(fs::CircuitState)
Q_DECLARE_METATYPE(fs::ApiUsage)
Q_DECLARE_METATYPE(fs::OrgLimits)
Q_DECLARE_METATYPE(fs::SObjectSummary)
Q_DECLARE_METATYPE(fs::SObjectDescribe)
Q_DECLARE_METATYPE(fs::QueryOptions)
Q_DECLARE_METATYPE(fs::ChildCursor)
Q_DECLARE_METATYPE(fs::QueryPage)
Q_DECLARE_METATYPE(fs::QueryStats)
Q_DECLARE_METATYPE(fs::RecordUpdate)
Q_DECLARE_METATYPE(fs::SaveResult)
Q_DECLARE_METATYPE(fs::RecordConflict)
Q_DECLARE_METATYPE(fs::RequestLogEntry)
