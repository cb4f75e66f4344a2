// Fuzz target for the SOQL lexer and parser: any byte string must lex, parse (or fail with a
// positioned MALFORMED_QUERY) and format an error message without crashing, hanging or UB.
#include "soql/parser.h"
#include "soql/token.h"

#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    const QString soql = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));

    const fs::soql::TokenList tokens = fs::soql::tokenize(soql);
    int previousEnd = 0;
    for (const auto &t : tokens) {
        if (t.start < previousEnd || t.length <= 0 || t.end() > soql.size() || t.line < 1 || t.column < 1)
            std::abort();
        previousEnd = t.end();
        if (t.kind == fs::soql::TokenKind::String) {
            QString value, pattern;
            int bad = -1;
            (void)fs::soql::decodeStringLiteral(t.text(soql), &value, &pattern, &bad);
        }
    }

    const fs::soql::ParseResult r = fs::soql::parse(soql);
    if (!r.ok()) {
        const auto &e = r.error;
        if (e.code.isEmpty() || e.message.isEmpty() || e.line < 1 || e.column < 1 || e.offset < 0
            || e.offset > soql.size())
            std::abort();
        const QString message = fs::soql::formatSalesforceMessage(soql, e);
        if (!message.contains(QLatin1String("ERROR at Row:")))
            std::abort();
    }
    return 0;
}
