#include "querypageparser.h"

#include "recordbatchbuilder.h"

#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <string>
#include <vector>

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

// Eight bytes at `p` as one word (unaligned load).
inline quint64 load8(const char *p)
{
    quint64 word;
    std::memcpy(&word, p, sizeof word);
    return word;
}

// Bit 7 of each byte of the result is set where `word` has a zero byte (exact for the lowest
// such byte, which is all the callers use).
inline quint64 zeroBytes(quint64 word)
{
    return (word - 0x0101010101010101ULL) & ~word & 0x8080808080808080ULL;
}

// The first '"' or '\\' at or after `p`, eight bytes at a time. The input is simdjson-padded and
// the scan starts inside a string token, so it ends at that string's closing quote at the latest.
inline const char *findQuoteOrBackslash(const char *p)
{
    for (;; p += 8) {
        const quint64 word = load8(p);
        const quint64 hits = zeroBytes(word ^ 0x2222222222222222ULL) | zeroBytes(word ^ 0x5C5C5C5C5C5C5C5CULL);
        if (hits)
            return p + (std::countr_zero(hits) >> 3);
    }
}

class Walker {
public:
    simdjson::error_code error = simdjson::SUCCESS;
    std::string minified;
    std::string path; // "Parent.Child.Field" while inside parent records

    // Salesforce keys are API names without escapes: read them straight from the (validated,
    // padded) input instead of unescaping each one. Escaped keys take the unescaping path.
    static simdjson::error_code keyOf(ondemand::field &field, std::string_view &key)
    {
        const char *start = field.key().raw(); // just after the opening quote
        const char *p = findQuoteOrBackslash(start);
        if (*p == '"') {
            key = std::string_view(start, size_t(p - start));
            return simdjson::SUCCESS;
        }
        return field.unescaped_key().get(key);
    }

    // A string value's text: straight from the input when it has no escape (one memchr, no
    // copy), unescaped by simdjson otherwise. The document's UTF-8 was validated in stage 1.
    simdjson::error_code stringOf(ondemand::value &value, std::string_view token, std::string_view &text)
    {
        // `token` starts with the opening quote (the caller checked): the first quote or
        // backslash after it ends an escape-free string.
        const char *start = token.data() + 1;
        const char *p = findQuoteOrBackslash(start);
        if (*p == '"') {
            text = std::string_view(start, size_t(p - start));
            return simdjson::SUCCESS;
        }
        return value.get_string().get(text);
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
            std::string_view key;
            if (auto e = keyOf(field, key))
                return fail(e);
            if (key == kAttributes) {
                if (begun)
                    continue; // attributes after the fields: too late to matter, skip
                if (!beginFromAttributes(field.value(), builder))
                    return false;
                begun = true;
                continue;
            }
            if (!begun) {
                builder.beginRecord({});
                begun = true;
            }
            // Top-level fields use the key itself as the column path (no copy).
            if (!parseValue(field.value(), key, false, builder))
                return false;
        }
        if (!begun)
            builder.beginRecord({});
        builder.endRecord();
        return true;
    }

    bool beginFromAttributes(ondemand::value &value, RecordBatchBuilder &builder)
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
            std::string_view key;
            if (auto e = keyOf(field, key))
                return fail(e);
            if (key != "type" && key != "url")
                continue;
            ondemand::value &v = field.value();
            const std::string_view token = v.raw_json_token();
            if (token.empty() || token[0] != '"')
                continue; // null url (aggregates have none); the iterator skips the value
            std::string_view text;
            if (auto e = stringOf(v, token, text))
                return fail(e);
            if (key == "type") {
                type = text;
            } else {
                const size_t slash = text.rfind('/');
                id = slash == std::string_view::npos ? text : text.substr(slash + 1);
            }
        }
        builder.beginRecord(type, id);
        return true;
    }

    // Values are passed by reference: a by-value ondemand::value is rebuilt on the stack for
    // every field, and reading it back whole stalled on store forwarding (measured with perf).
    // One field value of a record. `path` is the column path: the key itself for a top-level
    // field, or a view of `this->path` ("Parent.Field") when `nested`.
    bool parseValue(ondemand::value &value, std::string_view path, bool nested, RecordBatchBuilder &builder)
    {
        // Dispatch on the token's first byte: one peek instead of type() and then a getter.
        const std::string_view token = value.raw_json_token();
        if (token.empty())
            return fail(simdjson::TAPE_ERROR);
        switch (token[0]) {
        case '"': {
            std::string_view text;
            if (auto e = stringOf(value, token, text))
                return fail(e);
            builder.addString(path, text);
            return true;
        }
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
            builder.addBool(path, flag);
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
        default: {
            double number = 0;
            if (auto e = value.get_double().get(number))
                return fail(e);
            builder.addNumber(path, number);
            return true;
        }
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
                if (!parseValue(field.value(), this->path, true, builder))
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
            Walker childWalker;
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

Result<RecordBatch> QueryPageParser::parse(QByteArray body, const QStringList &seedColumns,
    const LocatorCallback &onLocator)
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

    ondemand::document document;
    if (auto e = parser
                     .iterate(simdjson::padded_string_view(json, size_t(body.size()), allocated))
                     .get(document))
        return malformed(e);

    ondemand::object top;
    if (auto e = document.get_object().get(top))
        return malformed(e);

    RecordBatchBuilder builder;
    builder.seedColumns(seedColumns);
    builder.reserve(int(std::clamp<qsizetype>(body.size() / 256, 16, 4000)), body.size() / 2);
    Walker walker;
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
    return builder.build();
}

} // namespace fs::engine
