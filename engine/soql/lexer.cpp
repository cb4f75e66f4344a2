#include "token.h"

#include <QString>

#include <algorithm>
#include <array>

namespace fs::soql {

namespace {

bool isIdentStart(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || c == u'_';
}

bool isIdentPart(QChar c)
{
    return isIdentStart(c) || (c >= u'0' && c <= u'9');
}

bool isDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool equalsAnyCase(QStringView a, const char *b)
{
    return a.compare(QLatin1String(b), Qt::CaseInsensitive) == 0;
}

constexpr std::array s_keywords = {
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "INCLUDES", "EXCLUDES", "NULL", "TRUE", "FALSE",
    "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC", "NULLS", "FIRST", "LAST", "LIMIT", "OFFSET", "WITH", "USING",
    "SCOPE", "FOR", "VIEW", "REFERENCE", "UPDATE", "TYPEOF", "WHEN", "THEN", "ELSE", "END", "ROLLUP", "CUBE",
    "SECURITY_ENFORCED", "TRACKING", "VIEWSTAT",
};

struct DateLiteralName {
    const char *name;
    bool argument;
};

constexpr DateLiteralName s_dateLiterals[] = {
    { "YESTERDAY", false }, { "TODAY", false }, { "TOMORROW", false }, { "LAST_WEEK", false },
    { "THIS_WEEK", false }, { "NEXT_WEEK", false }, { "LAST_MONTH", false }, { "THIS_MONTH", false },
    { "NEXT_MONTH", false }, { "LAST_90_DAYS", false }, { "NEXT_90_DAYS", false }, { "LAST_N_DAYS", true },
    { "NEXT_N_DAYS", true }, { "N_DAYS_AGO", true }, { "NEXT_N_WEEKS", true }, { "LAST_N_WEEKS", true },
    { "N_WEEKS_AGO", true }, { "NEXT_N_MONTHS", true }, { "LAST_N_MONTHS", true }, { "N_MONTHS_AGO", true },
    { "THIS_QUARTER", false }, { "LAST_QUARTER", false }, { "NEXT_QUARTER", false }, { "NEXT_N_QUARTERS", true },
    { "LAST_N_QUARTERS", true }, { "N_QUARTERS_AGO", true }, { "THIS_YEAR", false }, { "LAST_YEAR", false },
    { "NEXT_YEAR", false }, { "NEXT_N_YEARS", true }, { "LAST_N_YEARS", true }, { "N_YEARS_AGO", true },
    { "THIS_FISCAL_QUARTER", false }, { "LAST_FISCAL_QUARTER", false }, { "NEXT_FISCAL_QUARTER", false },
    { "NEXT_N_FISCAL_QUARTERS", true }, { "LAST_N_FISCAL_QUARTERS", true }, { "N_FISCAL_QUARTERS_AGO", true },
    { "THIS_FISCAL_YEAR", false }, { "LAST_FISCAL_YEAR", false }, { "NEXT_FISCAL_YEAR", false },
    { "NEXT_N_FISCAL_YEARS", true }, { "LAST_N_FISCAL_YEARS", true }, { "N_FISCAL_YEARS_AGO", true },
};

class Lexer {
public:
    explicit Lexer(QStringView text)
        : m_text(text)
    {
    }

    TokenList run()
    {
        TokenList out;
        while (true) {
            skipSpace();
            if (m_pos >= m_text.size())
                break;
            out.append(next());
        }
        return out;
    }

private:
    QChar at(qsizetype i) const { return i < m_text.size() ? m_text[i] : QChar(); }

    void advance(qsizetype n = 1)
    {
        for (qsizetype i = 0; i < n && m_pos < m_text.size(); ++i) {
            if (m_text[m_pos] == u'\n') {
                ++m_line;
                m_column = 1;
            } else {
                ++m_column;
            }
            ++m_pos;
        }
    }

    void skipSpace()
    {
        while (m_pos < m_text.size()) {
            const QChar c = m_text[m_pos];
            if (c == u' ' || c == u'\t' || c == u'\n' || c == u'\r' || c == u'\f' || c == u'\v')
                advance();
            else
                break;
        }
    }

    bool digitsAt(qsizetype pos, int count) const
    {
        for (int i = 0; i < count; ++i) {
            if (!isDigit(at(pos + i)))
                return false;
        }
        return true;
    }

    Token make(TokenKind kind, qsizetype length)
    {
        Token t;
        t.kind = kind;
        t.start = int(m_pos);
        t.length = int(length);
        t.line = m_line;
        t.column = m_column;
        advance(length);
        return t;
    }

    // Length of a datetime suffix starting at `p` (the 'T'), or 0 when it is not one.
    qsizetype dateTimeSuffix(qsizetype p) const
    {
        const qsizetype start = p;
        if (at(p) != u'T' && at(p) != u't')
            return 0;
        ++p;
        if (!(digitsAt(p, 2) && at(p + 2) == u':' && digitsAt(p + 3, 2) && at(p + 5) == u':' && digitsAt(p + 6, 2)))
            return 0;
        p += 8;
        if (at(p) == u'.' && isDigit(at(p + 1))) {
            ++p;
            while (isDigit(at(p)))
                ++p;
        }
        if (at(p) == u'Z' || at(p) == u'z')
            return p + 1 - start;
        if (at(p) == u'+' || at(p) == u'-') {
            if (digitsAt(p + 1, 2) && at(p + 3) == u':' && digitsAt(p + 4, 2))
                return p + 6 - start;
            if (digitsAt(p + 1, 4))
                return p + 5 - start;
        }
        return 0;
    }

    Token next()
    {
        const QChar c = m_text[m_pos];
        if (isIdentStart(c)) {
            qsizetype p = m_pos;
            while (isIdentPart(at(p)))
                ++p;
            const QStringView word = m_text.mid(m_pos, p - m_pos);
            bool takesArgument = false;
            if (isDateLiteralName(word, &takesArgument)) {
                if (takesArgument && at(p) == u':' && isDigit(at(p + 1))) {
                    p += 1;
                    while (isDigit(at(p)))
                        ++p;
                }
                return make(TokenKind::DateLiteral, p - m_pos);
            }
            // Currency literal: ISO code followed by digits (USD5000, EUR12.50).
            if (word.size() > 3 && word[0].isUpper() && word[1].isUpper() && word[2].isUpper()
                && std::all_of(word.begin() + 3, word.end(), [](QChar ch) { return isDigit(ch); })) {
                if (at(p) == u'.' && isDigit(at(p + 1))) {
                    ++p;
                    while (isDigit(at(p)))
                        ++p;
                }
                return make(TokenKind::Currency, p - m_pos);
            }
            return make(isKeyword(word) ? TokenKind::Keyword : TokenKind::Identifier, p - m_pos);
        }
        if (isDigit(c)) {
            if (digitsAt(m_pos, 4) && at(m_pos + 4) == u'-' && digitsAt(m_pos + 5, 2) && at(m_pos + 7) == u'-'
                && digitsAt(m_pos + 8, 2) && !isDigit(at(m_pos + 10))) {
                const qsizetype suffix = dateTimeSuffix(m_pos + 10);
                if (suffix > 0)
                    return make(TokenKind::DateTime, 10 + suffix);
                if (at(m_pos + 10) == u'T' || at(m_pos + 10) == u't') {
                    // Looks like a datetime but is malformed: swallow the rest of the word.
                    qsizetype p = m_pos + 11;
                    while (isIdentPart(at(p)) || at(p) == u':' || at(p) == u'.' || at(p) == u'+')
                        ++p;
                    return make(TokenKind::Error, p - m_pos);
                }
                return make(TokenKind::Date, 10);
            }
            qsizetype p = m_pos;
            while (isDigit(at(p)))
                ++p;
            if (at(p) == u'.' && isDigit(at(p + 1))) {
                ++p;
                while (isDigit(at(p)))
                    ++p;
            }
            return make(TokenKind::Number, p - m_pos);
        }
        switch (c.unicode()) {
        case u'\'': {
            qsizetype p = m_pos + 1;
            while (p < m_text.size()) {
                if (m_text[p] == u'\\') {
                    p += 2;
                    continue;
                }
                if (m_text[p] == u'\'')
                    return make(TokenKind::String, p + 1 - m_pos);
                ++p;
            }
            return make(TokenKind::Error, m_text.size() - m_pos);
        }
        case u',':
            return make(TokenKind::Comma, 1);
        case u'.':
            return make(TokenKind::Dot, 1);
        case u'(':
            return make(TokenKind::LParen, 1);
        case u')':
            return make(TokenKind::RParen, 1);
        case u'=':
            return make(TokenKind::Operator, 1);
        case u'+':
        case u'-':
            return make(TokenKind::Operator, 1);
        case u'!':
            return make(at(m_pos + 1) == u'=' ? TokenKind::Operator : TokenKind::Error, at(m_pos + 1) == u'=' ? 2 : 1);
        case u'<':
            return make(TokenKind::Operator, (at(m_pos + 1) == u'=' || at(m_pos + 1) == u'>') ? 2 : 1);
        case u'>':
            return make(TokenKind::Operator, at(m_pos + 1) == u'=' ? 2 : 1);
        case u':': {
            qsizetype p = m_pos + 1;
            while (isIdentPart(at(p)))
                ++p;
            return make(TokenKind::Bind, p - m_pos);
        }
        default:
            break;
        }
        // Unknown character; keep surrogate pairs together.
        const qsizetype len = (c.isHighSurrogate() && at(m_pos + 1).isLowSurrogate()) ? 2 : 1;
        return make(TokenKind::Error, len);
    }

    QStringView m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

} // namespace

TokenList tokenize(QStringView text)
{
    return Lexer(text).run();
}

const char *tokenKindName(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Keyword:
        return "Keyword";
    case TokenKind::Identifier:
        return "Identifier";
    case TokenKind::String:
        return "String";
    case TokenKind::Number:
        return "Number";
    case TokenKind::Date:
        return "Date";
    case TokenKind::DateTime:
        return "DateTime";
    case TokenKind::DateLiteral:
        return "DateLiteral";
    case TokenKind::Currency:
        return "Currency";
    case TokenKind::Operator:
        return "Operator";
    case TokenKind::Comma:
        return "Comma";
    case TokenKind::Dot:
        return "Dot";
    case TokenKind::LParen:
        return "LParen";
    case TokenKind::RParen:
        return "RParen";
    case TokenKind::Bind:
        return "Bind";
    case TokenKind::Error:
        return "Error";
    }
    return "?";
}

bool isKeyword(QStringView word)
{
    return std::any_of(s_keywords.begin(), s_keywords.end(), [word](const char *k) { return equalsAnyCase(word, k); });
}

bool isDateLiteralName(QStringView word, bool *takesArgument)
{
    for (const auto &d : s_dateLiterals) {
        if (equalsAnyCase(word, d.name)) {
            if (takesArgument)
                *takesArgument = d.argument;
            return true;
        }
    }
    return false;
}

} // namespace fs::soql
