#pragma once

#include <QList>
#include <QStringView>

namespace fs::soql {

// What a lexed run of SOQL text is. Error covers characters SOQL does not know and unterminated
// strings (which run to the end of the input, so a highlighter can colour them while typing).
enum class TokenKind {
    Keyword, // SELECT, FROM, WHERE, AND, … (case-insensitive)
    Identifier, // field, object, alias, function names
    String, // '…' including the quotes; escapes are decoded by the parser
    Number, // 42, 3.14 (sign is a separate Operator token)
    Date, // 2024-01-15
    DateTime, // 2024-01-15T10:00:00Z, …+05:30
    DateLiteral, // TODAY, LAST_N_DAYS:30 (the :n is part of the token)
    Currency, // USD5000, EUR12.5
    Operator, // = != <> < <= > >= + -
    Comma,
    Dot,
    LParen,
    RParen,
    Bind, // :name (only valid in Apex)
    Error, // unknown character or unterminated string
};

// One token. Offsets and lengths are in UTF-16 code units of the tokenized text; line and column
// are 1-based.
struct Token {
    TokenKind kind = TokenKind::Error;
    int start = 0;
    int length = 0;
    int line = 1;
    int column = 1;

    QStringView text(QStringView source) const { return source.mid(start, length); }
    int end() const { return start + length; }
};

using TokenList = QList<Token>;

// Cheap and total: never fails, accepts incomplete input. Usable per line by a highlighter.
TokenList tokenize(QStringView text);

// Human-readable kind name for tests and diagnostics.
const char *tokenKindName(TokenKind kind);

// Whether `word` (any case) is a SOQL keyword the highlighter should colour.
bool isKeyword(QStringView word);

// Whether `word` (any case) names a relative date literal (TODAY, LAST_N_DAYS, …) and, if so,
// whether it takes a ":n" argument.
bool isDateLiteralName(QStringView word, bool *takesArgument = nullptr);

} // namespace fs::soql
