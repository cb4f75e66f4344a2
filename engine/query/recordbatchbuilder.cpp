#include "recordbatchbuilder.h"

#include "recordbatchdata.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace fs {

namespace {

struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view> {}(s); }
};

using StringIndex = std::unordered_map<std::string, int, StringHash, std::equal_to<>>;
using StringSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

// Column paths are short: compare them inline a word at a time instead of calling memcmp. The
// tail is one more (overlapping) word, so no byte loop; paths under 8 bytes take two overlapping
// 4-byte words. Reads stay within both strings.
inline bool sameBytes(const char *x, const char *y, size_t n)
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

inline bool samePath(const std::string &a, std::string_view b)
{
    return a.size() == b.size() && sameBytes(a.data(), b.data(), b.size());
}

struct BuilderColumn {
    std::string key;
    std::vector<RecordBatchCell> cells;
    bool placeholder = false; // stands for a null parent lookup whose columns are not known yet
};

} // namespace

class RecordBatchBuilder::Private {
public:
    std::vector<BuilderColumn> columns; // storage order (creation order)
    std::vector<int> order; // display order: storage indices
    StringIndex index;
    StringSet parentPrefixes; // "Account", "Account.Owner" once "Account.Owner.Name" exists

    // The column sequence of the previous row predicts the next row's: a cheap compare instead
    // of a hash lookup for almost every cell.
    std::vector<int> previousSequence;
    std::vector<int> currentSequence;
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

    int createColumn(std::string_view path, bool placeholder)
    {
        const int storage = int(columns.size());
        BuilderColumn column;
        column.key.assign(path);
        column.placeholder = placeholder;
        if (reserveRows > 0)
            column.cells.reserve(size_t(reserveRows));
        columns.push_back(std::move(column));
        index.emplace(std::string(path), storage);

        // Insert after the column that preceded it in this row; first in the row → at the front.
        // In the first row this is creation order.
        if (order.empty()) {
            order.push_back(storage);
        } else if (lastColumn < 0) {
            order.insert(order.begin(), storage);
        } else {
            const auto it = std::find(order.begin(), order.end(), lastColumn);
            order.insert(it == order.end() ? order.end() : it + 1, storage);
        }

        if (!placeholder) {
            for (size_t dot = path.find('.'); dot != std::string_view::npos; dot = path.find('.', dot + 1))
                parentPrefixes.emplace(path.substr(0, dot));
        }
        return storage;
    }

    int columnFor(std::string_view path, bool placeholder = false)
    {
        const size_t position = currentSequence.size();
        int column = -1;
        if (position < previousSequence.size()) {
            const int predicted = previousSequence[position];
            if (samePath(columns[size_t(predicted)].key, path))
                column = predicted;
        }
        if (column < 0) {
            const auto it = index.find(path);
            column = it != index.end() ? it->second : createColumn(path, placeholder);
        }
        currentSequence.push_back(column);
        lastColumn = column;
        return column;
    }

    void put(int column, RecordBatchCell cell)
    {
        std::vector<RecordBatchCell> &cells = columns[size_t(column)].cells;
        const size_t size = cells.size();
        if (size == size_t(rows)) [[likely]] {
            cells.push_back(cell);
        } else if (size < size_t(rows)) {
            cells.resize(size_t(rows)); // earlier rows without this column read Null
            cells.push_back(cell);
        } else {
            cells.back() = cell; // the same path twice in one row: last one wins
        }
    }

    quint32 appendText(std::string_view utf8) { return arena.append(utf8.data(), utf8.size()); }

    void reset()
    {
        *this = Private();
    }
};

RecordBatchBuilder::RecordBatchBuilder()
    : d(std::make_unique<Private>())
{
}

RecordBatchBuilder::~RecordBatchBuilder() = default;

void RecordBatchBuilder::seedColumns(const QStringList &columns)
{
    for (const QString &name : columns) {
        const QByteArray key = name.toUtf8();
        const std::string_view path(key.constData(), size_t(key.size()));
        if (d->index.find(path) == d->index.end()) {
            d->lastColumn = d->order.empty() ? -1 : d->order.back();
            d->createColumn(path, false);
        }
    }
    d->lastColumn = -1;
}

namespace {

bool sameNameIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i) {
        const auto lower = [](char ch) { return ch >= 'A' && ch <= 'Z' ? char(ch - 'A' + 'a') : ch; };
        if (lower(a[i]) != lower(b[i]))
            return false;
    }
    return true;
}

} // namespace

void RecordBatchBuilder::arrangeBySelectList(const QStringList &selectPaths)
{
    Private &p = *d;
    std::vector<int> arranged;
    std::vector<bool> used(p.columns.size(), false);
    const auto markUsed = [&](int storage) {
        if (size_t(storage) >= used.size())
            used.resize(size_t(storage) + 1, false);
        used[size_t(storage)] = true;
        arranged.push_back(storage);
    };
    for (const QString &path : selectPaths) {
        const QByteArray utf8 = path.toUtf8();
        const std::string_view wanted(utf8.constData(), size_t(utf8.size()));
        int found = -1;
        for (const int storage : p.order) {
            // A placeholder with the selected name is that field, null in every row so far.
            if (!used[size_t(storage)] && sameNameIgnoringCase(p.columns[size_t(storage)].key, wanted)) {
                found = storage;
                break;
            }
        }
        if (found < 0) {
            // A parent lookup null in every row so far: its placeholder is named after the
            // relationship ("ReportsTo"); give the selected path its own all-Null column, spelled
            // with the server's name for the relationship.
            for (const int storage : p.order) {
                const std::string &key = p.columns[size_t(storage)].key;
                if (!p.columns[size_t(storage)].placeholder || wanted.size() <= key.size() || wanted[key.size()] != '.'
                    || !sameNameIgnoringCase(key, wanted.substr(0, key.size())))
                    continue;
                std::string name = key;
                name.append(wanted.substr(key.size()));
                const auto existing = p.index.find(name);
                found = existing != p.index.end() ? existing->second : p.createColumn(name, false);
                break;
            }
        }
        if (found >= 0 && (size_t(found) >= used.size() || !used[size_t(found)]))
            markUsed(found);
    }
    if (arranged.empty())
        return;
    for (const int storage : p.order) {
        if (size_t(storage) >= used.size() || !used[size_t(storage)])
            arranged.push_back(storage);
    }
    p.order = std::move(arranged);
}

void RecordBatchBuilder::reserve(int rows, qsizetype arenaBytes)
{
    d->reserveRows = rows;
    d->rowType.reserve(size_t(rows));
    d->rowId.reserve(size_t(rows));
    d->arena.reserve(size_t(std::max<qsizetype>(arenaBytes, 0)));
    for (BuilderColumn &column : d->columns)
        column.cells.reserve(size_t(rows));
}

void RecordBatchBuilder::setResultInfo(qint64 totalSize, bool done, const QString &nextRecordsUrl)
{
    d->totalSize = totalSize;
    d->totalSizeSet = true;
    d->done = done;
    d->nextRecordsUrl = nextRecordsUrl;
}

void RecordBatchBuilder::setSObjectType(const QString &type)
{
    d->sobjectType = type;
    d->sobjectTypeSet = true;
}

void RecordBatchBuilder::beginRecord(std::string_view type, std::string_view id)
{
    if (d->inRecord)
        endRecord();
    d->inRecord = true;
    d->currentSequence.clear();
    d->lastColumn = -1;

    int typeIndex = d->lastType;
    if (typeIndex < 0 || d->typeKeys[size_t(typeIndex)] != type) {
        const auto it = std::find(d->typeKeys.begin(), d->typeKeys.end(), type);
        if (it != d->typeKeys.end()) {
            typeIndex = int(it - d->typeKeys.begin());
        } else {
            typeIndex = int(d->typeKeys.size());
            d->typeKeys.emplace_back(type);
            d->recordTypes.append(QString::fromUtf8(type.data(), qsizetype(type.size())));
        }
        d->lastType = typeIndex;
    }
    d->rowType.push_back(quint16(std::min(typeIndex, 0xFFFF)));
    if (id.empty()) {
        d->idLength = 0;
        d->rowId.push_back(RecordBatchCell {});
    } else {
        d->idOffset = d->appendText(id);
        d->idLength = quint32(id.size());
        d->rowId.push_back(RecordBatchCell::make(RecordBatch::CellType::String, d->idOffset, d->idLength));
    }
}

void RecordBatchBuilder::addNull(std::string_view path)
{
    d->put(d->columnFor(path), RecordBatchCell {});
}

void RecordBatchBuilder::addString(std::string_view path, std::string_view utf8)
{
    const int column = d->columnFor(path);
    // The Id column repeats the id of attributes.url: keep its bytes once.
    const bool sameAsId = d->idLength != 0 && utf8.size() == d->idLength
        && sameBytes(d->arena.constData() + d->idOffset, utf8.data(), utf8.size());
    const quint32 offset = sameAsId ? d->idOffset : d->appendText(utf8);
    d->put(column, RecordBatchCell::make(RecordBatch::CellType::String, offset, quint32(utf8.size())));
}

void RecordBatchBuilder::addNumber(std::string_view path, double value)
{
    const int column = d->columnFor(path);
    const auto index = quint32(d->numbers.size());
    d->numbers.push_back(value);
    d->put(column, RecordBatchCell::make(RecordBatch::CellType::Number, index, 0));
}

void RecordBatchBuilder::addBool(std::string_view path, bool value)
{
    d->put(d->columnFor(path), RecordBatchCell::make(RecordBatch::CellType::Boolean, 0, value ? 1 : 0));
}

void RecordBatchBuilder::addObject(std::string_view path, std::string_view compactJson)
{
    const int column = d->columnFor(path);
    const quint32 offset = d->appendText(compactJson);
    d->put(column, RecordBatchCell::make(RecordBatch::CellType::Object, offset, quint32(compactJson.size())));
}

void RecordBatchBuilder::addChild(std::string_view path, const RecordBatch &child)
{
    const int column = d->columnFor(path);
    if (child.rowCount() == 0 && child.totalSize() == 0) {
        d->put(column, RecordBatchCell {});
        return;
    }
    const auto index = quint32(d->children.size());
    d->children.append(child);
    d->childBytes += child.byteSize();
    d->put(column, RecordBatchCell::make(RecordBatch::CellType::Child, index, 0));
}

void RecordBatchBuilder::addNullParent(std::string_view path)
{
    if (d->parentPrefixes.find(path) != d->parentPrefixes.end())
        return; // its columns exist and default to Null in this row
    d->put(d->columnFor(path, true), RecordBatchCell {});
}

void RecordBatchBuilder::endRecord()
{
    if (!d->inRecord)
        return;
    d->inRecord = false;
    ++d->rows;
    std::swap(d->previousSequence, d->currentSequence);
}

int RecordBatchBuilder::rowCount() const
{
    return d->rows + (d->inRecord ? 1 : 0);
}

qsizetype RecordBatchBuilder::arenaSize() const
{
    return d->arena.size();
}

RecordBatch RecordBatchBuilder::build()
{
    endRecord();
    auto *data = new RecordBatchData;
    data->rows = d->rows;
    data->columns.reserve(d->order.size());
    for (const int storage : d->order) {
        BuilderColumn &column = d->columns[size_t(storage)];
        if (column.placeholder && d->parentPrefixes.find(column.key) != d->parentPrefixes.end())
            continue; // the parent's real columns turned up
        column.cells.resize(size_t(d->rows));
        if (column.cells.capacity() > column.cells.size() + column.cells.size() / 8 + 16)
            column.cells.shrink_to_fit(); // the row estimate was generous: do not keep the slack
        RecordBatchColumn out;
        out.name = QString::fromUtf8(column.key.data(), qsizetype(column.key.size()));
        out.cells = std::move(column.cells);
        data->columnByLowerName.insert(out.name.toLower(), int(data->columns.size()));
        data->columnNames.append(out.name);
        data->columns.push_back(std::move(out));
    }
    if (d->arena.capacity() > d->arena.size() + d->arena.size() / 8 + 64)
        d->arena.squeeze(); // realloc to the exact size: in place, no copy
    if (d->numbers.capacity() > d->numbers.size() + d->numbers.size() / 8 + 16)
        d->numbers.shrink_to_fit();
    data->arena = std::move(d->arena);
    data->numbers = std::move(d->numbers);
    data->children = std::move(d->children);
    data->childBytes = d->childBytes;
    data->recordTypes = std::move(d->recordTypes);
    data->rowType = std::move(d->rowType);
    data->rowId = std::move(d->rowId);
    data->sobjectType = d->sobjectTypeSet ? d->sobjectType : data->recordTypes.value(0);
    data->totalSize = d->totalSizeSet ? d->totalSize : d->rows;
    data->done = d->done;
    data->nextRecordsUrl = d->nextRecordsUrl;
    d->reset();
    return RecordBatch(data);
}

RecordBatch RecordBatchBuilder::truncated(const RecordBatch &batch, int rows)
{
    if (!batch.d || rows >= batch.d->rows)
        return batch;
    rows = std::max(rows, 0);
    auto *data = new RecordBatchData(*batch.d);
    data->rows = rows;
    for (RecordBatchColumn &column : data->columns) {
        column.cells.resize(size_t(rows));
        column.cells.shrink_to_fit();
    }
    data->rowType.resize(size_t(rows));
    data->rowId.resize(size_t(rows));
    return RecordBatch(data);
}

} // namespace fs
