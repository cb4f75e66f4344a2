// SecretStore and OrgService against the real Secret Service. Registered twice:
//  - engine_auth_keychain: under tests/support/with-keyring.sh (private D-Bus + unlocked keyring);
//  - engine_auth_nokeyring: with FS_KEYRING_EXPECTED=absent and no usable session bus, proving a
//    missing keychain is a clear Auth error and nothing falls back to a plain file.
#include "auth/orgservice.h"
#include "auth/secretstore.h"

#include <QDirIterator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using fs::EngineError;
using fs::engine::EngineConfig;
using fs::engine::OrgService;
using fs::engine::SecretStore;

namespace {

const QString kSecret = QStringLiteral("5Aep861TopSecretRefreshTokenValue==");

bool keyringExpected() { return qEnvironmentVariable("FS_KEYRING_EXPECTED") != u"absent"; }

// Every file under `dir`, read whole: does any of them contain `needle`?
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(needle))
            hits << path;
    }
    return hits;
}

} // namespace

class TestEngineAuthKeychain : public QObject {
    Q_OBJECT
private:
    QString m_service = QStringLiteral("forcescope-test-%1").arg(QCoreApplication::applicationPid());

private Q_SLOTS:
    void secretRoundTrip()
    {
        if (!keyringExpected())
            QSKIP("no keyring in this run (engine_auth_nokeyring checks the error instead)");
        SecretStore store(m_service);
        bool written = false;
        store.write(QStringLiteral("org1/refresh_token"), kSecret, [&](fs::Result<void> r) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            written = true;
        });
        QTRY_VERIFY(written);

        QString read;
        store.read(QStringLiteral("org1/refresh_token"), [&](fs::Result<QString> r) {
            QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            read = r.value();
        });
        QTRY_COMPARE(read, kSecret);

        bool removed = false;
        store.remove(QStringLiteral("org1/refresh_token"), [&](fs::Result<void> r) {
            QVERIFY(r.ok());
            removed = true;
        });
        QTRY_VERIFY(removed);

        bool notFound = false;
        store.read(QStringLiteral("org1/refresh_token"), [&](fs::Result<QString> r) {
            QVERIFY(!r.ok());
            QVERIFY(SecretStore::isNotFound(r.error()));
            notFound = true;
        });
        QTRY_VERIFY(notFound);

        // Removing a missing entry is fine.
        bool removedAgain = false;
        store.remove(QStringLiteral("org1/refresh_token"), [&](fs::Result<void> r) {
            QVERIFY(r.ok());
            removedAgain = true;
        });
        QTRY_VERIFY(removedAgain);
    }

    void missingKeyringIsAClearError()
    {
        if (keyringExpected())
            QSKIP("a keyring is running in this run (engine_auth_nokeyring checks the error)");
        QTemporaryDir home;
        SecretStore store(m_service);
        bool failed = false;
        store.write(QStringLiteral("org1/refresh_token"), kSecret, [&](fs::Result<void> r) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().category, EngineError::Category::Auth);
            QVERIFY2(r.error().message.startsWith(QStringLiteral("The system keychain is not available or is locked")),
                qPrintable(r.error().message));
            QVERIFY(!r.error().message.contains(kSecret));
            failed = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(failed, 30000);

        bool readFailed = false;
        store.read(QStringLiteral("org1/refresh_token"), [&](fs::Result<QString> r) {
            QVERIFY(!r.ok());
            QVERIFY(!SecretStore::isNotFound(r.error()));
            QCOMPARE(r.error().errorCode, QStringLiteral("KEYCHAIN_UNAVAILABLE"));
            readFailed = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(readFailed, 30000);
    }

    void connectWithoutKeyringFailsClearly()
    {
        if (keyringExpected())
            QSKIP("a keyring is running in this run");
        QTemporaryDir dir;
        OrgService orgs(EngineConfig {}, dir.filePath(QStringLiteral("orgs.ini")), m_service);
        fs::OrgProfile p;
        p.alias = QStringLiteral("prod");
        p.loginUrl = QUrl(QStringLiteral("https://login.salesforce.com"));
        p.authType = fs::AuthType::RefreshToken;
        p.clientId = QStringLiteral("3MVG9client");
        QVERIFY(orgs.saveProfile(p).ok());
        bool done = false;
        orgs.connectOrg(QStringLiteral("prod"), [&](fs::Result<OrgService::Session> r) {
            QVERIFY(!r.ok());
            QCOMPARE(r.error().category, EngineError::Category::Auth);
            QVERIFY(r.error().message.contains(QStringLiteral("keychain")));
            done = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(done, 30000);
        // Nothing was written next to the settings as a fallback.
        QVERIFY(filesContaining(dir.path(), kSecret.toUtf8()).isEmpty());
    }

    void profilesHoldNoSecret()
    {
        QTemporaryDir dir;
        const QString ini = dir.filePath(QStringLiteral("orgs.ini"));
        OrgService orgs(EngineConfig {}, ini, m_service);
        QSignalSpy changed(&orgs, &OrgService::profilesChanged);
        fs::OrgProfile p;
        p.alias = QStringLiteral("acme-prod");
        p.loginUrl = QUrl(QStringLiteral("https://login.salesforce.com"));
        p.instanceUrl = QUrl(QStringLiteral("https://acme.my.salesforce.com"));
        p.authType = fs::AuthType::JwtBearer;
        p.username = QStringLiteral("admin@acme.com");
        p.clientId = QStringLiteral("3MVG9client");
        p.keyFile = QStringLiteral("/home/me/.keys/acme.pem");
        QVERIFY(orgs.saveProfile(p).ok());
        QCOMPARE(changed.count(), 1);
        const auto list = orgs.profiles();
        QCOMPARE(list.size(), 1);
        QCOMPARE(list[0].alias, p.alias);
        QCOMPARE(list[0].instanceUrl, p.instanceUrl);
        QCOMPARE(list[0].authType, fs::AuthType::JwtBearer);
        QCOMPARE(list[0].keyFile, p.keyFile);
        QCOMPARE(orgs.settingsFilePath(), ini);

        // Bad input is a Validation error, never a crash.
        fs::OrgProfile bad = p;
        bad.alias = QStringLiteral("../etc/passwd");
        QCOMPARE(orgs.saveProfile(bad).error().category, EngineError::Category::Validation);
        bad = p;
        bad.loginUrl = QUrl(QStringLiteral("http://login.example.com"));
        QVERIFY(orgs.saveProfile(bad).error().message.contains(QStringLiteral("http")));
        bad = p;
        bad.demo = true;
        QVERIFY(!orgs.saveProfile(bad).ok());
        QVERIFY(!orgs.profile(QStringLiteral("missing")).ok());

        QFile f(ini);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY(!text.contains("token"));
        QVERIFY(!text.contains(kSecret.toUtf8()));

        bool removed = false;
        orgs.removeProfile(p.alias, [&](fs::Result<void> r) {
            if (keyringExpected())
                QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().message));
            removed = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(removed, 30000);
        if (keyringExpected())
            QVERIFY(orgs.profiles().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestEngineAuthKeychain)
#include "tst_engine_auth_keychain.moc"
