#pragma once

#include <QString>

namespace fs::engine {

// Turns request targets into text that is safe to log and show: never a token, password, key,
// OAuth code, SOQL string value or record value carried in the path. Pure functions; any thread.
namespace RequestSanitizer {

    // SOQL/SOSL with every quoted string literal replaced by '***' (escapes understood; an
    // unterminated literal hides the rest of the text).
    QString redactSoqlLiterals(const QString &soql);

    // "/services/data/v59.0/query?q=…" or an absolute URL → path plus sanitized query string
    // (scheme, host, user info and fragment dropped). The `q`/`s` parameter is shown decoded with
    // its string literals redacted; parameters whose name suggests a secret (token, password,
    // secret, assertion, code, signature, key, sid …) have their value replaced by "***". The path
    // goes through redactPathValues.
    QString sanitizeTarget(const QString &pathOrUrl);

    // A path (no query string) with every segment that carries a record value replaced by "***".
    // Under ".../sobjects/<Type>/<Second>/<Rest…>" the second segment is kept when it is a record
    // id or a resource word (describe, updated, deleted, listviews, quickActions …); otherwise it
    // is an external-id field name (upsert/get by external id) and everything after it is the
    // field's value: "/sobjects/Account/Invoice_Number__c/INV-7" → "/sobjects/Account/Invoice_Number__c/***".
    QString redactPathValues(const QString &path);

    // True for a 15-character id (letters and digits, at least one digit) or an 18-character id
    // whose last three characters are the case checksum of the first fifteen.
    bool looksLikeRecordId(const QString &segment);

    // True when a query parameter with this name must never be logged.
    bool isSensitiveParameter(const QString &name);

} // namespace RequestSanitizer

} // namespace fs::engine
