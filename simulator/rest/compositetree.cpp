#include "compositetree.h"

#include "rest/extrasupport.h"
#include "store/store.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

#include <vector>

namespace fs::sim {

namespace {

struct TreeNode {
    const ObjectDef *object = nullptr;
    QString referenceId;
    QVariantMap fields;
    int parent = -1;       // index into the node list
    QString parentField;   // lookup on this record that points at the parent
    int level = 0;         // 0 = root
    QString newId;
};

QJsonObject errorItem(const QString &code, const QString &message, const QStringList &fields = {})
{
    return QJsonObject { { QStringLiteral("statusCode"), code }, { QStringLiteral("message"), message },
        { QStringLiteral("fields"), QJsonArray::fromStringList(fields) } };
}

HttpResponse treeFailure(const QJsonArray &results)
{
    return extras::jsonReply(400, QJsonObject { { QStringLiteral("hasErrors"), true }, { QStringLiteral("results"), results } });
}

QJsonObject failedResult(const QString &referenceId, const QJsonObject &error)
{
    return QJsonObject { { QStringLiteral("referenceId"), referenceId }, { QStringLiteral("errors"), QJsonArray { error } } };
}

} // namespace

CompositeTree::CompositeTree(Store &store, QString userId)
    : m_store(store)
    , m_userId(std::move(userId))
{
}

HttpResponse CompositeTree::handle(const HttpRequest &req, const ObjectDef &root)
{
    if (req.method != "POST")
        return extras::methodNotAllowedReply(req.method, QStringLiteral("POST"));
    if (req.body.size() > RestApi::kMaxBodyBytes)
        return errorResponse(413, QStringLiteral("REQUEST_ENTITY_TOO_LARGE"),
            QStringLiteral("The request body is larger than %1 bytes").arg(RestApi::kMaxBodyBytes));
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
    if (pe.error != QJsonParseError::NoError)
        return errorResponse(400, QStringLiteral("JSON_PARSER_ERROR"),
            QStringLiteral("Unexpected character in the request body at [line:1, column:%1]: %2").arg(pe.offset + 1).arg(pe.errorString()));
    if (!doc.isObject() || !doc.object().value(u"records").isArray())
        return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("The request body must be an object with a records array"));
    if (!root.createable || root.platformEvent)
        return errorResponse(400, QStringLiteral("INVALID_TYPE_FOR_OPERATION"),
            QStringLiteral("entity type %1 does not support sObject Tree").arg(root.name));

    // Flatten the trees breadth-first: roots first, then every second-level record, and so on.
    // The request-level limits (records, depth, types) are checked before anything is saved.
    std::vector<TreeNode> nodes;
    struct Pending {
        QJsonValue value;
        const ObjectDef *expected;
        int parent;
        QString parentField;
        int level;
    };
    QList<Pending> queue;
    for (const QJsonValue &v : doc.object().value(u"records").toArray())
        queue.append({ v, &root, -1, QString(), 0 });
    if (queue.isEmpty())
        return errorResponse(400, QStringLiteral("INVALID_INPUT"), QStringLiteral("The records array must contain at least one record"));
    QJsonArray recordErrors;
    QSet<QString> types;
    static const QRegularExpression refIdRe(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_]*$"));
    for (int qi = 0; qi < queue.size(); ++qi) {
        const Pending p = queue.at(qi);
        if (int(nodes.size()) >= kMaxRecords)
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Exceeded max limit of records allowed in sObject Tree. Max allowed is %1.").arg(kMaxRecords));
        if (p.level >= kMaxDepth)
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Exceeded max depth allowed in sObject Tree. Max allowed is %1 levels.").arg(kMaxDepth));
        const QJsonObject rec = p.value.toObject();
        const QJsonObject attrs = rec.value(u"attributes").toObject();
        TreeNode node;
        node.referenceId = attrs.value(u"referenceId").toString();
        node.parent = p.parent;
        node.parentField = p.parentField;
        node.level = p.level;
        node.object = p.expected;
        const QString type = attrs.value(u"type").toString();
        if (!p.value.isObject()) {
            recordErrors.append(failedResult(QString(), errorItem(QStringLiteral("INVALID_INPUT"), QStringLiteral("Each record must be a JSON object"))));
            continue;
        }
        if (node.referenceId.isEmpty() || !refIdRe.match(node.referenceId).hasMatch()) {
            recordErrors.append(failedResult(node.referenceId,
                errorItem(QStringLiteral("INVALID_INPUT"),
                    QStringLiteral("Provided referenceId ('%1') must start with a letter or a number, and it can contain only letters, numbers and underscores ('_').")
                        .arg(node.referenceId))));
        }
        if (type.isEmpty()) {
            recordErrors.append(failedResult(node.referenceId,
                errorItem(QStringLiteral("INVALID_INPUT"), QStringLiteral("The attributes of every record must include its type"))));
        } else if (type.compare(p.expected->name, Qt::CaseInsensitive) != 0) {
            recordErrors.append(failedResult(node.referenceId,
                errorItem(QStringLiteral("INVALID_TYPE"),
                    p.parent < 0 ? QStringLiteral("The record type %1 does not match the sObject %2 of the request URL").arg(type, p.expected->name)
                                 : QStringLiteral("The record type %1 does not match the child relationship's type %2").arg(type, p.expected->name))));
        }
        types.insert(p.expected->name);
        if (types.size() > kMaxTypes)
            return errorResponse(400, QStringLiteral("INVALID_INPUT"),
                QStringLiteral("Exceeded max limit of object types allowed in sObject Tree. Max allowed is %1.").arg(kMaxTypes));
        const int index = int(nodes.size());
        for (auto it = rec.begin(); it != rec.end(); ++it) {
            if (it.key() == u"attributes" || it.key() == u"__pinnedId")
                continue;
            const ChildRelDef *rel = p.expected->childRelationship(it.key());
            if (rel && it.value().isObject()) {
                const ObjectDef *child = m_store.schema().object(rel->childSObject);
                if (!child || !it.value().toObject().value(u"records").isArray()) {
                    recordErrors.append(failedResult(node.referenceId,
                        errorItem(QStringLiteral("INVALID_INPUT"), QStringLiteral("Child relationship %1 must hold a records array").arg(it.key()))));
                    continue;
                }
                for (const QJsonValue &cv : it.value().toObject().value(u"records").toArray())
                    queue.append({ cv, child, index, rel->field, p.level + 1 });
                continue;
            }
            if (it.key().compare(u"Id", Qt::CaseInsensitive) == 0) {
                recordErrors.append(failedResult(node.referenceId,
                    errorItem(QStringLiteral("INVALID_FIELD"), QStringLiteral("cannot specify Id in an insert call"), { QStringLiteral("Id") })));
                continue;
            }
            node.fields.insert(it.key(), it.value().toVariant());
        }
        nodes.push_back(std::move(node));
    }
    // Duplicate referenceIds: one failed result per occurrence.
    QHash<QString, int> seen;
    for (const TreeNode &n : nodes)
        seen[n.referenceId] += 1;
    for (const TreeNode &n : nodes) {
        if (!n.referenceId.isEmpty() && seen.value(n.referenceId) > 1)
            recordErrors.append(failedResult(n.referenceId,
                errorItem(QStringLiteral("INVALID_INPUT"), QStringLiteral("Duplicate ReferenceId provided in the request: %1").arg(n.referenceId))));
    }
    if (!recordErrors.isEmpty())
        return treeFailure(recordErrors);

    // Create everything in one transaction; the first failure rolls it all back.
    Store::Transaction tx(m_store);
    QJsonArray results;
    for (TreeNode &n : nodes) {
        QVariantMap fields = n.fields;
        if (n.parent >= 0)
            fields.insert(n.parentField, nodes.at(size_t(n.parent)).newId);
        SimError err;
        if (!m_store.insert(n.object->name, fields, &n.newId, &err, m_userId)) {
            tx.rollback();
            return treeFailure(QJsonArray { failedResult(n.referenceId, errorItem(err.errorCode, err.message, err.fields)) });
        }
        results.append(QJsonObject { { QStringLiteral("referenceId"), n.referenceId }, { QStringLiteral("id"), n.newId } });
    }
    if (!tx.commit())
        return errorResponse(500, QStringLiteral("UNKNOWN_EXCEPTION"), QStringLiteral("An unexpected error occurred while saving the sObject Tree"));
    return extras::jsonReply(201, QJsonObject { { QStringLiteral("hasErrors"), false }, { QStringLiteral("results"), results } });
}

} // namespace fs::sim
