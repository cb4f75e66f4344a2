#pragma once

#include "api/recordbatch.h"
#include "api/types.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QVariantMap>
#include <QVector>

#include <memory>

namespace fs::ui {

// Append-only table over streamed RecordBatch pages (GUI thread only).
//
// Each appended page is one beginInsertRows. data() is O(log pages): cumulative row offsets and a
// binary search find the page, then the column store answers. Sorting and filtering never touch
// the GUI thread's time budget: a QtConcurrent job builds a row permutation from a snapshot of the
// (implicitly shared) pages, and the answer is applied only if no newer sort/filter started.
// Pages that arrive while a sort/filter is active are filtered and sorted on a worker too, then
// merged into the view: one insert at the end, then one layout change that moves them to their
// sorted places (remapping only the persistent indexes that exist), in chunks of bounded size.
// Inline edits collect as pending changes per source row; pendingUpdates() turns them into
// conflict-checked RecordUpdates carrying the SystemModstamp the user saw.
class RecordTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Role {
        CellTypeRole = Qt::UserRole + 1, // int(RecordBatch::CellType)
        ChildBatchRole, // QVariant<RecordBatch> for Child cells
        RecordIdRole, // the row's record id
        PendingRole, // true when the cell has an unsaved edit
        SourceRowRole, // row in arrival order (stable across sort/filter)
        LoadingRole, // never true here: every listed row is loaded (pages are appended whole)
        SortKeyRole,
    };

    explicit RecordTableModel(QObject *parent = nullptr);
    ~RecordTableModel() override;

    // Drops all rows, pending edits and the sort/filter.
    void clear();
    // Appends one page (one beginInsertRows). The first page fixes the columns.
    void appendBatch(const fs::RecordBatch &batch);
    // Appends several pages that arrived together with a single beginInsertRows.
    void appendBatches(const QList<fs::RecordBatch> &batches);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    // All roles of one cell in one pass (the delegate asks for ~7 per painted cell): the row is
    // located and the cell typed once, and text is built only if a text role is asked for.
    void multiData(const QModelIndex &index, QModelRoleDataSpan roleDataSpan) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

    const QStringList &columns() const { return m_columns; }
    QString sobjectType() const;
    qint64 loadedRows() const { return m_totalRows; } // all arrived rows, filtered or not
    int sourceRow(int viewRow) const;
    // View row showing a source row, or -1 when the filter hides it. O(rows) when sorted/filtered.
    int viewRowForSource(int sourceRow) const;

    // The batch and local row behind a view row (for the detail pane and child grids).
    fs::RecordBatch batchForRow(int viewRow, int *localRow) const;

    // Asynchronous filter: keeps rows where any cell contains `text` (case-insensitive).
    void setFilterText(const QString &text);
    QString filterText() const { return m_filterText; }
    bool isBusy() const { return m_pendingJobs > 0; }

    // --- Inline edit -----------------------------------------------------------------------
    // Columns (API names) that may be edited. Needs an Id column and a SystemModstamp column.
    void setEditableFields(const QSet<QString> &fields);
    bool isEditable(int column) const;
    int pendingCount() const; // cells
    QList<fs::RecordUpdate> pendingUpdates() const;
    QVariantMap pendingFor(const QString &recordId) const;
    void discardPending();
    void discardPending(const QString &recordId);
    // After a successful save: the pending values become the shown values.
    void commitPending(const QString &recordId, const QString &newModstamp = {});
    // Overrides shown values (conflict "take theirs": the server's newer values).
    void applyServerValues(const QString &recordId, const QVariantMap &values, const QString &modstamp);
    int viewRowForRecord(const QString &recordId) const;

    // Text of a cell as shown (pending edit or override first).
    QString cellText(int viewRow, int column) const;
    // One pending cell with the value it replaces, for the "pending edits" preview.
    struct PendingChange {
        QString recordId;
        QString field;
        QString oldText; // as last known from the server (loaded, saved or taken from a conflict)
        QString newText;
    };
    QList<PendingChange> pendingChanges() const; // in arrival order of the rows, fields by name

Q_SIGNALS:
    void pendingChanged(int cells);
    void busyChanged(bool busy);
    void arrangeFinished(); // a sort or filter has been applied

private:
    struct Loc {
        int batch = -1;
        int row = -1;
    };
    Loc locate(int sourceRow) const;
    int batchColumn(int batch, int column) const;
    QVariant overrideFor(int sourceRow, int column, bool *found) const;
    QVariant cellData(int src, int column, int batch, int row, int role) const;
    void updateEditableColumns();
    void startArrange();
    void scheduleMerge();
    void setBusy(int delta);
    int findColumn(const QString &name) const;

    QStringList m_columns;
    QVector<fs::RecordBatch> m_batches;
    QVector<int> m_offsets; // first source row of each batch
    QVector<QVector<int>> m_columnMaps; // per batch: model column → batch column (-1 absent)
    int m_totalRows = 0;

    // Active arrangement (sort and/or filter). Empty m_hasView = identity.
    bool m_hasView = false;
    QVector<int> m_view;
    int m_arrangedRows = 0; // source rows [0, m_arrangedRows) are placed in m_view
    bool m_arranging = false; // a full sort/filter job of the current generation is running
    bool m_merging = false; // an incremental merge job is running
    int m_sortColumn = -1;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QString m_filterText;
    quint64 m_generation = 0;
    int m_pendingJobs = 0;

    QSet<QString> m_editable; // lower-case API names
    QVector<bool> m_editableColumns; // per model column, from m_editable (flags() is per painted cell)
    QHash<int, QVariantMap> m_pending; // source row → field → value
    QHash<int, QVariantMap> m_overrides; // source row → field → value (saved or taken from server)
};

} // namespace fs::ui
