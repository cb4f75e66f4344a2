#pragma once

#include <QByteArrayView>
#include <QExplicitlySharedDataPointer>
#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QVariant>

namespace fs {

class RecordBatchData;

// One page of query results, stored by column, implicitly shared (copying is O(1), so pages
// cross threads by value). Parent paths are flattened into columns in select-list order
// ("Account.Owner.Name"); child subqueries stay nested: a Child cell holds a RecordBatch that
// also carries the child result's totalSize, done and nextRecordsUrl.
//
// Immutable once built; every accessor is cheap (no I/O, no locks) and safe from any thread.
class RecordBatch {
public:
    enum class CellType : quint8 {
        Null, // JSON null, or an empty parent lookup on the path
        String, // text, ids, picklists, dates and datetimes (as sent by the server)
        Number, // int, double, currency, percent
        Boolean,
        Child, // nested child-relationship result (null children are Null)
        Object, // compound value such as an address or location, kept as compact JSON text
    };

    RecordBatch();
    RecordBatch(const RecordBatch &);
    RecordBatch(RecordBatch &&) noexcept;
    RecordBatch &operator=(const RecordBatch &);
    RecordBatch &operator=(RecordBatch &&) noexcept;
    ~RecordBatch();

    bool isEmpty() const { return rowCount() == 0; }
    int rowCount() const;
    int columnCount() const;
    const QStringList &columns() const; // flattened select-list order, as the server names them
    int columnIndex(const QString &name) const; // case-insensitive; -1 when absent

    QString sobjectType() const; // attributes.type of the rows ("AggregateResult" for aggregates)
    QString recordType(int row) const; // attributes.type of one row (differs for polymorphic/SOSL)
    QString recordId(int row) const; // 18-char id from attributes.url or the Id column; empty if none

    CellType cellType(int row, int column) const;
    bool isNull(int row, int column) const { return cellType(row, column) == CellType::Null; }
    QString text(int row, int column) const; // display text; "" for Null; "n records" for Child
    QVariant value(int row, int column) const; // QString/double/bool; invalid QVariant for Null
    double number(int row, int column) const; // 0 when not a Number
    // The UTF-8 bytes of a String or Object cell without decoding or copying them (empty view
    // for any other cell). Valid while any copy of this batch is alive.
    QByteArrayView utf8(int row, int column) const;
    RecordBatch child(int row, int column) const; // empty batch unless the cell is Child

    // Meaningful for a child result (and for a top-level page, mirrors the page fields).
    qint64 totalSize() const;
    bool done() const;
    QString nextRecordsUrl() const;

    qsizetype byteSize() const; // approximate memory held, for bounded queries

private:
    friend class RecordBatchBuilder;
    explicit RecordBatch(RecordBatchData *d);
    QExplicitlySharedDataPointer<RecordBatchData> d;
};

} // namespace fs

Q_DECLARE_METATYPE(fs::RecordBatch)
