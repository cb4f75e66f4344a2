// The new-org dialog driven for real: MainWindow + OrgDialog on the GUI thread, the Engine on its
// own thread (EngineHost), the in-process simulated org on 127.0.0.1:0. Covers browser login with
// PKCE (the test plays the browser through a QDesktopServices URL handler, so no real browser
// opens), JWT with a key chosen in the dialog's file picker, refresh token, failures in plain
// words, and that no token or key ends up in the log panel, the config dirs or the widgets.
//
// Runs twice: under tests/support/with-keyring.sh (private D-Bus + unlocked gnome-keyring), and
// as orglogin_nokeyring without any D-Bus (FS_KEYRING_EXPECTED=absent) for the "keychain
// unavailable" message. Each mode skips the other's cases.
#include "enginehost.h"
#include "simulatorfixture.h"
#include "store/store.h"

#include "connect/orgdialog.h"
#include "editor/querytabwidget.h"
#include "editor/soqleditor.h"
#include "panels/limitswidget.h"
#include "schema/schemabrowserwidget.h"
#include "panels/requestlogmodel.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QDockWidget>
#include <QComboBox>
#include <QCryptographicHash>
#include <QDesktopServices>
#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPointer>
#include <QPushButton>
#include <QScopeGuard>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTcpServer>
#include <QTableView>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <cmath>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace {

bool keyringExpected()
{
    return qEnvironmentVariable("FS_KEYRING_EXPECTED") != u"absent";
}

QByteArray readBio(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    QByteArray out(data, int(size));
    BIO_free(bio);
    return out;
}

// An RSA key (PEM, unencrypted PKCS#8) and a self-signed certificate over it.
struct KeyAndCert {
    QByteArray keyPem;
    QByteArray certPem;
};

KeyAndCert makeKeyAndCert()
{
    KeyAndCert out;
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *cert = X509_new();
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("forcescope-ui-test"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    BIO *kb = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(kb, key, nullptr, nullptr, 0, nullptr, nullptr);
    out.keyPem = readBio(kb);
    BIO *cb = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(cb, cert);
    out.certPem = readBio(cb);
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

// Success paths keep secrets in the keychain: they run only in the keyring run.
#define REQUIRE_KEYRING()                                                                                              \
    do {                                                                                                               \
        if (!keyringExpected())                                                                                        \
            QSKIP("needs an unlocked keyring; this run has no D-Bus (orglogin_nokeyring)");                            \
    } while (false)

// Plays the system browser: QDesktopServices hands it every http(s) URL the app opens. With
// approve set it GETs the authorize page, submits the consent form as the user and follows the
// redirect to the app's loopback listener, as a browser would.
class FakeBrowser : public QObject {
    Q_OBJECT
public:
    FakeBrowser() { m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy); }

    bool approve = true;
    QString username = QStringLiteral("admin@acme.test");
    QList<QUrl> opened;
    int pageStatus = 0;
    QByteArray pageBody;
    int loopbackStatus = 0;

public Q_SLOTS:
    void openUrl(const QUrl &url)
    {
        opened << url;
        if (!approve)
            return;
        QNetworkRequest pageRequest(url);
        QNetworkReply *page = m_nam.get(pageRequest);
        connect(page, &QNetworkReply::finished, this, [this, page, url] {
            page->deleteLater();
            pageStatus = page->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            pageBody = page->readAll();
            if (pageStatus != 200)
                return;
            QNetworkRequest post(url);
            post.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/x-www-form-urlencoded"));
            const QByteArray form = url.query(QUrl::FullyEncoded).toLatin1() + "&decision=allow&username="
                + QUrl::toPercentEncoding(username);
            QNetworkReply *decision = m_nam.post(post, form);
            connect(decision, &QNetworkReply::finished, this, [this, decision] {
                decision->deleteLater();
                const QUrl next = decision->attribute(QNetworkRequest::RedirectionTargetAttribute).toUrl();
                if (!next.isValid() || next.isEmpty())
                    return;
                QNetworkReply *back = m_nam.get(QNetworkRequest(next));
                connect(back, &QNetworkReply::finished, this, [this, back] {
                    back->deleteLater();
                    loopbackStatus = back->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                });
            });
        });
    }

private:
    QNetworkAccessManager m_nam;
};

class TestOrgLogin : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void browserLoginConnects();
    void browserWaitCanBeCancelled();
    void jwtWithKeyChosenInDialog();
    void refreshTokenConnects();
    void pastedTokenConnects();
    void viewsReadInLightAndDark();
    void errorsInPlainWords_data();
    void errorsInPlainWords();
    void inputProblemsAreCaughtBeforeConnecting();
    void noSecretInLogConfigOrWidgets();
    void keychainUnavailableIsExplained();

private:
    fs::ui::OrgDialog *openDialog();
    void clickConnect(fs::ui::OrgDialog *dialog);
    void fillCommon(fs::ui::OrgDialog *dialog, const QString &alias, fs::AuthType type);
    QString obtainRefreshToken();
    void shoot(QWidget *w, const QString &name);
    QStringList visibleTexts(QWidget *root) const;
    QStringList savedAliases() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<fs::test::SimulatorFixture> m_sim;
    std::unique_ptr<fs::app::EngineHost> m_host;
    std::unique_ptr<fs::ui::MainWindow> m_window;
    std::unique_ptr<FakeBrowser> m_browser;
    KeyAndCert m_app;
    QString m_keyFile;
    QString m_wrongKeyFile;
    QString m_notAKeyFile;
    quint16 m_callbackPort = 0;
    QString m_service = QStringLiteral("forcescope-orglogin-%1").arg(QCoreApplication::applicationPid());
    QStringList m_secrets; // every token and key text the test saw: must never show up anywhere
};

void TestOrgLogin::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());

    m_sim = std::make_unique<fs::test::SimulatorFixture>();
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));
    QVERIFY(!m_sim->sim().registerUser(QStringLiteral("admin@acme.test")).isEmpty());

    m_app = makeKeyAndCert();
    const KeyAndCert other = makeKeyAndCert();
    QDir().mkpath(m_dir->filePath(QStringLiteral("keys")));
    auto write = [this](const QString &name, const QByteArray &data) {
        const QString path = m_dir->filePath(QStringLiteral("keys/") + name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly))
            f.write(data);
        return path;
    };
    m_keyFile = write(QStringLiteral("app.pem"), m_app.keyPem);
    m_wrongKeyFile = write(QStringLiteral("other.pem"), other.keyPem);
    m_notAKeyFile = write(QStringLiteral("notes.pem"), QByteArray("this is not a key\n"));
    // A line from the middle of each key: enough to recognise it anywhere.
    m_secrets << QString::fromLatin1(m_app.keyPem.split('\n').value(5)) << QString::fromLatin1(other.keyPem.split('\n').value(5));

    m_callbackPort = freePort();
    const QString callback = QStringLiteral("http://127.0.0.1:%1/oauth/callback").arg(m_callbackPort);
    m_sim->sim().registerConnectedApp(QStringLiteral("web-app"), {}, { callback });
    m_sim->sim().registerConnectedApp(QStringLiteral("jwt-app"), m_app.certPem, {});
    m_sim->sim().registerUser(QStringLiteral("admin@acme.test")); // pre-authorise for the new apps

    fs::engine::Engine::Options options;
    options.config.credentials.callbackPort = m_callbackPort;
    options.config.resilience.retry.baseDelayMs = 5;
    options.config.resilience.retry.maxDelayMs = 20;
    options.settingsFile = m_dir->filePath(QStringLiteral("config/orgs.ini"));
    options.keychainService = m_service;
    options.describeCacheDir = m_dir->filePath(QStringLiteral("cache/describe"));
    m_host = std::make_unique<fs::app::EngineHost>(options);
    m_window = std::make_unique<fs::ui::MainWindow>(m_host->client(), m_dir->filePath(QStringLiteral("store")));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

    // Every http(s) URL the app opens lands here instead of a real browser.
    m_browser = std::make_unique<FakeBrowser>();
    QDesktopServices::setUrlHandler(QStringLiteral("http"), m_browser.get(), "openUrl");
    QDesktopServices::setUrlHandler(QStringLiteral("https"), m_browser.get(), "openUrl");
}

void TestOrgLogin::cleanupTestCase()
{
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    m_window.reset();
    m_host.reset();
    m_browser.reset();
    m_sim.reset();
}

void TestOrgLogin::init()
{
    m_browser->approve = true;
    m_browser->opened.clear();
}

void TestOrgLogin::cleanup()
{
    // A dialog left open by a failed case must not leak into the next one.
    const auto dialogs = m_window->findChildren<fs::ui::OrgDialog *>();
    for (fs::ui::OrgDialog *d : dialogs) {
        if (d->isBusy())
            d->reject(); // cancels
        if (d->isVisible())
            d->reject(); // closes (deleted on close)
    }
    QTRY_VERIFY(m_window->findChildren<fs::ui::OrgDialog *>().isEmpty());
}

fs::ui::OrgDialog *TestOrgLogin::openDialog()
{
    m_window->newOrg();
    auto *dialog = m_window->findChild<fs::ui::OrgDialog *>();
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

void TestOrgLogin::fillCommon(fs::ui::OrgDialog *dialog, const QString &alias, fs::AuthType type)
{
    dialog->setAuthType(type);
    auto *aliasEdit = dialog->findChild<QLineEdit *>(QStringLiteral("alias"));
    aliasEdit->clear();
    QTest::keyClicks(aliasEdit, alias);
    auto *login = dialog->findChild<QComboBox *>(QStringLiteral("loginUrl"));
    login->setEditText(m_sim->baseUrl().toString());
}

void TestOrgLogin::clickConnect(fs::ui::OrgDialog *dialog)
{
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("connectButton")), Qt::LeftButton);
}

void TestOrgLogin::shoot(QWidget *w, const QString &name)
{
    const QString dir = qEnvironmentVariable("FS_TEST_OUTPUT_DIR", QDir::tempPath()) + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    QVERIFY(w->grab().save(dir + QLatin1Char('/') + name));
}

// Everything a user could read on screen: labels, line edits (as displayed, so password fields
// show bullets), combo boxes, window titles, status bar and every visible item view cell.
QStringList TestOrgLogin::visibleTexts(QWidget *root) const
{
    QStringList out { root->windowTitle() };
    for (QLabel *l : root->findChildren<QLabel *>())
        out << l->text() << l->toolTip();
    for (QLineEdit *e : root->findChildren<QLineEdit *>())
        out << e->displayText() << e->toolTip() << e->placeholderText();
    for (QComboBox *c : root->findChildren<QComboBox *>()) {
        for (int i = 0; i < c->count(); ++i)
            out << c->itemText(i);
    }
    for (QStatusBar *s : root->findChildren<QStatusBar *>())
        out << s->currentMessage();
    for (QAbstractItemView *v : root->findChildren<QAbstractItemView *>()) {
        QAbstractItemModel *m = v->model();
        if (!m)
            continue;
        for (int r = 0; r < std::min(m->rowCount(), 2000); ++r) {
            for (int c = 0; c < m->columnCount(); ++c) {
                const QModelIndex i = m->index(r, c);
                out << i.data(Qt::DisplayRole).toString() << i.data(Qt::ToolTipRole).toString();
            }
        }
    }
    return out;
}

QStringList TestOrgLogin::savedAliases() const
{
    QSettings s(m_dir->filePath(QStringLiteral("config/orgs.ini")), QSettings::IniFormat);
    s.beginGroup(QStringLiteral("orgs"));
    return s.childGroups();
}

// A refresh token for web-app, the way an admin would get one: code flow with PKCE by hand.
QString TestOrgLogin::obtainRefreshToken()
{
    const QByteArray verifier = QByteArray("forcescope-test-verifier-").repeated(3);
    const QByteArray challenge = QCryptographicHash::hash(verifier, QCryptographicHash::Sha256)
                                     .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const QString callback = QStringLiteral("http://127.0.0.1:%1/oauth/callback").arg(m_callbackPort);
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("response_type"), QStringLiteral("code"));
    q.addQueryItem(QStringLiteral("client_id"), QStringLiteral("web-app"));
    q.addQueryItem(QStringLiteral("redirect_uri"), QString::fromLatin1(QUrl::toPercentEncoding(callback)));
    q.addQueryItem(QStringLiteral("code_challenge"), QString::fromLatin1(challenge));
    q.addQueryItem(QStringLiteral("decision"), QStringLiteral("allow"));
    q.addQueryItem(QStringLiteral("username"), QStringLiteral("admin%40acme.test"));
    const fs::test::HttpResult approved = m_sim->send("POST", QStringLiteral("/services/oauth2/authorize"),
        q.query(QUrl::FullyEncoded).toLatin1(),
        { { QByteArray("Content-Type"), QByteArray("application/x-www-form-urlencoded") } }, false);
    if (approved.status != 302)
        return {};
    const QUrl location(QString::fromLatin1(approved.header("Location")));
    const QString code = QUrlQuery(location).queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    const fs::test::HttpResult token = m_sim->postForm(QStringLiteral("/services/oauth2/token"),
        { { QStringLiteral("grant_type"), QStringLiteral("authorization_code") }, { QStringLiteral("code"), code },
            { QStringLiteral("client_id"), QStringLiteral("web-app") }, { QStringLiteral("redirect_uri"), callback },
            { QStringLiteral("code_verifier"), QString::fromLatin1(verifier) } });
    const QString rt = token.json().object().value(QStringLiteral("refresh_token")).toString();
    m_secrets << rt << token.json().object().value(QStringLiteral("access_token")).toString();
    return rt;
}

void TestOrgLogin::browserLoginConnects()
{
    REQUIRE_KEYRING();
    QSignalSpy ready(m_window.get(), &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("web"), fs::AuthType::BrowserPkce);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("clientId")), QStringLiteral("web-app"));

    // First hold the browser back, to see the dialog waiting.
    m_browser->approve = false;
    clickConnect(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(m_browser->opened.size(), 1, 20000);
    const QUrl url = m_browser->opened.first();
    QCOMPARE(url.path(), QStringLiteral("/services/oauth2/authorize"));
    const QUrlQuery query(url);
    QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QStringLiteral("web-app"));
    QCOMPARE(query.queryItemValue(QStringLiteral("code_challenge_method")), QStringLiteral("S256"));
    QVERIFY(dialog->isBusy());
    QVERIFY2(dialog->statusText().contains(QStringLiteral("Waiting for the browser")), qPrintable(dialog->statusText()));
    QCOMPARE(dialog->findChild<QPushButton *>(QStringLiteral("cancelButton"))->text(), QStringLiteral("Cancel"));
    QCOMPARE(dialog->browserUrl(), url);
    shoot(dialog, QStringLiteral("orglogin-browser-waiting.png"));

    // Now the user signs in: the "browser" loads the page, approves and follows the redirect.
    m_browser->approve = true;
    m_browser->openUrl(url);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull() || !dialog->isVisible(), 20000);
    QCOMPARE(m_browser->pageStatus, 200);
    QVERIFY(m_browser->pageBody.contains("<form"));
    QCOMPARE(m_browser->loopbackStatus, 200);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QCOMPARE(m_window->session().alias, QStringLiteral("web"));
    QCOMPARE(m_window->session().organizationId, m_sim->sim().store().orgId());

    // The org appears in the switcher, selected.
    auto *switcher = m_window->findChild<QComboBox *>(QStringLiteral("orgSwitcher"));
    QTRY_VERIFY(switcher->findData(QStringLiteral("web")) >= 0);
    QCOMPARE(switcher->currentData().toString(), QStringLiteral("web"));
    QVERIFY(m_window->statusSummary().contains(QStringLiteral("web")));
    QVERIFY(savedAliases().contains(QStringLiteral("web")));
    shoot(m_window.get(), QStringLiteral("orglogin-after-browser.png"));

    // (The refresh token stays in the keychain. It is not read back here: QtKeychain jobs from the
    // GUI thread racing the engine thread's crashed once; the refresh-token case below feeds the
    // secret checks with a token the test minted itself.)
}

void TestOrgLogin::browserWaitCanBeCancelled()
{
    REQUIRE_KEYRING();
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("web-cancel"), fs::AuthType::BrowserPkce);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("clientId")), QStringLiteral("web-app"));
    m_browser->approve = false;
    clickConnect(dialog);
    QTRY_COMPARE_WITH_TIMEOUT(m_browser->opened.size(), 1, 20000);

    // The loopback listener is up while the dialog waits…
    const QUrl redirect(QUrlQuery(m_browser->opened.first()).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
    QCOMPARE(redirect.port(), int(m_callbackPort));
    {
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, m_callbackPort);
        QVERIFY(probe.waitForConnected(5000));
    }

    // …and Cancel stops it: the port refuses connections, the dialog stays open and says so.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QVERIFY(!dialog.isNull());
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isBusy());
    QVERIFY(dialog->errorText().contains(QStringLiteral("Cancelled")));
    QCOMPARE(dialog->findChild<QPushButton *>(QStringLiteral("cancelButton"))->text(), QStringLiteral("Close"));
    QTRY_VERIFY_WITH_TIMEOUT(
        [this] {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, m_callbackPort);
            return !probe.waitForConnected(2000);
        }(),
        20000);
    QVERIFY(!savedAliases().contains(QStringLiteral("web-cancel")));
    QVERIFY(m_window->session().alias != u"web-cancel");

    // A second Cancel closes the dialog.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("cancelButton")), Qt::LeftButton);
    QTRY_VERIFY(dialog.isNull());
}

void TestOrgLogin::jwtWithKeyChosenInDialog()
{
    REQUIRE_KEYRING();
    QSignalSpy ready(m_window.get(), &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("jwt"), fs::AuthType::JwtBearer);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("clientId")), QStringLiteral("jwt-app"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("username")), QStringLiteral("admin@acme.test"));

    // Choose the key through the dialog's own file picker.
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("browseKey")), Qt::LeftButton);
    QFileDialog *picker = nullptr;
    QTRY_VERIFY((picker = dialog->findChild<QFileDialog *>(QStringLiteral("keyFileDialog"))) && picker->isVisible());
    picker->selectFile(m_keyFile);
    static_cast<QDialog *>(picker)->accept(); // QFileDialog::accept is protected
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("keyFile"))->text(), m_keyFile);
    shoot(dialog, QStringLiteral("orglogin-jwt.png"));

    clickConnect(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull() || !dialog->isVisible(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QCOMPARE(m_window->session().alias, QStringLiteral("jwt"));
    QCOMPARE(m_window->session().organizationId, m_sim->sim().store().orgId());
    auto *switcher = m_window->findChild<QComboBox *>(QStringLiteral("orgSwitcher"));
    QTRY_VERIFY(switcher->findData(QStringLiteral("jwt")) >= 0);
    QVERIFY(savedAliases().contains(QStringLiteral("jwt")));
}

void TestOrgLogin::refreshTokenConnects()
{
    REQUIRE_KEYRING();
    const QString rt = obtainRefreshToken();
    QVERIFY(!rt.isEmpty());
    QSignalSpy ready(m_window.get(), &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("rt"), fs::AuthType::RefreshToken);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("clientId")), QStringLiteral("web-app"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("refreshToken")), rt);
    // The pasted token is masked on screen.
    QVERIFY(!visibleTexts(dialog).join(u'\n').contains(rt));
    shoot(dialog, QStringLiteral("orglogin-refresh-token.png"));
    clickConnect(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull() || !dialog->isVisible(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QCOMPARE(m_window->session().alias, QStringLiteral("rt"));
    QVERIFY(savedAliases().contains(QStringLiteral("rt")));
}

void TestOrgLogin::pastedTokenConnects()
{
    REQUIRE_KEYRING();
    const QString token = m_sim->sim().issueAccessToken(QStringLiteral("admin@acme.test"));
    m_secrets << token;
    QSignalSpy ready(m_window.get(), &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("pasted"), fs::AuthType::AccessToken);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("instanceUrl")), m_sim->baseUrl().toString());
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("accessToken")), token);
    clickConnect(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog.isNull() || !dialog->isVisible(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QCOMPARE(m_window->session().alias, QStringLiteral("pasted"));
    // Filled from userinfo: a pasted token carries no identity URL of its own.
    QCOMPARE(m_window->session().organizationId, m_sim->sim().store().orgId());
}

namespace {

double luminance(const QColor &c)
{
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF());
}

double contrast(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::LinkVisited, QColor(0xc3, 0x9b, 0xff));
    p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x40, 0x40));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Light, QColor(0x50, 0x50, 0x50));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace

// The main views after a real login, in the default (light) palette and a dark one: the schema
// dock gets a real share of the width, the usage chart real height, and the SOQL error squiggle
// a red derived from the palette that stands out from the editor's background in both.
void TestOrgLogin::viewsReadInLightAndDark()
{
    REQUIRE_KEYRING();
    QVERIFY(!m_window->session().alias.isEmpty());
    fs::ui::SchemaBrowserWidget *schema = m_window->schemaBrowser();
    QTRY_VERIFY_WITH_TIMEOUT(schema->objectView()->model()->rowCount() > 5, 20000);
    QSignalSpy shown(schema, &fs::ui::SchemaBrowserWidget::objectShown);
    schema->selectObject(QStringLiteral("Account"));
    QTRY_VERIFY_WITH_TIMEOUT(shown.size() >= 1, 20000);
    QVERIFY(schema->width() >= 300);
    // Both object columns get a fair share: neither is squeezed below 40 % of the view.
    const int objectsWidth = schema->objectView()->viewport()->width();
    QVERIFY(schema->objectView()->columnWidth(0) >= objectsWidth * 2 / 5);

    fs::ui::QueryTabWidget *tab = m_window->openQueryTab(QStringLiteral("SELECT Id, Name, NoSuchField__c FROM Account"));
    QSignalSpy finished(tab, &fs::ui::QueryTabWidget::queryFinished);
    tab->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QVERIFY(tab->editor()->hasError());
    m_window->refreshLimits();
    QTRY_VERIFY_WITH_TIMEOUT(m_window->limitsWidget()->samples() >= 2, 20000);
    auto *chart = m_window->limitsWidget()->findChild<QWidget *>(QStringLiteral("usageChart"));
    if (chart)
        QVERIFY2(chart->height() >= 200, qPrintable(QString::number(chart->height())));

    const QColor lightBase = tab->editor()->palette().color(QPalette::Base);
    const QColor lightError = tab->editor()->errorUnderlineColor();
    QVERIFY2(contrast(lightError, lightBase) >= 4.5, qPrintable(lightError.name()));
    QTest::qWait(100);
    shoot(m_window.get(), QStringLiteral("overview-light.png"));

    const QPalette before = QApplication::palette();
    const auto restore = qScopeGuard([before] { QApplication::setPalette(before); });
    QApplication::setPalette(darkPalette());
    QTRY_COMPARE(tab->editor()->palette().color(QPalette::Base), darkPalette().color(QPalette::Base));
    const QColor darkError = tab->editor()->errorUnderlineColor();
    QVERIFY2(contrast(darkError, darkPalette().color(QPalette::Base)) >= 4.5, qPrintable(darkError.name()));
    QVERIFY(darkError.lightness() > lightError.lightness());
    // The squiggle on screen follows the theme switch.
    bool recoloured = false;
    for (const QTextEdit::ExtraSelection &sel : tab->editor()->extraSelections())
        recoloured = recoloured || sel.format.underlineColor() == darkError;
    QVERIFY(recoloured);
    QTest::qWait(100);
    shoot(m_window.get(), QStringLiteral("overview-dark.png"));
}

void TestOrgLogin::errorsInPlainWords_data()
{
    QTest::addColumn<int>("authType");
    QTest::addColumn<QString>("clientId");
    QTest::addColumn<QString>("keyFile"); // "app", "other", "notakey" or empty
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("expected"); // part of the plain-words message
    const int jwt = int(fs::AuthType::JwtBearer);
    const int refresh = int(fs::AuthType::RefreshToken);
    const int pasted = int(fs::AuthType::AccessToken);
    QTest::addRow("jwt with a wrong client id") << jwt << QStringLiteral("no-such-app") << QStringLiteral("app") << QString()
                                                << QStringLiteral("does not know this client id");
    QTest::addRow("jwt key does not match the app") << jwt << QStringLiteral("jwt-app") << QStringLiteral("other") << QString()
                                                    << QStringLiteral("does not match the certificate");
    QTest::addRow("jwt file is not a key") << jwt << QStringLiteral("jwt-app") << QStringLiteral("notakey") << QString()
                                           << QStringLiteral("key file cannot be used");
    QTest::addRow("refresh token with a wrong client id") << refresh << QStringLiteral("no-such-app") << QString()
                                                          << QStringLiteral("5Aep8NotARealRefreshToken")
                                                          << QStringLiteral("does not know this client id");
    QTest::addRow("expired or revoked refresh token") << refresh << QStringLiteral("web-app") << QString()
                                                      << QStringLiteral("5Aep8NotARealRefreshToken")
                                                      << QStringLiteral("expired or was revoked");
    QTest::addRow("invalid pasted token") << pasted << QString() << QString() << QStringLiteral("00DNOTVALID!token")
                                          << QStringLiteral("did not accept the token");
}

void TestOrgLogin::errorsInPlainWords()
{
    QFETCH(int, authType);
    QFETCH(QString, clientId);
    QFETCH(QString, keyFile);
    QFETCH(QString, secret);
    QFETCH(QString, expected);
    if (!keyringExpected())
        QSKIP("covered in the keyring run; without D-Bus the keychain error may come first");
    const fs::OrgSession before = m_window->session();
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    const auto type = fs::AuthType(authType);
    fillCommon(dialog, QStringLiteral("broken"), type);
    if (!clientId.isEmpty())
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("clientId")), clientId);
    if (type == fs::AuthType::JwtBearer) {
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("username")), QStringLiteral("admin@acme.test"));
        const QString path = keyFile == u"app" ? m_keyFile : keyFile == u"other" ? m_wrongKeyFile : m_notAKeyFile;
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyFile")), path);
    } else if (type == fs::AuthType::RefreshToken) {
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("refreshToken")), secret);
    } else {
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("instanceUrl")), m_sim->baseUrl().toString());
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("accessToken")), secret);
    }
    clickConnect(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 20000);
    QVERIFY(dialog->isVisible()); // stays open for the user to correct
    QVERIFY2(dialog->errorText().contains(expected), qPrintable(dialog->errorText()));
    // Plain words: no raw OAuth codes.
    QVERIFY(!dialog->errorText().contains(QStringLiteral("invalid_")));
    if (!secret.isEmpty())
        QVERIFY(!visibleTexts(dialog).join(u'\n').contains(secret));
    QVERIFY(!savedAliases().contains(QStringLiteral("broken")));
    QCOMPARE(m_window->session().alias, before.alias);
    if (QString::fromLatin1(QTest::currentDataTag()) == u"jwt key does not match the app")
        shoot(dialog, QStringLiteral("orglogin-error.png"));
}

void TestOrgLogin::inputProblemsAreCaughtBeforeConnecting()
{
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    dialog->setAuthType(fs::AuthType::BrowserPkce);
    clickConnect(dialog);
    QVERIFY(!dialog->isBusy());
    QVERIFY(dialog->errorText().contains(QStringLiteral("alias")));
    fillCommon(dialog, QStringLiteral("x"), fs::AuthType::JwtBearer);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("clientId")), QStringLiteral("jwt-app"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("username")), QStringLiteral("admin@acme.test"));
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("keyFile")), m_dir->filePath(QStringLiteral("missing.pem")));
    clickConnect(dialog);
    QVERIFY(!dialog->isBusy());
    QVERIFY2(dialog->errorText().contains(QStringLiteral("cannot be read")), qPrintable(dialog->errorText()));
    QVERIFY(m_browser->opened.isEmpty());
}

void TestOrgLogin::noSecretInLogConfigOrWidgets()
{
    REQUIRE_KEYRING();
    m_secrets.removeAll(QString());
    QVERIFY(m_secrets.size() >= 4); // keys, refresh tokens, access tokens seen above

    // The log panel saw every request of the session; none carries a secret.
    fs::ui::RequestLogModel *log = m_window->logModel();
    QVERIFY(log->rowCount() > 0);
    QStringList logText;
    for (int r = 0; r < log->rowCount(); ++r) {
        for (int c = 0; c < log->columnCount(); ++c) {
            logText << log->index(r, c).data(Qt::DisplayRole).toString() << log->index(r, c).data(Qt::ToolTipRole).toString();
        }
    }
    // On screen: the window (and a dialog showing a pasted token) never show a secret.
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("shown"), fs::AuthType::AccessToken);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("accessToken")), m_secrets.last());
    const QString screen = visibleTexts(m_window.get()).join(u'\n') + visibleTexts(dialog).join(u'\n');
    shoot(m_window.get(), QStringLiteral("orglogin-window.png"));
    shoot(dialog, QStringLiteral("orglogin-dialog-pasted.png"));
    dialog->reject();

    // The settings/config dirs, the describe cache and the query store hold no secret.
    m_window->close(); // writes window state and the tab autosave
    QStringList dirs { m_dir->path() };
    for (auto loc : { QStandardPaths::AppConfigLocation, QStandardPaths::GenericConfigLocation, QStandardPaths::AppDataLocation,
             QStandardPaths::CacheLocation }) {
        dirs << QStandardPaths::writableLocation(loc);
    }
    for (const QString &secret : std::as_const(m_secrets)) {
        QVERIFY2(!logText.join(u'\n').contains(secret), "a secret is in the log panel");
        QVERIFY2(!screen.contains(secret), "a secret is visible on screen");
        for (const QString &dir : std::as_const(dirs)) {
            QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                if (path.startsWith(m_dir->filePath(QStringLiteral("keys"))))
                    continue; // the key files themselves
                QFile f(path);
                QVERIFY(f.open(QIODevice::ReadOnly));
                QVERIFY2(!f.readAll().contains(secret.toUtf8()), qPrintable(QStringLiteral("secret found in ") + path));
            }
        }
    }
    m_window->show();
}

void TestOrgLogin::keychainUnavailableIsExplained()
{
    if (keyringExpected())
        QSKIP("runs as orglogin_nokeyring, without D-Bus");
    const QString token = m_sim->sim().issueAccessToken(QStringLiteral("admin@acme.test"));
    QPointer<fs::ui::OrgDialog> dialog = openDialog();
    QVERIFY(dialog);
    fillCommon(dialog, QStringLiteral("nokeychain"), fs::AuthType::AccessToken);
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("instanceUrl")), m_sim->baseUrl().toString());
    QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("accessToken")), token);
    clickConnect(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), 30000);
    QVERIFY2(dialog->errorText().contains(QStringLiteral("keychain is locked or not available")), qPrintable(dialog->errorText()));
    QVERIFY(!dialog->errorText().contains(token));
    QVERIFY(!savedAliases().contains(QStringLiteral("nokeychain")));
    QVERIFY(m_window->session().alias.isEmpty());
    shoot(dialog, QStringLiteral("orglogin-no-keychain.png"));
}

QTEST_MAIN(TestOrgLogin)
#include "tst_orglogin.moc"
