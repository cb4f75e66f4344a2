#pragma once

// Engine-internal storage behind fs::RecordBatch. Shared by recordbatch.cpp (readers) and
// RecordBatchBuilder (the only writer). Immutable once a RecordBatch wraps it, so any thread may
// read it without locks.

#include "api/recordbatch.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSharedData>
#include <QString>
#include <QStringList>

#include <vector>

namespace fs {

// One cell in 8 bytes. The meaning of `offset`/`length` depends on the type packed in the top
// three bits of `lengthAndType`:
//   String/Object: UTF-8 bytes at arena[offset, offset+length)
//   Number: numbers[offset]
//   Boolean: length is 0 or 1
//   Child: children[offset]
//   Null: nothing
struct RecordBatchCell {
    static constexpr quint32 TypeShift = 29;
    static constexpr quint32 LengthMask = (1u << TypeShift) - 1;

    quint32 offset = 0;
    quint32 lengthAndType = 0; // Null == 0, so a zero-filled cell is a Null cell

    RecordBatch::CellType type() const { return RecordBatch::CellType(lengthAndType >> TypeShift); }
    quint32 length() const { return lengthAndType & LengthMask; }
    static RecordBatchCell make(RecordBatch::CellType type, quint32 offset, quint32 length)
    {
        return RecordBatchCell { offset, (quint32(type) << TypeShift) | (length & LengthMask) };
    }
};
static_assert(sizeof(RecordBatchCell) == 8);

struct RecordBatchColumn {
    QString name;
    std::vector<RecordBatchCell> cells; // one per row
};

class RecordBatchData : public QSharedData {
public:
    std::vector<RecordBatchColumn> columns; // display (select-list) order
    QStringList columnNames;
    QHash<QString, int> columnByLowerName;
    int rows = 0;

    QByteArray arena; // UTF-8 text of String and Object cells, record ids
    std::vector<double> numbers;
    QList<RecordBatch> children;

    QStringList recordTypes; // distinct attributes.type values
    std::vector<quint16> rowType; // index into recordTypes per row
    std::vector<RecordBatchCell> rowId; // id from attributes.url (String cell into the arena)

    QString sobjectType;
    qint64 totalSize = 0;
    bool done = true;
    QString nextRecordsUrl;
    qsizetype childBytes = 0; // byteSize() of the children, summed when built
};

} // namespace fs
