#pragma once

#include "httptypes.h"

#include <QAbstractHttpServer>

#include <functional>

namespace fs::sim {

// HTTP/1.1 front door: copies each request into an HttpRequest, asks the handler, and writes the
// answer itself (optionally delayed, gzip-compressed, cut short, or with the connection reset).
class SimHttpServer : public QAbstractHttpServer {
    Q_OBJECT
public:
    using Handler = std::function<HttpResponse(const HttpRequest &)>;

    explicit SimHttpServer(Handler handler, QObject *parent = nullptr);
    void setTls(bool tls) { m_tls = tls; }
    static QByteArray gzip(const QByteArray &data);
    static QByteArray gunzip(const QByteArray &data, bool *ok);
    // For tests: TCP connections that carried at least one request (keep-alive shows as fewer
    // connections than requests), and responses sent gzip-compressed.
    int connectionCount() const { return m_connections; }
    int gzippedResponseCount() const { return m_gzipped; }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void writeResponse(QTcpSocket *socket, const HttpResponse &response, bool acceptsGzip, bool head);

    Handler m_handler;
    bool m_tls = false;
    int m_connections = 0;
    int m_gzipped = 0;
};

} // namespace fs::sim
