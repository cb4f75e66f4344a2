#pragma once

#include <QHeaderView>

namespace fs::ui {

// Vertical header of the record grid: row numbers, uniform heights. GUI thread only.
//
// QHeaderView::sizeHint() measures the first and last 100 sections through the style each time
// rows are inserted, and the table asks for it on every geometry update: while a result streams
// that is a steady cost per page. The numbers are digits only, so the width follows from how
// many digits the last row number has; it is measured once per digit count.
class RowNumberHeader : public QHeaderView {
    Q_OBJECT
public:
    explicit RowNumberHeader(QWidget *parent = nullptr);

    QSize sizeHint() const override;

protected:
    void changeEvent(QEvent *event) override;

private:
    mutable int m_digits = -1;
    mutable QSize m_hint;
};

} // namespace fs::ui
