#pragma once

#include "api/types.h"

#include <QAbstractTableModel>

namespace fs::ui {

// describeGlobal as a table (API name, label, custom). A few hundred rows: a QSortFilterProxyModel
// on top is fine here. GUI thread only.
class ObjectListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role { NameRole = Qt::UserRole + 1 };
    explicit ObjectListModel(QObject *parent = nullptr);

    void setObjects(const QList<fs::SObjectSummary> &objects);
    const fs::SObjectSummary *object(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<fs::SObjectSummary> m_objects;
};

} // namespace fs::ui
