#pragma once

#include <QTableView>

namespace fs::ui {

// The record grid's table view. GUI thread only.
//
// QTableView answers every row insertion with a delayed items layout, and that layout repaints
// the whole viewport. While a result streams, pages are appended below the rows on screen many
// times a second: the scroll range and the row-number header change, the painted rows do not.
// When the only change since the last layout is rows appended at the end, this view updates
// the geometry (scroll bar, header) and repaints only the part of the viewport where appended
// rows are visible (nothing when they are below it). Any other change takes QTableView's path.
class RecordTableView : public QTableView {
    Q_OBJECT
public:
    explicit RecordTableView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;
    void doItemsLayout() override;

    // Layouts since construction that repainted the whole viewport / took the append path.
    int fullLayouts() const { return m_fullLayouts; }
    int appendLayouts() const { return m_appendLayouts; }

protected Q_SLOTS:
    void rowsInserted(const QModelIndex &parent, int start, int end) override;

private:
    void markOtherChange() { m_otherChange = true; }

    int m_appendedFrom = -1; // first row appended since the last layout (-1: none)
    bool m_otherChange = false; // something else changed since the last layout
    int m_fullLayouts = 0;
    int m_appendLayouts = 0;
};

} // namespace fs::ui
