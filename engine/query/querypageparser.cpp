#include "querypageparser.h"

#include "recordbatchbuilder.h"
#include "recordbatchbuilder_p.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace fs::engine {

namespace ondemand = simdjson::ondemand;

namespace {

constexpr std::string_view kAttributes = "attributes";

struct PageState {
    qint64 totalSize = 0;
    bool done = false;
    bool sawDone = false;
    bool sawRecords = false;
    QString nextRecordsUrl;
};

// JSON whitespace, for trimming a raw token. Between tokens of a document that passed stage 1
// only whitespace can sit, and no other byte there is <= 0x20: one compare.
inline bool isJsonSpace(char c)
{
    return static_cast<unsigned char>(c) <= 0x20;
}

// Whether a key read from the input is `name` (a short literal): a length check and an inline
// compare instead of a call to memcmp.
inline bool isKey(std::string_view key, std::string_view name)
{
    return key.size() == name.size() && builderdetail::sameBytes(key.data(), name.data(), name.size());
}

// Whether the `length` bytes at `p` hold a backslash. Reads whole 16-byte (or 8-byte) blocks,
// up to 15 bytes past the end: callers pass text inside the simdjson-padded input, whose
// SIMDJSON_PADDING (64) bytes of slack cover that.
inline bool hasBackslash(const char *p, size_t length)
{
#if defined(__SSE2__)
    const __m128i backslash = _mm_set1_epi8('\\');
    for (size_t i = 0; i < length; i += 16) {
        const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p + i));
        auto mask = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(block, backslash)));
        if (length - i < 16)
            mask &= (1u << (length - i)) - 1u;
        if (mask)
            return true;
    }
    return false;
#else
    for (size_t i = 0; i < length; i += 8) {
        quint64 word;
        std::memcpy(&word, p + i, sizeof word);
        word ^= 0x5C5C5C5C5C5C5C5CULL;
        // Bit 7 of a byte is set where that byte of `word` is zero (exact for the lowest one).
        quint64 hits = (word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL;
        if (length - i < 8)
            hits &= (quint64(1) << (8 * (length - i))) - 1;
        if (hits)
            return true;
    }
    return false;
#endif
}

// Answers "is there a backslash in this string?" for the whole walk with one forward memchr
// cursor: the walk reads keys and strings in document order, so the next backslash found once
// serves every string before it, and a page without any escape is scanned once in all (glibc's
// vectorised memchr) instead of string by string. An out-of-order question is answered by
// scanning the string itself.
class BackslashCursor {
public:
    BackslashCursor(const char *begin, const char *end)
        : m_from(begin)
        , m_end(end)
    {
        find(begin);
        m_none = m_next == m_end;
    }

    // Whether the page holds no backslash at all (read once by the walkers: then no string
    // needs a check).
    bool none() const { return m_none; }

    bool any(const char *start, size_t length)
    {
        if (start < m_from)
            return hasBackslash(start, length);
        if (m_next < start)
            find(start);
        return m_next < start + length;
    }

private:
    void find(const char *from)
    {
        m_from = from;
        const void *hit = from < m_end ? std::memchr(from, '\\', size_t(m_end - from)) : nullptr;
        m_next = hit ? static_cast<const char *>(hit) : m_end;
    }

    const char *m_from; // m_next is the first backslash at or after m_from (m_end when none)
    const char *m_next = nullptr;
    const char *m_end;
    bool m_none = false;
};

// The text between the quotes of a string token (as raw_json_token() returns it: from the opening
// quote up to the next structural character, trailing whitespace included), when it holds no
// escape; false when it must be unescaped. Stage 1 validated the quoting and the UTF-8, so the
// last non-space byte of the token is the closing quote.
inline bool plainString(std::string_view token, bool noEscapes, BackslashCursor &escapes, std::string_view &text)
{
    size_t end = token.size();
    if (token[end - 1] != '"') { // not minified: trailing whitespace
        while (end > 1 && isJsonSpace(token[end - 1]))
            --end;
    }
    if (end < 2 || token[end - 1] != '"')
        return false; // not a lone string token: let simdjson report it
    const char *start = token.data() + 1;
    const size_t length = end - 2;
    if (!noEscapes && escapes.any(start, length))
        return false;
    text = std::string_view(start, length);
    return true;
}

class Walker {
public:
    explicit Walker(BackslashCursor *escapes)
        : escapes(escapes)
        , noEscapes(escapes->none())
    {
    }

    BackslashCursor *escapes; // shared by the walkers of one document
    const bool noEscapes; // the page has no backslash: no string or key needs unescaping
    simdjson::error_code error = simdjson::SUCCESS;
    std::string minified;
    std::string path; // "Parent.Child.Field" while inside parent records

    // Salesforce keys are API names without escapes: read them straight from the (validated,
    // padded) input instead of unescaping each one. The key's closing quote is found from the
    // value's position `valueStart` (the structural index gives it: no scan for the quote); only
    // escaped keys take simdjson's unescaping path.
    simdjson::error_code keyOf(ondemand::field &field, const char *valueStart, std::string_view &key)
    {
        const char *start = field.key().raw(); // just after the opening quote
        const char *p = valueStart;
        // Minified, the usual case: `"key":value`. The value follows the key's opening quote, so
        // p - 2 >= start - 1, which is that quote: reading p[-2] stays within the key.
        if (p[-1] == ':' && p[-2] == '"' && p - 2 >= start) [[likely]] {
            if (noEscapes) {
                key = std::string_view(start, size_t(p - 2 - start));
                return simdjson::SUCCESS;
            }
            p -= 2;
        } else {
            // Back over [ws] ':' [ws] to the closing quote.
            do
                --p;
            while (p > start && isJsonSpace(*p));
            if (p > start && *p == ':') {
                do
                    --p;
                while (p > start && isJsonSpace(*p));
            }
        }
        if (p >= start && *p == '"') [[likely]] {
            const auto length = size_t(p - start);
            if (!escapes->any(start, length)) {
                key = std::string_view(start, length);
                return simdjson::SUCCESS;
            }
        }
        return field.unescaped_key().get(key);
    }

    simdjson::error_code keyOf(ondemand::field &field, std::string_view &key)
    {
        return keyOf(field, field.value().raw_json_token().data(), key);
    }

    // A string value's text: straight from the input when it has no escape (no copy), unescaped
    // by simdjson otherwise. The document's UTF-8 was validated in stage 1.
    simdjson::error_code stringOf(ondemand::value &value, std::string_view token, std::string_view &text)
    {
        if (plainString(token, noEscapes, *escapes, text))
            return simdjson::SUCCESS;
        return value.get_string().get(text);
    }

    // A string or number cell, as most cells are: shared by the record walk's fast path and
    // parseValue, inline in both.
    Q_ALWAYS_INLINE bool addString(ondemand::value &value, std::string_view token, std::string_view path,
        RecordBatchBuilder::Private &rows)
    {
        std::string_view text;
        if (auto e = stringOf(value, token, text))
            return fail(e);
        rows.addString(path, text);
        return true;
    }

    Q_ALWAYS_INLINE bool addNumber(ondemand::value &value, std::string_view path, RecordBatchBuilder::Private &rows)
    {
        double number = 0;
        if (auto e = value.get_double().get(number))
            return fail(e);
        rows.addNumber(path, number);
        return true;
    }

    bool fail(simdjson::error_code code)
    {
        if (error == simdjson::SUCCESS)
            error = code == simdjson::SUCCESS ? simdjson::TAPE_ERROR : code;
        return false;
    }

    // Fields of a query result object ({totalSize, done, nextRecordsUrl, records}), starting at
    // `it` (the caller may already have consumed some). Records go into `builder`.
    bool parseResultFields(ondemand::object_iterator it, ondemand::object_iterator end, RecordBatchBuilder &builder,
        PageState &state, const QueryPageParser::LocatorCallback *onLocator)
    {
        for (; it != end; ++it) {
            ondemand::field field;
            if (auto e = (*it).get(field))
                return fail(e);
            std::string_view key;
            if (auto e = keyOf(field, key))
                return fail(e);
            if (!parseResultField(key, field.value(), builder, state, onLocator))
                return false;
        }
        return true;
    }

    bool parseResultField(std::string_view key, ondemand::value &value, RecordBatchBuilder &builder, PageState &state,
        const QueryPageParser::LocatorCallback *onLocator)
    {
        if (key == "totalSize") {
            double total = 0;
            if (auto e = value.get_double().get(total))
                return fail(e);
            state.totalSize = qint64(total);
        } else if (key == "done") {
            if (auto e = value.get_bool().get(state.done))
                return fail(e);
            state.sawDone = true;
        } else if (key == "nextRecordsUrl") {
            bool isNull = false;
            if (auto e = value.is_null().get(isNull))
                return fail(e);
            if (!isNull) {
                std::string_view url;
                if (auto e = value.get_string().get(url))
                    return fail(e);
                state.nextRecordsUrl = QString::fromUtf8(url.data(), qsizetype(url.size()));
                if (onLocator && *onLocator && !state.nextRecordsUrl.isEmpty())
                    (*onLocator)(state.nextRecordsUrl);
            }
        } else if (key == "records") {
            ondemand::array records;
            if (auto e = value.get_array().get(records))
                return fail(e);
            state.sawRecords = true;
            for (auto element : records) {
                ondemand::object record;
                if (auto e = element.get_object().get(record))
                    return fail(e);
                if (!parseRecord(record, builder))
                    return false;
            }
        }
        // Unknown keys are skipped by the iterator.
        return true;
    }

    bool parseRecord(ondemand::object &record, RecordBatchBuilder &builder)
    {
        RecordBatchBuilder::Private &rows = builder.internals();
        bool begun = false;
        ondemand::object_iterator it;
        ondemand::object_iterator end;
        if (auto e = record.begin().get(it))
            return fail(e);
        if (auto e = record.end().get(end))
            return fail(e);
        for (; it != end; ++it) {
            // Used in place: copying the field out of the result stalled on store forwarding.
            auto current = *it;
            if (auto e = current.error())
                return fail(e);
            ondemand::field &field = current.value_unsafe();
            ondemand::value &value = field.value();
            // The value's token, read once: it locates the key's end and picks the value's type.
            const std::string_view token = value.raw_json_token();
            if (token.empty())
                return fail(simdjson::TAPE_ERROR);
            std::string_view key;
            if (auto e = keyOf(field, token.data(), key))
                return fail(e);
            if (token[0] == '{' && isKey(key, kAttributes)) {
                if (begun)
                    continue; // attributes after the fields: too late to matter, skip
                if (!beginFromAttributes(value, rows))
                    return false;
                begun = true;
                continue;
            }
            if (!begun) {
                rows.beginRecord({}, {});
                begun = true;
            }
            // Top-level fields use the key itself as the column path (no copy). Strings and
            // numbers, nearly every cell, are added here; the rest goes through parseValue.
            bool added;
            if (token[0] == '"')
                added = addString(value, token, key, rows);
            else if (token[0] == '-' || (token[0] >= '0' && token[0] <= '9'))
                added = addNumber(value, key, rows);
            else
                added = parseValue(value, token, key, false, builder);
            if (!added)
                return false;
        }
        if (!begun)
            rows.beginRecord({}, {});
        rows.endRecord();
        return true;
    }

    bool beginFromAttributes(ondemand::value &value, RecordBatchBuilder::Private &rows)
    {
        ondemand::object attributes;
        if (auto e = value.get_object().get(attributes))
            return fail(e);
        // Views into the input (or into simdjson's string buffer, which lives until the
        // document is done): no copies per record.
        std::string_view type;
        std::string_view id;
        for (auto f : attributes) {
            if (auto e = f.error())
                return fail(e);
            ondemand::field &field = f.value_unsafe();
            ondemand::value &v = field.value();
            const std::string_view token = v.raw_json_token();
            if (token.empty())
                return fail(simdjson::TAPE_ERROR);
            std::string_view key;
            if (auto e = keyOf(field, token.data(), key))
                return fail(e);
            const bool isType = isKey(key, "type");
            if (!isType && !isKey(key, "url"))
                continue;
            if (token[0] != '"')
                continue; // null url (aggregates have none); the iterator skips the value
            std::string_view text;
            if (auto e = stringOf(v, token, text))
                return fail(e);
            if (isType) {
                type = text;
            } else {
                // The id is the url's last segment.
                const void *slash = text.empty() ? nullptr : memrchr(text.data(), '/', text.size());
                id = slash ? text.substr(size_t(static_cast<const char *>(slash) - text.data()) + 1) : text;
            }
        }
        rows.beginRecord(type, id);
        return true;
    }

    // Values are passed by reference: a by-value ondemand::value is rebuilt on the stack for
    // every field, and reading it back whole stalled on store forwarding (measured with perf).
    // One field value of a record; `token` is its raw token (value.raw_json_token()). `path` is
    // the column path: the key itself for a top-level field, or a view of `this->path`
    // ("Parent.Field") when `nested`.
    bool parseValue(ondemand::value &value, std::string_view token, std::string_view path, bool nested,
        RecordBatchBuilder &builder)
    {
        // Dispatch on the token's first byte: one peek instead of type() and then a getter.
        switch (token[0]) {
        case '"':
            return addString(value, token, path, builder.internals());
        case 'n': {
            bool isNull = false;
            if (auto e = value.is_null().get(isNull); e || !isNull)
                return fail(e ? e : simdjson::N_ATOM_ERROR);
            // Could be a plain field or an empty parent lookup: the builder tells them apart.
            builder.addNullParent(path);
            return true;
        }
        case 't':
        case 'f': {
            bool flag = false;
            if (auto e = value.get_bool().get(flag))
                return fail(e);
            builder.internals().addBool(path, flag);
            return true;
        }
        case '[': {
            ondemand::array array;
            std::string_view raw;
            if (auto e = value.get_array().get(array))
                return fail(e);
            if (auto e = array.raw_json().get(raw))
                return fail(e);
            return addCompact(path, raw, builder);
        }
        case '{':
            return parseObject(value, path, nested, builder);
        default:
            return addNumber(value, path, builder.internals());
        }
    }

    bool parseObject(ondemand::value &value, std::string_view path, bool nested, RecordBatchBuilder &builder)
    {
        ondemand::object object;
        if (auto e = value.get_object().get(object))
            return fail(e);
        ondemand::object_iterator it;
        ondemand::object_iterator end;
        if (auto e = object.begin().get(it))
            return fail(e);
        if (auto e = object.end().get(end))
            return fail(e);
        if (it == end) {
            builder.addObject(path, "{}");
            return true;
        }
        ondemand::field first;
        if (auto e = (*it).get(first))
            return fail(e);
        std::string_view firstKey;
        if (auto e = keyOf(first, firstKey))
            return fail(e);

        if (firstKey == kAttributes) {
            // A parent record: flatten its fields under "path.". A nested path already is the
            // prefix of this->path; a top-level one is copied in.
            if (!nested)
                this->path.assign(path);
            const size_t prefixLength = path.size();
            for (++it; it != end; ++it) {
                auto current = *it;
                if (auto e = current.error())
                    return fail(e);
                ondemand::field &field = current.value_unsafe();
                std::string_view key;
                if (auto e = keyOf(field, key))
                    return fail(e);
                this->path.resize(prefixLength);
                this->path.push_back('.');
                this->path.append(key);
                ondemand::value &fieldValue = field.value();
                const std::string_view token = fieldValue.raw_json_token();
                if (token.empty())
                    return fail(simdjson::TAPE_ERROR);
                if (!parseValue(fieldValue, token, this->path, true, builder))
                    return false;
            }
            this->path.resize(prefixLength);
            return true;
        }

        if (firstKey == "totalSize" || firstKey == "done" || firstKey == "records" || firstKey == "nextRecordsUrl") {
            // A child subquery result: its own batch, paged separately. Its walker keeps its own
            // path buffer, so the parent's prefix stays intact.
            RecordBatchBuilder child;
            PageState state;
            Walker childWalker(escapes);
            if (!childWalker.parseResultField(firstKey, first.value(), child, state, nullptr)
                || !childWalker.parseResultFields(++it, end, child, state, nullptr))
                return fail(childWalker.error);
            if (!state.sawRecords || !state.sawDone)
                return fail(simdjson::TAPE_ERROR);
            child.setResultInfo(state.totalSize, state.done, state.nextRecordsUrl);
            builder.addChild(path, child.build());
            return true;
        }

        // A compound value (address, location): keep it as compact JSON text.
        if (auto e = object.reset().error())
            return fail(e);
        std::string_view raw;
        if (auto e = object.raw_json().get(raw))
            return fail(e);
        return addCompact(path, raw, builder);
    }

    bool addCompact(std::string_view path, std::string_view raw, RecordBatchBuilder &builder)
    {
        // `path` may view this->path; `minified` is a different buffer.
        minified.resize(raw.size() + 1);
        size_t length = 0;
        if (auto e = simdjson::minify(raw.data(), raw.size(), minified.data(), length))
            return fail(e);
        builder.addObject(path, std::string_view(minified.data(), length));
        return true;
    }
};

} // namespace

QString QueryPageParser::malformedMessage()
{
    return QStringLiteral("The server sent a malformed query page; no records from it were used.");
}

QString QueryPageParser::onDemandKernel()
{
#define FS_QPP_STRINGIFY2(x) #x
#define FS_QPP_STRINGIFY(x) FS_QPP_STRINGIFY2(x)
    return QStringLiteral(FS_QPP_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
#undef FS_QPP_STRINGIFY
#undef FS_QPP_STRINGIFY2
}

Result<RecordBatch> QueryPageParser::parse(QByteArray body, const QStringList &seedColumns,
    const LocatorCallback &onLocator, const QStringList &selectOrder)
{
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: make sure they are ours. A body
    // without that slack (the usual case: QNetworkReply::readAll() sizes it exactly) is copied
    // into a per-thread buffer reused page after page — a memcpy into memory that is already
    // mapped, where growing the body meant a fresh page-sized allocation whose memory all had to
    // fault in (measured: a tenth of the parse thread's time went to the kernel). Bodies too
    // large to keep a buffer for get a one-off copy.
    constexpr size_t kReusedBufferLimit = 8 * 1024 * 1024;
    const char *json = body.constData();
    size_t allocated = size_t(body.capacity());
    if (body.capacity() - body.size() < qsizetype(simdjson::SIMDJSON_PADDING)) {
        const size_t needed = size_t(body.size()) + simdjson::SIMDJSON_PADDING;
        if (needed <= kReusedBufferLimit) {
            thread_local std::vector<char> padded;
            if (padded.size() < needed)
                padded.resize(needed);
            if (!body.isEmpty())
                std::memcpy(padded.data(), body.constData(), size_t(body.size()));
            json = padded.data();
            allocated = padded.size();
        } else {
            body.reserve(body.size() + qsizetype(simdjson::SIMDJSON_PADDING));
            json = body.constData();
            allocated = size_t(body.capacity());
        }
    }

    thread_local ondemand::parser parser;
    const auto malformed = [](simdjson::error_code code) {
        EngineError error = EngineError::make(EngineError::Category::Server, malformedMessage());
        error.detail = QStringLiteral("JSON error: %1").arg(QString::fromUtf8(simdjson::error_message(code)));
        return error;
    };

    // The parser sizes its buffers to the largest document so far, and the pages of one query
    // differ by a few bytes: without headroom nearly every slightly larger page reallocated the
    // structural index (megabytes of fresh memory, faulted in again during stage 1; measured:
    // 16 page faults per page in stage 1 alone).
    if (parser.capacity() < size_t(body.size())) {
        const size_t roomy = size_t(body.size()) + size_t(body.size()) / 8 + 4096;
        if (auto e = parser.allocate(roomy, parser.max_depth()))
            return malformed(e);
    }
    ondemand::document document;
    if (auto e = parser
                     .iterate(simdjson::padded_string_view(json, size_t(body.size()), allocated))
                     .get(document))
        return malformed(e);

    ondemand::object top;
    if (auto e = document.get_object().get(top))
        return malformed(e);

    // Rows to reserve: from the bytes per record of this thread's previous page when there was
    // one (the pages of a query are alike, so the estimate is close and the cell columns need no
    // shrinking copy at the end), else a generous guess.
    thread_local double bytesPerRow = 0;
    const qsizetype rowGuess = bytesPerRow > 0 ? qsizetype(double(body.size()) / bytesPerRow * 1.02) + 8
                                               : body.size() / 256;
    RecordBatchBuilder builder;
    builder.seedColumns(seedColumns);
    builder.reserve(int(std::clamp<qsizetype>(rowGuess, 16, 4000)), body.size() / 2);
    BackslashCursor escapes(json, json + body.size());
    Walker walker(&escapes);
    PageState state;
    ondemand::object_iterator begin;
    ondemand::object_iterator end;
    if (auto e = top.begin().get(begin))
        return malformed(e);
    if (auto e = top.end().get(end))
        return malformed(e);
    if (!walker.parseResultFields(begin, end, builder, state, &onLocator))
        return malformed(walker.error);
    if (!state.sawRecords || !state.sawDone)
        return malformed(simdjson::NO_SUCH_FIELD);
    builder.setResultInfo(state.totalSize, state.done, state.done ? QString() : state.nextRecordsUrl);
    if (builder.rowCount() >= 16)
        bytesPerRow = double(body.size()) / builder.rowCount();
    if (!selectOrder.isEmpty())
        builder.arrangeBySelectList(selectOrder);
    return builder.build();
}

} // namespace fs::engine
