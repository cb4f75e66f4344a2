#include "queryexplain.h"

#include "rest/extrasupport.h"
#include "store/store.h"

#include <soql/parser.h>

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>

#include <algorithm>
#include <cmath>

namespace fs::sim {

namespace {

using soql::Condition;

const QString kUnindexed = QStringLiteral("Not considering filter for optimization because unindexed");
const QString kNegative = QStringLiteral("Not considering filter for optimization because of negative operator");
const QString kNullValue = QStringLiteral("Not considering filter for optimization because it compares with null");
const QString kWildcard = QStringLiteral("Not considering filter for optimization because of leading wildcard");
const QString kDisjunction = QStringLiteral("Not considering filter for optimization because of OR or NOT");

bool isIndexed(const FieldDef &f)
{
    return f.type == u"id" || f.type == u"reference" || f.externalId || f.unique || f.nameField || f.name == u"Name"
        || f.name == u"CreatedDate" || f.name == u"SystemModstamp" || f.name == u"RecordTypeId";
}

double selectivityThreshold(const FieldDef &f, qint64 n)
{
    const double first = double(qMin<qint64>(n, 1000000));
    const double rest = double(qMax<qint64>(0, n - 1000000));
    const bool custom = f.custom && f.type != u"reference";
    const double t = custom ? qMin(0.10 * first + 0.05 * rest, 333333.0) : qMin(0.30 * first + 0.15 * rest, 1000000.0);
    return qMax(1.0, t);
}

double round3(double v)
{
    return std::round(v * 1000.0) / 1000.0;
}

// The field a comparison filters on, when it is a plain field of the queried object.
const FieldDef *directField(const ObjectDef &obj, const soql::Query &q, const soql::ValueExpr &lhs)
{
    if (lhs.kind != soql::ValueExpr::Kind::Field)
        return nullptr;
    QStringList parts = lhs.field.parts;
    if (parts.size() == 2
        && (parts.first().compare(q.fromAlias, Qt::CaseInsensitive) == 0 || parts.first().compare(obj.name, Qt::CaseInsensitive) == 0))
        parts.removeFirst();
    return parts.size() == 1 ? obj.field(parts.first()) : nullptr;
}

void collectFields(const Condition &c, QStringList *out)
{
    if (c.kind == Condition::Kind::Comparison) {
        if (c.lhs.kind == soql::ValueExpr::Kind::Field && !out->contains(c.lhs.field.text()))
            out->append(c.lhs.field.text());
        for (const auto &a : c.lhs.args) {
            if (a.kind == soql::ValueExpr::Kind::Field && !out->contains(a.field.text()))
                out->append(a.field.text());
        }
        return;
    }
    for (const Condition &child : c.children)
        collectFields(child, out);
}

QJsonObject note(const QString &description, const QStringList &fields, const QString &table)
{
    return QJsonObject { { QStringLiteral("description"), description }, { QStringLiteral("fields"), QJsonArray::fromStringList(fields) },
        { QStringLiteral("tableEnumOrId"), table } };
}

struct Plan {
    QString type;
    QStringList fields;
    qint64 cardinality = 0;
    double cost = 0;
};

} // namespace

QueryExplain::QueryExplain(Store &store, const QString &apiVersion, const QString &userId, const QDateTime &now)
    : m_store(store)
{
    m_options.apiVersion = apiVersion;
    m_options.userId = userId;
    m_options.now = now;
}

qint64 QueryExplain::countWhere(const QString &object, const QString &alias, const QString &condition, bool *ok)
{
    QString soql = QStringLiteral("SELECT COUNT() FROM ") + object;
    if (!alias.isEmpty())
        soql += u' ' + alias;
    if (!condition.isEmpty())
        soql += QStringLiteral(" WHERE (") + condition + u')';
    SimError err;
    auto cursor = openQuery(m_store, soql, m_options, &err);
    *ok = cursor != nullptr;
    return cursor ? cursor->totalSize() : 0;
}

HttpResponse QueryExplain::handle(const QString &rawSoql)
{
    const QString soql = rawSoql.trimmed();
    if (soql.isEmpty())
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("A query string has to be specified"));
    if (soql.size() > 100000)
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("Query string is longer than 100000 characters"));
    // explain also takes a report or list view id; the simulated org has neither.
    static const QRegularExpression idRe(QStringLiteral("^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$"));
    if (idRe.match(soql).hasMatch())
        return errorResponse(400, QStringLiteral("INVALID_ID"), QStringLiteral("invalid report or list view id: %1").arg(soql));

    // Check the query exactly as /query would, so errors carry the same codes and messages.
    SimError err;
    if (!openQuery(m_store, soql, m_options, &err)) {
        if (!err.isSet())
            err = SimError::make(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("unexpected token: <EOF>"));
        return errorResponse(err);
    }
    const soql::ParseResult parsed = soql::parse(soql);
    const ObjectDef *obj = parsed.ok() && !parsed.query->from.parts.isEmpty() ? m_store.schema().object(parsed.query->from.parts.first()) : nullptr;
    if (!obj)
        return errorResponse(400, QStringLiteral("MALFORMED_QUERY"), QStringLiteral("unexpected token: <EOF>"));
    const soql::Query &q = *parsed.query;

    const qint64 total = m_store.liveCount(*obj);

    QJsonArray notes;
    if (obj->field(QStringLiteral("IsDeleted")))
        notes.append(note(kUnindexed, { QStringLiteral("IsDeleted") }, obj->name));
    QList<Plan> plans;
    std::vector<const Condition *> conjuncts;
    if (q.where) {
        if (q.where->kind == Condition::Kind::And) {
            for (const Condition &c : q.where->children)
                conjuncts.push_back(&c);
        } else {
            conjuncts.push_back(&*q.where);
        }
    }
    for (const Condition *c : conjuncts) {
        if (c->kind != Condition::Kind::Comparison) {
            QStringList fields;
            collectFields(*c, &fields);
            notes.append(note(kDisjunction, fields, obj->name));
            continue;
        }
        const FieldDef *f = directField(*obj, q, c->lhs);
        const QString shown = f ? f->name : c->lhs.field.text();
        if (!f || !isIndexed(*f)) {
            notes.append(note(kUnindexed, { shown }, obj->name));
            continue;
        }
        if (c->op == Condition::Op::Ne || c->op == Condition::Op::NotIn || c->op == Condition::Op::Excludes) {
            notes.append(note(kNegative, { shown }, obj->name));
            continue;
        }
        const bool comparesNull = std::any_of(c->values.begin(), c->values.end(),
            [](const soql::Literal &l) { return l.kind == soql::Literal::Kind::Null; });
        if (comparesNull) {
            notes.append(note(kNullValue, { shown }, obj->name));
            continue;
        }
        if (c->op == Condition::Op::Like && !c->values.empty()
            && (c->values.front().likePattern.startsWith(u'%') || c->values.front().likePattern.startsWith(u'_'))) {
            notes.append(note(kWildcard, { shown }, obj->name));
            continue;
        }
        bool ok = false;
        Plan p;
        p.type = QStringLiteral("Index");
        p.fields = QStringList { f->name };
        p.cardinality = countWhere(obj->name, q.fromAlias, soql.mid(c->pos.offset, c->pos.length), &ok);
        if (!ok)
            p.cardinality = qMax<qint64>(1, total / 10);
        p.cost = round3(double(p.cardinality) / selectivityThreshold(*f, total));
        plans.append(p);
    }

    Plan scan;
    scan.type = QStringLiteral("TableScan");
    bool ok = false;
    scan.cardinality = q.where ? countWhere(obj->name, q.fromAlias, soql.mid(q.where->pos.offset, q.where->pos.length), &ok) : total;
    if (q.where && !ok)
        scan.cardinality = total;
    // A full scan costs more the larger the table: 0.65 for a tiny one, past 1 from ~35,000 rows.
    scan.cost = round3(0.65 + double(total) / 100000.0);
    plans.append(scan);
    std::stable_sort(plans.begin(), plans.end(), [](const Plan &a, const Plan &b) { return a.cost < b.cost; });

    QJsonArray out;
    for (const Plan &p : plans) {
        out.append(QJsonObject { { QStringLiteral("cardinality"), double(p.cardinality) },
            { QStringLiteral("fields"), QJsonArray::fromStringList(p.fields) }, { QStringLiteral("leadingOperationType"), p.type },
            { QStringLiteral("notes"), notes }, { QStringLiteral("relativeCost"), p.cost },
            { QStringLiteral("sobjectCardinality"), double(total) }, { QStringLiteral("sobjectType"), obj->name } });
    }
    return extras::jsonReply(200, QJsonObject { { QStringLiteral("plans"), out } });
}

} // namespace fs::sim
