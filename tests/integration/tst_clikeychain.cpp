// The headless `forcescope org …` life cycle as separate processes against a forcescope-sim child,
// with the tokens in a real Secret Service (run under tests/support/with-keyring.sh: a private
// D-Bus session with an unlocked gnome-keyring): `org login` with the pasted token from
// SF_ACCESS_TOKEN → `org list` shows the profile → `query --target-org ALIAS` runs on the
// keychain's token alone → `org logout` revokes it and removes the keychain entries, after which
// the query fails with exit code 2. Afterwards neither the CLI's HOME/XDG config, data and cache
// directories nor any stdout/stderr holds the token.
#include "clitestkit.h"

#include "auth/secretstore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using fs::engine::SecretStore;

using Run = fs::test::CliRun;

namespace {

const QString kAlias = QStringLiteral("simdev");

} // namespace

class TestCliKeychain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();

    void loginWithoutTokenSavesNothing();
    void loginListQueryLogout();
    void noTokenInHomeOrOutput();

private:
    Run run(const QStringList &args, const QString &token = {});
    // The keychain entry as the CLI stores it; empty with *found = false when there is none.
    QString keychainEntry(const QString &kind, bool *found, QString *error);

    QTemporaryDir m_home;
    QProcess m_sim;
    QString m_baseUrl;
    QString m_token;
    QList<Run> m_runs; // every run, checked for the token at the end
};

void TestCliKeychain::initTestCase()
{
    if (!fs::test::cliBinariesBuilt())
        QSKIP("forcescope or forcescope-sim is not built in FS_BINARY_DIR/bin");
    if (qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"))
        QSKIP("no D-Bus session: run under tests/support/with-keyring.sh");
    QVERIFY(m_home.isValid());

    QString error;
    QVERIFY2(fs::test::startSimProcess(m_sim, 0.02, &m_baseUrl, &m_token, &error), qPrintable(error));
    QVERIFY(m_baseUrl.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(m_token.size() > 20);

    // The keychain is reachable and holds nothing for the alias yet.
    bool found = true;
    (void)keychainEntry(QStringLiteral("access_token"), &found, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!found);
}

void TestCliKeychain::cleanupTestCase()
{
    fs::test::stopProcess(m_sim);
}

Run TestCliKeychain::run(const QStringList &args, const QString &token)
{
    const Run r = fs::test::runCli(m_home.path(), args, token); // keeps the private D-Bus session
    m_runs.append(r);
    return r;
}

QString TestCliKeychain::keychainEntry(const QString &kind, bool *found, QString *error)
{
    SecretStore store; // the CLI's service name: "forcescope"
    bool answered = false;
    QString value;
    *found = false;
    error->clear();
    store.read(SecretStore::keyFor(kAlias, kind), [&](fs::Result<QString> r) {
        answered = true;
        if (r.ok()) {
            *found = true;
            value = r.value();
        } else if (!SecretStore::isNotFound(r.error())) {
            *error = r.error().message;
        }
    });
    if (!QTest::qWaitFor([&] { return answered; }, 70000))
        *error = QStringLiteral("the keychain did not answer");
    return value;
}

void TestCliKeychain::loginWithoutTokenSavesNothing()
{
    const Run r = run({QStringLiteral("org"), QStringLiteral("login"), QStringLiteral("--alias"), QStringLiteral("notoken"),
        QStringLiteral("--auth"), QStringLiteral("access_token"), QStringLiteral("--instance-url"), m_baseUrl});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QLatin1String("SF_ACCESS_TOKEN")), qPrintable(r.err));
    const Run list = run({QStringLiteral("org"), QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    for (const QJsonValue &v : QJsonDocument::fromJson(list.out.toUtf8()).array())
        QVERIFY(v.toObject().value(QLatin1String("alias")).toString() != u"notoken");
}

void TestCliKeychain::loginListQueryLogout()
{
    // Login with the pasted token, taken from the environment only.
    const Run login = run({QStringLiteral("org"), QStringLiteral("login"), QStringLiteral("--alias"), kAlias, QStringLiteral("--auth"),
                              QStringLiteral("access_token"), QStringLiteral("--instance-url"), m_baseUrl},
        m_token);
    QVERIFY2(login.exitCode == 0, qPrintable(login.err));
    QVERIFY2(login.out.startsWith(QStringLiteral("Logged in to %1").arg(kAlias)), qPrintable(login.out));

    // The token went to the keychain.
    bool found = false;
    QString error;
    const QString stored = keychainEntry(QStringLiteral("access_token"), &found, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(found);
    QVERIFY(stored == m_token); // not QCOMPARE: a failure would print the token

    // org list shows the profile (and no secret).
    const Run list = run({QStringLiteral("org"), QStringLiteral("list"), QStringLiteral("--format"), QStringLiteral("json")});
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    QJsonObject profile;
    for (const QJsonValue &v : QJsonDocument::fromJson(list.out.toUtf8()).array()) {
        if (v.toObject().value(QLatin1String("alias")).toString() == kAlias)
            profile = v.toObject();
    }
    QVERIFY2(!profile.isEmpty(), qPrintable(list.out));
    QCOMPARE(profile.value(QLatin1String("instanceUrl")).toString(), m_baseUrl);
    QCOMPARE(profile.value(QLatin1String("authType")).toString(), QStringLiteral("access_token"));
    const Run table = run({QStringLiteral("org"), QStringLiteral("list")});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains(kAlias));

    // A query with --target-org and no SF_ACCESS_TOKEN: the keychain's token is enough.
    const QStringList query{QStringLiteral("query"), QStringLiteral("SELECT Id FROM Account ORDER BY Id LIMIT 2"), QStringLiteral("--target-org"),
        kAlias, QStringLiteral("--format"), QStringLiteral("json")};
    const Run q = run(query);
    QVERIFY2(q.exitCode == 0, qPrintable(q.err));
    const QJsonArray records = QJsonDocument::fromJson(q.out.toUtf8()).object().value(QLatin1String("records")).toArray();
    QCOMPARE(records.size(), 2);
    QVERIFY(records.at(0).toObject().value(QLatin1String("Id")).toString().startsWith(QLatin1String("001")));
    const Run shown = run({QStringLiteral("org"), QStringLiteral("show"), QStringLiteral("-o"), kAlias, QStringLiteral("-f"), QStringLiteral("json")});
    QVERIFY2(shown.exitCode == 0, qPrintable(shown.err));
    QCOMPARE(QJsonDocument::fromJson(shown.out.toUtf8()).object().value(QLatin1String("alias")).toString(), kAlias);

    // Logout: the keychain entries are gone, and the server no longer takes the token (revoked).
    const Run logout = run({QStringLiteral("org"), QStringLiteral("logout"), kAlias});
    QVERIFY2(logout.exitCode == 0, qPrintable(logout.err));
    QCOMPARE(logout.out, QStringLiteral("Logged out of %1\n").arg(kAlias));
    (void)keychainEntry(QStringLiteral("access_token"), &found, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!found);
    (void)keychainEntry(QStringLiteral("refresh_token"), &found, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(!found);

    // The same query now fails as documented: exit 2, authentication.
    const Run after = run(query);
    QCOMPARE(after.exitCode, 2);
    QVERIFY(after.out.isEmpty());
    QVERIFY2(after.err.startsWith(QLatin1String("forcescope: error:")), qPrintable(after.err));
    // The revoked token itself is refused too (one-off use with SF_ACCESS_TOKEN).
    const Run revoked = run({QStringLiteral("limits"), QStringLiteral("--instance-url"), m_baseUrl}, m_token);
    QCOMPARE(revoked.exitCode, 2);
}

void TestCliKeychain::noTokenInHomeOrOutput()
{
    QVERIFY(!m_runs.isEmpty());
    for (const Run &r : std::as_const(m_runs)) {
        QVERIFY2(!r.out.contains(m_token), "access token on stdout");
        QVERIFY2(!r.err.contains(m_token), "access token on stderr");
    }
    // Every file the CLI wrote under its HOME and XDG config/data/cache directories; the org
    // profile is among them, so the scan does cover where the CLI keeps its settings.
    const fs::test::FileScan scan
        = fs::test::scanFiles(m_home.path(), {m_token.toUtf8(), QUrl::toPercentEncoding(m_token), kAlias.toUtf8()});
    QVERIFY2(scan.unreadable.isEmpty(), qPrintable(scan.unreadable.join(u',')));
    QVERIFY2(scan.hits.at(0).isEmpty(), qPrintable(QStringLiteral("token in ") + scan.hits.at(0).join(u',')));
    QVERIFY2(scan.hits.at(1).isEmpty(), qPrintable(QStringLiteral("encoded token in ") + scan.hits.at(1).join(u',')));
    QVERIFY(scan.files > 0);
    QVERIFY2(!scan.hits.at(2).isEmpty(), "the org profile was not found under the CLI's HOME: the scan would miss it");
}

QTEST_GUILESS_MAIN(TestCliKeychain)
#include "tst_clikeychain.moc"
