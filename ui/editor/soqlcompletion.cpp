#include "soqlcompletion.h"

#include "schema/describecache.h"

#include "soql/token.h"

#include <algorithm>

namespace fs::ui {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('.');
}

bool isKeyword(const QString &text, const fs::soql::Token &t, QStringView word)
{
    return t.kind == fs::soql::TokenKind::Keyword && t.text(text).compare(word, Qt::CaseInsensitive) == 0;
}

// FROM name of the query scope that starts at token `first` (SELECT) and runs at `depth`.
QString fromOfScope(const QString &text, const fs::soql::TokenList &tokens, int first)
{
    int depth = 0;
    for (int i = first; i < tokens.size(); ++i) {
        const auto &t = tokens.at(i);
        if (t.kind == fs::soql::TokenKind::LParen) {
            ++depth;
        } else if (t.kind == fs::soql::TokenKind::RParen) {
            if (depth == 0)
                return {};
            --depth;
        } else if (depth == 0 && isKeyword(text, t, u"FROM") && i + 1 < tokens.size()
            && tokens.at(i + 1).kind == fs::soql::TokenKind::Identifier) {
            return tokens.at(i + 1).text(text).toString();
        }
    }
    return {};
}

const fs::SObjectDescribe *resolvePath(
    const DescribeCache &cache, const QString &object, const QStringList &path, QStringList *missing)
{
    const fs::SObjectDescribe *d = cache.describe(object);
    if (!d) {
        if (missing && !object.isEmpty())
            missing->append(object);
        return nullptr;
    }
    for (const QString &hop : path) {
        const fs::FieldDescribe *via = nullptr;
        for (const fs::FieldDescribe &f : d->fields) {
            if (!f.relationshipName.isEmpty() && f.relationshipName.compare(hop, Qt::CaseInsensitive) == 0) {
                via = &f;
                break;
            }
        }
        if (!via || via->referenceTo.isEmpty())
            return nullptr;
        const QString target = via->referenceTo.first();
        d = cache.describe(target);
        if (!d) {
            if (missing)
                missing->append(target);
            return nullptr;
        }
    }
    return d;
}

} // namespace

SoqlCompletionContext SoqlCompletionContext::at(const QString &text, int cursor)
{
    SoqlCompletionContext ctx;
    cursor = std::clamp(cursor, 0, int(text.size()));
    int start = cursor;
    while (start > 0 && isWordChar(text.at(start - 1)))
        --start;
    const QString word = text.mid(start, cursor - start);
    QStringList parts = word.split(QLatin1Char('.'));
    ctx.prefix = parts.takeLast();
    ctx.path = parts;
    ctx.prefixStart = cursor - int(ctx.prefix.size());

    const fs::soql::TokenList tokens = fs::soql::tokenize(text);
    // Inside a string or a number: nothing to complete.
    for (const auto &t : tokens) {
        if (t.start < cursor && cursor < t.end() + (t.kind == fs::soql::TokenKind::String ? 1 : 0)
            && (t.kind == fs::soql::TokenKind::String || t.kind == fs::soql::TokenKind::Error)) {
            if (t.kind == fs::soql::TokenKind::String && cursor == t.end() && t.length > 1
                && text.at(t.end() - 1) == QLatin1Char('\''))
                continue; // just after a closed string
            return ctx;
        }
    }

    // Scopes: stack of token indices of "(" (and whether a SELECT follows), up to `start`.
    struct Scope {
        int selectToken;
        bool subquery;
    };
    QList<Scope> stack { { 0, false } };
    int previous = -1;
    for (int i = 0; i < tokens.size(); ++i) {
        const auto &t = tokens.at(i);
        if (t.start >= start)
            break;
        previous = i;
        if (t.kind == fs::soql::TokenKind::LParen) {
            const bool sub = i + 1 < tokens.size() && isKeyword(text, tokens.at(i + 1), u"SELECT");
            stack.append({ i + 1, sub });
        } else if (t.kind == fs::soql::TokenKind::RParen && stack.size() > 1) {
            stack.removeLast();
        }
    }
    // The innermost query scope (parentheses of functions or IN lists are not queries).
    int scopeIndex = int(stack.size()) - 1;
    while (scopeIndex > 0 && !stack.at(scopeIndex).subquery)
        --scopeIndex;
    const Scope scope = stack.at(scopeIndex);
    ctx.inSubquery = scope.subquery;
    ctx.fromName = fromOfScope(text, tokens, scope.selectToken);
    if (ctx.inSubquery) {
        int outer = scopeIndex - 1;
        while (outer > 0 && !stack.at(outer).subquery)
            --outer;
        ctx.outerObject = fromOfScope(text, tokens, stack.at(outer).selectToken);
    }

    const bool afterFrom = previous >= 0 && isKeyword(text, tokens.at(previous), u"FROM");
    if (afterFrom && ctx.path.isEmpty())
        ctx.kind = ctx.inSubquery ? Kind::ChildRelationships : Kind::Objects;
    else
        ctx.kind = Kind::Fields;
    return ctx;
}

QStringList SoqlCompletionContext::candidates(const DescribeCache &cache, QStringList *missing) const
{
    QStringList out;
    switch (kind) {
    case Kind::None:
        return out;
    case Kind::Objects:
        out = cache.objectNames();
        break;
    case Kind::ChildRelationships: {
        const fs::SObjectDescribe *d = resolvePath(cache, outerObject, {}, missing);
        if (!d)
            return out;
        for (const fs::ChildRelationship &r : d->childRelationships) {
            if (!r.relationshipName.isEmpty())
                out.append(r.relationshipName);
        }
        break;
    }
    case Kind::Fields: {
        QString object = fromName;
        if (inSubquery) {
            // FROM names a child relationship of the outer object: complete its child object's fields.
            const fs::SObjectDescribe *outer = resolvePath(cache, outerObject, {}, missing);
            object.clear();
            if (outer) {
                for (const fs::ChildRelationship &r : outer->childRelationships) {
                    if (r.relationshipName.compare(fromName, Qt::CaseInsensitive) == 0)
                        object = r.childSObject;
                }
            }
        }
        if (object.isEmpty())
            return out;
        const fs::SObjectDescribe *d = resolvePath(cache, object, path, missing);
        if (!d)
            return out;
        for (const fs::FieldDescribe &f : d->fields) {
            out.append(f.name);
            if (!f.relationshipName.isEmpty() && !f.referenceTo.isEmpty())
                out.append(f.relationshipName + QLatin1Char('.'));
        }
        break;
    }
    }
    out.removeDuplicates();
    std::sort(out.begin(), out.end(), [](const QString &a, const QString &b) {
        return QString::compare(a, b, Qt::CaseInsensitive) < 0;
    });
    return out;
}

} // namespace fs::ui
