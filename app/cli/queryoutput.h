#pragma once

#include "api/recordbatch.h"
#include "texttable.h"

#include <QJsonObject>
#include <QString>

#include <functional>
#include <optional>

namespace fs::cli {

enum class OutputFormat { Table, Csv, Json };

// Writes query results page by page as they stream in; nothing but the current page is held.
//
//  - table: aligned columns; widths fixed from the first page (later, wider cells are cut with …),
//    then "(N records)" at the end.
//  - csv:   RFC 4180, header row of flattened column names, CRLF line ends. Child subquery cells
//           hold their records as compact JSON text.
//  - json:  one document, stable for scripting, one record per line:
//           {"records":[
//           {…},
//           {…}
//           ],"totalSize":N,"fetched":M,"done":true,"truncated":false}
//           where each record maps flattened column names ("Name", "Account.Owner.Name") to
//           strings, numbers, booleans or null, in select-list order (the order of the table and
//           CSV columns); a child subquery is {"totalSize":N,"done":B,"records":[…]} (plus
//           "nextRecordsUrl" when the server had more) or null when it matched nothing; compound
//           values (address, location) are JSON objects with sorted keys.
class QueryOutput {
public:
    using Sink = std::function<void(const QString &)>; // writes and flushes

    QueryOutput(OutputFormat format, Sink sink);

    void writePage(const RecordBatch &batch);
    void finish(qint64 totalSize, qint64 fetched, bool done, bool truncated);

    // One record as a JSON object (also used for `record get`; QJsonObject sorts the keys).
    static QJsonObject recordJson(const RecordBatch &batch, int row);
    // One record as compact JSON text with its keys in column (select-list) order.
    static QString recordJsonText(const RecordBatch &batch, int row);
    // Display text of one cell for table/csv.
    static QString cellText(const RecordBatch &batch, int row, int column, OutputFormat format);

private:
    OutputFormat m_format;
    Sink m_sink;
    QStringList m_columns;
    std::optional<TextTable> m_table;
    qint64 m_rows = 0;
    bool m_started = false;
};

} // namespace fs::cli
