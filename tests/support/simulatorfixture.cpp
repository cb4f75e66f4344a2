#include "simulatorfixture.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QNetworkRequest>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QTimer>
#include <QUrlQuery>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

namespace fs::test {

QByteArray HttpResult::header(const QByteArray &name) const
{
    for (const auto &h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

QString HttpResult::errorCode() const
{
    const QJsonDocument d = json();
    if (d.isArray() && !d.array().isEmpty())
        return d.array().first().toObject().value(u"errorCode").toString();
    return {};
}

fs::sim::SimulatorOptions SimulatorFixture::defaultOptions()
{
    fs::sim::SimulatorOptions o;
    o.port = 0;
    o.seed = 7;
    o.scale = 0.05;
    return o;
}

SimulatorFixture::SimulatorFixture(fs::sim::SimulatorOptions options)
    : m_sim(std::make_unique<fs::sim::Simulator>(std::move(options)))
{
}

SimulatorFixture::~SimulatorFixture() = default;

bool SimulatorFixture::start(QString *error)
{
    QString local;
    if (!m_sim->start(error ? error : &local))
        return false;
    m_token = m_sim->issueAccessToken();
    return !m_token.isEmpty();
}

QList<QPair<QByteArray, QByteArray>> SimulatorFixture::withJson(QList<QPair<QByteArray, QByteArray>> headers)
{
    for (const auto &h : headers) {
        if (h.first.compare("Content-Type", Qt::CaseInsensitive) == 0)
            return headers;
    }
    headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    return headers;
}

HttpResult SimulatorFixture::send(const QByteArray &method, const QString &path, const QByteArray &body,
    const QList<QPair<QByteArray, QByteArray>> &headers, bool withAuth, int timeoutMs)
{
    const QUrl url = path.startsWith(u"http") ? QUrl(path) : QUrl(baseUrl().toString() + path);
    QNetworkRequest req(url);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    bool hasAuth = false;
    for (const auto &h : headers) {
        req.setRawHeader(h.first, h.second);
        if (h.first.compare("Authorization", Qt::CaseInsensitive) == 0)
            hasAuth = true;
    }
    if (withAuth && !hasAuth && !m_token.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_token.toLatin1());
    QNetworkReply *reply = m_nam.sendCustomRequest(req, method, body);
    QSignalSpy spy(reply, &QNetworkReply::finished);
    HttpResult r;
    if (!reply->isFinished())
        spy.wait(timeoutMs);
    r.finished = reply->isFinished();
    if (!r.finished)
        reply->abort();
    r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    r.body = reply->readAll();
    r.headers = reply->rawHeaderPairs();
    r.error = reply->error();
    reply->deleteLater();
    return r;
}

HttpResult SimulatorFixture::postForm(const QString &path, const QList<QPair<QString, QString>> &fields, bool withAuth)
{
    QByteArray body;
    for (const auto &f : fields) {
        if (!body.isEmpty())
            body += '&';
        body += QUrl::toPercentEncoding(f.first) + '=' + QUrl::toPercentEncoding(f.second);
    }
    return send("POST", path, body, { qMakePair(QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded")) }, withAuth);
}

QString SimProcess::binaryPath()
{
    QString dir = QProcessEnvironment::systemEnvironment().value(QStringLiteral("FS_BINARY_DIR"));
#ifdef FS_BINARY_DIR
    if (dir.isEmpty())
        dir = QStringLiteral(FS_BINARY_DIR);
#endif
    return dir + QStringLiteral("/bin/forcescope-sim");
}

bool SimProcess::launch(QProcess &process, const QStringList &args, QString *baseUrl, QString *token, QString *error, bool expectToken,
    int timeoutMs)
{
    process.setProgram(binaryPath());
    process.setArguments(args);
    process.setReadChannel(QProcess::StandardOutput);
    process.setProcessChannelMode(QProcess::SeparateChannels);
    process.start(QIODevice::ReadOnly);
    if (!process.waitForStarted(timeoutMs)) {
        if (error)
            *error = QStringLiteral("cannot start %1: %2").arg(binaryPath(), process.errorString());
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    const int needed = expectToken ? 2 : 1;
    QList<QByteArray> lines;
    QByteArray buffer;
    while (lines.size() < needed) {
        if (timer.elapsed() > timeoutMs || process.state() == QProcess::NotRunning) {
            if (error)
                *error = QStringLiteral("forcescope-sim did not print its address: %1")
                             .arg(QString::fromUtf8(process.readAllStandardError().right(400)));
            return false;
        }
        process.waitForReadyRead(200);
        buffer += process.readAllStandardOutput();
        int nl;
        while ((nl = int(buffer.indexOf('\n'))) >= 0 && lines.size() < needed) {
            lines << buffer.left(nl).trimmed();
            buffer.remove(0, nl + 1);
        }
    }
    if (baseUrl)
        *baseUrl = QString::fromUtf8(lines.at(0));
    if (token && expectToken)
        *token = QString::fromUtf8(lines.at(1));
    return true;
}

TestKeyPair::TestKeyPair()
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    if (!key)
        return;
    X509 *cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("forcescope-test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    if (X509_sign(cert, key, EVP_sha256()) <= 0) {
        X509_free(cert);
        EVP_PKEY_free(key);
        return;
    }
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    m_certPem = QByteArray(data, int(len));
    BIO_free(bio);
    X509_free(cert);
    m_key = key;
}

TestKeyPair::~TestKeyPair()
{
    EVP_PKEY_free(static_cast<EVP_PKEY *>(m_key));
}

QByteArray TestKeyPair::signJwt(const QByteArray &headerJson, const QByteArray &claimsJson) const
{
    const auto enc = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
    const QByteArray input = headerJson.toBase64(enc) + '.' + claimsJson.toBase64(enc);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    size_t sigLen = 0;
    QByteArray sig;
    if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, static_cast<EVP_PKEY *>(m_key)) == 1
        && EVP_DigestSign(ctx, nullptr, &sigLen, reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size())) == 1) {
        sig.resize(qsizetype(sigLen));
        EVP_DigestSign(ctx, reinterpret_cast<unsigned char *>(sig.data()), &sigLen,
            reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()));
        sig.resize(qsizetype(sigLen));
    }
    EVP_MD_CTX_free(ctx);
    return input + '.' + sig.toBase64(enc);
}

} // namespace fs::test
