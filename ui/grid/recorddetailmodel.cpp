#include "recorddetailmodel.h"

#include "recordtablemodel.h"

namespace fs::ui {

RecordDetailModel::RecordDetailModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void RecordDetailModel::setRecord(const RecordTableModel *source, int viewRow)
{
    beginResetModel();
    m_fields.clear();
    m_values.clear();
    if (source && viewRow >= 0 && viewRow < source->rowCount()) {
        m_fields = source->columns();
        for (int c = 0; c < m_fields.size(); ++c)
            m_values.append(source->cellText(viewRow, c));
    }
    endResetModel();
}

int RecordDetailModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_fields.size());
}

int RecordDetailModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant RecordDetailModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    return index.column() == 0 ? m_fields.at(index.row()) : m_values.at(index.row());
}

QVariant RecordDetailModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    if (section == 0)
        return tr("Field");
    if (section == 1)
        return tr("Value");
    return {};
}

} // namespace fs::ui
