#pragma once

#include "schema.h"
#include "simerror.h"

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QVariantMap>

#include <optional>
#include <vector>

namespace fs::sim {

// SQLite storage for the simulated org. One table per sObject named exactly like the object, one
// column per field named exactly like the field. Encoding (the SOQL evaluator relies on it):
//   id/reference/string-like/picklist TEXT; multipicklist TEXT joined with ';'; boolean INTEGER 0/1;
//   int INTEGER; double/currency/percent REAL; date TEXT 'YYYY-MM-DD';
//   datetime TEXT 'YYYY-MM-DDTHH:MM:SS.000+0000' (UTC, text order = time order); IsDeleted INTEGER.
// Not thread-safe: use from the thread that opened it.
class Store {
public:
    explicit Store(Schema schema = Schema::builtin());
    ~Store();
    Store(const Store &) = delete;
    Store &operator=(const Store &) = delete;

    // path: a SQLite file, or ":memory:". Creates missing tables and the default org/user.
    bool open(const QString &path, QString *error);
    bool isEmpty() const; // no business records yet (seed data not generated)
    qint64 liveCount(const ObjectDef &obj) const; // rows not in the recycle bin

    QSqlDatabase database() const;
    const Schema &schema() const { return m_schema; }
    QString orgId() const { return m_orgId; }             // 18-char 00D id
    QString defaultUserId() const { return m_defaultUserId; } // 18-char 005 id of the demo user

    // API-level values in `fields` (as decoded from JSON: strings, numbers, bools, null; multipicklist
    // as "a;b"). Fills Id, CreatedDate, LastModifiedDate, SystemModstamp, IsDeleted, OwnerId,
    // CreatedById, LastModifiedById and computed Name fields.
    bool insert(const QString &object, const QVariantMap &fields, QString *newId, SimError *err,
        const QString &userId = {});
    bool update(const QString &object, const QString &id, const QVariantMap &fields, SimError *err,
        const QString &userId = {});
    bool softDelete(const QString &object, const QString &id, SimError *err);
    bool undelete(const QString &object, const QString &id, SimError *err);
    // A row in storage encoding (column name -> value), or nullopt with err NOT_FOUND /
    // ENTITY_IS_DELETED / MALFORMED_ID.
    std::optional<QVariantMap> get(const QString &object, const QString &id, SimError *err,
        bool includeDeleted = false) const;
    // Ids of live records whose `field` equals `value` (external-id lookups).
    QStringList findIds(const QString &object, const QString &field, const QVariant &storedValue) const;

    // The record as REST returns it: attributes {type,url} then the listed fields (all if empty).
    QJsonObject recordJson(const ObjectDef &obj, const QVariantMap &row, const QStringList &fields,
        const QString &apiVersion) const;
    static QJsonValue toJson(const FieldDef &f, const QVariant &stored);
    // Converts an API-level value to storage encoding, or fails with a Salesforce error.
    static bool toStored(const ObjectDef &obj, const FieldDef &f, const QVariant &api, QVariant *stored,
        SimError *err);

    // Ids.
    QString newId(const ObjectDef &obj);
    static QString to18(const QString &id15);
    // Accepts 15 or 18 chars; returns the 18-char form or empty when malformed.
    static QString normalizeId(const QString &id);
    static QString formatDateTime(const QDateTime &utc); // 'YYYY-MM-DDTHH:MM:SS.000+0000'
    static QDateTime parseDateTime(const QString &text);  // accepts Z, +0000, +00:00, millis
    // Test hook: the clock used for system timestamps (default: current UTC time).
    void setClockOffsetMs(qint64 ms) { m_clockOffsetMs = ms; }
    QDateTime now() const;

    // Savepoint-based transaction, nestable. Rolls back unless commit() was called.
    class Transaction {
    public:
        explicit Transaction(Store &store);
        ~Transaction();
        bool commit();
        void rollback();

    private:
        Store &m_store;
        QString m_name;
        bool m_done = false;
    };

    // Bulk loading for the generator: a prepared INSERT of storage-encoded values (no validation),
    // bound straight through the SQLite C API. Wrap many rows in one Transaction.
    class BulkInserter {
    public:
        BulkInserter(Store &store, const ObjectDef &obj, const QStringList &columns);
        ~BulkInserter();
        BulkInserter(const BulkInserter &) = delete;
        BulkInserter &operator=(const BulkInserter &) = delete;
        bool isValid() const { return m_stmt != nullptr; }
        QString error() const { return m_error; }
        // Text is copied into a per-row buffer (SQLite binds it without copying again).
        void text(int column, QByteArrayView utf8);
        void text(int column, const QByteArray &utf8) { text(column, QByteArrayView(utf8)); }
        void text(int column, const QString &value) { text(column, QByteArrayView(value.toUtf8())); }
        void text(int column, const char *utf8) { text(column, QByteArrayView(utf8)); }
        void integer(int column, qint64 value);
        void real(int column, double value);
        void null(int column);
        bool next(); // executes the row and resets the bindings

    private:
        void *m_stmt = nullptr;
        QString m_error;
        std::vector<char> m_arena; // this row's bound text, alive until next(); never reallocated
        size_t m_used = 0;
    };
    void createIndexes();
    void refreshSequences() { initSequences(); } // after bulk loading
    // Next record number for the object; the generator reserves ranges with it.
    quint64 reserveIds(const ObjectDef &obj, quint64 count);
    static QString idFor(const QString &keyPrefix, quint64 number);
    // The same 18-char id written into out[0..17] (no allocation): keyPrefix is 3 ASCII characters.
    static void writeId(char *out, const char *keyPrefix, quint64 number);

    quint64 modificationCounter() const { return m_modCounter; }

private:
    void *sqliteHandle() const;
    bool createTables(QString *error);
    bool ensureOrgAndUser(QString *error);
    bool ensureOrganization(QString *error);
    // INSERT of one row, its columns named by the map's keys.
    bool insertRow(const QString &table, const QVariantMap &row, QString *sqlError);
    void initSequences();
    void computeDerived(const ObjectDef &obj, QVariantMap &row) const;
    bool checkReferences(const ObjectDef &obj, const QVariantMap &storedFields, SimError *err) const;

    Schema m_schema;
    QString m_connectionName;
    QString m_orgId;
    QString m_defaultUserId;
    QHash<QString, quint64> m_sequences; // object name -> next record number
    int m_savepointDepth = 0;
    qint64 m_clockOffsetMs = 0;
    quint64 m_modCounter = 0;
    quint64 m_caseNumber = 1000;
};

} // namespace fs::sim
