#include "recordbatch.h"

#include "query/recordbatchdata.h"

#include <QLocale>

#include <cmath>

namespace fs {

namespace {

const QStringList &emptyColumns()
{
    static const QStringList empty;
    return empty;
}

} // namespace

RecordBatch::RecordBatch() = default;
RecordBatch::RecordBatch(const RecordBatch &) = default;
RecordBatch::RecordBatch(RecordBatch &&) noexcept = default;
RecordBatch &RecordBatch::operator=(const RecordBatch &) = default;
RecordBatch &RecordBatch::operator=(RecordBatch &&) noexcept = default;
RecordBatch::~RecordBatch() = default;

RecordBatch::RecordBatch(RecordBatchData *data)
    : d(data)
{
}

int RecordBatch::rowCount() const
{
    return d ? d->rows : 0;
}

int RecordBatch::columnCount() const
{
    return d ? int(d->columns.size()) : 0;
}

const QStringList &RecordBatch::columns() const
{
    return d ? d->columnNames : emptyColumns();
}

int RecordBatch::columnIndex(const QString &name) const
{
    if (!d)
        return -1;
    return d->columnByLowerName.value(name.toLower(), -1);
}

QString RecordBatch::sobjectType() const
{
    return d ? d->sobjectType : QString();
}

QString RecordBatch::recordType(int row) const
{
    if (!d || row < 0 || row >= d->rows)
        return {};
    const quint16 index = d->rowType[size_t(row)];
    return index < d->recordTypes.size() ? d->recordTypes.at(index) : QString();
}

QString RecordBatch::recordId(int row) const
{
    if (!d || row < 0 || row >= d->rows)
        return {};
    const RecordBatchCell idCell = d->rowId[size_t(row)];
    if (idCell.type() == CellType::String)
        return QString::fromUtf8(d->arena.constData() + idCell.offset, idCell.length());
    const int idColumn = columnIndex(QStringLiteral("Id"));
    if (idColumn >= 0 && cellType(row, idColumn) == CellType::String)
        return text(row, idColumn);
    return {};
}

RecordBatch::CellType RecordBatch::cellType(int row, int column) const
{
    if (!d || row < 0 || row >= d->rows || column < 0 || column >= int(d->columns.size()))
        return CellType::Null;
    return d->columns[size_t(column)].cells[size_t(row)].type();
}

QString RecordBatch::text(int row, int column) const
{
    if (!d || row < 0 || row >= d->rows || column < 0 || column >= int(d->columns.size()))
        return {};
    const RecordBatchCell cell = d->columns[size_t(column)].cells[size_t(row)];
    switch (cell.type()) {
    case CellType::Null:
        return {};
    case CellType::String:
    case CellType::Object:
        return QString::fromUtf8(d->arena.constData() + cell.offset, cell.length());
    case CellType::Number: {
        // Whole numbers print without exponent (15000000000, not 1.5e+10); others round-trip.
        const double v = d->numbers[cell.offset];
        if (std::abs(v) < 1e15 && v == std::trunc(v))
            return QString::number(qint64(v));
        return QString::number(v, 'g', QLocale::FloatingPointShortest);
    }
    case CellType::Boolean:
        return cell.length() ? QStringLiteral("true") : QStringLiteral("false");
    case CellType::Child:
        return QStringLiteral("%1 records").arg(d->children.at(cell.offset).totalSize());
    }
    return {};
}

QVariant RecordBatch::value(int row, int column) const
{
    if (!d || row < 0 || row >= d->rows || column < 0 || column >= int(d->columns.size()))
        return {};
    const RecordBatchCell cell = d->columns[size_t(column)].cells[size_t(row)];
    switch (cell.type()) {
    case CellType::Null:
        return {};
    case CellType::String:
    case CellType::Object:
        return QString::fromUtf8(d->arena.constData() + cell.offset, cell.length());
    case CellType::Number:
        return d->numbers[cell.offset];
    case CellType::Boolean:
        return bool(cell.length());
    case CellType::Child:
        return QVariant::fromValue(d->children.at(cell.offset));
    }
    return {};
}

QByteArrayView RecordBatch::utf8(int row, int column) const
{
    const CellType type = cellType(row, column);
    if (type != CellType::String && type != CellType::Object)
        return {};
    const RecordBatchCell cell = d->columns[size_t(column)].cells[size_t(row)];
    return QByteArrayView(d->arena.constData() + cell.offset, qsizetype(cell.length()));
}

double RecordBatch::number(int row, int column) const
{
    if (cellType(row, column) != CellType::Number)
        return 0.0;
    return d->numbers[d->columns[size_t(column)].cells[size_t(row)].offset];
}

RecordBatch RecordBatch::child(int row, int column) const
{
    if (cellType(row, column) != CellType::Child)
        return {};
    return d->children.at(d->columns[size_t(column)].cells[size_t(row)].offset);
}

qint64 RecordBatch::totalSize() const
{
    return d ? d->totalSize : 0;
}

bool RecordBatch::done() const
{
    return d ? d->done : true;
}

QString RecordBatch::nextRecordsUrl() const
{
    return d ? d->nextRecordsUrl : QString();
}

qsizetype RecordBatch::byteSize() const
{
    if (!d)
        return 0;
    qsizetype bytes = qsizetype(sizeof(RecordBatchData)) + qsizetype(d->arena.capacity());
    bytes += qsizetype(d->numbers.capacity() * sizeof(double));
    bytes += qsizetype(d->rowType.capacity() * sizeof(quint16) + d->rowId.capacity() * sizeof(RecordBatchCell));
    for (const RecordBatchColumn &column : d->columns)
        bytes += qsizetype(sizeof(RecordBatchColumn) + column.cells.capacity() * sizeof(RecordBatchCell))
            + column.name.size() * 2 * 2; // name + lookup key
    return bytes + d->childBytes;
}

} // namespace fs
