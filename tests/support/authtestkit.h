#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace fs::test {

// An RSA key (PEM, unencrypted PKCS#8) and a self-signed certificate over it, as an admin would
// make for a JWT connected app: the certificate goes to the org, the key file to the client.
struct PemKeyPair {
    QByteArray keyPem;
    QByteArray certPem;
};
PemKeyPair makePemKeyPair(const QByteArray &commonName = QByteArrayLiteral("forcescope-test"));

// What makePemKeyPair(spec) puts into the certificate: its subject (and issuer) CN, when it is
// valid (seconds from now; both negative for one that has expired) and an optional
// subjectAltName such as "IP:127.0.0.1" (for a TLS server on loopback).
struct CertSpec {
    QByteArray commonName = QByteArrayLiteral("forcescope-test");
    long validFromSeconds = 0;
    long validUntilSeconds = 3600;
    QByteArray subjectAltName {};
};
PemKeyPair makePemKeyPair(const CertSpec &spec);

// A loopback port that was free a moment ago (for a browser-login redirect listener).
quint16 freeLoopbackPort();

// Writes `data` to `path`, creating missing parent folders. Returns false when it cannot.
bool writeFile(const QString &path, const QByteArray &data);

// Every file below `dir` (hidden and system files too) whose bytes contain `needle` as UTF-8.
QStringList filesContaining(const QString &dir, const QString &needle);

} // namespace fs::test
