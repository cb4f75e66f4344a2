#include "recordbatchbuilder.h"

#include "recordbatchbuilder_p.h"

#include <algorithm>
#include <string>

namespace fs {

int RecordBatchBuilder::Private::createColumn(std::string_view path, bool placeholder)
{
    const int storage = int(columns.size());
    BuilderColumn column;
    column.key.assign(path);
    column.placeholder = placeholder;
    column.cells.resize(size_t(std::max(reserveRows, rows + 1))); // earlier rows read Null
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

int RecordBatchBuilder::Private::columnByPath(std::string_view path, bool placeholder)
{
    const auto it = index.find(path);
    const int column = it != index.end() ? it->second : createColumn(path, placeholder);
    currentSequence.push(column);
    lastColumn = column;
    return column;
}

void RecordBatchBuilder::Private::putGrowing(std::vector<RecordBatchCell> &cells, RecordBatchCell cell)
{
    // More rows than reserved: grow by half (new rows read Null until set).
    cells.resize(std::max(size_t(rows) + 1, cells.size() + cells.size() / 2 + 16));
    cells[size_t(rows)] = cell;
}

int RecordBatchBuilder::Private::typeIndex(std::string_view type)
{
    const auto it = std::find(typeKeys.begin(), typeKeys.end(), type);
    if (it != typeKeys.end())
        return int(it - typeKeys.begin());
    typeKeys.emplace_back(type);
    recordTypes.append(QString::fromUtf8(type.data(), qsizetype(type.size())));
    return int(typeKeys.size()) - 1;
}

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
    for (RecordBatchBuilder::Private::BuilderColumn &column : d->columns) {
        if (column.cells.size() < size_t(rows))
            column.cells.resize(size_t(rows));
    }
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
    d->beginRecord(type, id);
}

void RecordBatchBuilder::addNull(std::string_view path)
{
    d->put(d->columnFor(path), RecordBatchCell {});
}

void RecordBatchBuilder::addString(std::string_view path, std::string_view utf8)
{
    d->addString(path, utf8);
}

void RecordBatchBuilder::addNumber(std::string_view path, double value)
{
    d->addNumber(path, value);
}

void RecordBatchBuilder::addBool(std::string_view path, bool value)
{
    d->addBool(path, value);
}

void RecordBatchBuilder::addObject(std::string_view path, std::string_view compactJson)
{
    const int column = d->columnFor(path);
    const quint32 offset = d->arena.append(compactJson.data(), compactJson.size());
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
    d->endRecord();
}

RecordBatchBuilder::Private &RecordBatchBuilder::internals()
{
    return *d;
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
        RecordBatchBuilder::Private::BuilderColumn &column = d->columns[size_t(storage)];
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
