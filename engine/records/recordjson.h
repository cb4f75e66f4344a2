#pragma once

#include "api/engineerror.h"
#include "api/types.h"

#include <QDateTime>
#include <QJsonValue>
#include <QString>

namespace fs::engine::recordjson {

// Small, pure helpers for the sObject record endpoints. Safe from any thread.

// True for an API name such as Account, Ext_Id__c, ns__Obj__c (letters, digits, underscores,
// starting with a letter). Everything that goes into a URL path or a field list is checked first.
bool isApiName(const QString &name);
// True for a 15- or 18-character record id (base 62).
bool isRecordId(const QString &id);
// The 18-character, case-insensitive form of a 15-character id (18-char ids are returned as is).
QString to18(const QString &id);

// Salesforce datetime text ("2023-11-14T22:13:20.000+0000", also with "Z" or "+00:00") → UTC.
// Invalid QDateTime when the text is not a datetime.
QDateTime parseDateTime(const QString &text);
// RFC 1123 HTTP date in GMT, rounded UP to the next whole second: HTTP dates have no milliseconds,
// and rounding down would make the server refuse a record that the user saw unchanged.
QByteArray httpDateCeil(const QDateTime &when);
// True when `server` is newer than `expected` (the modstamp the user saw). Texts that do not parse
// are compared literally: any difference counts as newer.
bool isNewer(const QString &server, const QString &expected);

// An EngineError for an HTTP error response: the first entry of the Salesforce error array
// (errorCode/statusCode, message, fields), with the category chosen by status and code.
EngineError errorFromResponse(int httpStatus, const QByteArray &body, const QString &fallbackMessage);
// Same, for an already-parsed error array or object (composite subresponse bodies).
EngineError errorFromJson(int httpStatus, const QJsonValue &body, const QString &fallbackMessage);
// A per-record error entry {"statusCode","message","fields"} (or errorCode) → EngineError.
EngineError errorFromSaveError(const QJsonValue &entry);
// A save result {"id","success","errors":[…],"created"} → SaveResult.
SaveResult saveResultFromJson(const QJsonValue &value);

// True when the record-level error code means "try again shortly".
bool isRetryableRecordError(const QString &code);

} // namespace fs::engine::recordjson
