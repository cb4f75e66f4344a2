#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace fs::sim {

// One field as describe reports it. `type` is the describe type: id, string, textarea, picklist,
// multipicklist, reference, boolean, int, double, currency, percent, date, datetime, email, phone, url.
struct FieldDef {
    QString name, label, type;
    int length = 0, precision = 0, scale = 0, digits = 0;
    bool nillable = true, createable = true, updateable = true, filterable = true, sortable = true,
         groupable = true, externalId = false, idLookup = false, nameField = false, custom = false,
         unique = false, calculated = false, defaultedOnCreate = false;
    QStringList referenceTo;
    QString relationshipName;
    QStringList picklistValues;
    QString defaultValue; // picklist default or boolean "true"/"false"; empty = none

    bool isText() const;    // stored as TEXT
    bool isNumeric() const; // int/double/currency/percent
    QString soapType() const;
};

struct ChildRelDef {
    QString childSObject, field, relationshipName;
    bool cascadeDelete = false;
};

struct ObjectDef {
    QString name, label, labelPlural, keyPrefix;
    bool custom = false, queryable = true, createable = true, updateable = true, deletable = true,
         platformEvent = false;
    QList<FieldDef> fields;
    QList<ChildRelDef> childRelationships;

    const FieldDef *field(const QString &nameCaseInsensitive) const;
    const FieldDef *fieldByRelationship(const QString &relNameCi) const;
    const ChildRelDef *childRelationship(const QString &relNameCi) const;
    const FieldDef *nameFieldDef() const;
    bool hasField(const QString &nameCi) const { return field(nameCi) != nullptr; }
};

// The org's metadata, loaded from resources/schema/org.json (compiled in as a Qt resource too).
class Schema {
public:
    static std::optional<Schema> load(const QString &path, QString *error);
    static std::optional<Schema> fromJson(const QByteArray &json, QString *error);
    static Schema builtin();

    const ObjectDef *object(const QString &nameCi) const;
    const ObjectDef *objectByKeyPrefix(const QString &prefix) const;
    QList<const ObjectDef *> objects() const;

private:
    std::shared_ptr<const QList<ObjectDef>> m_objects;
    QHash<QString, int> m_byName; // lower-case name -> index
    QHash<QString, int> m_byPrefix;
};

} // namespace fs::sim
