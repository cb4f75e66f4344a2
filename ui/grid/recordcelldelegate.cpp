#include "recordcelldelegate.h"

#include "recordtablemodel.h"

#include "api/recordbatch.h"

#include <QPainter>
#include <QStyle>
#include <QStyleOptionFocusRect>
#include <QWidget>

#include <array>

namespace fs::ui {

RecordCellDelegate::RecordCellDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void RecordCellDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    std::array<QModelRoleData, 3> roles { QModelRoleData(Qt::DisplayRole), QModelRoleData(RecordTableModel::CellTypeRole),
        QModelRoleData(RecordTableModel::PendingRole) };
    index.multiData(roles);
    QString text = roles[0].data().toString();
    const auto type = fs::RecordBatch::CellType(roles[1].data().toInt());
    const bool pending = roles[2].data().toBool();

    const bool selected = option.state.testFlag(QStyle::State_Selected);
    QPalette::ColorGroup group = QPalette::Normal;
    if (!option.state.testFlag(QStyle::State_Enabled))
        group = QPalette::Disabled;
    else if (!option.state.testFlag(QStyle::State_Active))
        group = QPalette::Inactive;
    const QPalette &pal = option.palette;

    // The view has painted the (alternating) row background already.
    if (selected) {
        painter->fillRect(option.rect, pal.brush(group, QPalette::Highlight));
    } else if (pending) {
        QColor tint = pal.color(group, QPalette::Highlight);
        tint.setAlpha(70); // the model's pending tint: follows light and dark themes
        painter->fillRect(option.rect, tint);
    }

    if (!text.isEmpty()) {
        QColor pen = pal.color(group, selected ? QPalette::HighlightedText : QPalette::Text);
        if (!selected && type == fs::RecordBatch::CellType::Child)
            pen = pal.color(group, QPalette::Link);
        QFont font = option.font;
        if (type == fs::RecordBatch::CellType::Child)
            font.setUnderline(true);
        if (pending)
            font.setBold(true);
        const bool plainFont = font == option.font;
        const QFontMetrics metrics = plainFont ? option.fontMetrics : QFontMetrics(font);
        // One line per cell, as QStyledItemDelegate shows it.
        if (text.contains(QLatin1Char('\n')) || text.contains(QLatin1Char('\r'))) {
            text.replace(QLatin1Char('\r'), QLatin1Char(' '));
            text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        }
        const QStyle *style = option.widget ? option.widget->style() : nullptr;
        const int margin = (style ? style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, option.widget) : 2) + 1;
        const QRect area = option.rect.adjusted(margin, 0, -margin, 0);
        const bool rightAligned = type == fs::RecordBatch::CellType::Number;
        painter->save();
        painter->setPen(pen);
        if (!plainFont)
            painter->setFont(font);
        if (option.direction == Qt::RightToLeft) {
            if (metrics.horizontalAdvance(text) > area.width())
                text = metrics.elidedText(text, Qt::ElideRight, area.width());
            const Qt::Alignment align = (rightAligned ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignVCenter;
            painter->drawText(area, int(align) | Qt::TextSingleLine, text);
        } else {
            // Drawn at a point: one shaping of the text, no QTextLayout line breaking. Text is
            // measured only when it might not fit (or to right-align a number).
            int advance = -1;
            if (qsizetype(metrics.maxWidth()) * text.size() > area.width()) {
                advance = metrics.horizontalAdvance(text);
                if (advance > area.width()) {
                    text = metrics.elidedText(text, Qt::ElideRight, area.width());
                    advance = metrics.horizontalAdvance(text);
                }
            }
            if (rightAligned && advance < 0)
                advance = metrics.horizontalAdvance(text);
            const int x = rightAligned ? area.right() + 1 - advance : area.left();
            const int y = area.top() + (area.height() - metrics.height()) / 2 + metrics.ascent();
            painter->drawText(QPoint(x, y), text);
        }
        painter->restore();
    }

    if (option.state.testFlag(QStyle::State_HasFocus) && option.widget) {
        QStyleOptionFocusRect focus;
        focus.QStyleOption::operator=(option);
        focus.rect = option.rect;
        focus.state |= QStyle::State_KeyboardFocusChange;
        focus.backgroundColor = pal.color(group, selected ? QPalette::Highlight : QPalette::Base);
        option.widget->style()->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, painter, option.widget);
    }
}

} // namespace fs::ui
