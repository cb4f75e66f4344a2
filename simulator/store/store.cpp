#include "store.h"

#include <QAtomicInteger>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QTimeZone>
#include <QUuid>

#include <sqlite3.h>

#include <cstring>

namespace fs::sim {

namespace {

const char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const char kChecksum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
const QString kDemoUsername = QStringLiteral("demo@forcescope.sim");

QAtomicInteger<quint64> s_connectionCounter;

QString quoted(const QString &ident)
{
    return u'"' + ident + u'"';
}

QString sqlType(const FieldDef &f)
{
    if (f.type == u"boolean" || f.type == u"int")
        return QStringLiteral("INTEGER");
    if (f.type == u"double" || f.type == u"currency" || f.type == u"percent")
        return QStringLiteral("REAL");
    return QStringLiteral("TEXT");
}

int base62Value(QChar c)
{
    const char ch = char(c.unicode());
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A' + 10;
    if (ch >= 'a' && ch <= 'z')
        return ch - 'a' + 36;
    return -1;
}

SimError fieldError(const QString &code, const QString &msg, const QString &field)
{
    return SimError::make(400, code, msg, { field });
}

bool isValidEmail(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    return re.match(s).hasMatch();
}

// The error for an operation the object's describe does not allow (createable, updateable, ...).
SimError unsupportedOperation(const ObjectDef &obj, const char *operation)
{
    return SimError::make(400, QStringLiteral("INVALID_TYPE_FOR_OPERATION"),
        QStringLiteral("entity type %1 does not support %2").arg(obj.name, QLatin1String(operation)));
}

} // namespace

Store::Store(Schema schema)
    : m_schema(std::move(schema))
{
    m_connectionName = QStringLiteral("fs_sim_store_%1").arg(s_connectionCounter.fetchAndAddRelaxed(1));
}

Store::~Store()
{
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen())
            db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

QSqlDatabase Store::database() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

void *Store::sqliteHandle() const
{
    const QVariant v = database().driver()->handle();
    if (!v.isValid() || qstrcmp(v.typeName(), "sqlite3*") != 0)
        return nullptr;
    return *static_cast<sqlite3 *const *>(v.constData());
}

bool Store::open(const QString &path, QString *error)
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    // ":memory:" asks for a private database that dies with the store. SQLite's unnamed database
    // is exactly that, but on a temporary file (deleted on close) behind a bounded page cache, so a
    // million-record org does not have to fit in this process's memory.
    const bool temporary = path == u":memory:";
    db.setDatabaseName(temporary ? QString() : path);
    if (!db.open()) {
        if (error)
            *error = QStringLiteral("cannot open store %1: %2").arg(path, db.lastError().text());
        return false;
    }
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA synchronous=OFF"));
    if (!temporary)
        q.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    q.exec(QStringLiteral("PRAGMA cache_size=-65536"));
    q.exec(QStringLiteral("PRAGMA temp_store=MEMORY"));
    if (!createTables(error))
        return false;
    initSequences();
    m_orgId = to18(QStringLiteral("00DRO0000000001"));
    return ensureOrgAndUser(error);
}

bool Store::createTables(QString *error)
{
    QSqlDatabase db = database();
    QSqlQuery q(db);
    for (const ObjectDef *obj : m_schema.objects()) {
        QStringList cols;
        for (const FieldDef &f : obj->fields) {
            QString col = quoted(f.name) + u' ' + sqlType(f);
            if (f.name == u"Id")
                col += QStringLiteral(" PRIMARY KEY");
            cols << col;
        }
        const QString sql = QStringLiteral("CREATE TABLE IF NOT EXISTS %1 (%2)").arg(quoted(obj->name), cols.join(u", "));
        if (!q.exec(sql)) {
            if (error)
                *error = QStringLiteral("cannot create table %1: %2").arg(obj->name, q.lastError().text());
            return false;
        }
    }
    return true;
}

void Store::createIndexes()
{
    // Indexes the lookups that run against big tables: parent-to-child subqueries and filters on
    // reference fields (compared as ids), and the case-insensitive unique/external-id checks of
    // findIds(). CreatedById/LastModifiedById are left out (audit fields every row carries: each
    // index costs seconds at a million rows), and so are text fields that SOQL compares with FS_CI
    // (a BINARY index cannot serve those comparisons).
    QSqlQuery q(database());
    for (const ObjectDef *obj : m_schema.objects()) {
        for (const FieldDef &f : obj->fields) {
            const bool reference = f.type == u"reference" && f.name != u"CreatedById" && f.name != u"LastModifiedById";
            const bool uniqueText = (f.unique || f.externalId) && f.isText() && f.name != u"Id";
            if (!reference && !uniqueText)
                continue;
            q.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS %1 ON %2(%3%4)")
                       .arg(quoted(QStringLiteral("idx_%1_%2").arg(obj->name, f.name)), quoted(obj->name), quoted(f.name),
                           reference ? QString() : QStringLiteral(" COLLATE NOCASE")));
        }
    }
}

void Store::initSequences()
{
    QSqlQuery q(database());
    for (const ObjectDef *obj : m_schema.objects()) {
        quint64 next = 1;
        if (q.exec(QStringLiteral("SELECT MAX(Id) FROM %1").arg(quoted(obj->name))) && q.next() && !q.value(0).isNull()) {
            const QString maxId = q.value(0).toString();
            quint64 n = 0;
            for (QChar c : QStringView(maxId).mid(6, 9))
                n = n * 62 + quint64(qMax(0, base62Value(c)));
            next = n + 1;
        }
        m_sequences.insert(obj->name, next);
        if (obj->name == u"Case" && q.exec(QStringLiteral("SELECT MAX(CaseNumber) FROM \"Case\"")) && q.next())
            m_caseNumber = qMax<quint64>(1000, q.value(0).toString().toULongLong());
    }
}

bool Store::ensureOrgAndUser(QString *error)
{
    const QStringList ids = findIds(QStringLiteral("User"), QStringLiteral("Username"), kDemoUsername);
    if (!ids.isEmpty()) {
        m_defaultUserId = ids.first();
        return ensureOrganization(error);
    }
    // The first user owns itself.
    const ObjectDef *user = m_schema.object(QStringLiteral("User"));
    const QString id = newId(*user);
    m_defaultUserId = id;
    SimError err;
    QString created;
    QVariantMap fields { { QStringLiteral("Username"), kDemoUsername }, { QStringLiteral("FirstName"), QStringLiteral("Dana") },
        { QStringLiteral("LastName"), QStringLiteral("Demo") }, { QStringLiteral("Email"), QStringLiteral("dana.demo@forcescope.example") },
        { QStringLiteral("Alias"), QStringLiteral("ddemo") }, { QStringLiteral("Title"), QStringLiteral("Sales Operations") } };
    // insert() would mint another id; write the row directly through insert with a pinned id.
    fields.insert(QStringLiteral("__pinnedId"), id);
    if (!insert(QStringLiteral("User"), fields, &created, &err, id)) {
        if (error)
            *error = QStringLiteral("cannot create the demo user: %1").arg(err.message);
        return false;
    }
    return ensureOrganization(error);
}

// The org's own Organization row (clients such as the Salesforce CLI query it for the edition and
// whether the org is a sandbox). Read-only through the API, so it is written here directly.
bool Store::ensureOrganization(QString *error)
{
    const ObjectDef *org = m_schema.object(QStringLiteral("Organization"));
    if (!org)
        return true; // a schema without it
    if (get(org->name, m_orgId, nullptr))
        return true;
    const QString ts = formatDateTime(now());
    const QVariantMap row { { QStringLiteral("Id"), m_orgId }, { QStringLiteral("Name"), QStringLiteral("Forcescope Demo Org") },
        { QStringLiteral("InstanceName"), QStringLiteral("SIM1") }, { QStringLiteral("IsSandbox"), 0 },
        { QStringLiteral("OrganizationType"), QStringLiteral("Developer Edition") }, { QStringLiteral("LanguageLocaleKey"), QStringLiteral("en_US") },
        { QStringLiteral("TimeZoneSidKey"), QStringLiteral("GMT") }, { QStringLiteral("IsDeleted"), 0 }, { QStringLiteral("CreatedDate"), ts },
        { QStringLiteral("CreatedById"), m_defaultUserId }, { QStringLiteral("LastModifiedDate"), ts },
        { QStringLiteral("LastModifiedById"), m_defaultUserId }, { QStringLiteral("SystemModstamp"), ts } };
    QString sqlError;
    if (!insertRow(org->name, row, &sqlError)) {
        if (error)
            *error = QStringLiteral("cannot create the Organization record: %1").arg(sqlError);
        return false;
    }
    return true;
}

bool Store::insertRow(const QString &table, const QVariantMap &row, QString *sqlError)
{
    QStringList cols, marks;
    for (auto it = row.constBegin(); it != row.constEnd(); ++it) {
        cols << quoted(it.key());
        marks << QStringLiteral("?");
    }
    QSqlQuery q(database());
    q.prepare(QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)").arg(quoted(table), cols.join(u','), marks.join(u',')));
    for (auto it = row.constBegin(); it != row.constEnd(); ++it)
        q.addBindValue(it.value());
    if (q.exec())
        return true;
    *sqlError = q.lastError().text();
    return false;
}

qint64 Store::liveCount(const ObjectDef &obj) const
{
    QSqlQuery count(database());
    const QString live = obj.field(QStringLiteral("IsDeleted")) ? QStringLiteral(" WHERE \"IsDeleted\" = 0") : QString();
    return count.exec(QStringLiteral("SELECT COUNT(*) FROM %1%2").arg(quoted(obj.name), live)) && count.next() ? count.value(0).toLongLong() : 0;
}

bool Store::isEmpty() const
{
    QSqlQuery q(database());
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM \"Account\"")) && q.next())
        return q.value(0).toLongLong() == 0;
    return true;
}

QString Store::idFor(const QString &keyPrefix, quint64 number)
{
    const QByteArray prefix = keyPrefix.toLatin1();
    if (prefix.size() != 3) {
        QString body(9, u'0');
        for (int i = 8; i >= 0; --i) {
            body[i] = QLatin1Char(kBase62[number % 62]);
            number /= 62;
        }
        return to18(keyPrefix + QStringLiteral("RO0") + body);
    }
    char id[18];
    writeId(id, prefix.constData(), number);
    return QString::fromLatin1(id, 18);
}

void Store::writeId(char *out, const char *keyPrefix, quint64 number)
{
    // keyPrefix + "RO0" (pod and instance) + 9 base-62 digits, then the 3-character case checksum.
    std::memcpy(out, keyPrefix, 3);
    std::memcpy(out + 3, "RO0", 3);
    for (int i = 14; i >= 6; --i) {
        out[i] = kBase62[number % 62];
        number /= 62;
    }
    for (int chunk = 0; chunk < 3; ++chunk) {
        int v = 0;
        for (int i = 0; i < 5; ++i) {
            const char c = out[chunk * 5 + i];
            if (c >= 'A' && c <= 'Z')
                v |= 1 << i;
        }
        out[15 + chunk] = kChecksum[v];
    }
}

quint64 Store::reserveIds(const ObjectDef &obj, quint64 count)
{
    quint64 &next = m_sequences[obj.name];
    if (next == 0)
        next = 1;
    const quint64 first = next;
    next += count;
    return first;
}

QString Store::newId(const ObjectDef &obj)
{
    return idFor(obj.keyPrefix, reserveIds(obj, 1));
}

QString Store::to18(const QString &id15)
{
    if (id15.size() != 15)
        return id15;
    QString out = id15;
    for (int chunk = 0; chunk < 3; ++chunk) {
        int v = 0;
        for (int i = 0; i < 5; ++i) {
            const QChar c = id15.at(chunk * 5 + i);
            if (c >= u'A' && c <= u'Z')
                v |= 1 << i;
        }
        out += QLatin1Char(kChecksum[v]);
    }
    return out;
}

QString Store::normalizeId(const QString &id)
{
    if (id.size() != 15 && id.size() != 18)
        return {};
    for (QChar c : id) {
        if (base62Value(c) < 0)
            return {};
    }
    const QString full = to18(id.left(15));
    if (id.size() == 18 && full.right(3).compare(id.right(3), Qt::CaseInsensitive) != 0)
        return {};
    return full;
}

QString Store::formatDateTime(const QDateTime &utc)
{
    // Salesforce reports whole seconds: always ".000".
    return utc.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QStringLiteral(".000+0000");
}

QDateTime Store::parseDateTime(const QString &text)
{
    static const QRegularExpression re(QStringLiteral(
        "^(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(Z|[+-]\\d{2}:?\\d{2})?$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    const QDate date(m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    int ms = 0;
    if (!m.captured(7).isEmpty())
        ms = (m.captured(7) + QStringLiteral("00")).left(3).toInt();
    const QTime time(m.captured(4).toInt(), m.captured(5).toInt(), m.captured(6).toInt(), ms);
    if (!date.isValid() || !time.isValid())
        return {};
    int offsetSecs = 0;
    const QString tz = m.captured(8);
    if (!tz.isEmpty() && tz != u"Z") {
        QString digits = tz.mid(1);
        digits.remove(u':');
        offsetSecs = (digits.left(2).toInt() * 3600 + digits.mid(2, 2).toInt() * 60) * (tz.at(0) == u'-' ? -1 : 1);
    }
    QDateTime dt(date, time, Qt::UTC);
    return dt.addSecs(-offsetSecs);
}

QDateTime Store::now() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(m_clockOffsetMs);
}

QJsonValue Store::toJson(const FieldDef &f, const QVariant &stored)
{
    if (f.type == u"boolean")
        return stored.toLongLong() != 0;
    if (!stored.isValid() || stored.isNull())
        return QJsonValue::Null;
    if (f.type == u"int")
        return stored.toLongLong();
    if (f.type == u"double" || f.type == u"currency" || f.type == u"percent")
        return stored.toDouble();
    return stored.toString();
}

bool Store::toStored(const ObjectDef &obj, const FieldDef &f, const QVariant &api, QVariant *stored, SimError *err)
{
    Q_UNUSED(obj)
    auto parseFail = [&](const QString &what) {
        *err = SimError::make(400, QStringLiteral("JSON_PARSER_ERROR"),
            QStringLiteral("Cannot deserialize instance of %1 from VALUE_STRING value %2 or request may be missing a required field")
                .arg(what, api.toString()),
            {});
        return false;
    };
    // An empty string is no value, for text fields too: Salesforce keeps no empty text, so "" reads
    // back as null, matches "= null" and does not satisfy a required field.
    if (!api.isValid() || api.isNull() || (api.typeId() == QMetaType::QString && api.toString().isEmpty())) {
        if (f.type == u"boolean") {
            *stored = 0;
            return true;
        }
        *stored = QVariant();
        return true;
    }
    const QString &t = f.type;
    if (t == u"boolean") {
        if (api.typeId() == QMetaType::Bool) {
            *stored = api.toBool() ? 1 : 0;
            return true;
        }
        const QString s = api.toString().toLower();
        if (s == u"true" || s == u"false") {
            *stored = s == u"true" ? 1 : 0;
            return true;
        }
        return parseFail(QStringLiteral("boolean"));
    }
    if (t == u"int") {
        bool ok = false;
        const double d = api.toDouble(&ok);
        if (!ok || d != double(qint64(d)))
            return parseFail(QStringLiteral("int"));
        *stored = qint64(d);
        return true;
    }
    if (t == u"double" || t == u"currency" || t == u"percent") {
        bool ok = false;
        const double d = api.toDouble(&ok);
        if (!ok || api.typeId() == QMetaType::Bool)
            return parseFail(QStringLiteral("double"));
        *stored = d;
        return true;
    }
    if (api.typeId() == QMetaType::QVariantMap || api.typeId() == QMetaType::QVariantList) {
        *err = SimError::make(400, QStringLiteral("JSON_PARSER_ERROR"),
            QStringLiteral("Cannot deserialize instance of %1 from START_OBJECT value for field %2").arg(t, f.name), {});
        return false;
    }
    QString s = api.typeId() == QMetaType::Bool ? (api.toBool() ? QStringLiteral("true") : QStringLiteral("false")) : api.toString();
    if (api.typeId() == QMetaType::Double && api.toDouble() == double(qint64(api.toDouble())))
        s = QString::number(qint64(api.toDouble()));
    if (t == u"date") {
        const QDate d = QDate::fromString(s.left(10), QStringLiteral("yyyy-MM-dd"));
        if (!d.isValid() || (s.size() > 10 && s.at(10) != u'T'))
            return parseFail(QStringLiteral("date"));
        *stored = d.toString(QStringLiteral("yyyy-MM-dd"));
        return true;
    }
    if (t == u"datetime") {
        const QDateTime dt = parseDateTime(s);
        if (!dt.isValid())
            return parseFail(QStringLiteral("datetime"));
        *stored = formatDateTime(dt);
        return true;
    }
    if (t == u"reference" || t == u"id") {
        const QString id = normalizeId(s);
        if (id.isEmpty()) {
            *err = fieldError(QStringLiteral("MALFORMED_ID"), QStringLiteral("%1: id value of incorrect type: %2").arg(f.label, s), f.name);
            return false;
        }
        *stored = id;
        return true;
    }
    if (f.length > 0 && s.size() > f.length) {
        *err = fieldError(QStringLiteral("STRING_TOO_LONG"),
            QStringLiteral("%1: data value too large: %2 (max length=%3)").arg(f.label, s.left(40)).arg(f.length), f.name);
        return false;
    }
    if (t == u"email" && !isValidEmail(s)) {
        *err = fieldError(QStringLiteral("INVALID_EMAIL_ADDRESS"), QStringLiteral("%1: invalid email address: %2").arg(f.label, s), f.name);
        return false;
    }
    if (t == u"multipicklist") {
        QStringList parts = s.split(u';', Qt::SkipEmptyParts);
        for (QString &p : parts)
            p = p.trimmed();
        s = parts.join(u';');
    }
    *stored = s;
    return true;
}

void Store::computeDerived(const ObjectDef &obj, QVariantMap &row) const
{
    if ((obj.name == u"Contact" || obj.name == u"Lead" || obj.name == u"User") && obj.field(QStringLiteral("FirstName"))) {
        const QString first = row.value(QStringLiteral("FirstName")).toString();
        const QString last = row.value(QStringLiteral("LastName")).toString();
        row.insert(QStringLiteral("Name"), first.isEmpty() ? last : first + u' ' + last);
    }
    if (obj.name == u"Opportunity") {
        const QString stage = row.value(QStringLiteral("StageName")).toString();
        row.insert(QStringLiteral("IsClosed"), stage.startsWith(u"Closed") ? 1 : 0);
        row.insert(QStringLiteral("IsWon"), stage == u"Closed Won" ? 1 : 0);
    }
    if (obj.name == u"Case") {
        const bool closed = row.value(QStringLiteral("Status")).toString() == u"Closed";
        const bool wasClosed = row.value(QStringLiteral("IsClosed")).toLongLong() != 0;
        row.insert(QStringLiteral("IsClosed"), closed ? 1 : 0);
        if (closed && !wasClosed)
            row.insert(QStringLiteral("ClosedDate"), row.value(QStringLiteral("LastModifiedDate")));
        if (!closed)
            row.insert(QStringLiteral("ClosedDate"), QVariant());
    }
}

bool Store::checkReferences(const ObjectDef &obj, const QVariantMap &storedFields, SimError *err) const
{
    QSqlQuery q(database());
    for (auto it = storedFields.constBegin(); it != storedFields.constEnd(); ++it) {
        const FieldDef *f = obj.field(it.key());
        if (!f || f->type != u"reference" || it.value().isNull())
            continue;
        const QString id = it.value().toString();
        const ObjectDef *target = m_schema.objectByKeyPrefix(id.left(3));
        if (!target || !f->referenceTo.contains(target->name)) {
            *err = fieldError(QStringLiteral("FIELD_INTEGRITY_EXCEPTION"),
                QStringLiteral("%1: id value of incorrect type: %2").arg(f->label, id), f->name);
            return false;
        }
        q.prepare(QStringLiteral("SELECT 1 FROM %1 WHERE Id = ?%2")
                      .arg(quoted(target->name), target->platformEvent ? QString() : QStringLiteral(" AND IsDeleted = 0")));
        q.addBindValue(id);
        if (!q.exec() || !q.next()) {
            *err = fieldError(QStringLiteral("INVALID_CROSS_REFERENCE_KEY"), QStringLiteral("invalid cross reference id"), f->name);
            return false;
        }
    }
    for (auto it = storedFields.constBegin(); it != storedFields.constEnd(); ++it) {
        const FieldDef *f = obj.field(it.key());
        if (!f || !(f->unique || f->externalId) || it.value().isNull() || f->name == u"Id")
            continue;
        const QStringList dups = findIds(obj.name, f->name, it.value());
        const QString self = storedFields.value(QStringLiteral("Id")).toString();
        for (const QString &d : dups) {
            if (d != self) {
                *err = fieldError(QStringLiteral("DUPLICATE_VALUE"),
                    QStringLiteral("duplicate value found: %1 duplicates value on record with id: %2").arg(f->name, d), f->name);
                return false;
            }
        }
    }
    return true;
}

bool Store::insert(const QString &object, const QVariantMap &fields, QString *newIdOut, SimError *err, const QString &userId)
{
    SimError local;
    if (!err)
        err = &local;
    const ObjectDef *obj = m_schema.object(object);
    if (!obj) {
        *err = SimError::make(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
        return false;
    }
    if (!obj->createable) {
        *err = unsupportedOperation(*obj, "create");
        return false;
    }
    QVariantMap row;
    QStringList readOnly;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (it.key() == u"attributes" || it.key() == u"__pinnedId")
            continue;
        const FieldDef *f = obj->field(it.key());
        if (!f) {
            *err = SimError::make(400, QStringLiteral("INVALID_FIELD"),
                QStringLiteral("No such column '%1' on sobject of type %2").arg(it.key(), obj->name));
            return false;
        }
        if (!f->createable) {
            readOnly << f->name;
            continue;
        }
        QVariant stored;
        if (!toStored(*obj, *f, it.value(), &stored, err))
            return false;
        row.insert(f->name, stored);
    }
    if (!readOnly.isEmpty()) {
        *err = SimError::make(400, QStringLiteral("INVALID_FIELD_FOR_INSERT_UPDATE"),
            QStringLiteral("Unable to create/update fields: %1. Please check the security settings of this field and verify that it is read/write for your profile or permission set.")
                .arg(readOnly.join(QStringLiteral(", "))),
            readOnly);
        return false;
    }
    // Defaults, then required fields.
    QStringList missing;
    for (const FieldDef &f : obj->fields) {
        if (!f.createable)
            continue;
        const bool absent = !row.contains(f.name) || row.value(f.name).isNull();
        if (absent && !f.defaultValue.isEmpty()) {
            if (f.type == u"boolean")
                row.insert(f.name, f.defaultValue == u"true" ? 1 : 0);
            else
                row.insert(f.name, f.defaultValue);
            continue;
        }
        if (absent && f.type == u"boolean") {
            row.insert(f.name, 0);
            continue;
        }
        if (absent && !f.nillable && !f.defaultedOnCreate)
            missing << f.name;
    }
    if (!missing.isEmpty()) {
        *err = SimError::make(400, QStringLiteral("REQUIRED_FIELD_MISSING"),
            QStringLiteral("Required fields are missing: [%1]").arg(missing.join(QStringLiteral(", "))), missing);
        return false;
    }
    const QString user = userId.isEmpty() ? m_defaultUserId : userId;
    const QString id = fields.contains(QStringLiteral("__pinnedId")) ? fields.value(QStringLiteral("__pinnedId")).toString()
                                                                     : newId(*obj);
    const QString ts = formatDateTime(now());
    row.insert(QStringLiteral("Id"), id);
    for (const FieldDef &f : obj->fields) {
        if (f.type == u"boolean" && !row.contains(f.name))
            row.insert(f.name, f.defaultValue == u"true" ? 1 : 0);
    }
    if (obj->field(QStringLiteral("IsDeleted")))
        row.insert(QStringLiteral("IsDeleted"), 0);
    row.insert(QStringLiteral("CreatedDate"), ts);
    row.insert(QStringLiteral("CreatedById"), user);
    if (obj->field(QStringLiteral("LastModifiedDate"))) {
        row.insert(QStringLiteral("LastModifiedDate"), ts);
        row.insert(QStringLiteral("LastModifiedById"), user);
        row.insert(QStringLiteral("SystemModstamp"), ts);
    }
    if (obj->field(QStringLiteral("OwnerId")) && row.value(QStringLiteral("OwnerId")).isNull())
        row.insert(QStringLiteral("OwnerId"), user);
    if (obj->name == u"Case")
        row.insert(QStringLiteral("CaseNumber"), QStringLiteral("%1").arg(++m_caseNumber, 8, 10, QLatin1Char('0')));
    if (obj->platformEvent) {
        row.insert(QStringLiteral("EventUuid"), QUuid::createUuid().toString(QUuid::WithoutBraces));
        row.insert(QStringLiteral("ReplayId"), QString::number(reserveIds(*obj, 0)));
    }
    computeDerived(*obj, row);
    QVariantMap refs = row;
    refs.remove(QStringLiteral("Id"));
    if (obj->name == u"User" && id == row.value(QStringLiteral("CreatedById")).toString()) {
        refs.remove(QStringLiteral("CreatedById"));
        refs.remove(QStringLiteral("LastModifiedById"));
    }
    if (!checkReferences(*obj, refs, err))
        return false;

    QString sqlError;
    if (!insertRow(obj->name, row, &sqlError)) {
        *err = SimError::make(500, QStringLiteral("UNKNOWN_EXCEPTION"),
            QStringLiteral("An unexpected error occurred while saving: %1").arg(sqlError));
        return false;
    }
    ++m_modCounter;
    if (newIdOut)
        *newIdOut = id;
    return true;
}

std::optional<QVariantMap> Store::get(const QString &object, const QString &rawId, SimError *err, bool includeDeleted) const
{
    SimError local;
    if (!err)
        err = &local;
    const ObjectDef *obj = m_schema.object(object);
    if (!obj) {
        *err = SimError::make(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
        return std::nullopt;
    }
    const QString id = normalizeId(rawId);
    if (id.isEmpty()) {
        *err = SimError::make(400, QStringLiteral("MALFORMED_ID"), QStringLiteral("malformed id %1").arg(rawId));
        return std::nullopt;
    }
    if (id.left(3) != obj->keyPrefix) {
        *err = SimError::make(400, QStringLiteral("MALFORMED_ID"),
            QStringLiteral("%1 ID: id value of incorrect type: %2").arg(obj->label, rawId));
        return std::nullopt;
    }
    QSqlQuery q(database());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT * FROM %1 WHERE Id = ?").arg(quoted(obj->name)));
    q.addBindValue(id);
    if (!q.exec() || !q.next()) {
        *err = SimError::make(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
        return std::nullopt;
    }
    QVariantMap row;
    const QSqlRecord rec = q.record();
    for (int i = 0; i < rec.count(); ++i)
        row.insert(rec.fieldName(i), q.value(i));
    if (!includeDeleted && row.value(QStringLiteral("IsDeleted")).toLongLong() != 0) {
        *err = SimError::make(404, QStringLiteral("ENTITY_IS_DELETED"), QStringLiteral("entity is deleted"), {});
        return std::nullopt;
    }
    return row;
}

bool Store::update(const QString &object, const QString &rawId, const QVariantMap &fields, SimError *err, const QString &userId)
{
    SimError local;
    if (!err)
        err = &local;
    const ObjectDef *obj = m_schema.object(object);
    auto existing = get(object, rawId, err);
    if (!existing)
        return false;
    if (!obj->updateable) {
        *err = unsupportedOperation(*obj, "update");
        return false;
    }
    QVariantMap changes;
    QStringList readOnly;
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it) {
        if (it.key() == u"attributes")
            continue;
        const FieldDef *f = obj->field(it.key());
        if (!f) {
            *err = SimError::make(400, QStringLiteral("INVALID_FIELD"),
                QStringLiteral("No such column '%1' on sobject of type %2").arg(it.key(), obj->name));
            return false;
        }
        if (f->name == u"Id") {
            // Collections and composite send the Id with the body; accept it when it matches.
            if (normalizeId(it.value().toString()) == existing->value(QStringLiteral("Id")).toString())
                continue;
        }
        if (!f->updateable) {
            readOnly << f->name;
            continue;
        }
        QVariant stored;
        if (!toStored(*obj, *f, it.value(), &stored, err))
            return false;
        if (stored.isNull() && !f->nillable && f->type != u"boolean") {
            *err = SimError::make(400, QStringLiteral("REQUIRED_FIELD_MISSING"),
                QStringLiteral("Required fields are missing: [%1]").arg(f->name), { f->name });
            return false;
        }
        changes.insert(f->name, stored);
    }
    if (!readOnly.isEmpty()) {
        *err = SimError::make(400, QStringLiteral("INVALID_FIELD_FOR_INSERT_UPDATE"),
            QStringLiteral("Unable to create/update fields: %1. Please check the security settings of this field and verify that it is read/write for your profile or permission set.")
                .arg(readOnly.join(QStringLiteral(", "))),
            readOnly);
        return false;
    }
    QVariantMap check = changes;
    check.insert(QStringLiteral("Id"), existing->value(QStringLiteral("Id")));
    if (!checkReferences(*obj, check, err))
        return false;
    QVariantMap row = *existing;
    for (auto it = changes.constBegin(); it != changes.constEnd(); ++it)
        row.insert(it.key(), it.value());
    const QString ts = formatDateTime(now());
    row.insert(QStringLiteral("LastModifiedDate"), ts);
    row.insert(QStringLiteral("SystemModstamp"), ts);
    row.insert(QStringLiteral("LastModifiedById"), userId.isEmpty() ? m_defaultUserId : userId);
    computeDerived(*obj, row);
    QStringList sets;
    QVariantList values;
    for (auto it = row.constBegin(); it != row.constEnd(); ++it) {
        if (it.key() == u"Id" || existing->value(it.key()) == it.value())
            continue;
        sets << quoted(it.key()) + QStringLiteral("=?");
        values << it.value();
    }
    if (sets.isEmpty())
        return true;
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE %1 SET %2 WHERE Id = ?").arg(quoted(obj->name), sets.join(u',')));
    for (const QVariant &v : values)
        q.addBindValue(v);
    q.addBindValue(row.value(QStringLiteral("Id")));
    if (!q.exec()) {
        *err = SimError::make(500, QStringLiteral("UNKNOWN_EXCEPTION"),
            QStringLiteral("An unexpected error occurred while saving: %1").arg(q.lastError().text()));
        return false;
    }
    ++m_modCounter;
    return true;
}

bool Store::softDelete(const QString &object, const QString &rawId, SimError *err)
{
    SimError local;
    if (!err)
        err = &local;
    const ObjectDef *obj = m_schema.object(object);
    auto existing = get(object, rawId, err);
    if (!existing)
        return false;
    if (!obj->deletable) {
        *err = unsupportedOperation(*obj, "delete");
        return false;
    }
    const QString id = existing->value(QStringLiteral("Id")).toString();
    const QString ts = formatDateTime(now());
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE %1 SET IsDeleted = 1, SystemModstamp = ?, LastModifiedDate = ? WHERE Id = ?").arg(quoted(obj->name)));
    q.addBindValue(ts);
    q.addBindValue(ts);
    q.addBindValue(id);
    if (!q.exec()) {
        *err = SimError::make(500, QStringLiteral("UNKNOWN_EXCEPTION"), q.lastError().text());
        return false;
    }
    for (const ChildRelDef &c : obj->childRelationships) {
        if (!c.cascadeDelete)
            continue;
        q.prepare(QStringLiteral("UPDATE %1 SET IsDeleted = 1, SystemModstamp = ? WHERE %2 = ? AND IsDeleted = 0")
                      .arg(quoted(c.childSObject), quoted(c.field)));
        q.addBindValue(ts);
        q.addBindValue(id);
        q.exec();
    }
    ++m_modCounter;
    return true;
}

bool Store::undelete(const QString &object, const QString &rawId, SimError *err)
{
    SimError local;
    if (!err)
        err = &local;
    auto existing = get(object, rawId, err, true);
    if (!existing)
        return false;
    if (existing->value(QStringLiteral("IsDeleted")).toLongLong() == 0) {
        *err = SimError::make(400, QStringLiteral("UNDELETE_FAILED"), QStringLiteral("Entity is not in the recycle bin"));
        return false;
    }
    QSqlQuery q(database());
    q.prepare(QStringLiteral("UPDATE %1 SET IsDeleted = 0, SystemModstamp = ? WHERE Id = ?").arg(quoted(m_schema.object(object)->name)));
    q.addBindValue(formatDateTime(now()));
    q.addBindValue(existing->value(QStringLiteral("Id")));
    ++m_modCounter;
    return q.exec();
}

QStringList Store::findIds(const QString &object, const QString &field, const QVariant &storedValue) const
{
    QStringList out;
    const ObjectDef *obj = m_schema.object(object);
    const FieldDef *f = obj ? obj->field(field) : nullptr;
    if (!f)
        return out;
    QSqlQuery q(database());
    q.setForwardOnly(true);
    const QString live = obj->field(QStringLiteral("IsDeleted")) ? QStringLiteral(" AND IsDeleted = 0") : QString();
    // External ids compare case-insensitively in Salesforce.
    const QString cmp = f->isText() ? QStringLiteral("%1 = ? COLLATE NOCASE") : QStringLiteral("%1 = ?");
    q.prepare(QStringLiteral("SELECT Id FROM %1 WHERE %2%3").arg(quoted(obj->name), cmp.arg(quoted(f->name)), live));
    q.addBindValue(storedValue);
    if (q.exec()) {
        while (q.next())
            out << q.value(0).toString();
    }
    return out;
}

QJsonObject Store::recordJson(const ObjectDef &obj, const QVariantMap &row, const QStringList &fields, const QString &apiVersion) const
{
    QJsonObject rec;
    rec.insert(QStringLiteral("attributes"),
        QJsonObject { { QStringLiteral("type"), obj.name },
            { QStringLiteral("url"),
                QStringLiteral("/services/data/v%1/sobjects/%2/%3").arg(apiVersion, obj.name, row.value(QStringLiteral("Id")).toString()) } });
    if (fields.isEmpty()) {
        for (const FieldDef &f : obj.fields)
            rec.insert(f.name, toJson(f, row.value(f.name)));
    } else {
        for (const QString &name : fields) {
            const FieldDef *f = obj.field(name);
            if (f)
                rec.insert(f->name, toJson(*f, row.value(f->name)));
        }
    }
    return rec;
}

// ---- transactions ----

Store::Transaction::Transaction(Store &store)
    : m_store(store)
{
    m_name = QStringLiteral("sp%1").arg(++m_store.m_savepointDepth);
    QSqlQuery(m_store.database()).exec(QStringLiteral("SAVEPOINT ") + m_name);
}

Store::Transaction::~Transaction()
{
    if (!m_done)
        rollback();
}

bool Store::Transaction::commit()
{
    if (m_done)
        return false;
    m_done = true;
    --m_store.m_savepointDepth;
    return QSqlQuery(m_store.database()).exec(QStringLiteral("RELEASE ") + m_name);
}

void Store::Transaction::rollback()
{
    if (m_done)
        return;
    m_done = true;
    --m_store.m_savepointDepth;
    QSqlQuery q(m_store.database());
    q.exec(QStringLiteral("ROLLBACK TO ") + m_name);
    q.exec(QStringLiteral("RELEASE ") + m_name);
    ++m_store.m_modCounter;
}

// ---- bulk loading ----

Store::BulkInserter::BulkInserter(Store &store, const ObjectDef &obj, const QStringList &columns)
{
    auto *db = static_cast<sqlite3 *>(store.sqliteHandle());
    if (!db) {
        m_error = QStringLiteral("no SQLite handle");
        return;
    }
    QStringList cols, marks;
    for (const QString &c : columns) {
        cols << quoted(c);
        marks << QStringLiteral("?");
    }
    const QByteArray sql
        = QStringLiteral("INSERT INTO %1 (%2) VALUES (%3)").arg(quoted(obj.name), cols.join(u','), marks.join(u',')).toUtf8();
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.constData(), int(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        m_error = QString::fromUtf8(sqlite3_errmsg(db));
        return;
    }
    m_stmt = stmt;
    m_arena.resize(64 * 1024);
}

Store::BulkInserter::~BulkInserter()
{
    if (m_stmt)
        sqlite3_finalize(static_cast<sqlite3_stmt *>(m_stmt));
}

void Store::BulkInserter::text(int column, QByteArrayView utf8)
{
    auto *stmt = static_cast<sqlite3_stmt *>(m_stmt);
    const auto n = size_t(utf8.size());
    if (n == 0) {
        sqlite3_bind_null(stmt, column + 1); // no empty text, as toStored()
        return;
    }
    if (m_used + n > m_arena.size()) {
        sqlite3_bind_text(stmt, column + 1, utf8.data(), int(n), SQLITE_TRANSIENT);
        return;
    }
    char *dst = m_arena.data() + m_used;
    if (n > 0)
        std::memcpy(dst, utf8.data(), n);
    m_used += n;
    sqlite3_bind_text(stmt, column + 1, dst, int(n), SQLITE_STATIC);
}

void Store::BulkInserter::integer(int column, qint64 value)
{
    sqlite3_bind_int64(static_cast<sqlite3_stmt *>(m_stmt), column + 1, value);
}

void Store::BulkInserter::real(int column, double value)
{
    sqlite3_bind_double(static_cast<sqlite3_stmt *>(m_stmt), column + 1, value);
}

void Store::BulkInserter::null(int column)
{
    sqlite3_bind_null(static_cast<sqlite3_stmt *>(m_stmt), column + 1);
}

bool Store::BulkInserter::next()
{
    auto *stmt = static_cast<sqlite3_stmt *>(m_stmt);
    const int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    sqlite3_clear_bindings(stmt);
    m_used = 0;
    if (rc != SQLITE_DONE) {
        m_error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(stmt)));
        return false;
    }
    return true;
}

} // namespace fs::sim
