#include "schema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace fs::sim {

namespace {

const QStringList kTextTypes { QStringLiteral("id"), QStringLiteral("string"), QStringLiteral("textarea"),
    QStringLiteral("picklist"), QStringLiteral("multipicklist"), QStringLiteral("reference"), QStringLiteral("date"),
    QStringLiteral("datetime"), QStringLiteral("email"), QStringLiteral("phone"), QStringLiteral("url") };
const QStringList kKnownTypes = kTextTypes
    + QStringList { QStringLiteral("boolean"), QStringLiteral("int"), QStringLiteral("double"), QStringLiteral("currency"),
          QStringLiteral("percent") };

// Type-driven defaults, then explicit keys from the file win.
FieldDef makeField(const QJsonObject &o, bool objectCustom)
{
    FieldDef f;
    f.name = o.value(u"name").toString();
    f.type = o.value(u"type").toString();
    f.label = o.value(u"label").toString();
    if (f.label.isEmpty()) {
        QString l = f.name;
        if (l.endsWith(u"__c"))
            l.chop(3);
        l.replace(u'_', u' ');
        f.label = l;
    }
    const QString &t = f.type;
    if (t == u"id" || t == u"reference")
        f.length = 18;
    else if (t == u"string" || t == u"picklist" || t == u"email" || t == u"url")
        f.length = 255;
    else if (t == u"textarea")
        f.length = 255;
    else if (t == u"phone")
        f.length = 40;
    else if (t == u"multipicklist")
        f.length = 4099;
    if (t == u"int")
        f.digits = 9;
    if (t == u"double" || t == u"currency" || t == u"percent") {
        f.precision = 18;
        f.scale = 2;
    }
    f.custom = o.value(u"custom").toBool(false);
    if (t == u"multipicklist" || t == u"textarea") {
        f.sortable = (t == u"textarea" && o.value(u"length").toInt(255) <= 255);
        f.groupable = false;
        f.filterable = (t == u"multipicklist" || o.value(u"length").toInt(255) <= 255);
    }
    if (t == u"double" || t == u"currency" || t == u"percent" || t == u"datetime")
        f.groupable = false;
    if (t == u"boolean") {
        f.nillable = false;
        f.defaultedOnCreate = true;
    }
    f.length = o.value(u"length").toInt(f.length);
    f.precision = o.value(u"precision").toInt(f.precision);
    f.scale = o.value(u"scale").toInt(f.scale);
    f.digits = o.value(u"digits").toInt(f.digits);
    auto flag = [&o](const char16_t *key, bool &dst) {
        const QJsonValue v = o.value(QStringView(key));
        if (v.isBool())
            dst = v.toBool();
    };
    flag(u"nillable", f.nillable);
    flag(u"createable", f.createable);
    flag(u"updateable", f.updateable);
    flag(u"filterable", f.filterable);
    flag(u"sortable", f.sortable);
    flag(u"groupable", f.groupable);
    flag(u"externalId", f.externalId);
    flag(u"idLookup", f.idLookup);
    flag(u"nameField", f.nameField);
    flag(u"unique", f.unique);
    flag(u"calculated", f.calculated);
    flag(u"defaultedOnCreate", f.defaultedOnCreate);
    for (const QJsonValue &v : o.value(u"referenceTo").toArray())
        f.referenceTo << v.toString();
    f.relationshipName = o.value(u"relationshipName").toString();
    for (const QJsonValue &v : o.value(u"picklist").toArray())
        f.picklistValues << v.toString();
    f.defaultValue = o.value(u"defaultValue").toString();
    if (f.calculated) {
        f.createable = false;
        f.updateable = false;
    }
    Q_UNUSED(objectCustom)
    return f;
}

FieldDef systemField(const QString &name, const QString &type, const QString &label)
{
    FieldDef f;
    f.name = name;
    f.type = type;
    f.label = label;
    f.createable = false;
    f.updateable = false;
    f.nillable = false;
    f.defaultedOnCreate = true;
    if (type == u"id" || type == u"reference")
        f.length = 18;
    if (type == u"datetime" || type == u"boolean")
        f.groupable = type == u"boolean";
    return f;
}

FieldDef referenceSystemField(const QString &name, const QString &rel, const QString &label)
{
    FieldDef f = systemField(name, QStringLiteral("reference"), label);
    f.referenceTo = { QStringLiteral("User") };
    f.relationshipName = rel;
    return f;
}

} // namespace

bool FieldDef::isText() const
{
    return kTextTypes.contains(type);
}

bool FieldDef::isNumeric() const
{
    return type == u"int" || type == u"double" || type == u"currency" || type == u"percent";
}

QString FieldDef::soapType() const
{
    if (type == u"id" || type == u"reference")
        return QStringLiteral("tns:ID");
    if (type == u"boolean")
        return QStringLiteral("xsd:boolean");
    if (type == u"int")
        return QStringLiteral("xsd:int");
    if (type == u"double" || type == u"currency" || type == u"percent")
        return QStringLiteral("xsd:double");
    if (type == u"date")
        return QStringLiteral("xsd:date");
    if (type == u"datetime")
        return QStringLiteral("xsd:dateTime");
    return QStringLiteral("xsd:string");
}

const FieldDef *ObjectDef::field(const QString &nameCaseInsensitive) const
{
    for (const FieldDef &f : fields) {
        if (f.name.compare(nameCaseInsensitive, Qt::CaseInsensitive) == 0)
            return &f;
    }
    return nullptr;
}

const FieldDef *ObjectDef::fieldByRelationship(const QString &relNameCi) const
{
    for (const FieldDef &f : fields) {
        if (!f.relationshipName.isEmpty() && f.relationshipName.compare(relNameCi, Qt::CaseInsensitive) == 0)
            return &f;
    }
    return nullptr;
}

const ChildRelDef *ObjectDef::childRelationship(const QString &relNameCi) const
{
    for (const ChildRelDef &c : childRelationships) {
        if (c.relationshipName.compare(relNameCi, Qt::CaseInsensitive) == 0)
            return &c;
    }
    return nullptr;
}

const FieldDef *ObjectDef::nameFieldDef() const
{
    for (const FieldDef &f : fields) {
        if (f.nameField)
            return &f;
    }
    return nullptr;
}

std::optional<Schema> Schema::load(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = QStringLiteral("cannot read schema file %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return fromJson(file.readAll(), error);
}

std::optional<Schema> Schema::fromJson(const QByteArray &json, QString *error)
{
    auto fail = [error](const QString &msg) -> std::optional<Schema> {
        if (error)
            *error = msg;
        return std::nullopt;
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (pe.error != QJsonParseError::NoError || !doc.isObject())
        return fail(QStringLiteral("schema is not a JSON object: %1").arg(pe.errorString()));

    auto objects = std::make_shared<QList<ObjectDef>>();
    struct PendingChild {
        QString parent;
        ChildRelDef rel;
    };
    QList<PendingChild> children;
    for (const QJsonValue &ov : doc.object().value(u"objects").toArray()) {
        const QJsonObject o = ov.toObject();
        ObjectDef obj;
        obj.name = o.value(u"name").toString();
        if (obj.name.isEmpty())
            return fail(QStringLiteral("schema object without a name"));
        obj.label = o.value(u"label").toString(obj.name);
        obj.labelPlural = o.value(u"labelPlural").toString(obj.label + u's');
        obj.keyPrefix = o.value(u"keyPrefix").toString();
        if (obj.keyPrefix.size() != 3)
            return fail(QStringLiteral("object %1 needs a 3-character keyPrefix").arg(obj.name));
        obj.custom = o.value(u"custom").toBool(false);
        obj.platformEvent = o.value(u"platformEvent").toBool(false);
        obj.queryable = o.value(u"queryable").toBool(!obj.platformEvent);
        obj.createable = o.value(u"createable").toBool(true);
        obj.updateable = o.value(u"updateable").toBool(!obj.platformEvent);
        obj.deletable = o.value(u"deletable").toBool(!obj.platformEvent);

        FieldDef id = systemField(QStringLiteral("Id"), QStringLiteral("id"), obj.label + QStringLiteral(" ID"));
        id.idLookup = true;
        id.label = QStringLiteral("Record ID");
        obj.fields << id;
        if (!obj.platformEvent) {
            obj.fields << systemField(QStringLiteral("IsDeleted"), QStringLiteral("boolean"), QStringLiteral("Deleted"));
        }
        for (const QJsonValue &fv : o.value(u"fields").toArray()) {
            FieldDef f = makeField(fv.toObject(), obj.custom);
            if (f.name.isEmpty() || !kKnownTypes.contains(f.type))
                return fail(QStringLiteral("object %1: field %2 has unknown type '%3'").arg(obj.name, f.name, f.type));
            const QString childRel = fv.toObject().value(u"childRelationship").toString();
            if (f.type == u"reference" && !childRel.isEmpty()) {
                for (const QString &target : f.referenceTo)
                    children.append({ target,
                        ChildRelDef { obj.name, f.name, childRel, fv.toObject().value(u"cascadeDelete").toBool(false) } });
            }
            obj.fields << f;
        }
        if (o.value(u"owner").toBool(false)) {
            FieldDef owner = referenceSystemField(QStringLiteral("OwnerId"), QStringLiteral("Owner"), QStringLiteral("Owner ID"));
            owner.createable = true;
            owner.updateable = true;
            obj.fields << owner;
        }
        obj.fields << systemField(QStringLiteral("CreatedDate"), QStringLiteral("datetime"), QStringLiteral("Created Date"))
                   << referenceSystemField(QStringLiteral("CreatedById"), QStringLiteral("CreatedBy"), QStringLiteral("Created By ID"));
        if (obj.platformEvent) {
            FieldDef uuid = systemField(QStringLiteral("EventUuid"), QStringLiteral("string"), QStringLiteral("Event UUID"));
            uuid.length = 36;
            uuid.nillable = true;
            FieldDef replay = systemField(QStringLiteral("ReplayId"), QStringLiteral("string"), QStringLiteral("Replay ID"));
            replay.nillable = true;
            obj.fields << uuid << replay;
        } else {
            obj.fields << systemField(QStringLiteral("LastModifiedDate"), QStringLiteral("datetime"), QStringLiteral("Last Modified Date"))
                       << referenceSystemField(QStringLiteral("LastModifiedById"), QStringLiteral("LastModifiedBy"),
                              QStringLiteral("Last Modified By ID"))
                       << systemField(QStringLiteral("SystemModstamp"), QStringLiteral("datetime"), QStringLiteral("System Modstamp"));
        }
        objects->append(obj);
    }

    Schema schema;
    for (int i = 0; i < objects->size(); ++i) {
        schema.m_byName.insert(objects->at(i).name.toLower(), i);
        schema.m_byPrefix.insert(objects->at(i).keyPrefix, i);
    }
    for (const PendingChild &pc : children) {
        const auto it = schema.m_byName.constFind(pc.parent.toLower());
        if (it == schema.m_byName.constEnd())
            return fail(QStringLiteral("reference to unknown object %1").arg(pc.parent));
        (*objects)[*it].childRelationships.append(pc.rel);
    }
    schema.m_objects = std::move(objects);
    return schema;
}

Schema Schema::builtin()
{
    static const Schema s = [] {
        QString error;
        auto loaded = load(QStringLiteral(":/forcescope/schema/org.json"), &error);
        if (!loaded)
            qFatal("built-in schema is broken: %s", qPrintable(error));
        return *loaded;
    }();
    return s;
}

const ObjectDef *Schema::object(const QString &nameCi) const
{
    const auto it = m_byName.constFind(nameCi.toLower());
    return it == m_byName.constEnd() ? nullptr : &m_objects->at(*it);
}

const ObjectDef *Schema::objectByKeyPrefix(const QString &prefix) const
{
    const auto it = m_byPrefix.constFind(prefix);
    return it == m_byPrefix.constEnd() ? nullptr : &m_objects->at(*it);
}

QList<const ObjectDef *> Schema::objects() const
{
    QList<const ObjectDef *> out;
    if (!m_objects)
        return out;
    for (const ObjectDef &o : *m_objects)
        out << &o;
    return out;
}

} // namespace fs::sim
