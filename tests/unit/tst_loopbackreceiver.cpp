#include "auth/loopbackreceiver.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>

using fs::engine::LoopbackReceiver;

class TestLoopbackReceiver : public QObject {
    Q_OBJECT
private:
    static QByteArray roundTrip(quint16 port, const QByteArray &request)
    {
        QTcpSocket s;
        s.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!s.waitForConnected(5000))
            return {};
        s.write(request);
        QByteArray all;
        // The receiver lives on this thread: let its event loop run while we wait for the reply.
        QElapsedTimer t;
        t.start();
        while (s.state() == QAbstractSocket::ConnectedState && t.elapsed() < 5000) {
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
            s.waitForReadyRead(20);
            all += s.readAll();
        }
        all += s.readAll();
        return all;
    }

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("code");
        QTest::addRow("code with encoded equals") << QByteArray("GET /oauth/callback?code=aPrx%2Babc%3D%3D&state=s1 HTTP/1.1\r\n")
                                                  << true << QStringLiteral("/oauth/callback") << QStringLiteral("aPrx+abc==");
        QTest::addRow("plus is space") << QByteArray("GET /cb?code=a+b HTTP/1.0") << true << QStringLiteral("/cb")
                                       << QStringLiteral("a b");
        QTest::addRow("no query") << QByteArray("GET /favicon.ico HTTP/1.1") << true << QStringLiteral("/favicon.ico") << QString();
        QTest::addRow("post refused") << QByteArray("POST /oauth/callback HTTP/1.1") << false << QString() << QString();
        QTest::addRow("garbage") << QByteArray("\x01\x02 hello") << false << QString() << QString();
        QTest::addRow("absolute target refused") << QByteArray("GET http://evil/ HTTP/1.1") << false << QString() << QString();
        QTest::addRow("empty") << QByteArray() << false << QString() << QString();
    }

    void parse()
    {
        QFETCH(QByteArray, line);
        QFETCH(bool, ok);
        QFETCH(QString, path);
        QFETCH(QString, code);
        QString p;
        QUrlQuery q;
        QCOMPARE(LoopbackReceiver::parseRequestLine(line, &p, &q), ok);
        if (ok) {
            QCOMPARE(p, path);
            QCOMPARE(q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), code);
        }
    }

    void receivesRedirect()
    {
        LoopbackReceiver r;
        QString error;
        QVERIFY2(r.listen(0, &error), qPrintable(error));
        const QUrl uri = r.redirectUri();
        QCOMPARE(uri.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(uri.port() > 0);
        QSignalSpy spy(&r, &LoopbackReceiver::redirectReceived);

        const QByteArray notFound = roundTrip(quint16(uri.port()), "GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n");
        QVERIFY(notFound.startsWith("HTTP/1.1 404"));
        QCOMPARE(spy.count(), 0);

        const QByteArray bad = roundTrip(quint16(uri.port()), "BREW /pot HTTP/1.1\r\n\r\n");
        QVERIFY(bad.startsWith("HTTP/1.1 400"));

        const QByteArray ok = roundTrip(quint16(uri.port()),
            "GET /oauth/callback?code=aPrx%3D%3D&state=xyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QVERIFY(ok.startsWith("HTTP/1.1 200"));
        QVERIFY(ok.contains("You can close this window"));
        QCOMPARE(spy.count(), 1);
        const QUrlQuery q = spy.at(0).at(0).value<QUrlQuery>();
        QCOMPARE(q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), QStringLiteral("aPrx=="));
        QCOMPARE(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), QStringLiteral("xyz"));

        // A second redirect is not reported again.
        const QByteArray again = roundTrip(quint16(uri.port()), "GET /oauth/callback?code=b&state=xyz HTTP/1.1\r\n\r\n");
        QVERIFY(again.startsWith("HTTP/1.1 410"));
        QCOMPARE(spy.count(), 1);
    }

    void oversizedRequestRejected()
    {
        LoopbackReceiver r;
        QVERIFY(r.listen(0, nullptr));
        const QByteArray big = "GET /oauth/callback?x=" + QByteArray(20000, 'a');
        const QByteArray reply = roundTrip(quint16(r.redirectUri().port()), big);
        QVERIFY(reply.startsWith("HTTP/1.1 431"));
    }
};

QTEST_GUILESS_MAIN(TestLoopbackReceiver)
#include "tst_loopbackreceiver.moc"
