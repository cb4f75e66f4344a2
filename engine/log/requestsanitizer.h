#pragma once

#include <QString>

namespace fs::engine {

// Turns request targets into text that is safe to log and show: never a token, password, key,
// OAuth code or SOQL string value. Pure functions; any thread.
namespace RequestSanitizer {

    // SOQL/SOSL with every quoted string literal replaced by '***' (escapes understood; an
    // unterminated literal hides the rest of the text).
    QString redactSoqlLiterals(const QString &soql);

    // "/services/data/v59.0/query?q=…" or an absolute URL → path plus sanitized query string
    // (scheme, host, user info and fragment dropped). The `q`/`s` parameter is shown decoded with
    // its string literals redacted; parameters whose name suggests a secret (token, password,
    // secret, assertion, code, signature, key, sid …) have their value replaced by "***".
    QString sanitizeTarget(const QString &pathOrUrl);

    // True when a query parameter with this name must never be logged.
    bool isSensitiveParameter(const QString &name);

} // namespace RequestSanitizer

} // namespace fs::engine
