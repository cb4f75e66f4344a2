#include "compositegraph.h"

#include "rest/extrasupport.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace fs::sim {

namespace {

QJsonObject nodeResult(const QString &referenceId, int status, const QJsonValue &body)
{
    return QJsonObject { { QStringLiteral("body"), body }, { QStringLiteral("httpHeaders"), QJsonObject {} },
        { QStringLiteral("httpStatusCode"), status }, { QStringLiteral("referenceId"), referenceId } };
}

QJsonArray errorBody(const QString &code, const QString &message)
{
    return QJsonArray { QJsonObject { { QStringLiteral("errorCode"), code }, { QStringLiteral("message"), message } } };
}

QJsonObject graphResult(const QString &graphId, const QJsonArray &compositeResponse, bool ok)
{
    return QJsonObject { { QStringLiteral("graphId"), graphId },
        { QStringLiteral("graphResponse"), QJsonObject { { QStringLiteral("compositeResponse"), compositeResponse } } },
        { QStringLiteral("isSuccessful"), ok } };
}

// Composite graph nodes may only use sObject resources: POST /sobjects/X, GET/PATCH/DELETE
// /sobjects/X/id, and GET/PATCH/DELETE/POST /sobjects/X/field/value.
QString unsupportedNode(const QString &method, const QString &url)
{
    static const QRegularExpression re(QStringLiteral("^/services/data/v\\d+\\.0/sobjects/([^/?]+)((?:/[^/?]+){0,2})/?(?:\\?.*)?$"));
    const auto m = re.match(url);
    if (!m.hasMatch())
        return QStringLiteral("The URL %1 is not supported in a composite graph; use sObject resources only").arg(url);
    const int depth = int(m.captured(2).count(u'/'));
    bool ok = false;
    if (depth == 0)
        ok = method == u"POST";
    else if (depth == 1)
        ok = method == u"GET" || method == u"PATCH" || method == u"DELETE";
    else
        ok = method == u"GET" || method == u"PATCH" || method == u"DELETE" || method == u"POST";
    return ok ? QString() : QStringLiteral("HTTP method %1 is not supported for %2 in a composite graph").arg(method, url);
}

// The depth of a graph: the longest chain of nodes that reference an earlier node's result
// through @{referenceId.…} in their url or body.
int graphDepth(const QJsonArray &nodes)
{
    static const QRegularExpression refRe(QStringLiteral("@\\{([A-Za-z0-9_]+)[.\\[]"));
    QHash<QString, int> depthOf;
    int deepest = 0;
    for (const QJsonValue &v : nodes) {
        const QJsonObject n = v.toObject();
        const QString text = n.value(u"url").toString() + QString::fromUtf8(toJsonBytes(n.value(u"body")));
        int depth = 1;
        auto it = refRe.globalMatch(text);
        while (it.hasNext()) {
            const QString ref = it.next().captured(1);
            depth = qMax(depth, depthOf.value(ref, 0) + 1);
        }
        depthOf.insert(n.value(u"referenceId").toString(), depth);
        deepest = qMax(deepest, depth);
    }
    return deepest;
}

} // namespace

CompositeGraph::CompositeGraph(QString version, QString userId, Runner run)
    : m_version(std::move(version))
    , m_userId(std::move(userId))
    , m_run(std::move(run))
{
}

HttpResponse CompositeGraph::handle(const HttpRequest &req)
{
    if (req.method != "POST")
        return extras::methodNotAllowedReply(req.method, QStringLiteral("POST"));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return errorResponse(400, QStringLiteral("JSON_PARSER_ERROR"),
            QStringLiteral("Unexpected character in the request body at [line:1, column:%1]: %2").arg(pe.offset + 1).arg(pe.errorString()));
    if (!doc.isObject() || !doc.object().value(u"graphs").isArray())
        return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("The request body must be an object with a graphs array"));
    const QJsonArray graphs = doc.object().value(u"graphs").toArray();
    if (graphs.isEmpty())
        return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("The graphs array must contain at least one graph"));
    if (graphs.size() > kMaxGraphs)
        return errorResponse(400, QStringLiteral("INVALID_INPUT"),
            QStringLiteral("Exceeded max limit of graphs allowed. Max allowed is %1.").arg(kMaxGraphs));
    QSet<QString> ids;
    int totalNodes = 0;
    for (const QJsonValue &g : graphs) {
        const QJsonObject go = g.toObject();
        const QString graphId = go.value(u"graphId").toString();
        if (!g.isObject() || graphId.isEmpty())
            return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("Every graph must have a graphId"));
        if (ids.contains(graphId))
            return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("Duplicate graphId provided in the request: %1").arg(graphId));
        ids.insert(graphId);
        const QJsonArray nodes = go.value(u"compositeRequest").toArray();
        if (!go.value(u"compositeRequest").isArray() || nodes.isEmpty())
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Graph %1 must have a compositeRequest array with at least one node").arg(graphId));
        if (nodes.size() > kMaxNodes)
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Graph %1 exceeds the max limit of %2 nodes").arg(graphId).arg(kMaxNodes));
        if (graphDepth(nodes) > kMaxDepth)
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Graph %1 exceeds the max depth of %2 nodes").arg(graphId).arg(kMaxDepth));
        totalNodes += int(nodes.size());
    }
    if (totalNodes > kMaxNodes)
        return errorResponse(400, QStringLiteral("INVALID_INPUT"),
            QStringLiteral("Exceeded max limit of nodes allowed in one request. Max allowed is %1, found %2.").arg(kMaxNodes).arg(totalNodes));

    QJsonArray out;
    int failures = 0;
    for (const QJsonValue &g : graphs) {
        const QJsonObject go = g.toObject();
        const QString graphId = go.value(u"graphId").toString();
        const QJsonArray nodes = go.value(u"compositeRequest").toArray();
        if (failures > kMaxGraphFailures) {
            QJsonArray halted;
            for (const QJsonValue &n : nodes)
                halted.append(nodeResult(n.toObject().value(u"referenceId").toString(), 400,
                    errorBody(QStringLiteral("PROCESSING_HALTED"),
                        QStringLiteral("Processing halted because more than %1 graphs in the request failed.").arg(kMaxGraphFailures))));
            out.append(graphResult(graphId, halted, false));
            continue;
        }
        // A node outside the supported resources fails its graph before anything runs.
        int badIndex = -1;
        QString badMessage;
        for (int i = 0; i < nodes.size() && badIndex < 0; ++i) {
            const QJsonObject n = nodes.at(i).toObject();
            badMessage = unsupportedNode(n.value(u"method").toString().toUpper(), n.value(u"url").toString());
            if (!badMessage.isEmpty())
                badIndex = i;
        }
        if (badIndex >= 0) {
            QJsonArray items;
            for (int i = 0; i < nodes.size(); ++i) {
                const QString refId = nodes.at(i).toObject().value(u"referenceId").toString();
                items.append(i == badIndex ? nodeResult(refId, 400, errorBody(QStringLiteral("INVALID_INPUT"), badMessage))
                                           : nodeResult(refId, 400,
                                               errorBody(QStringLiteral("PROCESSING_HALTED"),
                                                   QStringLiteral("The transaction was rolled back since another operation in the same transaction failed."))));
            }
            out.append(graphResult(graphId, items, false));
            ++failures;
            continue;
        }
        HttpRequest sub;
        sub.internal = true;
        sub.method = "POST";
        sub.path = QStringLiteral("/services/data/v%1/composite").arg(m_version);
        sub.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
        sub.headers.append(qMakePair(QByteArray("X-Fs-Internal-User"), m_userId.toLatin1()));
        sub.headers.append(qMakePair(maxSubrequestsHeader(), QByteArray::number(kMaxNodes)));
        sub.body = toJsonBytes(QJsonObject { { QStringLiteral("allOrNone"), true }, { QStringLiteral("compositeRequest"), nodes } });
        const HttpResponse r = m_run(sub);
        const QJsonDocument rd = QJsonDocument::fromJson(r.body);
        if (r.status == 200 && rd.isObject()) {
            const QJsonArray items = rd.object().value(u"compositeResponse").toArray();
            bool ok = true;
            for (const QJsonValue &item : items)
                ok = ok && item.toObject().value(u"httpStatusCode").toInt() < 400;
            out.append(graphResult(graphId, items, ok));
            failures += ok ? 0 : 1;
            continue;
        }
        // The graph itself was refused (bad referenceId, duplicate referenceId, bad method…):
        // every node reports the refusal.
        const QJsonValue body = rd.isArray() ? QJsonValue(rd.array()) : QJsonValue(errorBody(QStringLiteral("UNKNOWN_EXCEPTION"), QString::fromUtf8(r.body)));
        QJsonArray items;
        for (const QJsonValue &n : nodes)
            items.append(nodeResult(n.toObject().value(u"referenceId").toString(), r.status, body));
        out.append(graphResult(graphId, items, false));
        ++failures;
    }
    return extras::jsonReply(200, QJsonObject { { QStringLiteral("graphs"), out } });
}

} // namespace fs::sim
