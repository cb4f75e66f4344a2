// The forcescope-sim executable: stdout contract, flags, persistence, faults, TLS and clean shutdown.
#include "simulatorfixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using fs::test::SimProcess;

namespace {
struct Reply {
    int status = 0;
    QByteArray body;
};
Reply fetch(QNetworkAccessManager &nam, const QString &url, const QString &token, const QByteArray &method = "GET",
    const QByteArray &body = {}, const QSslConfiguration *ssl = nullptr)
{
    QNetworkRequest req { QUrl(url) };
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    if (!token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + token.toLatin1());
    if (!body.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    if (ssl)
        req.setSslConfiguration(*ssl);
    QNetworkReply *reply = nam.sendCustomRequest(req, method, body);
    QSignalSpy spy(reply, &QNetworkReply::finished);
    if (!reply->isFinished())
        spy.wait(30000);
    Reply r { reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll() };
    reply->deleteLater();
    return r;
}
} // namespace

class TestSimCli : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFileInfo::exists(SimProcess::binaryPath()))
            QSKIP("forcescope-sim is not built in this tree");
    }

    void printsUrlAndTokenThenStopsOnSignal_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addRow("SIGTERM") << int(SIGTERM);
        QTest::addRow("SIGINT") << int(SIGINT);
    }
    void printsUrlAndTokenThenStopsOnSignal()
    {
        QFETCH(int, signal);
        QProcess p;
        QString url, token, error;
        QVERIFY2(SimProcess::launch(p, { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token"), QStringLiteral("--scale"),
                                            QStringLiteral("0.02") },
                     &url, &token, &error),
            qPrintable(error));
        QVERIFY2(QRegularExpression(QStringLiteral("^http://127\\.0\\.0\\.1:\\d+$")).match(url).hasMatch(), qPrintable(url));
        QVERIFY(token.startsWith(u"00D"));
        QNetworkAccessManager nam;
        QCOMPARE(fetch(nam, url + QStringLiteral("/services/data/v59.0/limits"), token).status, 200);
        const Reply q = fetch(nam, url + QStringLiteral("/services/data/v59.0/query?q=SELECT+COUNT()+FROM+Account"), token);
        QCOMPARE(q.status, 200);
        QCOMPARE(QJsonDocument::fromJson(q.body).object().value(u"totalSize").toInt(), 80);
        ::kill(pid_t(p.processId()), signal);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardError().contains("stopped"));
    }

    void versionAndHelp()
    {
        QProcess p;
        p.start(SimProcess::binaryPath(), { QStringLiteral("--version") });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(p.readAllStandardOutput().startsWith("forcescope-sim "));
        p.start(SimProcess::binaryPath(), { QStringLiteral("--help") });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QByteArray help = p.readAllStandardOutput();
        for (const char *opt : { "--port", "--data", "--seed", "--scale", "--faults", "--latency", "--tls", "--print-token" })
            QVERIFY2(help.contains(opt), opt);
    }

    void badArgumentsFail_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addRow("port out of range") << QStringList { QStringLiteral("--port"), QStringLiteral("70000") };
        QTest::addRow("negative scale") << QStringList { QStringLiteral("--scale"), QStringLiteral("-1") };
        QTest::addRow("missing fault file") << QStringList { QStringLiteral("--faults"), QStringLiteral("/nonexistent/plan.yaml") };
        QTest::addRow("tls without key") << QStringList { QStringLiteral("--tls"), QStringLiteral("/nonexistent/cert.pem") };
    }
    void badArgumentsFail()
    {
        QFETCH(QStringList, args);
        QProcess p;
        p.start(SimProcess::binaryPath(), QStringList { QStringLiteral("--scale"), QStringLiteral("0") } + args);
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(p.readAllStandardOutput().isEmpty());
        QVERIFY(!p.readAllStandardError().isEmpty());
    }

    void dataDirPersists()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QStringList args { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token"), QStringLiteral("--scale"),
            QStringLiteral("0.01"), QStringLiteral("--data"), dir.path() };
        QString id;
        {
            QProcess p;
            QString url, token, error;
            QVERIFY2(SimProcess::launch(p, args, &url, &token, &error), qPrintable(error));
            QNetworkAccessManager nam;
            const Reply created = fetch(nam, url + QStringLiteral("/services/data/v59.0/sobjects/Account"), token, "POST", R"({"Name":"Persistent"})");
            QCOMPARE(created.status, 201);
            id = QJsonDocument::fromJson(created.body).object().value(u"id").toString();
            p.terminate();
            QVERIFY(p.waitForFinished(30000));
        }
        QProcess p;
        QString url, token, error;
        QVERIFY2(SimProcess::launch(p, args, &url, &token, &error), qPrintable(error));
        QNetworkAccessManager nam;
        const Reply got = fetch(nam, url + QStringLiteral("/services/data/v59.0/sobjects/Account/") + id, token);
        QCOMPARE(got.status, 200);
        QCOMPARE(QJsonDocument::fromJson(got.body).object().value(u"Name").toString(), QStringLiteral("Persistent"));
        const Reply created = fetch(nam, url + QStringLiteral("/services/data/v59.0/sobjects/Account"), token, "POST", R"({"Name":"Second"})");
        QCOMPARE(created.status, 201);
        QVERIFY(QJsonDocument::fromJson(created.body).object().value(u"id").toString() != id);
        p.terminate();
        QVERIFY(p.waitForFinished(30000));
    }

    void faultsFileApplies()
    {
        QTemporaryDir dir;
        const QString plan = dir.filePath(QStringLiteral("plan.yaml"));
        QFile f(plan);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("rules:\n  - action: unavailable\n    path: /services/data/*\n    count: 1\n");
        f.close();
        QProcess p;
        QString url, token, error;
        QVERIFY2(SimProcess::launch(p, { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token"), QStringLiteral("--scale"),
                                            QStringLiteral("0"), QStringLiteral("--faults"), plan, QStringLiteral("--latency"), QStringLiteral("20") },
                     &url, &token, &error),
            qPrintable(error));
        QNetworkAccessManager nam;
        QCOMPARE(fetch(nam, url + QStringLiteral("/services/data/v59.0/limits"), token).status, 503);
        QCOMPARE(fetch(nam, url + QStringLiteral("/services/data/v59.0/limits"), token).status, 200);
        p.terminate();
        QVERIFY(p.waitForFinished(30000));
    }

    void servesTls()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem")), key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=IP:127.0.0.1"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert });
        if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
            QSKIP("the openssl command is not available to make a test certificate");
        QProcess p;
        QString url, token, error;
        QVERIFY2(SimProcess::launch(p, { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token"), QStringLiteral("--scale"),
                                            QStringLiteral("0"), QStringLiteral("--tls"), cert, key },
                     &url, &token, &error),
            qPrintable(error));
        QVERIFY(url.startsWith(u"https://127.0.0.1:"));
        QFile cf(cert);
        QVERIFY(cf.open(QIODevice::ReadOnly));
        QSslConfiguration ssl = QSslConfiguration::defaultConfiguration();
        ssl.setCaCertificates(QSslCertificate::fromData(cf.readAll(), QSsl::Pem));
        QNetworkAccessManager nam;
        const Reply r = fetch(nam, url + QStringLiteral("/services/data/v59.0/limits"), token, "GET", {}, &ssl);
        QCOMPARE(r.status, 200);
        p.terminate();
        QVERIFY(p.waitForFinished(30000));
    }
};

QTEST_GUILESS_MAIN(TestSimCli)
#include "tst_simcli.moc"
