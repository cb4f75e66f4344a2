#pragma once

#include <QString>

namespace fs::soql {

// A SOQL parse or semantic error, positioned so an editor can underline it.
struct SoqlError {
    QString code; // MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, INVALID_QUERY_FILTER_OPERATOR, …
    QString message; // the bare description, e.g. "unexpected token: <EOF>"
    int line = 1; // 1-based
    int column = 1; // 1-based; one past the end for <EOF>
    int offset = 0; // UTF-16 offset into the query

    bool isValid() const { return !code.isEmpty(); }
};

// Salesforce's wire message for `error` on `query`:
//   "<query line>\n<column-1 spaces>^\nERROR at Row:R:Column:C\n<description>"
// Semantic errors (every code except MALFORMED_QUERY) start with an extra "\n", as in the
// reference's INVALID_FIELD example; parse errors do not, as in its MALFORMED_QUERY example.
// The excerpt is the whole line `error.line` of the query (windowing of long lines is
// UNCONFIRMED in the reference; we keep the line whole).
QString formatSalesforceMessage(const QString &query, const SoqlError &error);

// The standard INVALID_FIELD / INVALID_TYPE descriptions.
QString noSuchColumnMessage(const QString &field, const QString &entity);
QString unsupportedTypeMessage(const QString &type);

} // namespace fs::soql
