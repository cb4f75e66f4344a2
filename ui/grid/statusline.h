#pragma once

#include <QString>
#include <QWidget>

namespace fs::ui {

// One line of status text for the record grid. GUI thread only.
//
// A QLabel asks its parent layout to recalculate on every setText(), and while a result streams
// the grid's status changes with every flush: each of those layout passes walks the whole grid
// (table, detail pane, toolbar). The status line has a constant size hint, so changing its text
// is a plain repaint of this widget; text that does not fit is elided, the whole text is in
// text() and, when set, the tooltip.
class StatusLine : public QWidget {
    Q_OBJECT
public:
    explicit StatusLine(QWidget *parent = nullptr);

    void setText(const QString &text);
    QString text() const { return m_text; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    QString m_text;
};

} // namespace fs::ui
