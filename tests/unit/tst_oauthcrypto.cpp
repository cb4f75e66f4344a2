#include "auth/oauthcrypto.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace C = fs::engine::OAuthCrypto;

namespace {

QByteArray pemOf(EVP_PKEY *key, bool encrypted = false)
{
    BIO *bio = BIO_new(BIO_s_mem());
    if (encrypted) {
        static char pass[] = "pw";
        PEM_write_bio_PrivateKey(bio, key, EVP_aes_128_cbc(), reinterpret_cast<unsigned char *>(pass), 2, nullptr, nullptr);
    } else {
        PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    }
    char *data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    QByteArray out(data, int(len));
    BIO_free(bio);
    return out;
}

bool verifyRs256(EVP_PKEY *key, const QByteArray &input, const QByteArray &sig)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1
        && EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char *>(sig.constData()), size_t(sig.size()),
               reinterpret_cast<const unsigned char *>(input.constData()), size_t(input.size()))
            == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

} // namespace

class TestOAuthCrypto : public QObject {
    Q_OBJECT
private:
    EVP_PKEY *m_rsa = nullptr;
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase()
    {
        m_rsa = EVP_RSA_gen(2048);
        QVERIFY(m_rsa);
        QVERIFY(m_dir.isValid());
    }
    void cleanupTestCase() { EVP_PKEY_free(m_rsa); }

    void jwtIsSignedAndShaped()
    {
        const QString keyPath = m_dir.filePath(QStringLiteral("key.pem"));
        QFile f(keyPath);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(pemOf(m_rsa));
        f.close();

        const auto r = C::jwtAssertion(QStringLiteral("3MVG9client"), QStringLiteral("user@example.com"),
            QStringLiteral("https://login.salesforce.com"), keyPath, 1700000000);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
        const QByteArray jwt = r.value();
        const QList<QByteArray> parts = jwt.split('.');
        QCOMPARE(parts.size(), 3);
        for (const auto &p : parts) {
            QVERIFY(!p.contains('='));
            QVERIFY(!p.contains('+'));
            QVERIFY(!p.contains('/'));
        }
        const auto dec = [](const QByteArray &b) {
            return QByteArray::fromBase64(b, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        };
        const QJsonObject header = QJsonDocument::fromJson(dec(parts[0])).object();
        QCOMPARE(header.value(QStringLiteral("alg")).toString(), QStringLiteral("RS256"));
        const QJsonObject claims = QJsonDocument::fromJson(dec(parts[1])).object();
        QCOMPARE(claims.value(QStringLiteral("iss")).toString(), QStringLiteral("3MVG9client"));
        QCOMPARE(claims.value(QStringLiteral("sub")).toString(), QStringLiteral("user@example.com"));
        QCOMPARE(claims.value(QStringLiteral("aud")).toString(), QStringLiteral("https://login.salesforce.com"));
        QCOMPARE(qint64(claims.value(QStringLiteral("exp")).toDouble()), qint64(1700000180));
        QVERIFY(verifyRs256(m_rsa, parts[0] + '.' + parts[1], dec(parts[2])));
        QVERIFY(!verifyRs256(m_rsa, parts[0] + '.' + parts[1] + 'x', dec(parts[2])));
    }

    void badKeys_data()
    {
        QTest::addColumn<QByteArray>("pem");
        QTest::addColumn<QString>("needle");
        QTest::addRow("garbage") << QByteArray("not a key at all") << QStringLiteral("PEM private key");
        QTest::addRow("empty") << QByteArray() << QStringLiteral("PEM private key");
        EVP_PKEY *ec = EVP_EC_gen("P-256");
        QTest::addRow("ec key") << pemOf(ec) << QStringLiteral("not an RSA key");
        EVP_PKEY_free(ec);
    }

    void badKeys()
    {
        QFETCH(QByteArray, pem);
        QFETCH(QString, needle);
        const auto r = C::jwtAssertionFromPem(QStringLiteral("id"), QStringLiteral("u"), QStringLiteral("aud"), pem, 0);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().category, fs::EngineError::Category::Auth);
        QVERIFY2(r.error().message.contains(needle), qPrintable(r.error().message));
    }

    void encryptedKeyIsRefusedWithoutLeak()
    {
        const QByteArray pem = pemOf(m_rsa, true);
        const auto r = C::jwtAssertionFromPem(QStringLiteral("id"), QStringLiteral("u"), QStringLiteral("aud"), pem, 0);
        QVERIFY(!r.ok());
        // The error never echoes key material.
        const QString all = r.error().message + r.error().detail;
        QVERIFY(!all.contains(QStringLiteral("BEGIN")));
        QVERIFY(!all.contains(QString::fromLatin1(pem.mid(40, 20))));
    }

    void missingKeyFile()
    {
        const auto r = C::jwtAssertion(QStringLiteral("id"), QStringLiteral("u"), QStringLiteral("aud"),
            m_dir.filePath(QStringLiteral("nope.pem")), 0);
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("nope.pem")));
    }

    void missingClaims()
    {
        QVERIFY(!C::jwtAssertionFromPem(QString(), QStringLiteral("u"), QStringLiteral("a"), pemOf(m_rsa), 0).ok());
        QVERIFY(!C::jwtAssertionFromPem(QStringLiteral("c"), QString(), QStringLiteral("a"), pemOf(m_rsa), 0).ok());
    }

    void pkceRfc7636Example()
    {
        // RFC 7636 appendix B.
        QCOMPARE(C::codeChallengeS256(QStringLiteral("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")),
            QStringLiteral("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
    }

    void verifierShape_data()
    {
        QTest::addColumn<int>("asked");
        QTest::addColumn<int>("expected");
        QTest::addRow("minimum") << 43 << 43;
        QTest::addRow("default") << 64 << 64;
        QTest::addRow("maximum") << 128 << 128;
        QTest::addRow("too short is raised") << 10 << 43;
        QTest::addRow("too long is capped") << 500 << 128;
    }

    void verifierShape()
    {
        QFETCH(int, asked);
        QFETCH(int, expected);
        static const QRegularExpression allowed(QStringLiteral("^[A-Za-z0-9._~-]+$"));
        const QString v = C::codeVerifier(asked);
        QCOMPARE(v.size(), expected);
        QVERIFY(allowed.match(v).hasMatch());
        QVERIFY(C::codeVerifier(asked) != v); // random each time
    }

    void stateIsRandom()
    {
        const QString a = C::randomState();
        QCOMPARE(a.size(), 32);
        QVERIFY(a != C::randomState());
    }
};

QTEST_GUILESS_MAIN(TestOAuthCrypto)
#include "tst_oauthcrypto.moc"
