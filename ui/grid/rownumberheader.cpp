#include "rownumberheader.h"

#include <QEvent>
#include <QStyle>
#include <QStyleOptionHeader>

#include <algorithm>

namespace fs::ui {

RowNumberHeader::RowNumberHeader(QWidget *parent)
    : QHeaderView(Qt::Vertical, parent)
{
    setObjectName(QStringLiteral("rowNumbers"));
    setSectionResizeMode(QHeaderView::Fixed);
    setSectionsClickable(true); // as QTableView's own header: a click selects the row
    setHighlightSections(true);
    setDefaultAlignment(Qt::AlignRight | Qt::AlignVCenter);
}

QSize RowNumberHeader::sizeHint() const
{
    const int rows = std::max(count(), 1);
    int digits = 1;
    for (int n = rows; n >= 10; n /= 10)
        ++digits;
    if (digits != m_digits || !m_hint.isValid()) {
        // Measure a section showing the widest number of this many digits, through the style.
        QStyleOptionHeader opt;
        initStyleOption(&opt);
        opt.section = 0;
        opt.text = QString(digits, QLatin1Char('0'));
        opt.fontMetrics = fontMetrics();
        const QSize text = fontMetrics().size(0, opt.text);
        m_hint = style()->sizeFromContents(QStyle::CT_HeaderSection, &opt, text, this);
        m_hint.setHeight(defaultSectionSize());
        m_digits = digits;
    }
    return m_hint;
}

void RowNumberHeader::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::FontChange || event->type() == QEvent::StyleChange)
        m_hint = QSize(); // measure again with the new font or style
    QHeaderView::changeEvent(event);
}

} // namespace fs::ui
