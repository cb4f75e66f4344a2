#include "recordetag.h"

#include "rest/extrasupport.h"
#include "store/store.h"

#include <QCryptographicHash>
#include <QJsonArray>

namespace fs::sim {

namespace {

// The opaque part of a tag, so "x=-gzip", "x=--gzip" and W/"x=" compare equal.
QByteArray opaque(QByteArray tag)
{
    if (tag.startsWith("W/"))
        tag = tag.mid(2);
    if (tag.size() >= 2 && tag.startsWith('"') && tag.endsWith('"'))
        tag = tag.mid(1, tag.size() - 2);
    if (tag.endsWith("--gzip"))
        tag.chop(6);
    else if (tag.endsWith("-gzip"))
        tag.chop(5);
    return tag;
}

// Parses an If-Match / If-None-Match value: "*" or a comma-separated list of quoted tags.
bool parseTagList(const QByteArray &value, QList<QByteArray> *tags, bool *any)
{
    *any = false;
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return false;
    if (trimmed == "*") {
        *any = true;
        return true;
    }
    for (QByteArray part : trimmed.split(',')) {
        part = part.trimmed();
        QByteArray body = part.startsWith("W/") ? part.mid(2) : part;
        if (body.size() < 3 || !body.startsWith('"') || !body.endsWith('"') || body.mid(1, body.size() - 2).contains('"'))
            return false;
        tags->append(opaque(part));
    }
    return true;
}

} // namespace

RecordETag::RecordETag(Store &store)
    : m_store(store)
{
}

bool RecordETag::supports(const ObjectDef &obj)
{
    return obj.name == u"Account";
}

QByteArray RecordETag::etagFor(const ObjectDef &obj, const QVariantMap &row)
{
    QJsonArray values;
    for (const FieldDef &f : obj.fields)
        values.append(Store::toJson(f, row.value(f.name)));
    const QByteArray digest = QCryptographicHash::hash(toJsonBytes(values), QCryptographicHash::Sha256);
    return '"' + digest.toBase64() + "--gzip\"";
}

HttpResponse RecordETag::handle(const HttpRequest &req, const ObjectDef &obj, const QString &rawId, const std::function<HttpResponse()> &next)
{
    if (!supports(obj))
        return next();
    const bool read = req.method == "GET" || req.method == "HEAD";
    const bool write = req.method == "PATCH" || req.method == "DELETE";
    if (!read && !write)
        return next();

    QList<QByteArray> matchTags, noneMatchTags;
    bool matchAny = false, noneMatchAny = false;
    const bool hasMatch = req.hasHeader("If-Match");
    const bool hasNoneMatch = req.hasHeader("If-None-Match");
    const bool matchOk = !hasMatch || parseTagList(req.header("If-Match"), &matchTags, &matchAny);
    const bool noneMatchOk = !hasNoneMatch || parseTagList(req.header("If-None-Match"), &noneMatchTags, &noneMatchAny);
    if (write && (!matchOk || !noneMatchOk)) {
        const QByteArray name = !matchOk ? QByteArray("If-Match") : QByteArray("If-None-Match");
        return errorResponse(400, QStringLiteral("INVALID_HEADER_VALUE"),
            QStringLiteral("%1 header value is not a valid list of entity tags: %2")
                .arg(QString::fromLatin1(name), QString::fromLatin1(req.header(name))));
    }

    const auto row = m_store.get(obj.name, rawId, nullptr);
    if (!row)
        return next(); // unknown, deleted or malformed id: the ordinary handler reports it
    const QByteArray etag = etagFor(obj, *row);
    const QByteArray current = opaque(etag);

    if (hasMatch && matchOk && !matchAny && !matchTags.contains(current)) {
        HttpResponse r = errorResponse(412, QStringLiteral("PRECONDITION_FAILED"),
            QStringLiteral("The ETag of the %1 record does not match any ETag in the If-Match header").arg(obj.name));
        r.setHeader("ETag", etag);
        return r;
    }
    if (hasNoneMatch && noneMatchOk && (noneMatchAny || noneMatchTags.contains(current))) {
        if (read) {
            HttpResponse r;
            r.status = 304;
            r.contentType.clear();
            r.setHeader("ETag", etag);
            return r;
        }
        HttpResponse r = errorResponse(412, QStringLiteral("PRECONDITION_FAILED"),
            QStringLiteral("The ETag of the %1 record matches an ETag in the If-None-Match header").arg(obj.name));
        r.setHeader("ETag", etag);
        return r;
    }

    HttpResponse resp = next();
    if (read && resp.status == 200) {
        resp.setHeader("ETag", etag);
    } else if (req.method == "PATCH" && resp.status == 204) {
        if (const auto after = m_store.get(obj.name, rawId, nullptr))
            resp.setHeader("ETag", etagFor(obj, *after));
    }
    return resp;
}

} // namespace fs::sim
