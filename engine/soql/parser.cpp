#include "parser.h"

#include "token.h"

#include <array>

namespace fs::soql {

namespace {

constexpr int s_maxDepth = 48;
// Parent-to-child relationship queries: the root counts as level 1 and select-list subqueries may
// nest down to level 5 (API 58.0+; the simulator refuses any nesting for older versions).
constexpr int s_maxRelationshipLevels = 5;

struct ParseFailure {
    SoqlError error;
};

constexpr std::array s_reserved = {
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "INCLUDES", "EXCLUDES", "NULL", "TRUE", "FALSE",
    "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET", "WITH", "USING",
    "FOR", "UPDATE",
};

bool sameWord(QStringView a, const char *b)
{
    return a.compare(QLatin1String(b), Qt::CaseInsensitive) == 0;
}

int hexValue(QChar c)
{
    if (c >= u'0' && c <= u'9')
        return c.unicode() - u'0';
    if (c >= u'a' && c <= u'f')
        return c.unicode() - u'a' + 10;
    if (c >= u'A' && c <= u'F')
        return c.unicode() - u'A' + 10;
    return -1;
}

bool parseFixedInt(QStringView s, int *out)
{
    bool ok = false;
    *out = s.toInt(&ok);
    return ok;
}

// 2024-01-15T10:00:00[.fff](Z|+hh:mm|+hhmm) → UTC QDateTime; invalid → null.
QDateTime parseDateTime(QStringView s)
{
    int y, mo, d, h, mi, sec;
    if (s.size() < 20 || !parseFixedInt(s.mid(0, 4), &y) || !parseFixedInt(s.mid(5, 2), &mo)
        || !parseFixedInt(s.mid(8, 2), &d) || !parseFixedInt(s.mid(11, 2), &h) || !parseFixedInt(s.mid(14, 2), &mi)
        || !parseFixedInt(s.mid(17, 2), &sec))
        return {};
    qsizetype p = 19;
    int ms = 0;
    if (p < s.size() && s[p] == u'.') {
        ++p;
        int digits = 0;
        while (p < s.size() && s[p].isDigit()) {
            if (digits < 3) {
                ms = ms * 10 + (s[p].unicode() - u'0');
                ++digits;
            }
            ++p;
        }
        while (digits++ < 3)
            ms *= 10;
    }
    int offsetSeconds = 0;
    if (p < s.size() && (s[p] == u'+' || s[p] == u'-')) {
        const int sign = s[p] == u'-' ? -1 : 1;
        const QStringView rest = s.mid(p + 1);
        int oh = 0, om = 0;
        if (rest.size() == 5 && parseFixedInt(rest.mid(0, 2), &oh) && parseFixedInt(rest.mid(3, 2), &om)) {
        } else if (rest.size() == 4 && parseFixedInt(rest.mid(0, 2), &oh) && parseFixedInt(rest.mid(2, 2), &om)) {
        } else {
            return {};
        }
        if (oh > 14 || om > 59)
            return {};
        offsetSeconds = sign * (oh * 3600 + om * 60);
    }
    const QDate date(y, mo, d);
    const QTime time(h, mi, sec, ms);
    if (!date.isValid() || !time.isValid())
        return {};
    QDateTime dt(date, time, Qt::UTC);
    return dt.addSecs(-offsetSeconds);
}

class Parser {
public:
    explicit Parser(const QString &source)
        : m_source(source)
        , m_tokens(tokenize(source))
    {
    }

    Query run()
    {
        Query q = parseQuery(false, 1);
        if (const Token *t = peek())
            fail(*t);
        return q;
    }

private:
    // ---- token access -------------------------------------------------------------------------
    const Token *peek(int k = 0) const
    {
        const qsizetype i = m_index + k;
        return i < m_tokens.size() ? &m_tokens[i] : nullptr;
    }
    QStringView text(const Token &t) const { return t.text(m_source); }
    bool isWord(const Token *t, const char *word) const
    {
        return t && (t->kind == TokenKind::Keyword || t->kind == TokenKind::Identifier) && sameWord(text(*t), word);
    }
    bool atWord(const char *word, int k = 0) const { return isWord(peek(k), word); }
    bool acceptWord(const char *word)
    {
        if (atWord(word)) {
            ++m_index;
            return true;
        }
        return false;
    }
    const Token &take()
    {
        const Token *t = peek();
        if (!t)
            failEof();
        ++m_index;
        return *t;
    }
    const Token &expectWord(const char *word)
    {
        const Token *t = peek();
        if (!t)
            failEof();
        if (!isWord(t, word))
            fail(*t);
        ++m_index;
        return *t;
    }
    const Token &expectKind(TokenKind kind)
    {
        const Token *t = peek();
        if (!t)
            failEof();
        if (t->kind != kind)
            fail(*t);
        ++m_index;
        return *t;
    }
    bool isReserved(const Token &t) const
    {
        if (t.kind != TokenKind::Keyword)
            return false;
        for (const char *r : s_reserved) {
            if (sameWord(text(t), r))
                return true;
        }
        return false;
    }
    bool isName(const Token *t) const
    {
        return t && (t->kind == TokenKind::Identifier || (t->kind == TokenKind::Keyword && !isReserved(*t)));
    }
    const Token &expectName()
    {
        const Token *t = peek();
        if (!t)
            failEof();
        if (!isName(t))
            fail(*t);
        ++m_index;
        return *t;
    }

    // ---- positions and errors -----------------------------------------------------------------
    static SourcePos posOf(const Token &t) { return SourcePos { t.start, t.length, t.line, t.column }; }
    SourcePos spanFrom(const Token &first) const
    {
        SourcePos p = posOf(first);
        if (m_index > 0) {
            const Token &last = m_tokens[m_index - 1];
            p.length = qMax(first.length, last.end() - first.start);
        }
        return p;
    }
    SoqlError errorAtOffset(int offset, const QString &message) const
    {
        SoqlError e;
        e.code = QStringLiteral("MALFORMED_QUERY");
        e.message = message;
        e.offset = offset;
        int line = 1, col = 1;
        for (int i = 0; i < offset && i < m_source.size(); ++i) {
            if (m_source[i] == u'\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        e.line = line;
        e.column = col;
        return e;
    }
    [[noreturn]] void failWith(const Token &t, const QString &message) const
    {
        SoqlError e;
        e.code = QStringLiteral("MALFORMED_QUERY");
        e.message = message;
        e.offset = t.start;
        e.line = t.line;
        e.column = t.column;
        throw ParseFailure { e };
    }
    [[noreturn]] void fail(const Token &t) const
    {
        if (t.kind == TokenKind::Bind)
            failWith(t, QStringLiteral("Bind variables only allowed in Apex code"));
        if (t.kind == TokenKind::Error) {
            const QStringView s = text(t);
            if (s.startsWith(u'\'')) {
                failWith(t,
                    QStringLiteral("line %1:%2 mismatched character '<EOF>' expecting '''")
                        .arg(t.line)
                        .arg(m_source.size() - lineStart(t.start)));
            }
            failWith(t,
                QStringLiteral("line %1:%2 no viable alternative at character '%3'")
                    .arg(t.line)
                    .arg(t.column - 1)
                    .arg(s.left(s.size() > 2 ? 1 : s.size())));
        }
        failWith(t, QStringLiteral("unexpected token: '%1'").arg(text(t)));
    }
    int lineStart(int offset) const
    {
        int i = offset;
        while (i > 0 && m_source[i - 1] != u'\n')
            --i;
        return i;
    }
    [[noreturn]] void failEof() const
    {
        const int end = m_tokens.isEmpty() ? 0 : m_tokens.last().end();
        throw ParseFailure { errorAtOffset(end, QStringLiteral("unexpected token: <EOF>")) };
    }
    struct DepthGuard {
        DepthGuard(Parser *p, const Token *at)
            : m_parser(p)
        {
            if (++m_parser->m_depth > s_maxDepth) {
                if (at)
                    m_parser->failWith(*at, QStringLiteral("Query is too deeply nested"));
                m_parser->failEof();
            }
        }
        ~DepthGuard() { --m_parser->m_depth; }
        DepthGuard(const DepthGuard &) = delete;
        DepthGuard &operator=(const DepthGuard &) = delete;
        Parser *m_parser;
    };

    // ---- grammar -------------------------------------------------------------------------------
    // level: this query's parent-to-child level (root = 1); 0 for a WHERE semi-join, whose select
    // list may not contain subqueries.
    Query parseQuery(bool subquery, int level)
    {
        DepthGuard guard(this, peek());
        Query q;
        q.isSubquery = subquery;
        const Token &selectTok = expectWord("SELECT");
        do {
            q.select.push_back(parseSelectItem(level));
        } while (acceptKind(TokenKind::Comma));
        expectWord("FROM");
        q.from = parseFieldPath();
        if (isName(peek()) && !atWord("TYPEOF")) {
            const Token &a = take();
            q.fromAlias = text(a).toString();
            q.fromAliasPos = posOf(a);
        }
        if (acceptWord("USING")) {
            expectWord("SCOPE");
            q.usingScope = text(expectName()).toString();
        }
        if (acceptWord("WHERE"))
            q.where = parseCondition();
        if (acceptWord("WITH")) {
            const Token &w = take();
            if (isWord(&w, "SECURITY_ENFORCED") || isWord(&w, "USER_MODE") || isWord(&w, "SYSTEM_MODE"))
                q.withClause = text(w).toString().toUpper();
            else
                fail(w);
        }
        if (atWord("GROUP")) {
            const Token &g = take();
            expectWord("BY");
            q.groupByPos = posOf(g);
            if ((atWord("ROLLUP") || atWord("CUBE")) && peek(1) && peek(1)->kind == TokenKind::LParen) {
                q.groupByModifier = text(take()).toString().toUpper();
                expectKind(TokenKind::LParen);
                do {
                    q.groupBy.push_back(parseValueExpr(false));
                } while (acceptKind(TokenKind::Comma));
                expectKind(TokenKind::RParen);
            } else {
                do {
                    q.groupBy.push_back(parseValueExpr(false));
                } while (acceptKind(TokenKind::Comma));
            }
        }
        if (acceptWord("HAVING"))
            q.having = parseCondition();
        if (acceptWord("ORDER")) {
            expectWord("BY");
            do {
                OrderItem item;
                const Token *first = peek();
                item.value = parseValueExpr(false);
                if (acceptWord("ASC"))
                    item.ascending = true;
                else if (acceptWord("DESC"))
                    item.ascending = false;
                if (acceptWord("NULLS")) {
                    if (acceptWord("FIRST"))
                        item.nullsFirst = true;
                    else if (acceptWord("LAST"))
                        item.nullsFirst = false;
                    else if (const Token *t = peek())
                        fail(*t);
                    else
                        failEof();
                }
                item.pos = spanFrom(*first);
                q.orderBy.push_back(item);
            } while (acceptKind(TokenKind::Comma));
        }
        if (atWord("LIMIT")) {
            take();
            const Token &n = peek() ? *peek() : take();
            q.limit = parseCount();
            q.limitPos = posOf(n);
        }
        if (atWord("OFFSET")) {
            take();
            const Token &n = peek() ? *peek() : take();
            q.offset = parseCount();
            q.offsetPos = posOf(n);
        }
        if (acceptWord("FOR")) {
            const Token &f = take();
            if (isWord(&f, "VIEW") || isWord(&f, "REFERENCE") || isWord(&f, "UPDATE"))
                q.forClause = text(f).toString().toUpper();
            else
                fail(f);
        }
        if (acceptWord("UPDATE")) {
            const Token &u = take();
            if (isWord(&u, "TRACKING") || isWord(&u, "VIEWSTAT"))
                q.updateClause = text(u).toString().toUpper();
            else
                fail(u);
        }
        q.pos = spanFrom(selectTok);
        return q;
    }

    bool acceptKind(TokenKind kind)
    {
        if (peek() && peek()->kind == kind) {
            ++m_index;
            return true;
        }
        return false;
    }

    qint64 parseCount()
    {
        const Token &n = take();
        if (n.kind != TokenKind::Number)
            fail(n);
        bool ok = false;
        const qint64 v = text(n).toLongLong(&ok);
        if (!ok)
            fail(n);
        return v;
    }

    FieldPath parseFieldPath()
    {
        FieldPath path;
        const Token &first = expectName();
        path.parts << text(first).toString();
        path.partPos << posOf(first);
        while (peek() && peek()->kind == TokenKind::Dot) {
            ++m_index;
            const Token &part = expectName();
            path.parts << text(part).toString();
            path.partPos << posOf(part);
        }
        path.pos = spanFrom(first);
        return path;
    }

    SelectItem parseSelectItem(int level)
    {
        SelectItem item;
        const Token *first = peek();
        if (!first)
            failEof();
        if (first->kind == TokenKind::LParen) {
            if (level < 1)
                fail(*first);
            if (level >= s_maxRelationshipLevels) {
                failWith(*first,
                    QStringLiteral("SOQL statements cannot query aggregate relationships more than %1 levels away "
                                   "from the root entity object.")
                        .arg(s_maxRelationshipLevels - 1));
            }
            ++m_index;
            item.kind = SelectItem::Kind::Subquery;
            item.subquery = std::make_shared<Query>(parseQuery(true, level + 1));
            expectKind(TokenKind::RParen);
            item.pos = spanFrom(*first);
            return item;
        }
        if (isWord(first, "FIELDS") && peek(1) && peek(1)->kind == TokenKind::LParen) {
            m_index += 2;
            const Token &g = take();
            if (!(isWord(&g, "ALL") || isWord(&g, "STANDARD") || isWord(&g, "CUSTOM")))
                fail(g);
            item.kind = SelectItem::Kind::Fields;
            item.fieldsGroup = text(g).toString().toUpper();
            expectKind(TokenKind::RParen);
            item.pos = spanFrom(*first);
            return item;
        }
        if (isWord(first, "TYPEOF") && isName(peek(1))) {
            ++m_index;
            item.kind = SelectItem::Kind::TypeOf;
            item.typeOfField = parseFieldPath();
            bool any = false;
            while (atWord("WHEN")) {
                const Token &w = take();
                TypeOfBranch b;
                b.sobjectType = text(expectName()).toString();
                expectWord("THEN");
                do {
                    b.fields.push_back(parseFieldPath());
                } while (acceptKind(TokenKind::Comma) && !atWord("WHEN") && !atWord("ELSE") && !atWord("END"));
                b.pos = spanFrom(w);
                item.typeOfBranches.push_back(b);
                any = true;
            }
            if (!any) {
                if (const Token *t = peek())
                    fail(*t);
                failEof();
            }
            if (atWord("ELSE")) {
                const Token &e = take();
                TypeOfBranch b;
                do {
                    b.fields.push_back(parseFieldPath());
                } while (acceptKind(TokenKind::Comma));
                b.pos = spanFrom(e);
                item.typeOfBranches.push_back(b);
            }
            expectWord("END");
            item.pos = spanFrom(*first);
            return item;
        }
        item.kind = SelectItem::Kind::Value;
        item.value = parseValueExpr(false);
        if (isName(peek())) {
            const Token &a = take();
            item.alias = text(a).toString();
            item.aliasPos = posOf(a);
        }
        item.pos = spanFrom(*first);
        return item;
    }

    ValueExpr parseValueExpr(bool allowLiteral)
    {
        DepthGuard guard(this, peek());
        ValueExpr v;
        const Token *first = peek();
        if (!first)
            failEof();
        if (allowLiteral && !isName(first)) {
            v.kind = ValueExpr::Kind::Literal;
            v.literal = parseLiteral();
            v.pos = v.literal.pos;
            return v;
        }
        if (isName(first) && peek(1) && peek(1)->kind == TokenKind::LParen) {
            m_index += 2;
            v.kind = ValueExpr::Kind::Call;
            v.functionSpelling = text(*first).toString();
            v.function = v.functionSpelling.toUpper();
            if (!acceptKind(TokenKind::RParen)) {
                do {
                    v.args.push_back(parseValueExpr(true));
                } while (acceptKind(TokenKind::Comma));
                expectKind(TokenKind::RParen);
            }
            v.pos = spanFrom(*first);
            return v;
        }
        v.kind = ValueExpr::Kind::Field;
        v.field = parseFieldPath();
        v.pos = v.field.pos;
        return v;
    }

    Condition parseCondition()
    {
        DepthGuard guard(this, peek());
        const Token *first = peek();
        Condition c = parseNot();
        const bool isAnd = atWord("AND");
        const bool isOr = atWord("OR");
        if (!isAnd && !isOr)
            return c;
        Condition group;
        group.kind = isAnd ? Condition::Kind::And : Condition::Kind::Or;
        group.children.push_back(std::move(c));
        const char *same = isAnd ? "AND" : "OR";
        const char *other = isAnd ? "OR" : "AND";
        while (acceptWord(same))
            group.children.push_back(parseNot());
        if (atWord(other))
            fail(*peek());
        group.pos = spanFrom(*first);
        return group;
    }

    Condition parseNot()
    {
        DepthGuard guard(this, peek());
        const Token *first = peek();
        if (!first)
            failEof();
        if (isWord(first, "NOT")) {
            ++m_index;
            Condition c;
            c.kind = Condition::Kind::Not;
            c.children.push_back(parseNot());
            c.pos = spanFrom(*first);
            return c;
        }
        if (first->kind == TokenKind::LParen) {
            ++m_index;
            Condition c = parseCondition();
            expectKind(TokenKind::RParen);
            return c;
        }
        return parseComparison();
    }

    Condition parseComparison()
    {
        const Token *first = peek();
        Condition c;
        c.kind = Condition::Kind::Comparison;
        c.lhs = parseValueExpr(false);
        const Token &opTok = take();
        bool list = false;
        const QStringView opStr = text(opTok);
        if (opTok.kind == TokenKind::Operator) {
            if (opStr == u"=")
                c.op = Condition::Op::Eq;
            else if (opStr == u"!=" || opStr == u"<>")
                c.op = Condition::Op::Ne;
            else if (opStr == u"<")
                c.op = Condition::Op::Lt;
            else if (opStr == u"<=")
                c.op = Condition::Op::Le;
            else if (opStr == u">")
                c.op = Condition::Op::Gt;
            else if (opStr == u">=")
                c.op = Condition::Op::Ge;
            else
                fail(opTok);
        } else if (isWord(&opTok, "LIKE")) {
            c.op = Condition::Op::Like;
        } else if (isWord(&opTok, "IN")) {
            c.op = Condition::Op::In;
            list = true;
        } else if (isWord(&opTok, "NOT") && atWord("IN")) {
            ++m_index;
            c.op = Condition::Op::NotIn;
            list = true;
        } else if (isWord(&opTok, "INCLUDES")) {
            c.op = Condition::Op::Includes;
            list = true;
        } else if (isWord(&opTok, "EXCLUDES")) {
            c.op = Condition::Op::Excludes;
            list = true;
        } else {
            fail(opTok);
        }
        c.opText = c.op == Condition::Op::NotIn ? QStringLiteral("NOT IN") : opStr.toString().toUpper();
        c.opPos = spanFrom(opTok);
        if (!list) {
            c.values.push_back(parseLiteral());
        } else {
            const Token *t = peek();
            if (t && t->kind == TokenKind::Bind)
                fail(*t);
            expectKind(TokenKind::LParen);
            if ((c.op == Condition::Op::In || c.op == Condition::Op::NotIn) && atWord("SELECT")) {
                c.subquery = std::make_shared<Query>(parseQuery(true, 0));
            } else {
                do {
                    c.values.push_back(parseLiteral());
                } while (acceptKind(TokenKind::Comma));
            }
            expectKind(TokenKind::RParen);
        }
        c.pos = spanFrom(*first);
        return c;
    }

    Literal parseLiteral()
    {
        const Token &t = take();
        Literal lit;
        lit.text = text(t).toString();
        lit.pos = posOf(t);
        switch (t.kind) {
        case TokenKind::String: {
            int bad = -1;
            if (!decodeStringLiteral(text(t), &lit.string, &lit.likePattern, &bad)) {
                failWith(t,
                    QStringLiteral("Invalid string literal '%1'. Illegal character sequence '%2' in string literal.")
                        .arg(text(t).mid(1, t.length - 2), text(t).mid(bad, 2)));
            }
            lit.kind = Literal::Kind::String;
            return lit;
        }
        case TokenKind::Operator:
            if ((text(t) == u"-" || text(t) == u"+") && peek() && peek()->kind == TokenKind::Number
                && peek()->start == t.end()) {
                const Token &n = take();
                lit = numberLiteral(n, text(t) == u"-");
                lit.text.prepend(text(t));
                lit.pos.offset = t.start;
                lit.pos.column = t.column;
                lit.pos.length += 1;
                return lit;
            }
            fail(t);
        case TokenKind::Number:
            return numberLiteral(t, false);
        case TokenKind::Date: {
            lit.kind = Literal::Kind::Date;
            lit.date = QDate::fromString(lit.text, Qt::ISODate);
            if (!lit.date.isValid())
                fail(t);
            return lit;
        }
        case TokenKind::DateTime: {
            lit.kind = Literal::Kind::DateTime;
            lit.dateTime = parseDateTime(text(t));
            if (!lit.dateTime.isValid())
                fail(t);
            return lit;
        }
        case TokenKind::DateLiteral: {
            lit.kind = Literal::Kind::DateLiteral;
            const qsizetype colon = lit.text.indexOf(u':');
            lit.dateLiteral = (colon < 0 ? lit.text : lit.text.left(colon)).toUpper();
            bool needsArgument = false;
            isDateLiteralName(lit.dateLiteral, &needsArgument);
            if (needsArgument != (colon >= 0))
                fail(t);
            if (colon >= 0) {
                bool ok = false;
                lit.integer = QStringView(lit.text).mid(colon + 1).toLongLong(&ok);
                if (!ok || lit.integer > 100000)
                    fail(t);
            }
            return lit;
        }
        case TokenKind::Currency: {
            lit.kind = Literal::Kind::Currency;
            lit.currencyCode = lit.text.left(3);
            lit.number = QStringView(lit.text).mid(3).toDouble();
            return lit;
        }
        case TokenKind::Keyword:
            if (isWord(&t, "NULL")) {
                lit.kind = Literal::Kind::Null;
                return lit;
            }
            if (isWord(&t, "TRUE") || isWord(&t, "FALSE")) {
                lit.kind = Literal::Kind::Boolean;
                lit.boolean = isWord(&t, "TRUE");
                return lit;
            }
            fail(t);
        default:
            fail(t);
        }
    }

    Literal numberLiteral(const Token &t, bool negative) const
    {
        Literal lit;
        lit.text = text(t).toString();
        lit.pos = posOf(t);
        bool ok = false;
        const qint64 i = text(t).toLongLong(&ok);
        if (ok && !lit.text.contains(u'.')) {
            lit.kind = Literal::Kind::Integer;
            lit.integer = negative ? -i : i;
            lit.number = double(lit.integer);
        } else {
            lit.kind = Literal::Kind::Decimal;
            lit.number = text(t).toDouble(&ok);
            if (!ok)
                fail(t);
            if (negative)
                lit.number = -lit.number;
        }
        return lit;
    }

    QString m_source;
    TokenList m_tokens;
    qsizetype m_index = 0;
    int m_depth = 0;
};

} // namespace

int maxNestingDepth()
{
    return s_maxDepth;
}

bool decodeStringLiteral(QStringView quoted, QString *value, QString *likePattern, int *badIndex)
{
    value->clear();
    likePattern->clear();
    if (quoted.size() < 2 || quoted.front() != u'\'' || quoted.back() != u'\'') {
        *badIndex = 0;
        return false;
    }
    const qsizetype end = quoted.size() - 1;
    for (qsizetype i = 1; i < end; ++i) {
        const QChar c = quoted[i];
        if (c != u'\\') {
            value->append(c);
            likePattern->append(c);
            continue;
        }
        if (i + 1 >= end) {
            *badIndex = int(i);
            return false;
        }
        const QChar e = quoted[i + 1];
        QChar out;
        switch (e.unicode()) {
        case u'n':
        case u'N':
            out = u'\n';
            break;
        case u'r':
        case u'R':
            out = u'\r';
            break;
        case u't':
        case u'T':
            out = u'\t';
            break;
        case u'b':
        case u'B':
            out = QChar(0x07); // documented as "bell"
            break;
        case u'f':
        case u'F':
            out = u'\f';
            break;
        case u'"':
            out = u'"';
            break;
        case u'\'':
            out = u'\'';
            break;
        case u'\\':
            value->append(u'\\');
            likePattern->append(QLatin1String("\\\\"));
            ++i;
            continue;
        case u'%':
        case u'_':
            value->append(e);
            likePattern->append(u'\\');
            likePattern->append(e);
            ++i;
            continue;
        case u'u': {
            if (i + 5 >= end) {
                *badIndex = int(i);
                return false;
            }
            int code = 0;
            for (int k = 2; k <= 5; ++k) {
                const int h = hexValue(quoted[i + k]);
                if (h < 0) {
                    *badIndex = int(i);
                    return false;
                }
                code = code * 16 + h;
            }
            value->append(QChar(char16_t(code)));
            likePattern->append(QChar(char16_t(code)));
            i += 5;
            continue;
        }
        default:
            *badIndex = int(i);
            return false;
        }
        value->append(out);
        likePattern->append(out);
        ++i;
    }
    return true;
}

ParseResult parse(const QString &soql)
{
    ParseResult r;
    try {
        Parser p(soql);
        r.query = p.run();
    } catch (const ParseFailure &f) {
        r.error = f.error;
    }
    return r;
}

} // namespace fs::soql
