#pragma once

#include "api/recordbatch.h"
#include "api/result.h"

#include <QByteArray>
#include <QStringList>

#include <functional>

namespace fs::engine {

// Turns one query page body (the JSON of /query, /queryAll or a nextRecordsUrl) into a
// RecordBatch with simdjson On-Demand. The batch's totalSize()/done()/nextRecordsUrl() mirror
// the page. Pure CPU work: call it off the GUI thread (QueryService runs it on a pool thread).
// Thread-safe: every thread that calls it keeps its own simdjson parser.
//
// Mapping (reference §3.2–3.3, §4.3):
//  - parent relationships are flattened into "Parent.Field" columns (any depth); a null lookup
//    makes those cells Null;
//  - child subqueries become Child cells holding a nested RecordBatch (totalSize/done/
//    nextRecordsUrl kept, so the caller can page the child separately); null children are Null;
//  - compound values (address, location) become Object cells with compact JSON text;
//  - strings, numbers, booleans map to String/Number/Boolean cells.
// A body that is not a well-formed query page yields EngineError{Server, …} and no batch.
class QueryPageParser {
public:
    using LocatorCallback = std::function<void(const QString &nextRecordsUrl)>;

    // `seedColumns` (e.g. the previous page's columns) fixes the column order across pages.
    // `onLocator` is called on the calling thread as soon as nextRecordsUrl has been read —
    // before the records are parsed — so the caller can request the next page at once.
    // `selectOrder` (the query's select-list paths, first page only) puts parent paths and
    // fields in the order the query named them; see RecordBatchBuilder::arrangeBySelectList.
    static Result<RecordBatch> parse(QByteArray body, const QStringList &seedColumns = {},
        const LocatorCallback &onLocator = {}, const QStringList &selectOrder = {});

    // The message of the error returned for a corrupt body.
    static QString malformedMessage();

    // The simdjson kernel the On-Demand walk of this parser was compiled with ("fallback" for
    // plain x86-64 flags). Stage 1 is dispatched by libsimdjson at run time and may differ
    // (simdjson::get_active_implementation()).
    static QString onDemandKernel();
};

} // namespace fs::engine
