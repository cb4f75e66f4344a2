#pragma once

#include <QString>
#include <QStringList>

namespace fs::engine {

// RFC 4180 CSV text (shared by the CLI output and the GUI export). A field is quoted when it holds a comma, a double quote, CR or LF, or starts
// or ends with a space (so that spreadsheet tools keep the spaces); inner quotes are doubled.
// Records end with CRLF. Pure functions, any thread.
class CsvWriter {
public:
    static QString quote(const QString &field);
    static QString row(const QStringList &fields); // fields joined with ',' plus "\r\n"
};

} // namespace fs::engine
