#include "recordtablemodel.h"

#include <QApplication>
#include <QFont>
#include <QFuture>
#include <QFutureWatcher>
#include <QPalette>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <numeric>

namespace fs::ui {

namespace {

// Everything a worker needs to read cells: copies of implicitly shared containers (O(1)).
struct Snapshot {
    QVector<fs::RecordBatch> batches;
    QVector<int> offsets;
    QVector<QVector<int>> maps;
    int rows = 0;

    void locate(int sourceRow, int &b, int &r) const
    {
        auto it = std::upper_bound(offsets.cbegin(), offsets.cend(), sourceRow);
        b = int(it - offsets.cbegin()) - 1;
        r = sourceRow - offsets.at(b);
    }

    bool matches(int b, int r, const QString &filter) const
    {
        if (filter.isEmpty())
            return true;
        const fs::RecordBatch &batch = batches.at(b);
        const QVector<int> &map = maps.at(b);
        for (int c = 0; c < map.size(); ++c) {
            const int bc = map.at(c);
            if (bc >= 0 && batch.text(r, bc).contains(filter, Qt::CaseInsensitive))
                return true;
        }
        return false;
    }
};

struct SortKey {
    double number = 0;
    QString text;
    int kind = 0; // 0 null, 1 number, 2 text
};

SortKey keyOf(const Snapshot &s, int src, int column)
{
    SortKey k;
    int b = 0;
    int r = 0;
    s.locate(src, b, r);
    const int bc = s.maps.at(b).at(column);
    if (bc < 0)
        return k;
    const fs::RecordBatch &batch = s.batches.at(b);
    switch (batch.cellType(r, bc)) {
    case fs::RecordBatch::CellType::Null:
        break;
    case fs::RecordBatch::CellType::Number:
        k.kind = 1;
        k.number = batch.number(r, bc);
        break;
    case fs::RecordBatch::CellType::Child:
        k.kind = 1;
        k.number = double(batch.child(r, bc).totalSize());
        break;
    default:
        k.kind = 2;
        k.text = batch.text(r, bc);
        break;
    }
    return k;
}

// Strict weak order of the grid: numbers before text, nulls last in either direction.
bool keyLess(const SortKey &a, const SortKey &b, bool asc)
{
    if (a.kind == 0 || b.kind == 0)
        return a.kind != 0 && b.kind == 0;
    int cmp = 0;
    if (a.kind == 1 && b.kind == 1)
        cmp = a.number < b.number ? -1 : (a.number > b.number ? 1 : 0);
    else if (a.kind != b.kind)
        cmp = a.kind < b.kind ? -1 : 1;
    else
        cmp = QString::compare(a.text, b.text, Qt::CaseInsensitive);
    return asc ? cmp < 0 : cmp > 0;
}

// Source rows [from, to) that pass the filter, in arrival order.
QVector<int> filterRows(const Snapshot &s, int from, int to, const QString &filter)
{
    QVector<int> rows;
    rows.reserve(to - from);
    if (from >= to)
        return rows;
    int b = 0;
    int r = 0;
    s.locate(from, b, r);
    for (int src = from; src < to; ++src, ++r) {
        while (r >= s.batches.at(b).rowCount()) {
            ++b;
            r = 0;
        }
        if (s.matches(b, r, filter))
            rows.append(src);
    }
    return rows;
}

// Stable sort of source rows (ties keep arrival order).
void sortRows(const Snapshot &s, QVector<int> &rows, int sortColumn, Qt::SortOrder order)
{
    QVector<SortKey> keys;
    keys.reserve(rows.size());
    for (int src : std::as_const(rows))
        keys.append(keyOf(s, src, sortColumn));
    QVector<int> idx(rows.size());
    std::iota(idx.begin(), idx.end(), 0);
    const bool asc = order == Qt::AscendingOrder;
    std::stable_sort(idx.begin(), idx.end(), [&keys, asc](int a, int b) { return keyLess(keys.at(a), keys.at(b), asc); });
    QVector<int> sorted;
    sorted.reserve(rows.size());
    for (int i : std::as_const(idx))
        sorted.append(rows.at(i));
    rows = std::move(sorted);
}

bool validColumn(const Snapshot &s, int column)
{
    return column >= 0 && !s.maps.isEmpty() && column < s.maps.first().size();
}

// Full arrangement of the first s.rows source rows (worker thread).
QVector<int> arrange(const Snapshot &s, int sortColumn, Qt::SortOrder order, const QString &filter)
{
    QVector<int> rows = filterRows(s, 0, s.rows, filter);
    if (validColumn(s, sortColumn))
        sortRows(s, rows, sortColumn, order);
    return rows;
}

// Late rows merged into an arranged view (built on a worker thread, applied on the GUI thread).
struct MergeResult {
    int oldSize = 0; // rows in the view the merge started from
    int to = 0; // source rows [0, to) are now arranged
    QVector<int> appended; // old view + the new rows (filtered, sorted) at its end: the insert step
    QVector<int> merged; // the new rows at their sorted places: the layout step (empty: no move)
    QVector<int> positions; // per new row, in appended order: the old view row it lands before
};

MergeResult mergeRows(const Snapshot &s, const QVector<int> &old, int from, int sortColumn,
    Qt::SortOrder order, const QString &filter)
{
    MergeResult m;
    m.oldSize = int(old.size());
    m.to = s.rows;
    QVector<int> run = filterRows(s, from, s.rows, filter);
    m.appended.reserve(old.size() + run.size());
    m.appended += old;
    if (run.isEmpty() || !validColumn(s, sortColumn)) {
        m.appended += run;
        return m;
    }
    sortRows(s, run, sortColumn, order);
    m.appended += run;
    // Each new row goes after the old rows that sort before or equal to it (new rows arrived
    // later, so this is what a stable sort of everything would give). The run is sorted, so
    // each search starts where the previous one landed.
    const bool asc = order == Qt::AscendingOrder;
    m.positions.reserve(run.size());
    auto lo = old.cbegin();
    for (int src : std::as_const(run)) {
        const SortKey key = keyOf(s, src, sortColumn);
        lo = std::upper_bound(lo, old.cend(), key,
            [&s, sortColumn, asc](const SortKey &k, int oldSrc) { return keyLess(k, keyOf(s, oldSrc, sortColumn), asc); });
        m.positions.append(int(lo - old.cbegin()));
    }
    if (m.positions.first() == m.oldSize)
        return m; // every new row sorts after the old ones: the insert step is the whole story
    m.merged.reserve(m.appended.size());
    int o = 0;
    for (int j = 0; j < run.size(); ++j) {
        const int p = m.positions.at(j);
        while (o < p)
            m.merged.append(old.at(o++));
        m.merged.append(run.at(j));
    }
    while (o < old.size())
        m.merged.append(old.at(o++));
    return m;
}

QString variantText(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return {};
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

// Sort/filter/merge jobs run on a pool of their own, never on QThreadPool::globalInstance(): Qt 6.4's
// raster painting hands large image operations to the global pool and waits for them on the GUI
// thread, so a long sort queued there froze a paint for seconds (seen as 4 s GUI stalls with no
// GUI CPU at a million rows).
Q_GLOBAL_STATIC(QThreadPool, s_arrangePool)

QThreadPool *arrangePool()
{
    QThreadPool *pool = s_arrangePool();
    if (pool->maxThreadCount() != 2)
        pool->setMaxThreadCount(2); // a full arrangement and a (possibly stale) merge
    return pool;
}

// Runs `done(result)` on the owner's thread when the job finishes. The watcher is the owner's
// child: if the owner is destroyed first, the answer is dropped (QFuture::then with a context
// asserts in Qt 6.4 when the context is gone).
template <typename T, typename F>
void whenDone(QObject *owner, QFuture<T> future, F done)
{
    auto *watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, done = std::move(done)]() mutable {
        watcher->deleteLater();
        done(watcher->result());
    });
    watcher->setFuture(future);
}

} // namespace

RecordTableModel::RecordTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

RecordTableModel::~RecordTableModel() = default;

void RecordTableModel::clear()
{
    beginResetModel();
    m_columns.clear();
    m_editableColumns.clear();
    m_batches.clear();
    m_offsets.clear();
    m_columnMaps.clear();
    m_totalRows = 0;
    m_hasView = false;
    m_view.clear();
    m_arrangedRows = 0;
    m_arranging = false;
    m_sortColumn = -1;
    m_filterText.clear();
    ++m_generation; // drop answers of running jobs
    m_pending.clear();
    m_overrides.clear();
    endResetModel();
    Q_EMIT pendingChanged(0);
}

void RecordTableModel::appendBatch(const fs::RecordBatch &batch)
{
    appendBatches({ batch });
}

void RecordTableModel::appendBatches(const QList<fs::RecordBatch> &batches)
{
    if (m_columns.isEmpty()) {
        for (const fs::RecordBatch &batch : batches) {
            if (batch.columnCount() > 0) {
                beginInsertColumns({}, 0, batch.columnCount() - 1);
                m_columns = batch.columns();
                updateEditableColumns();
                endInsertColumns();
                break;
            }
        }
    }
    const int first = m_totalRows;
    int n = 0;
    for (const fs::RecordBatch &batch : batches)
        n += batch.rowCount();
    if (n == 0)
        return;

    auto store = [this](const fs::RecordBatch &batch) {
        if (batch.rowCount() == 0)
            return;
        QVector<int> map(m_columns.size(), -1);
        for (int c = 0; c < m_columns.size(); ++c) {
            if (c < batch.columnCount() && batch.columns().at(c) == m_columns.at(c))
                map[c] = c;
            else
                map[c] = batch.columnIndex(m_columns.at(c));
        }
        m_batches.append(batch);
        m_offsets.append(m_totalRows);
        m_columnMaps.append(map);
        m_totalRows += batch.rowCount();
    };

    if (!m_hasView) {
        beginInsertRows({}, first, first + n - 1);
        for (const fs::RecordBatch &batch : batches)
            store(batch);
        endInsertRows();
        return;
    }

    // A sort/filter is active: the new rows are filtered and sorted off the GUI thread, then
    // merged into the view at their sorted places (scheduleMerge).
    for (const fs::RecordBatch &batch : batches)
        store(batch);
    scheduleMerge();
}

int RecordTableModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return m_hasView ? int(m_view.size()) : m_totalRows;
}

int RecordTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

int RecordTableModel::sourceRow(int viewRow) const
{
    if (viewRow < 0 || viewRow >= rowCount())
        return -1;
    return m_hasView ? m_view.at(viewRow) : viewRow;
}

int RecordTableModel::viewRowForSource(int src) const
{
    if (src < 0 || src >= m_totalRows)
        return -1;
    if (!m_hasView)
        return src;
    const auto it = std::find(m_view.cbegin(), m_view.cend(), src);
    return it == m_view.cend() ? -1 : int(it - m_view.cbegin());
}

RecordTableModel::Loc RecordTableModel::locate(int src) const
{
    if (src < 0 || src >= m_totalRows)
        return {};
    auto it = std::upper_bound(m_offsets.cbegin(), m_offsets.cend(), src);
    const int b = int(it - m_offsets.cbegin()) - 1;
    return { b, src - m_offsets.at(b) };
}

int RecordTableModel::batchColumn(int batch, int column) const
{
    if (batch < 0 || column < 0 || column >= m_columns.size())
        return -1;
    return m_columnMaps.at(batch).at(column);
}

fs::RecordBatch RecordTableModel::batchForRow(int viewRow, int *localRow) const
{
    const Loc loc = locate(sourceRow(viewRow));
    if (loc.batch < 0)
        return {};
    if (localRow)
        *localRow = loc.row;
    return m_batches.at(loc.batch);
}

QString RecordTableModel::sobjectType() const
{
    return m_batches.isEmpty() ? QString() : m_batches.first().sobjectType();
}

QVariant RecordTableModel::overrideFor(int src, int column, bool *found) const
{
    *found = false;
    if (m_pending.isEmpty() && m_overrides.isEmpty())
        return {};
    const QString &name = m_columns.at(column);
    auto p = m_pending.constFind(src);
    if (p != m_pending.cend()) {
        auto f = p->constFind(name);
        if (f != p->cend()) {
            *found = true;
            return *f;
        }
    }
    auto o = m_overrides.constFind(src);
    if (o != m_overrides.cend()) {
        auto f = o->constFind(name);
        if (f != o->cend()) {
            *found = true;
            return *f;
        }
    }
    return {};
}

QString RecordTableModel::cellText(int viewRow, int column) const
{
    const int src = sourceRow(viewRow);
    const Loc loc = locate(src);
    if (loc.batch < 0)
        return {};
    bool found = false;
    const QVariant o = overrideFor(src, column, &found);
    if (found)
        return variantText(o);
    const int bc = batchColumn(loc.batch, column);
    return bc < 0 ? QString() : m_batches.at(loc.batch).text(loc.row, bc);
}

QList<RecordTableModel::PendingChange> RecordTableModel::pendingChanges() const
{
    QList<PendingChange> out;
    QList<int> rows = m_pending.keys();
    std::sort(rows.begin(), rows.end());
    for (int src : rows) {
        const Loc loc = locate(src);
        if (loc.batch < 0)
            continue;
        const fs::RecordBatch &b = m_batches.at(loc.batch);
        const QVariantMap changes = m_pending.value(src);
        const QVariantMap overrides = m_overrides.value(src);
        for (auto it = changes.cbegin(); it != changes.cend(); ++it) {
            PendingChange c;
            c.recordId = b.recordId(loc.row);
            c.field = it.key();
            c.newText = variantText(it.value());
            if (overrides.contains(it.key())) {
                c.oldText = variantText(overrides.value(it.key()));
            } else {
                const int column = findColumn(it.key());
                const int bc = column < 0 ? -1 : batchColumn(loc.batch, column);
                c.oldText = bc < 0 ? QString() : b.text(loc.row, bc);
            }
            out.append(c);
        }
    }
    return out;
}

QVariant RecordTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int src = sourceRow(index.row());
    const Loc loc = locate(src);
    if (loc.batch < 0)
        return {};
    return cellData(src, index.column(), loc.batch, loc.row, role);
}

void RecordTableModel::multiData(const QModelIndex &index, QModelRoleDataSpan roleDataSpan) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        for (QModelRoleData &d : roleDataSpan)
            d.clearData();
        return;
    }
    const int src = sourceRow(index.row());
    const Loc loc = locate(src);
    for (QModelRoleData &d : roleDataSpan) {
        if (loc.batch < 0)
            d.clearData();
        else
            d.setData(cellData(src, index.column(), loc.batch, loc.row, d.role()));
    }
}

QVariant RecordTableModel::cellData(int src, int column, int batchIndex, int row, int role) const
{
    const fs::RecordBatch &batch = m_batches.at(batchIndex);
    const int bc = batchColumn(batchIndex, column);
    const auto type = bc < 0 ? fs::RecordBatch::CellType::Null : batch.cellType(row, bc);
    const bool pendingCell = !m_pending.isEmpty() && m_pending.contains(src)
        && m_pending.value(src).contains(m_columns.at(column));

    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
    case Qt::ToolTipRole: {
        bool found = false;
        const QVariant o = overrideFor(src, column, &found);
        if (found)
            return role == Qt::EditRole ? o : QVariant(variantText(o));
        if (bc < 0)
            return role == Qt::EditRole ? QVariant() : QVariant(QString());
        if (role == Qt::EditRole && type != fs::RecordBatch::CellType::Child)
            return batch.value(row, bc);
        if (role == Qt::ToolTipRole && type == fs::RecordBatch::CellType::Child)
            return tr("Double-click to open the %1 child records").arg(batch.child(row, bc).totalSize());
        return batch.text(row, bc);
    }
    case Qt::TextAlignmentRole:
        if (type == fs::RecordBatch::CellType::Number)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::FontRole:
        if (type == fs::RecordBatch::CellType::Child) {
            QFont f;
            f.setUnderline(true);
            return f;
        }
        if (pendingCell) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case Qt::BackgroundRole:
        if (pendingCell) {
            QColor c = QApplication::palette().color(QPalette::Highlight);
            c.setAlpha(70); // palette-derived tint: follows light and dark themes
            return c;
        }
        return {};
    case Qt::ForegroundRole:
        if (type == fs::RecordBatch::CellType::Child)
            return QApplication::palette().color(QPalette::Link);
        if (type == fs::RecordBatch::CellType::Null)
            return QApplication::palette().color(QPalette::PlaceholderText);
        return {};
    case CellTypeRole:
        return int(type);
    case ChildBatchRole:
        if (type == fs::RecordBatch::CellType::Child)
            return QVariant::fromValue(batch.child(row, bc));
        return {};
    case RecordIdRole:
        return batch.recordId(row);
    case PendingRole:
        return pendingCell;
    case SourceRowRole:
        return src;
    case LoadingRole:
        return false;
    default:
        return {};
    }
}

QVariant RecordTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_columns.size())
            return {};
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole)
            return m_columns.at(section);
        return {};
    }
    if (role == Qt::DisplayRole && section >= 0 && section < rowCount())
        return section + 1;
    return {};
}

int RecordTableModel::findColumn(const QString &name) const
{
    for (int c = 0; c < m_columns.size(); ++c) {
        if (m_columns.at(c).compare(name, Qt::CaseInsensitive) == 0)
            return c;
    }
    return -1;
}

bool RecordTableModel::isEditable(int column) const
{
    return column >= 0 && column < m_editableColumns.size() && m_editableColumns.at(column);
}

void RecordTableModel::updateEditableColumns()
{
    m_editableColumns.fill(false, m_columns.size());
    if (m_editable.isEmpty() || findColumn(QStringLiteral("Id")) < 0)
        return;
    for (int c = 0; c < m_columns.size(); ++c) {
        const QString &name = m_columns.at(c);
        // A parent path (Account.Name) belongs to another record.
        m_editableColumns[c] = !name.contains(QLatin1Char('.')) && m_editable.contains(name.toLower());
    }
}

void RecordTableModel::setEditableFields(const QSet<QString> &fields)
{
    m_editable.clear();
    for (const QString &f : fields)
        m_editable.insert(f.toLower());
    updateEditableColumns();
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1), { Qt::EditRole });
}

Qt::ItemFlags RecordTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (isEditable(index.column()) && !data(index, RecordIdRole).toString().isEmpty())
        f |= Qt::ItemIsEditable;
    return f;
}

bool RecordTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || !isEditable(index.column()))
        return false;
    const int src = sourceRow(index.row());
    const QString &name = m_columns.at(index.column());
    // Back to the original value: the edit is no longer pending.
    const Loc loc = locate(src);
    const int bc = batchColumn(loc.batch, index.column());
    bool overridden = false;
    const QVariant shownOriginal = [&] {
        const QVariant o = m_overrides.value(src).value(name, QVariant());
        overridden = m_overrides.value(src).contains(name);
        return overridden ? o : (bc < 0 ? QVariant() : m_batches.at(loc.batch).value(loc.row, bc));
    }();
    if (variantText(shownOriginal) == variantText(value)) {
        auto it = m_pending.find(src);
        if (it != m_pending.end()) {
            it->remove(name);
            if (it->isEmpty())
                m_pending.erase(it);
        }
    } else {
        m_pending[src].insert(name, value);
    }
    Q_EMIT dataChanged(index, index);
    Q_EMIT pendingChanged(pendingCount());
    return true;
}

int RecordTableModel::pendingCount() const
{
    int n = 0;
    for (const QVariantMap &m : m_pending)
        n += int(m.size());
    return n;
}

QList<fs::RecordUpdate> RecordTableModel::pendingUpdates() const
{
    QList<fs::RecordUpdate> out;
    const int modCol = findColumn(QStringLiteral("SystemModstamp"));
    QList<int> rows = m_pending.keys();
    std::sort(rows.begin(), rows.end());
    for (int src : rows) {
        const Loc loc = locate(src);
        if (loc.batch < 0)
            continue;
        const fs::RecordBatch &b = m_batches.at(loc.batch);
        fs::RecordUpdate u;
        u.sobjectType = b.recordType(loc.row).isEmpty() ? b.sobjectType() : b.recordType(loc.row);
        u.id = b.recordId(loc.row);
        u.changes = m_pending.value(src);
        if (modCol >= 0) {
            bool found = false;
            const QVariant o = overrideFor(src, modCol, &found);
            const int bc = batchColumn(loc.batch, modCol);
            u.expectedModstamp = found ? variantText(o) : (bc < 0 ? QString() : b.text(loc.row, bc));
        }
        out.append(u);
    }
    return out;
}

int RecordTableModel::viewRowForRecord(const QString &recordId) const
{
    for (int r = 0; r < rowCount(); ++r) {
        int local = 0;
        const fs::RecordBatch b = batchForRow(r, &local);
        if (b.recordId(local) == recordId)
            return r;
    }
    return -1;
}

QVariantMap RecordTableModel::pendingFor(const QString &recordId) const
{
    const int r = viewRowForRecord(recordId);
    return r < 0 ? QVariantMap() : m_pending.value(sourceRow(r));
}

void RecordTableModel::discardPending()
{
    if (m_pending.isEmpty())
        return;
    m_pending.clear();
    if (rowCount() > 0 && columnCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
    Q_EMIT pendingChanged(0);
}

void RecordTableModel::discardPending(const QString &recordId)
{
    const int r = viewRowForRecord(recordId);
    if (r < 0 || !m_pending.remove(sourceRow(r)))
        return;
    Q_EMIT dataChanged(index(r, 0), index(r, columnCount() - 1));
    Q_EMIT pendingChanged(pendingCount());
}

void RecordTableModel::commitPending(const QString &recordId, const QString &newModstamp)
{
    const int r = viewRowForRecord(recordId);
    if (r < 0)
        return;
    const int src = sourceRow(r);
    QVariantMap &o = m_overrides[src];
    const QVariantMap p = m_pending.take(src);
    for (auto it = p.cbegin(); it != p.cend(); ++it)
        o.insert(it.key(), it.value());
    const int modCol = findColumn(QStringLiteral("SystemModstamp"));
    if (!newModstamp.isEmpty() && modCol >= 0)
        o.insert(m_columns.at(modCol), newModstamp);
    Q_EMIT dataChanged(index(r, 0), index(r, columnCount() - 1));
    Q_EMIT pendingChanged(pendingCount());
}

void RecordTableModel::applyServerValues(const QString &recordId, const QVariantMap &values, const QString &modstamp)
{
    const int r = viewRowForRecord(recordId);
    if (r < 0)
        return;
    const int src = sourceRow(r);
    QVariantMap &o = m_overrides[src];
    for (auto it = values.cbegin(); it != values.cend(); ++it) {
        const int c = findColumn(it.key());
        if (c >= 0)
            o.insert(m_columns.at(c), it.value());
    }
    const int modCol = findColumn(QStringLiteral("SystemModstamp"));
    if (!modstamp.isEmpty() && modCol >= 0)
        o.insert(m_columns.at(modCol), modstamp);
    Q_EMIT dataChanged(index(r, 0), index(r, columnCount() - 1));
}

void RecordTableModel::sort(int column, Qt::SortOrder order)
{
    if (column >= m_columns.size())
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    startArrange();
}

void RecordTableModel::setFilterText(const QString &text)
{
    if (text == m_filterText)
        return;
    m_filterText = text;
    startArrange();
}

void RecordTableModel::setBusy(int delta)
{
    const bool was = m_pendingJobs > 0;
    m_pendingJobs += delta;
    if (was != (m_pendingJobs > 0))
        Q_EMIT busyChanged(m_pendingJobs > 0);
}

void RecordTableModel::startArrange()
{
    const quint64 generation = ++m_generation;
    const bool wantView = m_sortColumn >= 0 || !m_filterText.isEmpty();
    if (!wantView) {
        m_arranging = false;
        if (m_hasView) {
            beginResetModel();
            m_hasView = false;
            m_view.clear();
            endResetModel();
        }
        Q_EMIT arrangeFinished();
        return;
    }
    Snapshot s { m_batches, m_offsets, m_columnMaps, m_totalRows };
    const int column = m_sortColumn;
    const Qt::SortOrder order = m_sortOrder;
    const QString filter = m_filterText;
    m_arranging = true;
    setBusy(+1);
    whenDone(this, QtConcurrent::run(arrangePool(), [s = std::move(s), column, order, filter] { return arrange(s, column, order, filter); }),
        [this, generation, rows = m_totalRows](QVector<int> view) {
            if (generation == m_generation) {
                beginResetModel();
                m_view = std::move(view);
                m_hasView = true;
                m_arrangedRows = rows;
                m_arranging = false;
                endResetModel();
                Q_EMIT arrangeFinished();
                // Rows that arrived while the job ran join through the incremental merge.
                scheduleMerge();
            } // else a newer sort/filter (or clear) superseded this one
            setBusy(-1);
        });
}

void RecordTableModel::scheduleMerge()
{
    if (!m_hasView || m_arranging || m_merging || m_arrangedRows >= m_totalRows)
        return;
    // Bounded chunk: a late burst is merged in several rounds, each a short GUI step.
    constexpr int kMaxMergeRows = 50000;
    const int to = std::min(m_totalRows, m_arrangedRows + kMaxMergeRows);
    Snapshot s { m_batches, m_offsets, m_columnMaps, to };
    const quint64 generation = m_generation;
    const int from = m_arrangedRows;
    const int column = m_sortColumn;
    const Qt::SortOrder order = m_sortOrder;
    const QString filter = m_filterText;
    m_merging = true;
    setBusy(+1);
    whenDone(this, QtConcurrent::run(arrangePool(), [s = std::move(s), old = m_view, from, column, order, filter] {
        return mergeRows(s, old, from, column, order, filter);
    }), [this, generation](MergeResult m) {
        m_merging = false;
        if (generation == m_generation && m_hasView && int(m_view.size()) == m.oldSize) {
            const int added = int(m.appended.size()) - m.oldSize;
            if (added > 0) {
                // Insert step: the new rows appear at the end (one contiguous insert).
                beginInsertRows({}, m.oldSize, m.oldSize + added - 1);
                m_view = std::move(m.appended);
                endInsertRows();
            }
            if (!m.merged.isEmpty()) {
                // Layout step: the new rows move to their sorted places. Only the persistent
                // indexes that exist (current, selection, editors) are remapped, never every row.
                Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
                const QModelIndexList from = persistentIndexList();
                QModelIndexList to;
                to.reserve(from.size());
                for (const QModelIndex &i : from) {
                    const int row = i.row();
                    int moved = row;
                    if (row >= m.oldSize)
                        moved = m.positions.at(row - m.oldSize) + (row - m.oldSize);
                    else
                        moved = row + int(std::upper_bound(m.positions.cbegin(), m.positions.cend(), row) - m.positions.cbegin());
                    to.append(index(moved, i.column()));
                }
                m_view = std::move(m.merged);
                changePersistentIndexList(from, to);
                Q_EMIT layoutChanged({}, QAbstractItemModel::VerticalSortHint);
            }
            m_arrangedRows = m.to;
        }
        scheduleMerge(); // more rows arrived meanwhile (or this answer was stale)
        setBusy(-1);
    });
}

} // namespace fs::ui
