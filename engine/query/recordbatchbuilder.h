#pragma once

#include "api/recordbatch.h"

#include <QStringList>

#include <memory>
#include <string_view>

namespace fs {

// Builds one RecordBatch row by row. Engine-internal writer (the query page parser uses it);
// tests and model code may use it too to make batches without JSON.
//
// Not thread-safe; one builder per thread. Column paths are UTF-8 ("Account.Owner.Name").
// Columns appear in the order first seen; a column first seen in a later row is inserted right
// after the column that preceded it in that row (so the union of columns keeps select order),
// and earlier rows read Null there. A cell never set in a row is Null.
//
//   RecordBatchBuilder b;
//   b.beginRecord("Account", "001000000000001AAA");
//   b.addString("Name", "Acme");
//   b.addNumber("NumberOfEmployees", 12);
//   b.endRecord();
//   RecordBatch batch = b.build();
class RecordBatchBuilder {
public:
    RecordBatchBuilder();
    ~RecordBatchBuilder();
    RecordBatchBuilder(const RecordBatchBuilder &) = delete;
    RecordBatchBuilder &operator=(const RecordBatchBuilder &) = delete;

    // Pre-creates columns (e.g. those of the previous page) so pages of one query agree on order.
    // Seeded columns that no row fills stay in the batch as all-Null columns.
    void seedColumns(const QStringList &columns);
    // Puts the columns in the order of `selectPaths` (the query's select list: field paths,
    // matched case-insensitively as SOQL names are; unmatched columns keep their order after
    // them). A parent that was null in every row so far becomes its selected paths, all Null,
    // instead of one column named after the relationship. Call once, before build().
    void arrangeBySelectList(const QStringList &selectPaths);
    void reserve(int rows, qsizetype arenaBytes);

    // The result-level fields (totalSize, done, nextRecordsUrl of the page or child result).
    void setResultInfo(qint64 totalSize, bool done, const QString &nextRecordsUrl);
    // Overrides the batch's sObject type (by default the type of the first record).
    void setSObjectType(const QString &type);

    // `id` is the 15/18-char record id (from attributes.url), empty when none.
    void beginRecord(std::string_view type, std::string_view id = {});
    void addNull(std::string_view path);
    void addString(std::string_view path, std::string_view utf8);
    void addNumber(std::string_view path, double value);
    void addBool(std::string_view path, bool value);
    void addObject(std::string_view path, std::string_view compactJson);
    // A nested child-relationship result. An empty (default) batch is stored as Null.
    void addChild(std::string_view path, const RecordBatch &child);
    // The parent lookup at `path` is null: its flattened columns read Null. When none of its
    // columns is known yet, a placeholder column named `path` stands in until one appears.
    void addNullParent(std::string_view path);
    void endRecord();

    int rowCount() const;
    qsizetype arenaSize() const;

    // Finishes the batch and resets the builder (seeded columns are forgotten too).
    RecordBatch build();

    // A copy of the first `rows` rows of `batch` (for bounded queries). Child cells are shared.
    static RecordBatch truncated(const RecordBatch &batch, int rows);

    // The builder's state with its per-cell operations inline (recordbatchbuilder_p.h), for the
    // query page parser's walk. Same effect as the functions above.
    class Private;
    Private &internals();

private:
    std::unique_ptr<Private> d;
};

} // namespace fs
