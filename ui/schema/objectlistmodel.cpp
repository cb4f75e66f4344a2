#include "objectlistmodel.h"

#include <algorithm>

namespace fs::ui {

ObjectListModel::ObjectListModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void ObjectListModel::setObjects(const QList<fs::SObjectSummary> &objects)
{
    beginResetModel();
    m_objects = objects;
    std::sort(m_objects.begin(), m_objects.end(), [](const fs::SObjectSummary &a, const fs::SObjectSummary &b) {
        return QString::compare(a.name, b.name, Qt::CaseInsensitive) < 0;
    });
    endResetModel();
}

const fs::SObjectSummary *ObjectListModel::object(int row) const
{
    return row >= 0 && row < m_objects.size() ? &m_objects.at(row) : nullptr;
}

int ObjectListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_objects.size());
}

int ObjectListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant ObjectListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const fs::SObjectSummary &o = m_objects.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == 0 ? o.name : o.label;
    case Qt::ToolTipRole:
        return tr("%1 (%2)%3").arg(o.label, o.name, o.custom ? tr(", custom") : QString());
    case NameRole:
        return o.name;
    default:
        return {};
    }
}

QVariant ObjectListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case 0:
        return tr("Object");
    case 1:
        return tr("Label");
    default:
        return {};
    }
}

} // namespace fs::ui
