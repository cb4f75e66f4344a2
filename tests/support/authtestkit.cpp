#include "authtestkit.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QTcpServer>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace fs::test {

namespace {

    QByteArray takeBio(BIO *bio)
    {
        char *data = nullptr;
        const long size = BIO_get_mem_data(bio, &data);
        QByteArray out(data, int(size));
        BIO_free(bio);
        return out;
    }

} // namespace

PemKeyPair makePemKeyPair(const QByteArray &commonName)
{
    CertSpec spec;
    spec.commonName = commonName;
    return makePemKeyPair(spec);
}

PemKeyPair makePemKeyPair(const CertSpec &spec)
{
    PemKeyPair out;
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *cert = X509_new();
    if (!key || !cert) {
        EVP_PKEY_free(key);
        X509_free(cert);
        return out;
    }
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert), spec.validFromSeconds);
    X509_gmtime_adj(X509_getm_notAfter(cert), spec.validUntilSeconds);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(spec.commonName.constData()), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    if (!spec.subjectAltName.isEmpty()) {
        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
        if (X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, spec.subjectAltName.constData())) {
            X509_add_ext(cert, ext, -1);
            X509_EXTENSION_free(ext);
        }
    }
    X509_sign(cert, key, EVP_sha256());
    BIO *keyBio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(keyBio, key, nullptr, nullptr, 0, nullptr, nullptr);
    out.keyPem = takeBio(keyBio);
    BIO *certBio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(certBio, cert);
    out.certPem = takeBio(certBio);
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

quint16 freeLoopbackPort()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}

bool writeFile(const QString &path, const QByteArray &data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

QStringList filesContaining(const QString &dir, const QString &needle)
{
    QStringList hits;
    const QByteArray bytes = needle.toUtf8();
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(bytes))
            hits << path;
    }
    return hits;
}

} // namespace fs::test
