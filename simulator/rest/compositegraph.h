#pragma once

#include "http/httptypes.h"

#include <functional>

namespace fs::sim {

// POST /composite/graph (reference §5.4): {"graphs":[{"graphId","compositeRequest":[…]}]}. Each
// graph runs as one all-or-nothing /composite call (same references, same subresponse shapes),
// with up to 500 nodes per request, 75 graphs, a depth of 15, and only sObject resources as nodes. Answers 200
// {"graphs":[{"graphId","graphResponse":{"compositeResponse":[…]},"isSuccessful":bool}]}. After
// more than 14 failed graphs the rest are not run and report PROCESSING_HALTED.
// Simulator thread only.
class CompositeGraph {
public:
    // Runs an internal (already authenticated, uncounted) request through the REST dispatcher.
    using Runner = std::function<HttpResponse(const HttpRequest &)>;

    CompositeGraph(QString version, QString userId, Runner run);

    HttpResponse handle(const HttpRequest &req);

    static constexpr int kMaxGraphs = 75;
    static constexpr int kMaxNodes = 500; // per graph and per request
    static constexpr int kMaxDepth = 15;  // longest chain of @{reference} dependencies
    static constexpr int kMaxGraphFailures = 14;
    // Header an internal /composite call carries to lift its 25-subrequest cap to kMaxNodes.
    static QByteArray maxSubrequestsHeader() { return "X-Fs-Composite-Max"; }

private:
    QString m_version;
    QString m_userId;
    Runner m_run;
};

} // namespace fs::sim
