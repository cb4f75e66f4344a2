#include "oauthcrypto.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <algorithm>
#include <memory>

namespace fs::engine::OAuthCrypto {

namespace {

    EngineError keyError(const QString &message)
    {
        return EngineError::make(EngineError::Category::Auth, message, QStringLiteral("INVALID_KEY"));
    }

    struct BioFree {
        void operator()(BIO *b) const { BIO_free(b); }
    };
    struct PkeyFree {
        void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
    };
    struct MdCtxFree {
        void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
    };

    // Passphrase callback that refuses: encrypted keys are reported, never prompted for.
    int noPassphrase(char *, int, int, void *) { return -1; }

} // namespace

QByteArray base64Url(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

QByteArray randomBytes(int count)
{
    QByteArray out(std::max(0, count), Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1)
        qFatal("OpenSSL RAND_bytes failed: no secure random source");
    return out;
}

Result<QByteArray> jwtAssertionFromPem(
    const QString &clientId, const QString &username, const QString &audience, const QByteArray &pem, qint64 nowSecs)
{
    if (clientId.isEmpty())
        return keyError(QStringLiteral("JWT login needs the connected app's consumer key (client id)"));
    if (username.isEmpty())
        return keyError(QStringLiteral("JWT login needs the Salesforce username"));

    std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.constData(), int(pem.size())));
    if (!bio)
        return keyError(QStringLiteral("Out of memory reading the private key"));
    std::unique_ptr<EVP_PKEY, PkeyFree> key(PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr));
    if (!key) {
        return keyError(QStringLiteral("The key file does not hold an unencrypted PEM private key"));
    }
    if (EVP_PKEY_base_id(key.get()) != EVP_PKEY_RSA)
        return keyError(QStringLiteral("The private key is not an RSA key; RS256 needs RSA"));

    QJsonObject header { { QStringLiteral("alg"), QStringLiteral("RS256") } };
    QJsonObject claims { { QStringLiteral("iss"), clientId }, { QStringLiteral("sub"), username },
        { QStringLiteral("aud"), audience }, { QStringLiteral("exp"), double(nowSecs + 180) } };
    const QByteArray signingInput = base64Url(QJsonDocument(header).toJson(QJsonDocument::Compact)) + '.'
        + base64Url(QJsonDocument(claims).toJson(QJsonDocument::Compact));

    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1)
        return keyError(QStringLiteral("Could not set up RS256 signing with this key"));
    if (EVP_DigestSignUpdate(ctx.get(), signingInput.constData(), size_t(signingInput.size())) != 1)
        return keyError(QStringLiteral("Could not sign the JWT assertion"));
    size_t sigLen = 0;
    if (EVP_DigestSignFinal(ctx.get(), nullptr, &sigLen) != 1)
        return keyError(QStringLiteral("Could not sign the JWT assertion"));
    QByteArray sig(qsizetype(sigLen), Qt::Uninitialized);
    if (EVP_DigestSignFinal(ctx.get(), reinterpret_cast<unsigned char *>(sig.data()), &sigLen) != 1)
        return keyError(QStringLiteral("Could not sign the JWT assertion"));
    sig.resize(qsizetype(sigLen));
    return signingInput + '.' + base64Url(sig);
}

Result<QByteArray> jwtAssertion(
    const QString &clientId, const QString &username, const QString &audience, const QString &keyFile, qint64 nowSecs)
{
    if (keyFile.isEmpty())
        return keyError(QStringLiteral("JWT login needs a private key file"));
    QFile f(keyFile);
    if (!f.open(QIODevice::ReadOnly))
        return keyError(QStringLiteral("Cannot read the private key file %1: %2").arg(keyFile, f.errorString()));
    if (f.size() > 1024 * 1024)
        return keyError(QStringLiteral("The private key file %1 is too large to be a PEM key").arg(keyFile));
    QByteArray pem = f.readAll();
    auto r = jwtAssertionFromPem(clientId, username, audience, pem, nowSecs);
    pem.fill('\0'); // do not leave the key bytes lying in freed memory longer than needed
    if (!r.ok()) {
        EngineError e = r.error();
        e.detail = QStringLiteral("Key file: %1").arg(keyFile);
        return e;
    }
    return r;
}

QString codeVerifier(int length)
{
    const int n = std::clamp(length, 43, 128);
    // base64url of random bytes gives 4 chars per 3 bytes, all from the unreserved set.
    const QByteArray chars = base64Url(randomBytes((n * 3) / 4 + 3));
    return QString::fromLatin1(chars.left(n));
}

QString codeChallengeS256(const QString &verifier)
{
    return QString::fromLatin1(base64Url(QCryptographicHash::hash(verifier.toLatin1(), QCryptographicHash::Sha256)));
}

QString randomState() { return QString::fromLatin1(base64Url(randomBytes(24))); }

} // namespace fs::engine::OAuthCrypto
