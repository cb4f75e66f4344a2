#pragma once

#include "api/types.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;
class QTabWidget;

namespace fs::ui {

class ChildRelationshipModel;
class DescribeCache;
class FieldListModel;
class ObjectListModel;

// The schema dock: every object with a filter box; the selected object's fields and child
// relationships. Double-click (or Enter) on an object asks for a starter query. GUI thread only.
class SchemaBrowserWidget : public QWidget {
    Q_OBJECT
public:
    explicit SchemaBrowserWidget(DescribeCache *cache, QWidget *parent = nullptr);

    void selectObject(const QString &name);
    QString currentObject() const { return m_current; }
    QTableView *objectView() const { return m_objects; }
    QTableView *fieldView() const { return m_fields; }
    QTableView *childView() const { return m_children; }
    QLineEdit *filterEdit() const { return m_filter; }
    void requestStarterQuery(const QString &object);

    // "SELECT Id, Name, …, SystemModstamp FROM X LIMIT 200" from a describe.
    static QString starterQuery(const fs::SObjectDescribe &describe);

Q_SIGNALS:
    void starterQueryRequested(const QString &soql, const QString &object);
    void objectShown(const QString &object); // its fields are on screen

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showDescribe(const QString &name);
    // Column widths as shares of the view's width, until the user drags a divider.
    void fitColumns();

    DescribeCache *m_cache = nullptr;
    ObjectListModel *m_objectModel = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    FieldListModel *m_fieldModel = nullptr;
    ChildRelationshipModel *m_childModel = nullptr;
    QLineEdit *m_filter = nullptr;
    QTableView *m_objects = nullptr;
    QTableView *m_fields = nullptr;
    QTableView *m_children = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_title = nullptr;
    QString m_current;
    QString m_pendingStarter;
    bool m_fitting = false;
    bool m_userSizedObjects = false;
    bool m_userSizedFields = false;
};

} // namespace fs::ui
