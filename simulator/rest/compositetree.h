#pragma once

#include "http/httptypes.h"

namespace fs::sim {

class Store;
struct ObjectDef;

// POST /composite/tree/{SObject} (reference §5.3): creates record trees whose children nest under
// child relationship names ({"Contacts":{"records":[…]}}). Up to 200 records, 5 levels and 5
// object types per request; every record carries attributes {type, referenceId}. Records are
// created level by level (all roots, then all second-level records, …), each child's lookup set
// to its parent's new id, all in one transaction: success → 201 {"hasErrors":false,"results":
// [{referenceId,id}…]} in creation order; any failure → 400 {"hasErrors":true,"results":[{referenceId,
// errors:[{statusCode,message,fields}]}]} listing only the failing records, nothing saved.
// Simulator thread only.
class CompositeTree {
public:
    CompositeTree(Store &store, QString userId);

    HttpResponse handle(const HttpRequest &req, const ObjectDef &root);

    static constexpr int kMaxRecords = 200;
    static constexpr int kMaxDepth = 5;
    static constexpr int kMaxTypes = 5;

private:
    Store &m_store;
    QString m_userId;
};

} // namespace fs::sim
