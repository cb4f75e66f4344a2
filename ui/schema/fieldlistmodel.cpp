#include "fieldlistmodel.h"

namespace fs::ui {

FieldListModel::FieldListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void FieldListModel::setDescribe(const fs::SObjectDescribe &describe)
{
    beginResetModel();
    m_fields = describe.fields;
    endResetModel();
}

void FieldListModel::clear()
{
    beginResetModel();
    m_fields.clear();
    endResetModel();
}

int FieldListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_fields.size());
}

int FieldListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString FieldListModel::detailsText(const fs::FieldDescribe &f)
{
    QStringList parts;
    if (!f.referenceTo.isEmpty()) {
        parts.append(QStringLiteral("→ ") + f.referenceTo.join(QStringLiteral(", ")));
        if (!f.relationshipName.isEmpty())
            parts.append(QObject::tr("via %1").arg(f.relationshipName));
    }
    if (!f.picklistValues.isEmpty()) {
        QStringList values;
        for (const fs::PicklistValue &v : f.picklistValues) {
            if (v.active)
                values.append(v.value);
        }
        parts.append(values.join(QStringLiteral(" | ")));
    }
    if (f.type == u"double" || f.type == u"currency" || f.type == u"percent")
        parts.append(QObject::tr("precision %1, scale %2").arg(f.precision).arg(f.scale));
    QStringList flags;
    if (f.updateable)
        flags.append(QObject::tr("updateable"));
    if (f.externalId)
        flags.append(QObject::tr("external id"));
    if (f.calculated)
        flags.append(QObject::tr("formula"));
    if (!f.nillable && f.createable)
        flags.append(QObject::tr("required"));
    if (!flags.isEmpty())
        parts.append(QLatin1Char('[') + flags.join(QStringLiteral(", ")) + QLatin1Char(']'));
    return parts.join(QStringLiteral("  "));
}

QVariant FieldListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const fs::FieldDescribe &f = m_fields.at(index.row());
    if (role == NameRole)
        return f.name;
    if (role == Qt::TextAlignmentRole && index.column() == Length)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Label:
        return f.label;
    case ApiName:
        return f.name;
    case Type:
        return f.type;
    case Length:
        return f.length > 0 ? QVariant(f.length) : QVariant(QString());
    case Details:
        return detailsText(f);
    default:
        return {};
    }
}

QVariant FieldListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Label:
        return tr("Label");
    case ApiName:
        return tr("API name");
    case Type:
        return tr("Type");
    case Length:
        return tr("Length");
    case Details:
        return tr("Values / references");
    default:
        return {};
    }
}

ChildRelationshipModel::ChildRelationshipModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ChildRelationshipModel::setDescribe(const fs::SObjectDescribe &describe)
{
    beginResetModel();
    m_rels.clear();
    for (const fs::ChildRelationship &r : describe.childRelationships) {
        if (!r.relationshipName.isEmpty())
            m_rels.append(r);
    }
    endResetModel();
}

void ChildRelationshipModel::clear()
{
    beginResetModel();
    m_rels.clear();
    endResetModel();
}

int ChildRelationshipModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rels.size());
}

int ChildRelationshipModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 3;
}

QVariant ChildRelationshipModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    const fs::ChildRelationship &r = m_rels.at(index.row());
    switch (index.column()) {
    case 0:
        return r.relationshipName;
    case 1:
        return r.childSObject;
    case 2:
        return r.field;
    default:
        return {};
    }
}

QVariant ChildRelationshipModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case 0:
        return tr("Relationship");
    case 1:
        return tr("Child object");
    case 2:
        return tr("Field");
    default:
        return {};
    }
}

} // namespace fs::ui
