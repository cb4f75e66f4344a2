#pragma once

// Engine-internal storage behind fs::RecordBatch. Shared by recordbatch.cpp (readers) and
// RecordBatchBuilder (the only writer). Immutable once a RecordBatch wraps it, so any thread may
// read it without locks.

#include "api/recordbatch.h"

#include <QByteArray>
#include <QtGlobal>
#include <QHash>
#include <QList>
#include <QSharedData>
#include <QString>
#include <QStringList>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

namespace fs {

// Growable UTF-8 byte buffer for cell text. A plain malloc'd block: appending is a bounds check
// and a memcpy (no detach or null-terminator bookkeeping as in QByteArray), and finishing a page
// shrinks it with realloc, which glibc does in place. Move-only.
class RecordBatchArena {
public:
    RecordBatchArena() = default;
    RecordBatchArena(const RecordBatchArena &other) { *this = other; }
    RecordBatchArena(RecordBatchArena &&other) noexcept
        : m_data(std::exchange(other.m_data, nullptr))
        , m_size(std::exchange(other.m_size, 0))
        , m_capacity(std::exchange(other.m_capacity, 0))
    {
    }
    RecordBatchArena &operator=(const RecordBatchArena &other)
    {
        if (this != &other) {
            clear();
            reserve(other.m_size);
            if (other.m_size)
                std::memcpy(m_data, other.m_data, other.m_size);
            m_size = other.m_size;
        }
        return *this;
    }
    RecordBatchArena &operator=(RecordBatchArena &&other) noexcept
    {
        if (this != &other) {
            std::free(m_data);
            m_data = std::exchange(other.m_data, nullptr);
            m_size = std::exchange(other.m_size, 0);
            m_capacity = std::exchange(other.m_capacity, 0);
        }
        return *this;
    }
    ~RecordBatchArena() { std::free(m_data); }

    const char *constData() const { return m_data; }
    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }

    void reserve(size_t bytes)
    {
        if (bytes <= m_capacity)
            return;
        void *grown = std::realloc(m_data, bytes);
        if (!grown)
            throw std::bad_alloc();
        m_data = static_cast<char *>(grown);
        m_capacity = bytes;
    }
    // Appends `length` bytes; returns their offset.
    Q_ALWAYS_INLINE quint32 append(const char *bytes, size_t length)
    {
        if (m_size + length > m_capacity)
            reserve(std::max<size_t>(m_size + length, m_capacity + m_capacity / 2 + 256));
        const auto offset = quint32(m_size);
        copySmall(m_data + m_size, bytes, length);
        m_size += length;
        return offset;
    }
    void squeeze()
    {
        if (m_capacity == m_size)
            return;
        if (m_size == 0) {
            clear();
            return;
        }
        if (void *shrunk = std::realloc(m_data, m_size)) {
            m_data = static_cast<char *>(shrunk);
            m_capacity = m_size;
        }
    }
    void clear()
    {
        std::free(m_data);
        m_data = nullptr;
        m_size = m_capacity = 0;
    }

private:
    // Cell texts are mostly short: copy them with two fixed-size (overlapping) moves inline
    // instead of a call to memcpy. Touches only the `length` bytes of each side.
    static void copySmall(char *to, const char *from, size_t length)
    {
        if (length > 32) {
            std::memcpy(to, from, length);
        } else if (length > 16) {
            copyHeadAndTail<16>(to, from, length);
        } else if (length >= 8) {
            copyHeadAndTail<8>(to, from, length);
        } else if (length >= 4) {
            copyHeadAndTail<4>(to, from, length);
        } else {
            for (size_t i = 0; i < length; ++i)
                to[i] = from[i];
        }
    }

    // `length` bytes, W <= length <= 2 * W, as the first and the last W of them.
    template<size_t W>
    static void copyHeadAndTail(char *to, const char *from, size_t length)
    {
        char head[W];
        char tail[W];
        std::memcpy(head, from, W);
        std::memcpy(tail, from + length - W, W);
        std::memcpy(to, head, W);
        std::memcpy(to + length - W, tail, W);
    }

    char *m_data = nullptr;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

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

    RecordBatchArena arena; // UTF-8 text of String and Object cells, record ids
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
