#include "recordtableview.h"

#include <QHeaderView>

#include <algorithm>

namespace fs::ui {

RecordTableView::RecordTableView(QWidget *parent)
    : QTableView(parent)
{
}

void RecordTableView::setModel(QAbstractItemModel *model)
{
    if (QAbstractItemModel *old = this->model())
        disconnect(old, nullptr, this, nullptr);
    QTableView::setModel(model);
    markOtherChange();
    if (!model)
        return;
    // Everything but an append goes through QTableView's full layout and repaint.
    connect(model, &QAbstractItemModel::modelAboutToBeReset, this, &RecordTableView::markOtherChange);
    connect(model, &QAbstractItemModel::layoutAboutToBeChanged, this, &RecordTableView::markOtherChange);
    connect(model, &QAbstractItemModel::rowsAboutToBeRemoved, this, &RecordTableView::markOtherChange);
    connect(model, &QAbstractItemModel::rowsAboutToBeMoved, this, &RecordTableView::markOtherChange);
    connect(model, &QAbstractItemModel::columnsAboutToBeInserted, this, &RecordTableView::markOtherChange);
    connect(model, &QAbstractItemModel::columnsAboutToBeRemoved, this, &RecordTableView::markOtherChange);
    connect(model, &QAbstractItemModel::columnsAboutToBeMoved, this, &RecordTableView::markOtherChange);
}

void RecordTableView::rowsInserted(const QModelIndex &parent, int start, int end)
{
    if (!parent.isValid() && model() && end == model()->rowCount() - 1) {
        if (m_appendedFrom < 0 || start < m_appendedFrom)
            m_appendedFrom = start;
    } else {
        markOtherChange();
    }
    QTableView::rowsInserted(parent, start, end);
}

void RecordTableView::doItemsLayout()
{
    const int appendedFrom = m_appendedFrom;
    const bool appendOnly = appendedFrom >= 0 && !m_otherChange && model();
    m_appendedFrom = -1;
    m_otherChange = false;
    if (!appendOnly || !isVisible()) {
        ++m_fullLayouts;
        QTableView::doItemsLayout();
        return;
    }
    ++m_appendLayouts;
    updateGeometries(); // scroll range, header width and geometry; no repaint of the rows
    // The appended rows that are on screen (the viewport was not full, or it shows the end).
    const int top = std::max(0, rowViewportPosition(appendedFrom));
    const QRect area = viewport()->rect();
    if (top < area.height())
        viewport()->update(QRect(0, top, area.width(), area.height() - top));
}

} // namespace fs::ui
