#include "transport.h"

#include "auth/credentials.h"
#include "config/engineconfig.h"
#include "log/requestsanitizer.h"
#include "metrics/metrics.h"
#include "transport/circuitbreaker.h"
#include "transport/httperrors.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <map>

namespace fs::engine {

namespace {

    // The whole (finished) reply body, read into a buffer with HttpResponse::BodySlack bytes of
    // spare capacity. One copy, as readAll() makes.
    QByteArray readBody(QNetworkReply *reply)
    {
        const qint64 available = reply->bytesAvailable();
        if (available <= 0)
            return reply->readAll();
        QByteArray body;
        body.reserve(qsizetype(available) + HttpResponse::BodySlack);
        body.resize(qsizetype(available));
        const qint64 read = reply->read(body.data(), available);
        body.resize(qsizetype(std::max<qint64>(read, 0)));
        if (reply->bytesAvailable() > 0)
            body.append(reply->readAll()); // more than announced: rare; the parser copies then
        return body;
    }

    // Network errors whose request may not have reached the server, or that are transient.
    bool isTransientNetworkError(QNetworkReply::NetworkError e)
    {
        switch (e) {
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::RemoteHostClosedError:
        case QNetworkReply::TimeoutError:
        case QNetworkReply::TemporaryNetworkFailureError:
        case QNetworkReply::NetworkSessionFailedError:
        case QNetworkReply::UnknownNetworkError:
        case QNetworkReply::ProxyConnectionClosedError:
        case QNetworkReply::ProxyTimeoutError:
        case QNetworkReply::HostNotFoundError:
        case QNetworkReply::ProtocolFailure:
            return true;
        default:
            return false;
        }
    }

    // The request certainly did not reach the server: safe to retry even when not idempotent.
    bool requestNeverSent(QNetworkReply::NetworkError e)
    {
        return e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError;
    }

    QString networkErrorText(QNetworkReply::NetworkError e, const QString &host)
    {
        switch (e) {
        case QNetworkReply::ConnectionRefusedError:
            return QStringLiteral("The connection to %1 was refused").arg(host);
        case QNetworkReply::RemoteHostClosedError:
            return QStringLiteral("%1 closed the connection unexpectedly").arg(host);
        case QNetworkReply::HostNotFoundError:
            return QStringLiteral("The host %1 was not found").arg(host);
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:
            return QStringLiteral("The request to %1 timed out").arg(host);
        case QNetworkReply::SslHandshakeFailedError:
            return QStringLiteral("The secure connection to %1 failed (TLS handshake)").arg(host);
        default:
            return QStringLiteral("The network request to %1 failed").arg(host);
        }
    }

    QString networkErrorCode(QNetworkReply::NetworkError e)
    {
        switch (e) {
        case QNetworkReply::ConnectionRefusedError:
            return QStringLiteral("CONNECTION_REFUSED");
        case QNetworkReply::RemoteHostClosedError:
            return QStringLiteral("CONNECTION_CLOSED");
        case QNetworkReply::HostNotFoundError:
            return QStringLiteral("HOST_NOT_FOUND");
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:
            return QStringLiteral("TIMEOUT");
        case QNetworkReply::SslHandshakeFailedError:
            return QStringLiteral("TLS_HANDSHAKE_FAILED");
        default:
            return QStringLiteral("NETWORK_ERROR");
        }
    }

} // namespace

class Transport::Private {
public:
    struct Pending {
        quint64 handle = 0;
        HttpRequest request;
        Callback callback;
        int attempt = 0; // attempts started
        bool refreshed = false; // one refresh per request, never more (reference §10.3)
        QPointer<QNetworkReply> reply;
        QTimer *retryTimer = nullptr;
        QTimer *connectTimer = nullptr;
        bool timedOut = false;
        bool connectTimedOut = false; // the connect timer fired: nothing reached the server
        bool waitingForRefresh = false;
        QString tokenUsed; // the access token of the current attempt
        QElapsedTimer total;
        QElapsedTimer attemptClock;
    };

    Transport *q;
    EngineConfig config;
    std::shared_ptr<Credentials> credentials;
    std::shared_ptr<Metrics> metrics = Metrics::global();
    QNetworkAccessManager *nam = nullptr;
    QSslConfiguration ssl;
    CircuitBreaker breaker;
    QElapsedTimer clock;
    ApiUsage usage;
    bool aboveWarning = false;
    qint64 limitBackoffUntil = -1; // clock ms until which org API calls are refused locally
    quint64 nextHandle = 1;
    std::map<quint64, std::unique_ptr<Pending>> pending;

    Private(Transport *owner, const EngineConfig &c)
        : q(owner)
        , config(c)
        , breaker(c.resilience.circuitBreaker.failureThreshold, c.resilience.circuitBreaker.successThreshold,
              qint64(c.resilience.circuitBreaker.resetTimeoutSeconds * 1000.0))
    {
        clock.start();
        ssl = QSslConfiguration::defaultConfiguration();
        ssl.setProtocol(QSsl::TlsV1_2OrLater);
        ssl.setPeerVerifyMode(QSslSocket::VerifyPeer);
    }

    Pending *find(quint64 handle)
    {
        auto it = pending.find(handle);
        return it == pending.end() ? nullptr : it->second.get();
    }

    QUrl resolve(const Pending &p, QString *why) const
    {
        const QString &path = p.request.path;
        if (path.startsWith(QStringLiteral("http://")) || path.startsWith(QStringLiteral("https://")))
            return QUrl(path, QUrl::StrictMode);
        if (!credentials || !credentials->instanceUrl().isValid() || credentials->instanceUrl().isEmpty()) {
            *why = QStringLiteral("No org is connected: there is no instance URL to send the request to");
            return {};
        }
        QUrl base = credentials->instanceUrl();
        QString basePath = base.path(QUrl::FullyEncoded);
        if (basePath.endsWith(u'/'))
            basePath.chop(1);
        // `path` is already percent-encoded; keep it as it is.
        const QString full = base.scheme() + QStringLiteral("://") + base.authority(QUrl::FullyEncoded) + basePath
            + (path.startsWith(u'/') ? path : u'/' + path);
        return QUrl(full, QUrl::StrictMode);
    }

    void start(quint64 handle);
    void onFinished(quint64 handle);
    void finish(quint64 handle, Result<HttpResponse> result);
    void scheduleRetry(quint64 handle, qint64 delayMs);
    void failOrRetry(quint64 handle, EngineError error, bool retryable, qint64 retryAfterMs = -1);
    void refreshThenReplay(quint64 handle, const EngineError &original);
    void logAttempt(const Pending &p, int status, double ms, const QString &errorCode);
    void trackUsage(const ApiUsage &u);
    void dropReply(Pending &p);
};

Transport::Transport(const EngineConfig &config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this, config))
{
    d->nam = new QNetworkAccessManager(this);
    d->nam->setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
    d->breaker.onStateChanged = [this](CircuitState s) { Q_EMIT circuitStateChanged(s); };
}

Transport::~Transport()
{
    // Drop everything silently: callbacks may belong to objects that are being destroyed too.
    d->breaker.onStateChanged = nullptr;
    for (auto &[handle, p] : d->pending) {
        Q_UNUSED(handle);
        d->dropReply(*p);
    }
    d->pending.clear();
}

void Transport::setCredentials(std::shared_ptr<Credentials> credentials) { d->credentials = std::move(credentials); }
std::shared_ptr<Credentials> Transport::credentials() const { return d->credentials; }
void Transport::setMetrics(std::shared_ptr<Metrics> metrics) { d->metrics = metrics ? std::move(metrics) : Metrics::global(); }
std::shared_ptr<Metrics> Transport::metrics() const { return d->metrics; }
CircuitState Transport::circuitState() const { return d->breaker.state(); }
ApiUsage Transport::apiUsage() const { return d->usage; }
int Transport::pendingCount() const { return int(d->pending.size()); }

void Transport::addCaCertificates(const QList<QByteArray> &pemCertificates)
{
    auto cas = d->ssl.caCertificates();
    for (const auto &pem : pemCertificates)
        cas += QSslCertificate::fromData(pem, QSsl::Pem);
    d->ssl.setCaCertificates(cas);
}

bool Transport::isAllowedUrl(const QUrl &url, QString *whyNot)
{
    auto refuse = [whyNot](const QString &why) {
        if (whyNot)
            *whyNot = why;
        return false;
    };
    if (!url.isValid() || url.host().isEmpty())
        return refuse(QStringLiteral("The URL is not valid: %1").arg(url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo)));
    if (url.scheme() == u"https")
        return true;
    if (url.scheme() != u"http")
        return refuse(QStringLiteral("Only https:// URLs are supported (got %1://)").arg(url.scheme()));
    const QString host = url.host();
    if (host.compare(QStringLiteral("localhost"), Qt::CaseInsensitive) == 0
        || host.endsWith(QStringLiteral(".localhost"), Qt::CaseInsensitive)) {
        // Only loopback ADDRESSES may use plain http: a name can resolve (or be redirected) elsewhere.
        return refuse(QStringLiteral("Plain http:// is refused for the name %1: only loopback addresses may use http; "
                                     "use http://127.0.0.1%2 (or http://[::1]%2) instead")
                          .arg(host, url.port() > 0 ? u':' + QString::number(url.port()) : QString()));
    }
    QHostAddress addr;
    if (addr.setAddress(host)) {
        bool mapped = false;
        const quint32 v4 = addr.toIPv4Address(&mapped); // also ::ffff:a.b.c.d
        if (addr.isLoopback() || (mapped && (v4 >> 24) == 127))
            return true;
    }
    return refuse(QStringLiteral("Plain http:// is refused for %1: only loopback addresses (127.0.0.0/8, ::1) may use "
                                 "http; use https://")
                      .arg(host));
}

QSslConfiguration Transport::sslConfiguration() const { return d->ssl; }

qint64 Transport::limitBackoffRemainingMs() const
{
    return d->limitBackoffUntil < 0 ? 0 : std::max<qint64>(0, d->limitBackoffUntil - d->clock.elapsed());
}

QNetworkRequest Transport::networkRequest(const HttpRequest &request, const QUrl &url, const QByteArray &bearer) const
{
    QNetworkRequest req(url);
    req.setSslConfiguration(d->ssl);
    // HTTP/2 when the server offers it (ALPN over TLS); HTTP/1.1 with keep-alive otherwise.
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    req.setTransferTimeout(std::max(1, d->config.timeouts.requestSeconds) * 1000);
    // No Accept-Encoding here: QNAM adds "gzip, deflate" itself and then decompresses. Setting it
    // by hand would hand back the raw compressed bytes.
    req.setRawHeader("Accept", "application/json");
    req.setRawHeader("User-Agent", "Forcescope/0.1");
    if (!bearer.isEmpty())
        req.setRawHeader("Authorization", QByteArray("Bearer ") + bearer);
    if (!request.contentType.isEmpty())
        req.setHeader(QNetworkRequest::ContentTypeHeader, request.contentType);
    if (!d->config.credentials.clientId.isEmpty() && request.authenticated)
        req.setRawHeader("Sforce-Call-Options", "client=" + d->config.credentials.clientId.toUtf8());
    for (const auto &h : request.headers)
        req.setRawHeader(h.first, h.second);
    return req;
}

quint64 Transport::send(HttpRequest request, Callback callback)
{
    Q_ASSERT(QThread::currentThread() == thread());
    auto p = std::make_unique<Private::Pending>();
    const quint64 handle = d->nextHandle++;
    p->handle = handle;
    p->request = std::move(request);
    p->callback = std::move(callback);
    p->total.start();
    d->pending.emplace(handle, std::move(p));
    // Start from the event loop so the caller always gets the handle before any callback.
    QMetaObject::invokeMethod(
        this, [this, handle] { d->start(handle); }, Qt::QueuedConnection);
    return handle;
}

void Transport::cancel(quint64 handle)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (!d->find(handle))
        return;
    d->finish(handle, EngineError::make(EngineError::Category::Cancelled, QStringLiteral("The request was cancelled"),
                          QStringLiteral("CANCELLED")));
}

void Transport::reportLimits(const OrgLimits &limits)
{
    for (const auto &l : limits) {
        const double pct = l.max > 0 ? 100.0 * double(l.max - l.remaining) / double(l.max) : 0.0;
        d->metrics->setRateLimit(l.name, l.remaining, pct);
        if (l.name == u"DailyApiRequests") {
            ApiUsage u;
            u.max = l.max;
            u.used = l.max - l.remaining;
            d->trackUsage(u);
        }
    }
}

void Transport::Private::dropReply(Pending &p)
{
    if (p.reply) {
        QObject::disconnect(p.reply, nullptr, q, nullptr);
        p.reply->abort();
        p.reply->deleteLater();
        p.reply = nullptr;
    }
    if (p.retryTimer) {
        p.retryTimer->stop();
        p.retryTimer->deleteLater();
        p.retryTimer = nullptr;
    }
    if (p.connectTimer) {
        p.connectTimer->stop();
        p.connectTimer->deleteLater();
        p.connectTimer = nullptr;
    }
}

void Transport::Private::finish(quint64 handle, Result<HttpResponse> result)
{
    auto it = pending.find(handle);
    if (it == pending.end())
        return;
    std::unique_ptr<Pending> p = std::move(it->second);
    pending.erase(it);
    dropReply(*p);
    if (!result.ok()) {
        const EngineError &e = result.error();
        if (e.category != EngineError::Category::Cancelled)
            metrics->recordError(p->request.operation, e.errorCode, e.retryable);
    }
    if (p->callback)
        p->callback(std::move(result));
}

void Transport::Private::logAttempt(const Pending &p, int status, double ms, const QString &errorCode)
{
    RequestLogEntry e;
    e.when = QDateTime::currentDateTimeUtc();
    e.method = QString::fromLatin1(p.request.method);
    e.path = RequestSanitizer::sanitizeTarget(p.request.path);
    e.status = status;
    e.durationMs = ms;
    e.attempt = p.attempt;
    e.errorCode = errorCode;
    metrics->recordRequest(p.request.operation, p.request.sobject, status, ms / 1000.0);
    Q_EMIT q->requestLogged(e);
}

void Transport::Private::trackUsage(const ApiUsage &u)
{
    if (u.used == usage.used && u.max == usage.max)
        return;
    usage = u;
    metrics->setRateLimit(QStringLiteral("DailyApiRequests"), std::max<qint64>(0, u.max - u.used), u.percent());
    Q_EMIT q->apiUsageChanged(u);
    const double threshold = config.rateLimits.warnThresholdPercent;
    if (u.max > 0 && u.percent() >= threshold) {
        if (!aboveWarning) {
            aboveWarning = true;
            Q_EMIT q->apiUsageWarning(u, threshold);
        }
    } else {
        aboveWarning = false;
    }
}

void Transport::Private::start(quint64 handle)
{
    Pending *p = find(handle);
    if (!p)
        return;
    p->waitingForRefresh = false;

    if (!breaker.allowRequest(clock.elapsed())) {
        EngineError e = EngineError::make(EngineError::Category::Server,
            QStringLiteral("The server is failing repeatedly (circuit open); requests are paused for %1 s")
                .arg(double(breaker.msUntilHalfOpen(clock.elapsed())) / 1000.0, 0, 'f', 1),
            QStringLiteral("CIRCUIT_OPEN"), 0, true);
        finish(handle, e);
        return;
    }

    QString why;
    const QUrl url = resolve(*p, &why);
    if (url.isEmpty()) {
        finish(handle, EngineError::make(EngineError::Category::Auth, why, QStringLiteral("NOT_CONNECTED")));
        return;
    }
    if (!Transport::isAllowedUrl(url, &why)) {
        finish(handle, EngineError::make(EngineError::Category::Validation, why, QStringLiteral("INSECURE_URL")));
        return;
    }

    if (p->request.authenticated && limitBackoffUntil >= 0) {
        const qint64 left = limitBackoffUntil - clock.elapsed();
        if (left > 0) {
            // Never hammer a limit: the org said no a moment ago; nothing is sent until the pause ends.
            EngineError e = EngineError::make(EngineError::Category::Limits,
                QStringLiteral("The org's API request limit was exceeded; Forcescope pauses its calls for %1 s more")
                    .arg(double(left) / 1000.0, 0, 'f', 1),
                QStringLiteral("REQUEST_LIMIT_EXCEEDED"), 0, false);
            e.detail = QStringLiteral("Refused locally without contacting the org (rate_limits.backoff_seconds).");
            finish(handle, e);
            return;
        }
        limitBackoffUntil = -1;
    }

    QByteArray token;
    if (p->request.authenticated) {
        if (!credentials) {
            finish(handle, EngineError::make(EngineError::Category::Auth,
                               QStringLiteral("No org is connected"), QStringLiteral("NOT_CONNECTED")));
            return;
        }
        token = credentials->accessToken().toUtf8();
        p->tokenUsed = credentials->accessToken();
        if (token.isEmpty()) {
            if (credentials->canRefresh() && !p->refreshed) {
                refreshThenReplay(handle, EngineError::make(EngineError::Category::Auth,
                                              QStringLiteral("No access token yet"), QStringLiteral("NO_TOKEN")));
            } else {
                finish(handle, EngineError::make(EngineError::Category::Auth,
                                   QStringLiteral("There is no access token; please log in"),
                                   QStringLiteral("NO_TOKEN")));
            }
            return;
        }
    }

    const QNetworkRequest req = q->networkRequest(p->request, url, token);

    ++p->attempt;
    p->timedOut = false;
    p->connectTimedOut = false;
    p->attemptClock.start();
    QNetworkReply *reply = nullptr;
    const QByteArray &m = p->request.method;
    if (m == "GET")
        reply = nam->get(req);
    else if (m == "HEAD")
        reply = nam->head(req);
    else if (m == "DELETE" && p->request.body.isEmpty())
        reply = nam->deleteResource(req);
    else
        reply = nam->sendCustomRequest(req, m, p->request.body);
    p->reply = reply;

    // Connect timeout: from the socket starting to connect until the request is on the wire.
    auto *connectTimer = new QTimer(q);
    connectTimer->setSingleShot(true);
    connectTimer->setInterval(std::max(1, config.timeouts.connectSeconds) * 1000);
    p->connectTimer = connectTimer;
    QObject::connect(reply, &QNetworkReply::socketStartedConnecting, connectTimer, qOverload<>(&QTimer::start));
    QObject::connect(reply, &QNetworkReply::requestSent, connectTimer, &QTimer::stop);
    // A connection that is up (TLS done, or body bytes moving) is past the connect phase: a slow
    // upload of a large body is the transfer timeout's business.
    QObject::connect(reply, &QNetworkReply::encrypted, connectTimer, &QTimer::stop);
    QObject::connect(reply, &QNetworkReply::uploadProgress, connectTimer, [connectTimer](qint64 sent, qint64) {
        if (sent > 0)
            connectTimer->stop();
    });
    QObject::connect(connectTimer, &QTimer::timeout, q, [this, handle] {
        if (Pending *pp = find(handle); pp && pp->reply) {
            pp->timedOut = true;
            pp->connectTimedOut = true;
            pp->reply->abort();
        }
    });
    QObject::connect(reply, &QNetworkReply::finished, q, [this, handle] { onFinished(handle); });
}

void Transport::Private::onFinished(quint64 handle)
{
    Pending *p = find(handle);
    if (!p || !p->reply)
        return;
    QNetworkReply *reply = p->reply;
    p->reply = nullptr;
    reply->deleteLater();
    QObject::disconnect(reply, nullptr, q, nullptr);
    if (p->connectTimer) {
        p->connectTimer->stop();
        p->connectTimer->deleteLater();
        p->connectTimer = nullptr;
    }

    const double ms = double(p->attemptClock.nsecsElapsed()) / 1e6;
    const QVariant statusAttr = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    const int status = statusAttr.isValid() ? statusAttr.toInt() : 0;
    const QNetworkReply::NetworkError netError = reply->error();

    HttpResponse response;
    response.status = status;
    response.body = reply->isOpen() ? readBody(reply) : QByteArray();
    response.headers = reply->rawHeaderPairs();
    response.attempts = p->attempt;
    response.durationMs = double(p->total.nsecsElapsed()) / 1e6;

    if (config.rateLimits.trackLimits) {
        if (const QByteArray info = response.header("Sforce-Limit-Info"); !info.isEmpty()) {
            if (auto u = HttpErrors::apiUsageFromLimitInfo(info))
                trackUsage(*u);
        }
    }

    // Network-layer failures (codes below 200: connection, TLS, timeout, proxy) count even when a
    // status line arrived: a reply cut off mid-body is not a success.
    const bool transportFailure = netError != QNetworkReply::NoError && netError < QNetworkReply::ContentAccessDenied;
    if (status == 0 || transportFailure) {
        // No complete HTTP exchange: connection refused/reset, timeout, TLS failure.
        const bool timeout = p->timedOut || netError == QNetworkReply::OperationCanceledError
            || netError == QNetworkReply::TimeoutError;
        const QNetworkReply::NetworkError kind = timeout ? QNetworkReply::TimeoutError : netError;
        const QString host = reply->url().host();
        EngineError e = EngineError::make(EngineError::Category::Network, networkErrorText(kind, host),
            networkErrorCode(kind), 0, isTransientNetworkError(kind));
        if (p->connectTimedOut) {
            e.message = QStringLiteral("Could not connect to %1 within the connect timeout (%2 s)")
                            .arg(host)
                            .arg(std::max(1, config.timeouts.connectSeconds));
            e.detail = QStringLiteral("timeouts.connect_seconds; the request was not sent.");
        }
        if (netError == QNetworkReply::SslHandshakeFailedError)
            e.detail = QStringLiteral("Check the server certificate and that it supports TLS 1.2 or later.");
        logAttempt(*p, 0, ms, e.errorCode);
        breaker.recordFailure(clock.elapsed());
        const bool mayRetry = e.retryable && (p->request.idempotent || requestNeverSent(kind) || p->connectTimedOut);
        failOrRetry(handle, e, mayRetry);
        return;
    }

    if (status >= 200 && status < 400) {
        logAttempt(*p, status, ms, {});
        breaker.recordSuccess();
        finish(handle, std::move(response));
        return;
    }

    EngineError e = HttpErrors::fromResponse(status, response.body);
    logAttempt(*p, status, ms, e.errorCode);

    if (status >= 500) {
        breaker.recordFailure(clock.elapsed());
        // 502/503/504: the request was not processed; 500 may have been, retry only if idempotent.
        const bool mayRetry = status != 500 || p->request.idempotent;
        qint64 retryAfterMs = -1;
        if (const QByteArray ra = response.header("Retry-After"); !ra.isEmpty()) {
            bool ok = false;
            const qint64 secs = ra.trimmed().toLongLong(&ok);
            if (ok && secs >= 0)
                retryAfterMs = secs * 1000;
        }
        failOrRetry(handle, e, mayRetry, retryAfterMs);
        return;
    }

    // Any other HTTP answer means the server is healthy.
    breaker.recordSuccess();

    if (status == 401 && p->request.authenticated) {
        const bool refreshable = HttpErrors::isRefreshableSessionError(status, response.body);
        if (refreshable && !p->refreshed && credentials && credentials->accessToken() != p->tokenUsed
            && !credentials->accessToken().isEmpty()) {
            // Another request already renewed the token while this one was in flight: replay
            // with the new one instead of refreshing again.
            p->refreshed = true;
            start(handle);
            return;
        }
        if (refreshable && !p->refreshed && credentials && credentials->canRefresh()) {
            refreshThenReplay(handle, e);
            return;
        }
        e.category = EngineError::Category::Auth;
        e.retryable = false;
        if (!HttpErrors::isRefreshableSessionError(status, response.body))
            e.detail = QStringLiteral("This session cannot be renewed automatically; log in again.");
        Q_EMIT q->authExpired(e);
        finish(handle, e);
        return;
    }

    if (e.category == EngineError::Category::Limits) {
        // Never hammer a limit: report it at once, and pause further org calls for a while.
        const auto backoffMs = qint64(config.rateLimits.backoffSeconds * 1000.0);
        if (backoffMs > 0 && p->request.authenticated) {
            limitBackoffUntil = clock.elapsed() + backoffMs;
            Q_EMIT q->requestLimitBackoff(e, backoffMs);
        }
        finish(handle, e);
        return;
    }

    if (e.errorCode == u"UNABLE_TO_LOCK_ROW" && p->request.idempotent) {
        failOrRetry(handle, e, true);
        return;
    }

    // 4xx the caller interprets (400/404/409/412/…): hand over the response.
    finish(handle, std::move(response));
}

void Transport::Private::failOrRetry(quint64 handle, EngineError error, bool retryable, qint64 retryAfterMs)
{
    Pending *p = find(handle);
    if (!p)
        return;
    const int maxAttempts = std::max(1, config.resilience.retry.maxAttempts);
    if (retryable && p->attempt < maxAttempts) {
        const auto &r = config.resilience.retry;
        qint64 delay = backoffDelayMs(p->attempt, r.baseDelayMs, r.maxDelayMs, r.jitter,
            QRandomGenerator::global()->generateDouble());
        if (retryAfterMs >= 0)
            delay = std::min<qint64>(std::max(delay, retryAfterMs), r.maxDelayMs);
        metrics->recordError(p->request.operation, error.errorCode, true);
        scheduleRetry(handle, delay);
        return;
    }
    if (retryable && p->attempt > 1) {
        error.detail = QStringLiteral("Gave up after %1 attempts.").arg(p->attempt)
            + (error.detail.isEmpty() ? QString() : u' ' + error.detail);
    }
    finish(handle, std::move(error));
}

void Transport::Private::scheduleRetry(quint64 handle, qint64 delayMs)
{
    Pending *p = find(handle);
    if (!p)
        return;
    auto *timer = new QTimer(q);
    timer->setSingleShot(true);
    p->retryTimer = timer;
    QObject::connect(timer, &QTimer::timeout, q, [this, handle, timer] {
        if (Pending *pp = find(handle); pp && pp->retryTimer == timer) {
            pp->retryTimer = nullptr;
            start(handle);
        }
        timer->deleteLater();
    });
    timer->start(int(std::min<qint64>(delayMs, std::numeric_limits<int>::max())));
}

void Transport::Private::refreshThenReplay(quint64 handle, const EngineError &original)
{
    Pending *p = find(handle);
    if (!p)
        return;
    p->refreshed = true;
    p->waitingForRefresh = true;
    QPointer<Transport> guard(q);
    auto creds = credentials;
    creds->refresh([guard, this, handle, original](Result<void> r) {
        if (!guard)
            return;
        Pending *pp = find(handle);
        if (!pp)
            return; // cancelled while refreshing
        if (!r.ok()) {
            EngineError e = r.error();
            if (e.category != EngineError::Category::Network && e.category != EngineError::Category::Server) {
                e.category = EngineError::Category::Auth;
                Q_EMIT q->authExpired(e);
            }
            if (e.message.isEmpty())
                e.message = original.message;
            finish(handle, e);
            return;
        }
        // Replay against the (possibly new) instance URL: resolve() reads it at each attempt.
        start(handle);
    });
}

} // namespace fs::engine
