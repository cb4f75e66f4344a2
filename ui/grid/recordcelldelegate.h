#pragma once

#include <QStyledItemDelegate>

namespace fs::ui {

// Paints the record grid's cells. GUI thread only.
//
// QStyledItemDelegate asks the model for about eight roles per cell and hands the cell to the
// style, which lays the text out with QTextLayout (line breaking, then elision) on every paint:
// at 25 rows by a dozen columns that was most of a viewport paint, and while a result streams
// the grid repaints after every flush. Record cells are one line of plain text: this delegate
// asks for the three roles it needs in one multiData() call, draws the background, elides only
// text that does not fit, and draws it once. Editing (editors, setModelData) is inherited.
class RecordCellDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit RecordCellDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace fs::ui
