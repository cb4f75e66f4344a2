#pragma once

#include "ast.h"
#include "soqlerror.h"

#include <QString>

#include <optional>

namespace fs::soql {

struct ParseResult {
    std::optional<Query> query;
    SoqlError error; // valid when query is empty

    bool ok() const { return query.has_value(); }
};

// Parses one SOQL statement. Total: any input yields a Query or a MALFORMED_QUERY error with a
// position; nesting deeper than maxNestingDepth() is refused rather than recursing further.
ParseResult parse(const QString &soql);

int maxNestingDepth();

// Decodes a quoted string token (with its quotes) per reference §3.7. `value` receives the text,
// `likePattern` the LIKE pattern in which literal %, _ and \ are kept escaped by a backslash.
// On an illegal escape returns false and sets *badIndex to the index of the backslash.
bool decodeStringLiteral(QStringView quoted, QString *value, QString *likePattern, int *badIndex);

} // namespace fs::soql
