#pragma once

#include <QByteArray>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>

namespace fs::sim {

class Store;
class SimHttpServer;
class OAuthService;
class RestApi;
class FaultPlan;

struct SimulatorOptions {
    QString host = QStringLiteral("127.0.0.1");
    quint16 port = 0;
    QString dataDir;          // empty: in-memory store
    quint64 seed = 42;
    double scale = 1.0;       // 1.0 ~ 40k records; 0 = no demo data
    QString faultsFile;       // YAML fault plan
    int latencyMs = 0;
    QString tlsCert, tlsKey;  // PEM files; both set = HTTPS
    int sessionTimeoutSeconds = 7200;
    QString schemaFile;       // empty: built-in schema
};

// The simulated org: SQLite store + OAuth + REST on one loopback HTTP(S) port. Lives in the
// thread that created it; usable in-process from tests (asynchronous, same thread) and from the CLI.
class Simulator : public QObject {
    Q_OBJECT
public:
    explicit Simulator(SimulatorOptions options = {}, QObject *parent = nullptr);
    ~Simulator() override;

    bool start(QString *error);
    void stop();
    QUrl baseUrl() const; // e.g. http://127.0.0.1:41234 (instance URL and login host)
    // For tests: TCP connections that carried a request, and gzip-compressed responses, so far.
    int connectionsServed() const;
    int gzippedResponses() const;

    // A valid access token for `username` (default: the demo user), as a session id.
    QString issueAccessToken(const QString &username = {});
    static QString demoUsername();

    void registerConnectedApp(const QString &clientId, const QByteArray &x509CertPem,
        const QStringList &callbackUrls, const QString &clientSecret = {}, bool rotateRefreshTokens = false);
    // Creates the user (if missing) and pre-authorises it for every registered app. Returns the user id.
    QString registerUser(const QString &username, const QString &firstName = {}, const QString &lastName = {},
        const QString &email = {});
    bool setFaultPlan(const QByteArray &yaml, QString *error);
    void setApiLimit(int maxDailyRequests);
    void setApiUsage(int usedRequests); // e.g. 0 to start a fresh 24-hour window
    void setSessionTimeoutSeconds(int seconds);

    Store &store();
    OAuthService &oauth();
    const SimulatorOptions &options() const { return m_options; }

    // Seeds demo data (deterministic by seed); returns records written, or -1 on error.
    qint64 generateData(quint64 seed, double scale, QString *error);

private:
    SimulatorOptions m_options;
    std::unique_ptr<Store> m_store;
    std::unique_ptr<OAuthService> m_oauth;
    std::unique_ptr<FaultPlan> m_faults;
    std::unique_ptr<RestApi> m_rest;
    SimHttpServer *m_server = nullptr;
    QUrl m_baseUrl;
};

} // namespace fs::sim
