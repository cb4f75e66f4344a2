#pragma once

#include "querycursor.h"
#include "store/schema.h"

#include <soql/soqlerror.h>

#include <QVariantList>

#include <memory>
#include <optional>
#include <vector>

namespace fs::sim {

// How one output key of a record is produced from a result row.
struct OutputNode {
    enum class Kind { Field, Parent, Child, Integer, Double, Text };
    Kind kind = Kind::Field;
    QString key;
    int column = -1; // value column (Field, Integer, Double, Text); Id column for Parent
    const FieldDef *field = nullptr; // Field: JSON typing
    const ObjectDef *object = nullptr; // Parent
    std::vector<OutputNode> children; // Parent
    int childPlan = -1; // Child: index into CompiledQuery::children
};

// A SOQL statement translated to SQL. Every literal is a bound parameter (binds, in order).
struct CompiledQuery {
    const ObjectDef *object = nullptr;
    QString sql;
    QVariantList binds;
    QString countSql; // same binds
    bool countOnly = false; // SELECT COUNT(): totalSize only
    bool aggregate = false; // AggregateResult rows
    int idColumn = -1; // root Id for attributes.url (non-aggregate)
    std::vector<OutputNode> output;
    // Child subqueries; their sql takes the parent Id as the first bind, then their own binds.
    std::vector<std::shared_ptr<CompiledQuery>> children;
    // Child subquery only: the same subquery as a top-level SOQL statement for one parent record,
    // rootedSoqlHead + <quoted parent Id> + rootedSoqlTail. Child locators page through it
    // (reference §3.2: large child results come back in pages with their own nextRecordsUrl).
    QString rootedSoqlHead;
    QString rootedSoqlTail;
};

// Translates a parsed query to SQL against the store's tables, with Salesforce's semantic checks.
class QueryCompiler {
public:
    static std::optional<CompiledQuery> compile(const Schema &schema, const QString &soql, const QueryContext &ctx,
        soql::SoqlError *error);
};

} // namespace fs::sim
