#pragma once

#include "simulator.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPair>
#include <QProcess>
#include <QString>
#include <QUrl>

#include <memory>

namespace fs::test {

// One HTTP exchange, captured whole.
struct HttpResult {
    int status = 0;
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    bool finished = false;

    QByteArray header(const QByteArray &name) const;
    QJsonDocument json() const { return QJsonDocument::fromJson(body); }
    // First error object's errorCode, for Salesforce error arrays.
    QString errorCode() const;
};

// An in-process simulated org on 127.0.0.1:0 with a fixed seed and little data, plus a blocking
// HTTP helper (waits on QNetworkReply::finished through QSignalSpy, never sleeps).
class SimulatorFixture {
public:
    static fs::sim::SimulatorOptions defaultOptions(); // port 0, seed 7, scale 0.05 (~2,000 records)

    explicit SimulatorFixture(fs::sim::SimulatorOptions options = defaultOptions());
    ~SimulatorFixture();

    bool start(QString *error = nullptr);
    fs::sim::Simulator &sim() { return *m_sim; }
    QUrl baseUrl() const { return m_sim->baseUrl(); }
    QString token() const { return m_token; }
    void setToken(const QString &token) { m_token = token; }
    QString dataPath(const QString &version = QStringLiteral("59.0")) const
    {
        return QStringLiteral("/services/data/v") + version;
    }

    // path may be absolute ("/services/...") or a full URL. Adds "Authorization: Bearer <token>"
    // unless withAuth is false or the headers already carry one.
    HttpResult send(const QByteArray &method, const QString &path, const QByteArray &body = {},
        const QList<QPair<QByteArray, QByteArray>> &headers = {}, bool withAuth = true, int timeoutMs = 60000);
    HttpResult get(const QString &path, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return send("GET", path, {}, headers);
    }
    HttpResult post(const QString &path, const QByteArray &json, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return send("POST", path, json, withJson(headers));
    }
    HttpResult patch(const QString &path, const QByteArray &json, const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return send("PATCH", path, json, withJson(headers));
    }
    HttpResult del(const QString &path) { return send("DELETE", path); }
    HttpResult postForm(const QString &path, const QList<QPair<QString, QString>> &fields, bool withAuth = false);

    QNetworkAccessManager &network() { return m_nam; }

private:
    static QList<QPair<QByteArray, QByteArray>> withJson(QList<QPair<QByteArray, QByteArray>> headers);

    std::unique_ptr<fs::sim::Simulator> m_sim;
    QNetworkAccessManager m_nam;
    QString m_token;
};

// forcescope-sim as a child process ($FS_BINARY_DIR/bin/forcescope-sim).
struct SimProcess {
    static QString binaryPath();
    // Starts the binary with args and reads its first stdout line (base URL) and, when
    // expectToken, its second (access token).
    static bool launch(QProcess &process, const QStringList &args, QString *baseUrl, QString *token, QString *error,
        bool expectToken = true, int timeoutMs = 60000);
};

// RSA key + self-signed certificate, and RS256 JWT signing, for connected-app tests.
class TestKeyPair {
public:
    TestKeyPair();
    ~TestKeyPair();
    TestKeyPair(const TestKeyPair &) = delete;
    TestKeyPair &operator=(const TestKeyPair &) = delete;
    bool isValid() const { return m_key != nullptr; }
    QByteArray certificatePem() const { return m_certPem; }
    // base64url(header).base64url(claims).base64url(RS256 signature)
    QByteArray signJwt(const QByteArray &headerJson, const QByteArray &claimsJson) const;

private:
    void *m_key = nullptr; // EVP_PKEY
    QByteArray m_certPem;
};

} // namespace fs::test
