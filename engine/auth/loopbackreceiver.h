#pragma once

#include <QObject>
#include <QUrl>
#include <QUrlQuery>

class QTcpServer;
class QTcpSocket;

namespace fs::engine {

// The browser login's redirect target: a tiny HTTP listener on 127.0.0.1 (port 0 = random) that
// waits for one "GET <path>?code=…&state=…" request line, answers a small "You can close this
// window" page and reports the query. Anything else gets 404/400 and the listener keeps waiting.
// Engine thread only.
class LoopbackReceiver : public QObject {
    Q_OBJECT
public:
    explicit LoopbackReceiver(QObject *parent = nullptr);
    ~LoopbackReceiver() override;

    bool listen(quint16 port, QString *error);
    void close();
    QUrl redirectUri() const; // http://127.0.0.1:<port>/oauth/callback

    // Parses "GET /oauth/callback?code=x&state=y HTTP/1.1". Returns false for anything else.
    static bool parseRequestLine(const QByteArray &line, QString *path, QUrlQuery *query);

Q_SIGNALS:
    void redirectReceived(const QUrlQuery &query);

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    static void reply(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &html);

    QTcpServer *m_server = nullptr;
    bool m_done = false;
};

} // namespace fs::engine
