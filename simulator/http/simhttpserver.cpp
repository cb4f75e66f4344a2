#include "simhttpserver.h"

#include <QHttpServerRequest>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>

#include <zlib.h>

namespace fs::sim {

namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    default:
        return "UNKNOWN";
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 300: return "Multiple Choices";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 412: return "Precondition Failed";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 500: return "Server Error";
    case 501: return "Not Implemented";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

// "/services//data/v59.0//limits" -> "/services/data/v59.0/limits".
QString collapseSlashes(QString path)
{
    qsizetype out = 0;
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (path.at(i) == u'/' && out > 0 && path.at(out - 1) == u'/')
            continue;
        path[out++] = path.at(i);
    }
    path.truncate(out);
    return path;
}

// The request's path, with doubled slashes read as one. Salesforce serves such paths and clients
// send them: the Salesforce CLI keeps an access-token login's instance URL with its trailing
// slash, so every call it makes begins "//services/...". Qt's HTTP server reads a target that
// begins "//" as an authority and hands over the rest: "//services/data/v59.0" arrives as
// "/data/v59.0". Every path the org serves under /data and /oauth2 lives below /services, so
// the lost segment is put back there; other paths are left to answer 404.
QString requestPath(const QUrl &url)
{
    QString path = collapseSlashes(url.path(QUrl::FullyDecoded));
    for (const QLatin1StringView lostBelowServices : { QLatin1StringView("/data"), QLatin1StringView("/oauth2") }) {
        if (path == lostBelowServices || path.startsWith(lostBelowServices + u'/'))
            return QLatin1StringView("/services") + path;
    }
    return path;
}

} // namespace

SimHttpServer::SimHttpServer(Handler handler, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_handler(std::move(handler))
{
}

QByteArray SimHttpServer::gzip(const QByteArray &data)
{
    z_stream zs {};
    // 15 window bits + 16: a gzip wrapper rather than zlib's. Fastest level, as web servers use
    // by default: on a 2,000-record page (702 KiB) 3.6 ms instead of 9.0 ms at zlib's default,
    // for 71 KiB instead of 57 KiB — the org shares the machine with the client it serves.
    if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return {};
    QByteArray out;
    out.resize(int(deflateBound(&zs, uLong(data.size()))) + 32);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    zs.next_out = reinterpret_cast<Bytef *>(out.data());
    zs.avail_out = uInt(out.size());
    const int rc = deflate(&zs, Z_FINISH);
    const auto produced = zs.total_out;
    deflateEnd(&zs);
    if (rc != Z_STREAM_END)
        return {};
    out.resize(qsizetype(produced));
    return out;
}

QByteArray SimHttpServer::gunzip(const QByteArray &data, bool *ok)
{
    *ok = false;
    z_stream zs {};
    if (inflateInit2(&zs, 15 + 32) != Z_OK)
        return {};
    QByteArray out;
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.constData()));
    zs.avail_in = uInt(data.size());
    char buf[65536];
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef *>(buf);
        zs.avail_out = sizeof(buf);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buf, qsizetype(sizeof(buf) - zs.avail_out));
        if (out.size() > 64 * 1024 * 1024)
            break;
    }
    inflateEnd(&zs);
    *ok = rc == Z_STREAM_END;
    return out;
}

bool SimHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (!socket->property("fsSimCounted").toBool()) {
        socket->setProperty("fsSimCounted", true);
        ++m_connections;
    }
    HttpRequest req;
    req.method = methodName(request.method());
    const QUrl url = request.url();
    req.path = requestPath(url);
    req.query = QUrlQuery(url);
    req.headers = request.headers();
    req.body = request.body();
    req.remote = request.remoteAddress();
    req.tls = m_tls;
    const bool acceptsGzip = req.header("Accept-Encoding").contains("gzip");
    HttpResponse resp;
    if (req.header("Content-Encoding").trimmed().compare("gzip", Qt::CaseInsensitive) == 0) {
        bool ok = false;
        req.body = gunzip(req.body, &ok);
        if (!ok) {
            resp.status = 400;
            resp.body = R"([{"message":"The request body could not be decompressed","errorCode":"JSON_PARSER_ERROR"}])";
        }
    }
    if (resp.body.isEmpty())
        resp = m_handler(req);
    const bool head = req.method == "HEAD";
    if (resp.delayMs > 0) {
        QPointer<QTcpSocket> guard(socket);
        QTimer::singleShot(resp.delayMs, this, [this, guard, resp, acceptsGzip, head] {
            if (guard)
                writeResponse(guard, resp, acceptsGzip, head);
        });
    } else {
        writeResponse(socket, resp, acceptsGzip, head);
    }
    return true;
}

void SimHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    Q_UNUSED(request)
    HttpResponse resp;
    resp.status = 404;
    resp.body = R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])";
    writeResponse(socket, resp, false, false);
}

void SimHttpServer::writeResponse(QTcpSocket *socket, const HttpResponse &response, bool acceptsGzip, bool head)
{
    QByteArray body = response.body;
    QByteArray out = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + reasonPhrase(response.status) + "\r\n";
    bool gzipped = false;
    if (acceptsGzip && body.size() > 256 && response.fault == HttpResponse::Fault::None) {
        const QByteArray z = gzip(body);
        if (!z.isEmpty()) {
            body = z;
            gzipped = true;
            ++m_gzipped;
        }
    }
    out += "Date: " + QDateTime::currentDateTimeUtc().toString(QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'")).toLatin1() + "\r\n";
    if (response.status != 204 && response.status != 304 && !response.contentType.isEmpty()
        && (!body.isEmpty() || response.status >= 300))
        out += "Content-Type: " + response.contentType + "\r\n";
    if (gzipped)
        out += "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n";
    for (const auto &h : response.headers)
        out += h.first + ": " + h.second + "\r\n";
    if (response.status != 204 && response.status != 304)
        out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    out += "\r\n";
    if (head || response.status == 204 || response.status == 304)
        body.clear();
    switch (response.fault) {
    case HttpResponse::Fault::None:
        socket->write(out + body);
        break;
    case HttpResponse::Fault::Reset:
    case HttpResponse::Fault::Truncate:
        // Headers promise the full length; send part of the body, then drop the connection.
        socket->write(out + body.left(body.size() / 2));
        socket->flush();
        socket->abort();
        break;
    }
}

} // namespace fs::sim
