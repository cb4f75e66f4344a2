// The new-org dialog driven for real: MainWindow + OrgDialog on the GUI thread, the Engine on its
// own thread (EngineHost), the in-process simulated org on 127.0.0.1:0. Covers browser login with
// PKCE (the test plays the browser through a QDesktopServices URL handler, so no real browser
// opens), JWT with a key chosen in the dialog's file picker, refresh token, failures in plain
// words, and that no token or key ends up in the log panel, the config dirs or the widgets.
//
// Runs four times, FS_KEYRING_EXPECTED naming the keychain each run has (each mode skips the
// others' cases):
//   (unset)  orglogin: tests/support/with-keyring.sh, private D-Bus + unlocked gnome-keyring;
//   absent   orglogin_nokeyring: no D-Bus at all, "keychain unavailable";
//   locked   orglogin_lockedkeyring: with-locked-keyring.sh, the login collection locked and no
//            unlock prompt possible (no display), so writes fail at once;
//   prompt   orglogin_keychainprompt: locked, and gnome-keyring's unlock prompt opens on a
//            private Xvfb display and waits for a password nobody types.
// The simulator, engine thread and window come from tests/support/appfixture.h.
#include "appfixture.h"
#include "authtestkit.h"
#include "store/store.h"

#include "auth/secretstore.h"

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
#include <QElapsedTimer>
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

namespace {

QString keyringMode()
{
    return qEnvironmentVariable("FS_KEYRING_EXPECTED");
}

// An unlocked keyring: the success paths can keep their secrets.
bool keyringExpected()
{
    return keyringMode().isEmpty();
}

// How long the prompt run lets a keychain job wait before the engine gives up.
constexpr int kPromptTimeoutMs = 4000;

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
    void lockedKeychainIsExplained_data();
    void lockedKeychainIsExplained();
    void unansweredUnlockPromptTimesOut();

private:
    fs::ui::OrgDialog *openDialog(const fs::test::OrgForm &form = {});
    // Opens a browser login for web-app and presses Connect with the fake browser holding back.
    fs::ui::OrgDialog *startHeldBrowserLogin(const QString &alias);
    QString obtainRefreshToken();
    void shoot(QWidget *w, const QString &name);
    QStringList visibleTexts(QWidget *root) const;
    QStringList savedAliases() const { return m_app.savedAliases(); }
    // A login that cannot keep its token: the dialog says so in plain words, nothing is saved.
    void expectLoginRefused(const fs::test::OrgForm &form, const QString &secret, const QString &expected, int timeoutMs);

    fs::test::AppFixture m_app;
    fs::test::SimulatorFixture *m_sim = nullptr;
    fs::ui::MainWindow *m_window = nullptr;
    std::unique_ptr<FakeBrowser> m_browser;
    fs::test::PemKeyPair m_appKey;
    QString m_keyFile;
    QString m_wrongKeyFile;
    QString m_notAKeyFile;
    quint16 m_callbackPort = 0;
    QString m_service = QStringLiteral("forcescope-orglogin-%1").arg(QCoreApplication::applicationPid());
    QStringList m_secrets; // every token and key text the test saw: must never show up anywhere
};

void TestOrgLogin::initTestCase()
{
    // Bounds every keychain job of the engine created below (the prompt run waits on purpose).
    if (keyringMode() == u"prompt")
        fs::engine::SecretStore::setDefaultTimeoutMs(kPromptTimeoutMs);
    m_callbackPort = fs::test::freeLoopbackPort();
    fs::test::AppFixture::Options options;
    options.config.credentials.callbackPort = m_callbackPort;
    options.config.resilience.retry.baseDelayMs = 5;
    options.config.resilience.retry.maxDelayMs = 20;
    options.keychainService = m_service;
    QString error;
    QVERIFY2(m_app.start(options, &error), qPrintable(error));
    m_sim = &m_app.sim();
    m_window = m_app.window();
    QVERIFY(!m_sim->sim().registerUser(QStringLiteral("admin@acme.test")).isEmpty());

    m_appKey = fs::test::makePemKeyPair("forcescope-ui-test");
    const fs::test::PemKeyPair other = fs::test::makePemKeyPair("forcescope-ui-test");
    m_keyFile = m_app.path(QStringLiteral("keys/app.pem"));
    m_wrongKeyFile = m_app.path(QStringLiteral("keys/other.pem"));
    m_notAKeyFile = m_app.path(QStringLiteral("keys/notes.pem"));
    QVERIFY(fs::test::writeFile(m_keyFile, m_appKey.keyPem));
    QVERIFY(fs::test::writeFile(m_wrongKeyFile, other.keyPem));
    QVERIFY(fs::test::writeFile(m_notAKeyFile, QByteArray("this is not a key\n")));
    // A line from the middle of each key: enough to recognise it anywhere.
    m_secrets << QString::fromLatin1(m_appKey.keyPem.split('\n').value(5)) << QString::fromLatin1(other.keyPem.split('\n').value(5));

    const QString callback = QStringLiteral("http://127.0.0.1:%1/oauth/callback").arg(m_callbackPort);
    m_sim->sim().registerConnectedApp(QStringLiteral("web-app"), {}, { callback });
    m_sim->sim().registerConnectedApp(QStringLiteral("jwt-app"), m_appKey.certPem, {});
    m_sim->sim().registerUser(QStringLiteral("admin@acme.test")); // pre-authorise for the new apps

    // Every http(s) URL the app opens lands here instead of a real browser.
    m_browser = std::make_unique<FakeBrowser>();
    QDesktopServices::setUrlHandler(QStringLiteral("http"), m_browser.get(), "openUrl");
    QDesktopServices::setUrlHandler(QStringLiteral("https"), m_browser.get(), "openUrl");
}

void TestOrgLogin::cleanupTestCase()
{
    QDesktopServices::unsetUrlHandler(QStringLiteral("http"));
    QDesktopServices::unsetUrlHandler(QStringLiteral("https"));
    m_app.stop();
    m_browser.reset();
}

void TestOrgLogin::init()
{
    m_browser->approve = true;
    m_browser->opened.clear();
}

void TestOrgLogin::cleanup()
{
    // A dialog left open by a failed case must not leak into the next one.
    QVERIFY(m_app.closeOrgDialogs());
}

fs::ui::OrgDialog *TestOrgLogin::openDialog(const fs::test::OrgForm &form)
{
    if (form.alias.isEmpty()) { // just open it
        m_window->newOrg();
        auto *dialog = m_window->findChild<fs::ui::OrgDialog *>();
        return dialog && QTest::qWaitForWindowExposed(dialog) ? dialog : nullptr;
    }
    return m_app.openOrgDialog(form);
}

fs::ui::OrgDialog *TestOrgLogin::startHeldBrowserLogin(const QString &alias)
{
    fs::ui::OrgDialog *dialog
        = openDialog({ .alias = alias, .type = fs::AuthType::BrowserPkce, .clientId = QStringLiteral("web-app") });
    if (dialog) {
        m_browser->approve = false;
        fs::test::AppFixture::clickConnect(dialog);
    }
    return dialog;
}

void TestOrgLogin::shoot(QWidget *w, const QString &name)
{
    QVERIFY(fs::test::AppFixture::shoot(w, name));
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
    QSignalSpy ready(m_window, &fs::ui::MainWindow::sessionReady);
    // First hold the browser back, to see the dialog waiting.
    QPointer<fs::ui::OrgDialog> dialog = startHeldBrowserLogin(QStringLiteral("web"));
    QVERIFY(dialog);
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
    shoot(m_window, QStringLiteral("orglogin-after-browser.png"));

    // (The refresh token stays in the keychain. It is not read back here: QtKeychain jobs from the
    // GUI thread racing the engine thread's crashed once; the refresh-token case below feeds the
    // secret checks with a token the test minted itself.)
}

void TestOrgLogin::browserWaitCanBeCancelled()
{
    REQUIRE_KEYRING();
    QPointer<fs::ui::OrgDialog> dialog = startHeldBrowserLogin(QStringLiteral("web-cancel"));
    QVERIFY(dialog);
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
    fs::test::AppFixture::click(dialog, QStringLiteral("cancelButton"));
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
    fs::test::AppFixture::click(dialog, QStringLiteral("cancelButton"));
    QTRY_VERIFY(dialog.isNull());
}

void TestOrgLogin::jwtWithKeyChosenInDialog()
{
    REQUIRE_KEYRING();
    QSignalSpy ready(m_window, &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog({ .alias = QStringLiteral("jwt"), .type = fs::AuthType::JwtBearer,
        .clientId = QStringLiteral("jwt-app"), .username = QStringLiteral("admin@acme.test") });
    QVERIFY(dialog);

    // Choose the key through the dialog's own file picker.
    fs::test::AppFixture::click(dialog, QStringLiteral("browseKey"));
    QFileDialog *picker = nullptr;
    QTRY_VERIFY((picker = dialog->findChild<QFileDialog *>(QStringLiteral("keyFileDialog"))) && picker->isVisible());
    picker->selectFile(m_keyFile);
    static_cast<QDialog *>(picker)->accept(); // QFileDialog::accept is protected
    QCOMPARE(dialog->findChild<QLineEdit *>(QStringLiteral("keyFile"))->text(), m_keyFile);
    shoot(dialog, QStringLiteral("orglogin-jwt.png"));

    const QString problem = m_app.connectAndWait(dialog, QStringLiteral("jwt"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
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
    QSignalSpy ready(m_window, &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog({ .alias = QStringLiteral("rt"), .type = fs::AuthType::RefreshToken,
        .clientId = QStringLiteral("web-app"), .refreshToken = rt });
    QVERIFY(dialog);
    // The pasted token is masked on screen.
    QVERIFY(!visibleTexts(dialog).join(u'\n').contains(rt));
    shoot(dialog, QStringLiteral("orglogin-refresh-token.png"));
    const QString problem = m_app.connectAndWait(dialog, QStringLiteral("rt"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QCOMPARE(m_window->session().alias, QStringLiteral("rt"));
    QVERIFY(savedAliases().contains(QStringLiteral("rt")));
}

void TestOrgLogin::pastedTokenConnects()
{
    REQUIRE_KEYRING();
    const QString token = m_sim->sim().issueAccessToken(QStringLiteral("admin@acme.test"));
    m_secrets << token;
    QSignalSpy ready(m_window, &fs::ui::MainWindow::sessionReady);
    QPointer<fs::ui::OrgDialog> dialog = openDialog({ .alias = QStringLiteral("pasted"), .type = fs::AuthType::AccessToken,
        .instanceUrl = m_sim->baseUrl().toString(), .accessToken = token });
    QVERIFY(dialog);
    const QString problem = m_app.connectAndWait(dialog, QStringLiteral("pasted"));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
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
    shoot(m_window, QStringLiteral("overview-light.png"));

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
    shoot(m_window, QStringLiteral("overview-dark.png"));
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
    const auto type = fs::AuthType(authType);
    fs::test::OrgForm form { .alias = QStringLiteral("broken"), .type = type, .clientId = clientId };
    if (type == fs::AuthType::JwtBearer) {
        form.username = QStringLiteral("admin@acme.test");
        form.keyFile = keyFile == u"app" ? m_keyFile : keyFile == u"other" ? m_wrongKeyFile : m_notAKeyFile;
    } else if (type == fs::AuthType::RefreshToken) {
        form.refreshToken = secret;
    } else {
        form.instanceUrl = m_sim->baseUrl().toString();
        form.accessToken = secret;
    }
    QPointer<fs::ui::OrgDialog> dialog = openDialog(form);
    QVERIFY(dialog);
    fs::test::AppFixture::clickConnect(dialog);
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
    fs::test::AppFixture::clickConnect(dialog);
    QVERIFY(!dialog->isBusy());
    QVERIFY(dialog->errorText().contains(QStringLiteral("alias")));
    m_app.fill(dialog, { .alias = QStringLiteral("x"), .type = fs::AuthType::JwtBearer, .clientId = QStringLiteral("jwt-app"),
        .username = QStringLiteral("admin@acme.test"), .keyFile = m_app.path(QStringLiteral("missing.pem")) });
    fs::test::AppFixture::clickConnect(dialog);
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
    QPointer<fs::ui::OrgDialog> dialog
        = openDialog({ .alias = QStringLiteral("shown"), .type = fs::AuthType::AccessToken, .accessToken = m_secrets.last() });
    QVERIFY(dialog);
    const QString screen = visibleTexts(m_window).join(u'\n') + visibleTexts(dialog).join(u'\n');
    shoot(m_window, QStringLiteral("orglogin-window.png"));
    shoot(dialog, QStringLiteral("orglogin-dialog-pasted.png"));
    dialog->reject();

    // The settings/config dirs, the describe cache and the query store hold no secret.
    m_window->close(); // writes window state and the tab autosave
    QStringList dirs { m_app.path(QString()) };
    for (auto loc : { QStandardPaths::AppConfigLocation, QStandardPaths::GenericConfigLocation, QStandardPaths::AppDataLocation,
             QStandardPaths::CacheLocation }) {
        dirs << QStandardPaths::writableLocation(loc);
    }
    for (const QString &secret : std::as_const(m_secrets)) {
        QVERIFY2(!logText.join(u'\n').contains(secret), "a secret is in the log panel");
        QVERIFY2(!screen.contains(secret), "a secret is visible on screen");
        for (const QString &dir : std::as_const(dirs)) {
            for (const QString &path : fs::test::filesContaining(dir, secret)) {
                // The key files themselves hold the key, of course.
                QVERIFY2(path.startsWith(m_app.path(QStringLiteral("keys"))), qPrintable(QStringLiteral("secret found in ") + path));
            }
        }
    }
    m_window->show();
}

// Connects with `form`, whose token the keychain will not take: the dialog stays open with
// `expected` in plain words, and neither the token nor the profile lands anywhere on disk.
void TestOrgLogin::expectLoginRefused(const fs::test::OrgForm &form, const QString &secret, const QString &expected, int timeoutMs)
{
    QPointer<fs::ui::OrgDialog> dialog = openDialog(form);
    QVERIFY(dialog);
    fs::test::AppFixture::clickConnect(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isBusy(), timeoutMs);
    QVERIFY(dialog->isVisible()); // stays open: the user can unlock and press Connect again
    QVERIFY2(dialog->errorText().contains(expected), qPrintable(dialog->errorText()));
    QVERIFY(!dialog->errorText().contains(secret));
    QVERIFY(!visibleTexts(dialog).join(u'\n').contains(secret));
    QVERIFY(!savedAliases().contains(form.alias));
    QVERIFY(m_window->session().alias.isEmpty());
    // Not half-saved: no profile, no token, not even the alias in any settings or cache file.
    QStringList dirs { m_app.path(QString()) };
    for (auto loc : { QStandardPaths::AppConfigLocation, QStandardPaths::GenericConfigLocation, QStandardPaths::AppDataLocation,
             QStandardPaths::CacheLocation }) {
        dirs << QStandardPaths::writableLocation(loc);
    }
    for (const QString &dir : std::as_const(dirs)) {
        const QStringList hits = fs::test::filesContaining(dir, secret) + fs::test::filesContaining(dir, form.alias);
        QVERIFY2(hits.isEmpty(), qPrintable(hits.join(u',')));
    }
    shoot(dialog, QStringLiteral("orglogin-%1.png").arg(form.alias));
}

void TestOrgLogin::keychainUnavailableIsExplained()
{
    if (keyringMode() != u"absent")
        QSKIP("runs as orglogin_nokeyring, without D-Bus");
    const QString token = m_sim->sim().issueAccessToken(QStringLiteral("admin@acme.test"));
    expectLoginRefused({ .alias = QStringLiteral("no-keychain"), .type = fs::AuthType::AccessToken,
                           .instanceUrl = m_sim->baseUrl().toString(), .accessToken = token },
        token, QStringLiteral("keychain is locked or not available"), 30000);
}

void TestOrgLogin::lockedKeychainIsExplained_data()
{
    QTest::addColumn<int>("authType");
    QTest::addRow("pasted access token") << int(fs::AuthType::AccessToken);
    QTest::addRow("refresh token") << int(fs::AuthType::RefreshToken);
}

// The keyring runs but its collection is locked, and no unlock prompt can be shown (no display):
// QtKeychain's write fails at once with AccessDenied ("Cannot create an item in a locked
// collection"), which the engine reports as KEYCHAIN_LOCKED.
void TestOrgLogin::lockedKeychainIsExplained()
{
    QFETCH(int, authType);
    if (keyringMode() != u"locked")
        QSKIP("runs as orglogin_lockedkeyring, with the login collection locked");
    const auto type = fs::AuthType(authType);
    fs::test::OrgForm form { .alias = QStringLiteral("locked-%1").arg(authType), .type = type };
    QString secret;
    if (type == fs::AuthType::RefreshToken) {
        secret = obtainRefreshToken();
        QVERIFY(!secret.isEmpty());
        form.clientId = QStringLiteral("web-app");
        form.refreshToken = secret;
    } else {
        secret = m_sim->sim().issueAccessToken(QStringLiteral("admin@acme.test"));
        form.instanceUrl = m_sim->baseUrl().toString();
        form.accessToken = secret;
    }
    expectLoginRefused(form, secret, QStringLiteral("The keychain is locked: unlock it"), 30000);
}

// Locked, and gnome-keyring's unlock prompt really opens (on a private Xvfb display) and waits
// for a password nobody types: the QtKeychain job never finishes by itself. The engine gives up
// after the keychain timeout (shortened for this run) and says why.
void TestOrgLogin::unansweredUnlockPromptTimesOut()
{
    if (keyringMode() != u"prompt")
        QSKIP("runs as orglogin_keychainprompt, with an unlock prompt nobody answers");
    const QString token = m_sim->sim().issueAccessToken(QStringLiteral("admin@acme.test"));
    QElapsedTimer clock;
    clock.start();
    expectLoginRefused({ .alias = QStringLiteral("prompt-waits"), .type = fs::AuthType::AccessToken,
                           .instanceUrl = m_sim->baseUrl().toString(), .accessToken = token },
        token, QStringLiteral("The keychain did not answer in time"), kPromptTimeoutMs + 20000);
    QVERIFY2(clock.elapsed() >= kPromptTimeoutMs - 100, qPrintable(QString::number(clock.elapsed())));
}

QTEST_MAIN(TestOrgLogin)
#include "tst_orglogin.moc"
