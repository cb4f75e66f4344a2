#include "loopbackreceiver.h"

#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace fs::engine {

namespace {
    constexpr qsizetype kMaxRequestBytes = 16 * 1024;
    const char kCallbackPath[] = "/oauth/callback";
}

LoopbackReceiver::LoopbackReceiver(QObject *parent)
    : QObject(parent)
{
}

LoopbackReceiver::~LoopbackReceiver() = default;

bool LoopbackReceiver::listen(quint16 port, QString *error)
{
    if (!m_server) {
        m_server = new QTcpServer(this);
        connect(m_server, &QTcpServer::newConnection, this, &LoopbackReceiver::onNewConnection);
    }
    m_done = false;
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        if (error) {
            *error = QStringLiteral("Cannot listen for the login redirect on 127.0.0.1:%1: %2")
                         .arg(port)
                         .arg(m_server->errorString());
        }
        return false;
    }
    return true;
}

void LoopbackReceiver::close()
{
    if (m_server)
        m_server->close();
}

QUrl LoopbackReceiver::redirectUri() const
{
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(QStringLiteral("127.0.0.1"));
    u.setPort(m_server ? m_server->serverPort() : 0);
    u.setPath(QString::fromLatin1(kCallbackPath));
    return u;
}

bool LoopbackReceiver::parseRequestLine(const QByteArray &line, QString *path, QUrlQuery *query)
{
    const QList<QByteArray> parts = line.trimmed().split(' ');
    if (parts.size() != 3 || parts[0] != "GET" || !parts[2].startsWith("HTTP/1."))
        return false;
    const QByteArray &target = parts[1];
    if (!target.startsWith('/'))
        return false;
    const qsizetype q = target.indexOf('?');
    *path = QString::fromUtf8(QByteArray::fromPercentEncoding(q < 0 ? target : target.left(q)));
    // Decode form-style: '+' is a space, %XX an octet.
    QUrlQuery out;
    if (q >= 0) {
        for (const QByteArray &pair : target.mid(q + 1).split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            QByteArray k = eq < 0 ? pair : pair.left(eq);
            QByteArray v = eq < 0 ? QByteArray() : pair.mid(eq + 1);
            k.replace('+', ' ');
            v.replace('+', ' ');
            out.addQueryItem(QString::fromUtf8(QByteArray::fromPercentEncoding(k)),
                QString::fromUtf8(QByteArray::fromPercentEncoding(v)));
        }
    }
    *query = out;
    return true;
}

void LoopbackReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        // A client that never sends a full request is dropped.
        QTimer::singleShot(30000, socket, [socket] { socket->abort(); });
    }
}

void LoopbackReceiver::reply(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &html)
{
    QByteArray response = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    response += "Content-Type: text/html; charset=utf-8\r\n";
    response += "Cache-Control: no-store\r\n";
    response += "Connection: close\r\n";
    response += "Content-Length: " + QByteArray::number(html.size()) + "\r\n\r\n";
    response += html;
    socket->write(response);
    socket->disconnectFromHost();
}

void LoopbackReceiver::onReadyRead(QTcpSocket *socket)
{
    QByteArray buffered = socket->property("fs_buf").toByteArray() + socket->readAll();
    if (buffered.size() > kMaxRequestBytes) {
        reply(socket, 431, "Request Header Fields Too Large", "<p>Request too large.</p>");
        return;
    }
    if (!buffered.contains("\r\n\r\n") && !buffered.contains("\n\n")) {
        socket->setProperty("fs_buf", buffered);
        return;
    }
    socket->setProperty("fs_buf", QVariant());
    const qsizetype eol = buffered.indexOf('\n');
    QString path;
    QUrlQuery query;
    if (!parseRequestLine(buffered.left(eol), &path, &query)) {
        reply(socket, 400, "Bad Request", "<p>Bad request.</p>");
        return;
    }
    if (path != QLatin1String(kCallbackPath)) {
        reply(socket, 404, "Not Found", "<p>Not found.</p>");
        return;
    }
    if (m_done) {
        reply(socket, 410, "Gone", "<p>This login has already completed. You can close this window.</p>");
        return;
    }
    const bool failed = query.hasQueryItem(QStringLiteral("error"));
    reply(socket, 200, "OK",
        failed ? QByteArrayLiteral("<!doctype html><html><head><title>Forcescope</title></head><body><h1>Login was "
                                   "not completed</h1><p>You can close this window and return to Forcescope.</p></body></html>")
               : QByteArrayLiteral("<!doctype html><html><head><title>Forcescope</title></head><body><h1>Login "
                                   "received</h1><p>You can close this window and return to Forcescope.</p></body></html>"));
    m_done = true;
    Q_EMIT redirectReceived(query);
}

} // namespace fs::engine
