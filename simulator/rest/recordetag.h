#pragma once

#include "http/httptypes.h"

#include <QByteArray>
#include <QVariantMap>

#include <functional>

namespace fs::sim {

class Store;
struct ObjectDef;

// Strong validators for sObject Rows of Account (reference §2.7): an ETag response header on
// GET/HEAD/PATCH, If-None-Match → 304 on GET/HEAD (412 on PATCH/DELETE), If-Match with one or more
// comma-separated ETags (or *) → 412 when none matches, an unparsable header value → 400. The
// ETag hashes every field of the stored row, so any change (including SystemModstamp) changes it.
// DELETE honours the headers as the sObject Rows DELETE page documents (the conditional-requests
// overview says DELETE is unsupported; see the final report). Simulator thread only.
class RecordETag {
public:
    explicit RecordETag(Store &store);

    // `next` runs the ordinary sObject Rows handler once the preconditions hold.
    HttpResponse handle(const HttpRequest &req, const ObjectDef &obj, const QString &rawId,
        const std::function<HttpResponse()> &next);

    // The quoted entity tag of a stored row, e.g. "q1w2…=--gzip".
    static QByteArray etagFor(const ObjectDef &obj, const QVariantMap &row);
    static bool supports(const ObjectDef &obj);

private:
    Store &m_store;
};

} // namespace fs::sim
