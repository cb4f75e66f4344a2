#pragma once

#include "api/types.h"

#include <QAbstractTableModel>

namespace fs::ui {

// The fields of one describe: label, API name, type, length, details (picklist values or
// relationship targets). GUI thread only.
class FieldListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Label, ApiName, Type, Length, Details, ColumnCount };
    enum Role { NameRole = Qt::UserRole + 1 };

    explicit FieldListModel(QObject *parent = nullptr);
    void setDescribe(const fs::SObjectDescribe &describe);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString detailsText(const fs::FieldDescribe &field);

private:
    QList<fs::FieldDescribe> m_fields;
};

// Child relationships of one describe: relationship name, child object, field.
class ChildRelationshipModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit ChildRelationshipModel(QObject *parent = nullptr);
    void setDescribe(const fs::SObjectDescribe &describe);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<fs::ChildRelationship> m_rels;
};

} // namespace fs::ui
