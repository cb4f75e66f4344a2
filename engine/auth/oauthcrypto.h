#pragma once

#include "api/result.h"

#include <QByteArray>
#include <QString>

namespace fs::engine {

// Crypto for the OAuth flows, on OpenSSL. Pure functions; any thread. Error texts never contain
// key material.
namespace OAuthCrypto {

    QByteArray base64Url(const QByteArray &data); // RFC 4648 §5, no padding
    QByteArray randomBytes(int count); // CSPRNG (OpenSSL RAND_bytes)

    // RS256 JWT bearer assertion (reference §1.1): header {"alg":"RS256"}, claims iss=clientId,
    // sub=username, aud=audience, exp=nowSecs+180 (a JSON number), signed with the RSA private key
    // in the PEM file `keyFile` (PKCS#1 or PKCS#8, unencrypted).
    Result<QByteArray> jwtAssertion(const QString &clientId, const QString &username, const QString &audience,
        const QString &keyFile, qint64 nowSecs);
    // The same from PEM bytes held in memory (tests).
    Result<QByteArray> jwtAssertionFromPem(const QString &clientId, const QString &username, const QString &audience,
        const QByteArray &pem, qint64 nowSecs);

    // PKCE (RFC 7636): a verifier of `length` chars (43–128) from [A-Za-z0-9-_] and its S256
    // challenge base64url(SHA-256(verifier)).
    QString codeVerifier(int length = 64);
    QString codeChallengeS256(const QString &verifier);
    QString randomState(); // 32 base64url chars

} // namespace OAuthCrypto

} // namespace fs::engine
