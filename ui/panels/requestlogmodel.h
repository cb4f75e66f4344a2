#pragma once

#include "api/types.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace fs::ui {

// The sanitized request log as a bounded table (oldest rows dropped beyond the capacity).
// Entries are queued and flushed about every 100 ms in one insert, so a burst of requests costs
// the view one update. GUI thread only.
class RequestLogModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Time, Method, Path, Status, Duration, Attempt, Error, ColumnCount };

    explicit RequestLogModel(QObject *parent = nullptr);

    void setCapacity(int rows) { m_capacity = std::max(1, rows); }
    int capacity() const { return m_capacity; }
    qint64 dropped() const { return m_dropped; }

    void append(const fs::RequestLogEntry &entry); // queued; flushed by timer
    void flush();
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<fs::RequestLogEntry> m_rows;
    QList<fs::RequestLogEntry> m_queue;
    QTimer m_timer;
    int m_capacity = 5000;
    qint64 m_dropped = 0;
};

} // namespace fs::ui
