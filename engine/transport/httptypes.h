#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace fs::engine {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// One logical API call. The transport adds Authorization, Accept-Encoding, Sforce-Call-Options,
// resolves `path` against the session's current instance URL, and retries when allowed.
struct HttpRequest {
    QByteArray method = "GET";
    // "/services/data/v59.0/query?q=…" (already percent-encoded) or an absolute URL. A relative
    // path is resolved against the instance URL current at each attempt (it can change on refresh).
    QString path;
    QByteArray body;
    QByteArray contentType; // e.g. "application/json"; empty when no body
    HeaderList headers; // extra headers (Sforce-Query-Options, If-Unmodified-Since, …)
    bool idempotent = true; // may be retried after a failure whose outcome is unknown
    bool authenticated = true; // false for /services/data and token endpoints
    QString operation; // metrics label: "query", "describe", "create", …
    QString sobject; // metrics label; may be empty
    QString soql; // for the sanitized log only (string literals replaced there)
};

struct HttpResponse {
    // Spare capacity kept after every body the Transport hands over: the query page parser
    // (simdjson reads up to 64 bytes past the end of its input) parses the body in place
    // instead of copying it into a padded buffer.
    static constexpr qsizetype BodySlack = 64;

    int status = 0;
    QByteArray body; // decompressed; capacity() >= size() + BodySlack when read by the Transport
    HeaderList headers;
    int attempts = 1;
    double durationMs = 0.0;

    QByteArray header(const QByteArray &name) const
    {
        for (const auto &h : headers) {
            if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                return h.second;
        }
        return {};
    }
};

} // namespace fs::engine
