#pragma once

#include "api/recordbatch.h"

#include <QAbstractTableModel>

namespace fs::ui {

class RecordTableModel;

// Every field of one record (field, value), for the detail pane. GUI thread only.
class RecordDetailModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit RecordDetailModel(QObject *parent = nullptr);

    // Shows the record at `viewRow` of `source` (nullptr or -1 clears).
    void setRecord(const RecordTableModel *source, int viewRow);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QStringList m_fields;
    QStringList m_values;
};

} // namespace fs::ui
