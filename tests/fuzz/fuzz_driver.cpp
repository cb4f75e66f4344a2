// Deterministic stand-in for libFuzzer when the compiler is GCC: runs every seed in the corpus,
// then a fixed number of mutated inputs from a fixed seed, so the ctest run is reproducible.
// Usage: fuzz_soqlparser [corpus-dir] [iterations]
#include <QByteArray>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <random>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

namespace {

const char *const s_dictionary[] = {
    "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "LIKE", "IN", "INCLUDES", "EXCLUDES", "GROUP BY", "HAVING",
    "ORDER BY", "ASC", "DESC", "NULLS FIRST", "NULLS LAST", "LIMIT", "OFFSET", "FOR VIEW", "WITH SECURITY_ENFORCED",
    "USING SCOPE", "TYPEOF", "WHEN", "THEN", "ELSE", "END", "FIELDS(ALL)", "COUNT()", "COUNT(Id)", "(", ")", ",", ".",
    "'", "\\", "\\'", "\\u00e9", "\\u", "%", "_", "=", "!=", "<>", "<=", ">=", "<", ">", ":x", ":", "-", "+", "null",
    "true", "2024-01-15", "2024-01-15T10:00:00Z", "2024-01-15T10:00:00+05:30", "LAST_N_DAYS:", "LAST_N_DAYS:5", "TODAY",
    "USD5000", "1.5", "99999999999999999999", "\n", "\r\n", "\t", " ", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xff", "\x00",
};

QByteArray mutate(QByteArray input, const QList<QByteArray> &corpus, std::mt19937 &rng)
{
    auto pick = [&rng](int n) { return n <= 0 ? 0 : int(rng() % unsigned(n)); };
    const int rounds = 1 + pick(4);
    for (int r = 0; r < rounds; ++r) {
        switch (pick(7)) {
        case 0: // flip a byte
            if (!input.isEmpty())
                input[pick(int(input.size()))] = char(rng() & 0xff);
            break;
        case 1: { // insert a dictionary token
            const char *tok = s_dictionary[pick(int(std::size(s_dictionary)))];
            input.insert(pick(int(input.size()) + 1), QByteArray(tok, qsizetype(std::max<size_t>(1, std::strlen(tok)))));
            break;
        }
        case 2: // delete a range
            if (!input.isEmpty()) {
                const int at = pick(int(input.size()));
                input.remove(at, 1 + pick(std::min(16, int(input.size()) - at)));
            }
            break;
        case 3: // duplicate a range
            if (!input.isEmpty()) {
                const int at = pick(int(input.size()));
                const QByteArray chunk = input.mid(at, 1 + pick(32));
                input.insert(pick(int(input.size()) + 1), chunk);
            }
            break;
        case 4: // splice with another corpus entry
            if (!corpus.isEmpty()) {
                const QByteArray &other = corpus[pick(int(corpus.size()))];
                input = input.left(pick(int(input.size()) + 1)) + other.mid(pick(int(other.size()) + 1));
            }
            break;
        case 5: // truncate
            input.truncate(pick(int(input.size()) + 1));
            break;
        default: // repeat an opening construct to probe nesting
            input.insert(pick(int(input.size()) + 1), QByteArray(1 + pick(200), rng() % 2 ? '(' : ' '));
            break;
        }
    }
    if (input.size() > 8192)
        input.truncate(8192);
    return input;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv); // some targets use Qt SQL plugins
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1])
                                 : QStringLiteral(FS_SOURCE_DIR "/tests/fuzz/corpus/soql");
    const long iterations = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20000;

    QList<QByteArray> corpus;
    const QDir corpusDir(dir);
    for (const QString &name : corpusDir.entryList(QDir::Files, QDir::Name)) {
        QFile f(corpusDir.filePath(name));
        if (f.open(QIODevice::ReadOnly))
            corpus << f.readAll();
    }
    if (corpus.isEmpty()) {
        std::fprintf(stderr, "no seeds in %s\n", qPrintable(dir));
        return 2;
    }
    for (const QByteArray &seed : corpus)
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(seed.constData()), size_t(seed.size()));

    std::mt19937 rng(20261127u);
    for (long i = 0; i < iterations; ++i) {
        const QByteArray input = mutate(corpus[int(rng() % unsigned(corpus.size()))], corpus, rng);
        LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>(input.constData()), size_t(input.size()));
    }
    std::printf("%s: %lld seeds, %ld mutated inputs, no failures\n", qPrintable(QCoreApplication::applicationName()),
        qlonglong(corpus.size()), iterations);
    return 0;
}
