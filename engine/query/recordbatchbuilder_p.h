#pragma once

// RecordBatchBuilder's state, with the per-cell operations inline so that the query page parser
// (its hot caller: twenty thousand cells per page) compiles them into its walk instead of calling
// through the builder's public functions. Engine-internal: include only from recordbatchbuilder.cpp
// and the page parser.

#include "recordbatchbuilder.h"

#include "recordbatchdata.h"

#include <QtGlobal>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fs {

namespace builderdetail {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view> {}(s); }
};

using StringIndex = std::unordered_map<std::string, int, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Column paths are short: compare them inline a word at a time instead of calling memcmp. The
// tail is one more (overlapping) word, so no byte loop; paths under 8 bytes take two overlapping
// 4-byte words. Reads stay within both strings.
Q_ALWAYS_INLINE bool sameBytes(const char *x, const char *y, size_t n)
{
    if (n >= 8) {
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            quint64 u;
            quint64 v;
            std::memcpy(&u, x + i, 8);
            std::memcpy(&v, y + i, 8);
            if (u != v)
                return false;
        }
        quint64 u;
        quint64 v;
        std::memcpy(&u, x + n - 8, 8);
        std::memcpy(&v, y + n - 8, 8);
        return u == v;
    }
    if (n >= 4) {
        quint32 a;
        quint32 b;
        quint32 c;
        quint32 e;
        std::memcpy(&a, x, 4);
        std::memcpy(&b, y, 4);
        std::memcpy(&c, x + n - 4, 4);
        std::memcpy(&e, y + n - 4, 4);
        return a == b && c == e;
    }
    for (size_t i = 0; i < n; ++i) {
        if (x[i] != y[i])
            return false;
    }
    return true;
}

// The column sequence of one row: storage indices in the order the row's cells came. A plain
// array with a count, so that recording a cell is a store and an increment.
class RowSequence {
public:
    size_t size() const { return m_count; }
    int operator[](size_t position) const { return m_slots[position]; }
    void clear() { m_count = 0; }
    Q_ALWAYS_INLINE void push(int column)
    {
        if (m_count == m_slots.size()) [[unlikely]]
            m_slots.resize(m_slots.size() * 2 + 16);
        m_slots[m_count++] = column;
    }

private:
    std::vector<int> m_slots;
    size_t m_count = 0;
};

struct BuilderColumn {
    std::string key;
    // One cell per row, sized ahead (Null-filled) so that a row's cell is one store; build()
    // trims it to the row count.
    std::vector<RecordBatchCell> cells;
    bool placeholder = false; // stands for a null parent lookup whose columns are not known yet
};

} // namespace builderdetail

class RecordBatchBuilder::Private {
public:
    using BuilderColumn = builderdetail::BuilderColumn;

    std::vector<BuilderColumn> columns; // storage order (creation order)
    std::vector<int> order; // display order: storage indices
    builderdetail::StringIndex index;
    builderdetail::StringSet parentPrefixes; // "Account", "Account.Owner" once "Account.Owner.Name" exists

    // The column sequence of the previous row predicts the next row's: a cheap compare instead
    // of a hash lookup for almost every cell.
    builderdetail::RowSequence previousSequence;
    builderdetail::RowSequence currentSequence;
    int lastColumn = -1; // storage index of the last column touched in the current row

    int rows = 0;
    int reserveRows = 0;
    bool inRecord = false;
    RecordBatchArena arena;
    // The current row's id (from attributes.url): an "Id" value with the same bytes shares it.
    quint32 idOffset = 0;
    quint32 idLength = 0;
    std::vector<double> numbers;
    QList<RecordBatch> children;
    qsizetype childBytes = 0;
    std::vector<std::string> typeKeys;
    QStringList recordTypes;
    int lastType = -1;
    std::vector<quint16> rowType;
    std::vector<RecordBatchCell> rowId;

    QString sobjectType;
    bool sobjectTypeSet = false;
    qint64 totalSize = 0;
    bool totalSizeSet = false;
    bool done = true;
    QString nextRecordsUrl;

    // The column for the next cell of the current row: the one the previous row had at this
    // position when its path is the same (nearly always), else found or created by path.
    Q_ALWAYS_INLINE int columnFor(std::string_view path, bool placeholder = false)
    {
        const size_t position = currentSequence.size();
        if (position < previousSequence.size()) [[likely]] {
            const int predicted = previousSequence[position];
            const std::string &key = columns[size_t(predicted)].key;
            if (key.size() == path.size() && builderdetail::sameBytes(key.data(), path.data(), path.size())) {
                currentSequence.push(predicted);
                lastColumn = predicted;
                return predicted;
            }
        }
        return columnByPath(path, placeholder);
    }

    Q_ALWAYS_INLINE void put(int column, RecordBatchCell cell)
    {
        std::vector<RecordBatchCell> &cells = columns[size_t(column)].cells;
        if (size_t(rows) < cells.size()) [[likely]]
            cells[size_t(rows)] = cell; // the same path twice in one row: last one wins
        else
            putGrowing(cells, cell);
    }

    Q_ALWAYS_INLINE void addString(std::string_view path, std::string_view utf8)
    {
        const int column = columnFor(path);
        // The Id column repeats the id of attributes.url: keep its bytes once.
        const bool sameAsId = utf8.size() == idLength && idLength != 0
            && builderdetail::sameBytes(arena.constData() + idOffset, utf8.data(), utf8.size());
        const quint32 offset = sameAsId ? idOffset : arena.append(utf8.data(), utf8.size());
        put(column, RecordBatchCell::make(RecordBatch::CellType::String, offset, quint32(utf8.size())));
    }

    Q_ALWAYS_INLINE void addNumber(std::string_view path, double value)
    {
        const int column = columnFor(path);
        const auto slot = quint32(numbers.size());
        numbers.push_back(value);
        put(column, RecordBatchCell::make(RecordBatch::CellType::Number, slot, 0));
    }

    Q_ALWAYS_INLINE void addBool(std::string_view path, bool value)
    {
        put(columnFor(path), RecordBatchCell::make(RecordBatch::CellType::Boolean, 0, value ? 1 : 0));
    }

    // Starts a row (ending an open one). `type` and `id` as RecordBatchBuilder::beginRecord.
    void beginRecord(std::string_view type, std::string_view id)
    {
        if (inRecord)
            endRecord();
        inRecord = true;
        currentSequence.clear();
        lastColumn = -1;
        if (lastType < 0 || typeKeys[size_t(lastType)].size() != type.size()
            || !builderdetail::sameBytes(typeKeys[size_t(lastType)].data(), type.data(), type.size())) [[unlikely]]
            lastType = typeIndex(type);
        rowType.push_back(quint16(std::min(lastType, 0xFFFF)));
        if (id.empty()) {
            idLength = 0;
            rowId.push_back(RecordBatchCell {});
        } else {
            idOffset = arena.append(id.data(), id.size());
            idLength = quint32(id.size());
            rowId.push_back(RecordBatchCell::make(RecordBatch::CellType::String, idOffset, idLength));
        }
    }

    void endRecord()
    {
        if (!inRecord)
            return;
        inRecord = false;
        ++rows;
        std::swap(previousSequence, currentSequence);
    }

    // Out of line (recordbatchbuilder.cpp): the rare paths.
    int columnByPath(std::string_view path, bool placeholder);
    int createColumn(std::string_view path, bool placeholder);
    void putGrowing(std::vector<RecordBatchCell> &cells, RecordBatchCell cell);
    int typeIndex(std::string_view type);

    void reset() { *this = Private(); }
};

} // namespace fs
