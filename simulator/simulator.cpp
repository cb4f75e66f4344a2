#include "simulator.h"

#include "auth/oauthservice.h"
#include "data/generator.h"
#include "faults/faultplan.h"
#include "http/simhttpserver.h"
#include "rest/restapi.h"
#include "store/store.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslKey>

namespace fs::sim {

namespace {

HttpResponse adminJson(int status, const QJsonObject &o)
{
    HttpResponse r;
    r.status = status;
    r.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return r;
}

HttpResponse adminError(int status, const QString &message)
{
    return adminJson(status, QJsonObject { { QStringLiteral("error"), message } });
}

} // namespace

// Routes every request: admin (loopback only), fault injection, OAuth, identity, REST.
class Dispatcher {
public:
    explicit Dispatcher(Simulator &sim, Store &store, OAuthService &oauth, RestApi &rest, FaultPlan &faults)
        : m_sim(sim)
        , m_store(store)
        , m_oauth(oauth)
        , m_rest(rest)
        , m_faults(faults)
    {
    }

    HttpResponse dispatch(const HttpRequest &req);

private:
    HttpResponse admin(const HttpRequest &req);
    HttpResponse route(const HttpRequest &req);

    Simulator &m_sim;
    Store &m_store;
    OAuthService &m_oauth;
    RestApi &m_rest;
    FaultPlan &m_faults;

public:
    int latencyMs = 0;
};

HttpResponse Dispatcher::dispatch(const HttpRequest &req)
{
    if (req.path.startsWith(u"/__admin/")) {
        if (!req.remote.isLoopback())
            return adminError(403, QStringLiteral("admin endpoints are loopback only"));
        return admin(req);
    }
    const FaultPlan::Decision d = m_faults.evaluate(req);
    const bool rest = req.path.startsWith(u"/services/data/v");
    const bool write = req.method == "POST" || req.method == "PATCH" || req.method == "PUT" || req.method == "DELETE";
    HttpResponse resp;
    bool handled = false;
    if (d.has(FaultPlan::Action::Unavailable)) {
        resp = errorResponse(503, QStringLiteral("SERVER_UNAVAILABLE"), QStringLiteral("Server temporarily unavailable"));
        handled = true;
    }
    if (!handled && d.has(FaultPlan::Action::ExpireSession)) {
        const QByteArray auth = req.header("Authorization");
        const int sp = auth.indexOf(' ');
        if (sp > 0)
            m_oauth.expireSession(QString::fromLatin1(auth.mid(sp + 1).trimmed()));
    }
    if (!handled && d.has(FaultPlan::Action::InvalidSessionRest) && rest) {
        resp = errorResponse(401, QStringLiteral("INVALID_SESSION_ID"), QStringLiteral("This session is not valid for use with the REST API"));
        handled = true;
    }
    if (!handled && d.has(FaultPlan::Action::LimitExhausted))
        m_rest.setApiUsed(qMax(m_rest.apiUsed(), m_rest.apiLimit()));
    if (!handled && d.has(FaultPlan::Action::LockRow) && rest && write) {
        resp = errorResponse(400, QStringLiteral("UNABLE_TO_LOCK_ROW"), QStringLiteral("unable to obtain exclusive access to this record"), {}, true);
        handled = true;
    }
    if (!handled)
        resp = route(req);
    if (d.has(FaultPlan::Action::MalformedBody) && !resp.body.isEmpty())
        resp.body = resp.body.left(qMax<qsizetype>(1, resp.body.size() / 2)) + "\x01<!-- truncated -->";
    if (d.has(FaultPlan::Action::Reset))
        resp.fault = HttpResponse::Fault::Reset;
    resp.delayMs += d.latencyMs + latencyMs;
    return resp;
}

HttpResponse Dispatcher::route(const HttpRequest &req)
{
    const QString &p = req.path;
    if (p == u"/services/oauth2/token")
        return m_oauth.handleToken(req);
    if (p == u"/services/oauth2/authorize")
        return m_oauth.handleAuthorize(req);
    if (p == u"/services/oauth2/revoke")
        return m_oauth.handleRevoke(req);
    if (p == u"/services/oauth2/userinfo")
        return m_oauth.handleUserInfo(req);
    if (p.startsWith(u"/id/")) {
        const QStringList parts = p.split(u'/', Qt::SkipEmptyParts);
        if (parts.size() == 3)
            return m_oauth.handleIdentity(req, parts.at(1), parts.at(2));
    }
    if (p == u"/services/data" || p == u"/services/data/" || p.startsWith(u"/services/data/"))
        return m_rest.handle(req);
    return errorResponse(404, QStringLiteral("NOT_FOUND"), QStringLiteral("The requested resource does not exist"));
}

HttpResponse Dispatcher::admin(const HttpRequest &req)
{
    const QString what = req.path.mid(QStringLiteral("/__admin/").size());
    const QJsonObject body = QJsonDocument::fromJson(req.body).object();
    if (what == u"connected-apps" && req.method == "POST") {
        QStringList callbacks;
        for (const QJsonValue &v : body.value(u"callbackUrls").toArray())
            callbacks << v.toString();
        const QString clientId = body.value(u"clientId").toString();
        if (clientId.isEmpty())
            return adminError(400, QStringLiteral("clientId is required"));
        m_sim.registerConnectedApp(clientId, body.value(u"certificatePem").toString().toUtf8(), callbacks,
            body.value(u"clientSecret").toString(), body.value(u"rotateRefreshTokens").toBool(false));
        return adminJson(201, QJsonObject { { QStringLiteral("clientId"), clientId } });
    }
    if (what == u"users" && req.method == "POST") {
        const QString username = body.value(u"username").toString();
        if (username.isEmpty())
            return adminError(400, QStringLiteral("username is required"));
        const QString id = m_sim.registerUser(username, body.value(u"firstName").toString(), body.value(u"lastName").toString(),
            body.value(u"email").toString());
        if (id.isEmpty())
            return adminError(400, QStringLiteral("could not create the user"));
        return adminJson(201, QJsonObject { { QStringLiteral("id"), id } });
    }
    if (what == u"faults" && (req.method == "POST" || req.method == "PUT")) {
        QString error;
        if (!m_sim.setFaultPlan(req.body, &error))
            return adminError(400, error);
        return adminJson(200, QJsonObject { { QStringLiteral("ok"), true } });
    }
    if (what == u"faults" && req.method == "DELETE") {
        m_faults.clear();
        return adminJson(200, QJsonObject { { QStringLiteral("ok"), true } });
    }
    if (what == u"limits" && req.method == "POST") {
        if (body.contains(u"max"))
            m_rest.setApiLimit(body.value(u"max").toInt());
        if (body.contains(u"used"))
            m_rest.setApiUsed(body.value(u"used").toInt());
        return adminJson(200, QJsonObject { { QStringLiteral("max"), m_rest.apiLimit() }, { QStringLiteral("used"), m_rest.apiUsed() } });
    }
    if (what == u"clock" && req.method == "POST") {
        m_oauth.advanceClock(body.value(u"advanceSeconds").toInteger());
        return adminJson(200, QJsonObject { { QStringLiteral("now"), m_oauth.now().toString(Qt::ISODate) } });
    }
    if (what == u"session-timeout" && req.method == "POST") {
        m_oauth.setSessionTimeoutSeconds(body.value(u"seconds").toInt(7200));
        return adminJson(200, QJsonObject { { QStringLiteral("seconds"), m_oauth.sessionTimeoutSeconds() } });
    }
    if (what == u"tokens" && req.method == "POST") {
        // A session id for any user, as if copied from a logged-in browser.
        const QString token = m_sim.issueAccessToken(body.value(u"username").toString());
        if (token.isEmpty())
            return adminError(404, QStringLiteral("unknown user"));
        return adminJson(201, QJsonObject { { QStringLiteral("access_token"), token }, { QStringLiteral("instance_url"), m_sim.baseUrl().toString() } });
    }
    return adminError(404, QStringLiteral("unknown admin endpoint"));
}

Simulator::Simulator(SimulatorOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{
}

Simulator::~Simulator()
{
    stop();
}

QString Simulator::demoUsername()
{
    return QStringLiteral("demo@forcescope.sim");
}

bool Simulator::start(QString *error)
{
    if (m_server)
        return true;
    Schema schema = Schema::builtin();
    if (!m_options.schemaFile.isEmpty()) {
        auto loaded = Schema::load(m_options.schemaFile, error);
        if (!loaded)
            return false;
        schema = *loaded;
    }
    m_store = std::make_unique<Store>(schema);
    QString path = QStringLiteral(":memory:");
    if (!m_options.dataDir.isEmpty()) {
        if (!QDir().mkpath(m_options.dataDir)) {
            if (error)
                *error = QStringLiteral("cannot create data directory %1").arg(m_options.dataDir);
            return false;
        }
        path = QDir(m_options.dataDir).filePath(QStringLiteral("org.sqlite"));
    }
    if (!m_store->open(path, error))
        return false;
    if (m_store->isEmpty() && m_options.scale > 0) {
        if (generateData(m_options.seed, m_options.scale, error) < 0)
            return false;
    }
    m_oauth = std::make_unique<OAuthService>(*m_store);
    m_oauth->setSessionTimeoutSeconds(m_options.sessionTimeoutSeconds);
    m_faults = std::make_unique<FaultPlan>();
    if (!m_options.faultsFile.isEmpty()) {
        QFile f(m_options.faultsFile);
        if (!f.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("cannot read fault plan %1: %2").arg(m_options.faultsFile, f.errorString());
            return false;
        }
        if (!m_faults->load(f.readAll(), m_options.seed, error))
            return false;
    }
    m_rest = std::make_unique<RestApi>(*m_store, *m_oauth);
    auto dispatcher = std::make_shared<Dispatcher>(*this, *m_store, *m_oauth, *m_rest, *m_faults);
    dispatcher->latencyMs = m_options.latencyMs;
    m_server = new SimHttpServer([dispatcher](const HttpRequest &req) { return dispatcher->dispatch(req); }, this);
    const bool tls = !m_options.tlsCert.isEmpty() || !m_options.tlsKey.isEmpty();
    if (tls) {
        QFile cf(m_options.tlsCert), kf(m_options.tlsKey);
        if (!cf.open(QIODevice::ReadOnly) || !kf.open(QIODevice::ReadOnly)) {
            if (error)
                *error = QStringLiteral("cannot read the TLS certificate or key");
            return false;
        }
        const QSslCertificate cert(cf.readAll(), QSsl::Pem);
        QSslKey key(kf.readAll(), QSsl::Rsa, QSsl::Pem);
        if (key.isNull()) {
            kf.seek(0);
            key = QSslKey(kf.readAll(), QSsl::Ec, QSsl::Pem);
        }
        if (cert.isNull() || key.isNull()) {
            if (error)
                *error = QStringLiteral("the TLS certificate or key is not valid PEM");
            return false;
        }
        m_server->sslSetup(cert, key);
        m_server->setTls(true);
    }
    const QHostAddress address(m_options.host);
    const quint16 port = m_server->listen(address, m_options.port);
    if (port == 0) {
        if (error)
            *error = QStringLiteral("cannot listen on %1:%2").arg(m_options.host).arg(m_options.port);
        delete m_server;
        m_server = nullptr;
        return false;
    }
    m_baseUrl = QUrl(QStringLiteral("%1://%2:%3").arg(tls ? QStringLiteral("https") : QStringLiteral("http"), m_options.host).arg(port));
    m_oauth->setBaseUrl(m_baseUrl);
    return true;
}

void Simulator::stop()
{
    delete m_server;
    m_server = nullptr;
}

QUrl Simulator::baseUrl() const
{
    return m_baseUrl;
}

int Simulator::connectionsServed() const
{
    return m_server ? m_server->connectionCount() : 0;
}

int Simulator::gzippedResponses() const
{
    return m_server ? m_server->gzippedResponseCount() : 0;
}

QString Simulator::issueAccessToken(const QString &username)
{
    if (!m_oauth)
        return {};
    const QString userId = m_oauth->userIdFor(username.isEmpty() ? demoUsername() : username);
    if (userId.isEmpty())
        return {};
    return m_oauth->issueAccessToken(userId);
}

void Simulator::registerConnectedApp(const QString &clientId, const QByteArray &x509CertPem, const QStringList &callbackUrls,
    const QString &clientSecret, bool rotateRefreshTokens)
{
    m_oauth->registerApp(OAuthService::ConnectedApp { clientId, x509CertPem, callbackUrls, clientSecret, rotateRefreshTokens });
}

QString Simulator::registerUser(const QString &username, const QString &firstName, const QString &lastName, const QString &email)
{
    const QString existing = m_oauth->userIdFor(username);
    if (!existing.isEmpty())
        return existing;
    QString id;
    SimError err;
    const QVariantMap fields { { QStringLiteral("Username"), username },
        { QStringLiteral("FirstName"), firstName.isEmpty() ? QStringLiteral("Test") : firstName },
        { QStringLiteral("LastName"), lastName.isEmpty() ? QStringLiteral("User") : lastName },
        { QStringLiteral("Email"), email.isEmpty() ? username : email }, { QStringLiteral("Alias"), username.left(8) } };
    if (!m_store->insert(QStringLiteral("User"), fields, &id, &err))
        return {};
    return id;
}

bool Simulator::setFaultPlan(const QByteArray &yaml, QString *error)
{
    return m_faults->load(yaml, m_options.seed, error);
}

void Simulator::setApiLimit(int maxDailyRequests)
{
    m_rest->setApiLimit(maxDailyRequests);
}

void Simulator::setApiUsage(int usedRequests)
{
    m_rest->setApiUsed(usedRequests);
}

void Simulator::setSessionTimeoutSeconds(int seconds)
{
    m_oauth->setSessionTimeoutSeconds(seconds);
}

Store &Simulator::store()
{
    return *m_store;
}

OAuthService &Simulator::oauth()
{
    return *m_oauth;
}

qint64 Simulator::generateData(quint64 seed, double scale, QString *error)
{
    return DataGenerator::generate(*m_store, seed, scale, error);
}

} // namespace fs::sim
