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

// A loopback port that was free a moment ago (for a browser-login redirect listener).
quint16 freeLoopbackPort();

// Writes `data` to `path`, creating missing parent folders. Returns false when it cannot.
bool writeFile(const QString &path, const QByteArray &data);

// Every file below `dir` (hidden and system files too) whose bytes contain `needle` as UTF-8.
QStringList filesContaining(const QString &dir, const QString &needle);

} // namespace fs::test
