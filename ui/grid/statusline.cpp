#include "statusline.h"

#include <QEvent>
#include <QFontMetrics>
#include <QPainter>
#include <QStyle>

namespace fs::ui {

StatusLine::StatusLine(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setAttribute(Qt::WA_OpaquePaintEvent, false);
}

void StatusLine::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    update(); // no updateGeometry(): the size hint does not depend on the text
}

QSize StatusLine::sizeHint() const
{
    const QFontMetrics fm(font());
    return { fm.averageCharWidth() * 40, fm.height() + 4 };
}

QSize StatusLine::minimumSizeHint() const
{
    const QFontMetrics fm(font());
    return { fm.averageCharWidth() * 8, fm.height() + 4 };
}

void StatusLine::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRect area = rect().adjusted(2, 0, -2, 0);
    const QString shown = fontMetrics().elidedText(m_text, Qt::ElideRight, area.width());
    style()->drawItemText(&painter, area, int(Qt::AlignLeft | Qt::AlignVCenter), palette(), isEnabled(), shown,
        QPalette::WindowText);
}

void StatusLine::changeEvent(QEvent *event)
{
    // A new font changes the hint; that is the only time the layout needs to hear about it.
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        updateGeometry();
    QWidget::changeEvent(event);
}

} // namespace fs::ui
