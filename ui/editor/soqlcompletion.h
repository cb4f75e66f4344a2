#pragma once

#include <QString>
#include <QStringList>

namespace fs::ui {

class DescribeCache;

// What to complete at a cursor in SOQL text, worked out from the shared lexer's tokens. Pure
// function of the text (safe on any thread); candidates() reads the describe cache (GUI thread).
struct SoqlCompletionContext {
    enum class Kind { None, Objects, Fields, ChildRelationships };
    Kind kind = Kind::None;
    QString prefix; // the part being typed (after the last dot)
    int prefixStart = 0; // offset of `prefix` in the text
    QStringList path; // relationship hops typed before the prefix (Account.Owner.Na → Account, Owner)
    QString fromName; // FROM of the query scope at the cursor (object, or child relationship in a subquery)
    QString outerObject; // for subqueries: FROM object of the enclosing query
    bool inSubquery = false;

    static SoqlCompletionContext at(const QString &text, int cursor);

    // Completion words for this context. `missing` receives objects whose describe is needed
    // (caller requests them and asks again when they arrive).
    QStringList candidates(const DescribeCache &cache, QStringList *missing) const;
};

} // namespace fs::ui
