#include "requestlogmodel.h"

#include <QApplication>
#include <QPalette>

namespace fs::ui {

RequestLogModel::RequestLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &RequestLogModel::flush);
}

void RequestLogModel::append(const fs::RequestLogEntry &entry)
{
    m_queue.append(entry);
    if (!m_timer.isActive())
        m_timer.start();
}

void RequestLogModel::flush()
{
    if (m_queue.isEmpty())
        return;
    QList<fs::RequestLogEntry> queue;
    queue.swap(m_queue);
    if (queue.size() > m_capacity) {
        m_dropped += queue.size() - m_capacity;
        queue = queue.mid(queue.size() - m_capacity);
    }
    const int overflow = int(m_rows.size() + queue.size()) - m_capacity;
    if (overflow > 0) {
        beginRemoveRows({}, 0, overflow - 1);
        m_rows.remove(0, overflow);
        m_dropped += overflow;
        endRemoveRows();
    }
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + queue.size()) - 1);
    m_rows += queue;
    endInsertRows();
}

void RequestLogModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_queue.clear();
    m_dropped = 0;
    endResetModel();
}

int RequestLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RequestLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RequestLogModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const fs::RequestLogEntry &e = m_rows.at(index.row());
    if (role == Qt::ForegroundRole && (e.status >= 400 || e.status == 0) && index.column() == Status)
        return QApplication::palette().color(QPalette::Link);
    if (role == Qt::TextAlignmentRole && (index.column() == Status || index.column() == Duration || index.column() == Attempt))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Time:
        return e.when.toLocalTime().toString(QStringLiteral("HH:mm:ss.zzz"));
    case Method:
        return e.method;
    case Path:
        return e.path;
    case Status:
        return e.status == 0 ? QVariant(tr("—")) : QVariant(e.status);
    case Duration:
        return QString::number(e.durationMs, 'f', 1);
    case Attempt:
        return e.attempt;
    case Error:
        return e.errorCode;
    default:
        return {};
    }
}

QVariant RequestLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return tr("Time");
    case Method:
        return tr("Method");
    case Path:
        return tr("Path");
    case Status:
        return tr("Status");
    case Duration:
        return tr("ms");
    case Attempt:
        return tr("Try");
    case Error:
        return tr("Error");
    default:
        return {};
    }
}

} // namespace fs::ui
