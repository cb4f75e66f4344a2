#include "orgdialog.h"

#include "shell/themecolors.h"

#include "api/engineclient.h"
#include "api/engineerror.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace fs::ui {

namespace {
    // Page order in m_pages follows the auth combo's order.
    int pageFor(fs::AuthType type)
    {
        switch (type) {
        case fs::AuthType::BrowserPkce:
            return 0;
        case fs::AuthType::JwtBearer:
            return 1;
        case fs::AuthType::RefreshToken:
            return 2;
        case fs::AuthType::AccessToken:
            return 3;
        }
        return 0;
    }
} // namespace

OrgDialog::OrgDialog(QWidget *parent)
    : OrgDialog(nullptr, parent)
{
}

OrgDialog::OrgDialog(fs::EngineClient *client, QWidget *parent)
    : QDialog(parent)
    , m_client(client)
{
    build();
    if (m_client) {
        connect(m_client, &fs::EngineClient::openUrlRequested, this, &OrgDialog::onOpenUrl);
        connect(m_client, &fs::EngineClient::connected, this, &OrgDialog::onConnected);
        connect(m_client, &fs::EngineClient::requestFailed, this, &OrgDialog::onFailed);
    }
}

OrgDialog::~OrgDialog()
{
    // Closing the window mid-login must not leave a loopback listener behind.
    if (m_client && m_request != 0)
        m_client->cancel(m_request);
}

void OrgDialog::build()
{
    setObjectName(QStringLiteral("OrgDialog"));
    setWindowTitle(tr("Connect to an org"));
    auto *layout = new QVBoxLayout(this);

    m_inputs = new QWidget(this);
    auto *inputsLayout = new QVBoxLayout(m_inputs);
    inputsLayout->setContentsMargins(0, 0, 0, 0);
    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_alias = new QLineEdit(m_inputs);
    m_alias->setObjectName(QStringLiteral("alias"));
    m_alias->setPlaceholderText(tr("e.g. prod, uat, my-dev"));
    form->addRow(tr("&Alias:"), m_alias);
    m_loginUrl = new QComboBox(m_inputs);
    m_loginUrl->setObjectName(QStringLiteral("loginUrl"));
    m_loginUrl->setEditable(true);
    m_loginUrl->addItems({ QStringLiteral("https://login.salesforce.com"), QStringLiteral("https://test.salesforce.com") });
    m_loginUrl->setToolTip(tr("Production, sandbox, or your My Domain URL"));
    form->addRow(tr("&Login URL:"), m_loginUrl);
    m_auth = new QComboBox(m_inputs);
    m_auth->setObjectName(QStringLiteral("authType"));
    m_auth->addItem(tr("Browser login (recommended)"), int(fs::AuthType::BrowserPkce));
    m_auth->addItem(tr("JWT bearer (key file)"), int(fs::AuthType::JwtBearer));
    m_auth->addItem(tr("Refresh token"), int(fs::AuthType::RefreshToken));
    m_auth->addItem(tr("Pasted access token"), int(fs::AuthType::AccessToken));
    form->addRow(tr("&Sign in with:"), m_auth);
    m_clientId = new QLineEdit(m_inputs);
    m_clientId->setObjectName(QStringLiteral("clientId"));
    m_clientId->setPlaceholderText(tr("Connected app consumer key"));
    form->addRow(tr("&Client id:"), m_clientId);
    m_username = new QLineEdit(m_inputs);
    m_username->setObjectName(QStringLiteral("username"));
    m_username->setPlaceholderText(tr("user@example.com"));
    form->addRow(tr("&Username:"), m_username);
    inputsLayout->addLayout(form);

    m_pages = new QStackedWidget(m_inputs);
    auto *browser = new QLabel(tr("Your browser opens the org's login page; Forcescope listens on a "
                                  "loopback port for the answer and keeps the refresh token in the system keychain."),
        m_pages);
    browser->setWordWrap(true);
    m_pages->addWidget(browser);

    auto *jwt = new QWidget(m_pages);
    auto *jl = new QHBoxLayout(jwt);
    jl->setContentsMargins(0, 0, 0, 0);
    m_keyFile = new QLineEdit(jwt);
    m_keyFile->setObjectName(QStringLiteral("keyFile"));
    m_keyFile->setPlaceholderText(tr("Private key (PEM) of the connected app's certificate"));
    m_browseKey = new QPushButton(tr("Browse…"), jwt);
    m_browseKey->setObjectName(QStringLiteral("browseKey"));
    connect(m_browseKey, &QPushButton::clicked, this, &OrgDialog::pickKeyFile);
    jl->addWidget(m_keyFile, 1);
    jl->addWidget(m_browseKey);
    m_pages->addWidget(jwt);

    m_refreshToken = new QLineEdit(m_pages);
    m_refreshToken->setObjectName(QStringLiteral("refreshToken"));
    m_refreshToken->setEchoMode(QLineEdit::Password);
    m_refreshToken->setPlaceholderText(tr("Refresh token (kept in the system keychain)"));
    m_pages->addWidget(m_refreshToken);

    auto *pasted = new QWidget(m_pages);
    auto *pf = new QFormLayout(pasted);
    pf->setContentsMargins(0, 0, 0, 0);
    m_instanceUrl = new QLineEdit(pasted);
    m_instanceUrl->setObjectName(QStringLiteral("instanceUrl"));
    m_instanceUrl->setPlaceholderText(QStringLiteral("https://yourdomain.my.salesforce.com"));
    m_accessToken = new QLineEdit(pasted);
    m_accessToken->setObjectName(QStringLiteral("accessToken"));
    m_accessToken->setEchoMode(QLineEdit::Password);
    m_accessToken->setPlaceholderText(tr("Session id / access token"));
    pf->addRow(tr("Instance URL:"), m_instanceUrl);
    pf->addRow(tr("Token:"), m_accessToken);
    m_pages->addWidget(pasted);
    inputsLayout->addWidget(m_pages);
    layout->addWidget(m_inputs);

    // Progress while the engine works: a sentence, and for browser login the address (no
    // secret: client id, PKCE challenge and state) in case no browser came up.
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("orgDialogStatus"));
    m_status->setWordWrap(true);
    m_status->hide();
    layout->addWidget(m_status);
    m_link = new QLineEdit(this);
    m_link->setObjectName(QStringLiteral("browserLink"));
    m_link->setReadOnly(true);
    m_link->setToolTip(tr("If no browser window opened, open this address yourself"));
    m_link->hide();
    layout->addWidget(m_link);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("orgDialogError"));
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, ThemeColors::error(errorPalette));
    m_error->setPalette(errorPalette);
    layout->addWidget(m_error);
    layout->addStretch(1);

    auto *buttons = new QDialogButtonBox(this);
    m_connect = buttons->addButton(tr("Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setObjectName(QStringLiteral("connectButton"));
    m_connect->setDefault(true);
    m_cancel = buttons->addButton(QDialogButtonBox::Cancel);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(buttons, &QDialogButtonBox::accepted, this, &OrgDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &OrgDialog::reject);
    layout->addWidget(buttons);

    // Only the rows the chosen way in needs.
    auto showRows = [this, form] {
        const auto type = fs::AuthType(m_auth->currentData().toInt());
        m_pages->setCurrentIndex(pageFor(type));
        form->setRowVisible(m_clientId, type != fs::AuthType::AccessToken);
        form->setRowVisible(m_username, type == fs::AuthType::JwtBearer);
        form->setRowVisible(m_loginUrl, type != fs::AuthType::AccessToken);
        m_error->clear();
    };
    connect(m_auth, &QComboBox::currentIndexChanged, this, showRows);
    showRows();
    resize(560, 340);
}

void OrgDialog::changeEvent(QEvent *event)
{
    QDialog::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_error) {
        // Light/dark switch: keep the error sentence readable on the new background.
        QPalette errorPalette = palette();
        errorPalette.setColor(QPalette::WindowText, ThemeColors::error(errorPalette));
        m_error->setPalette(errorPalette);
    }
}

void OrgDialog::setAuthType(fs::AuthType type)
{
    m_auth->setCurrentIndex(m_auth->findData(int(type)));
}

fs::OrgProfile OrgDialog::profile() const
{
    fs::OrgProfile p;
    p.alias = m_alias->text().trimmed();
    p.loginUrl = QUrl(m_loginUrl->currentText().trimmed());
    p.authType = fs::AuthType(m_auth->currentData().toInt());
    if (p.authType != fs::AuthType::AccessToken)
        p.clientId = m_clientId->text().trimmed();
    if (p.authType == fs::AuthType::JwtBearer) {
        p.username = m_username->text().trimmed();
        p.keyFile = m_keyFile->text().trimmed();
    }
    if (p.authType == fs::AuthType::AccessToken)
        p.instanceUrl = QUrl(m_instanceUrl->text().trimmed());
    return p;
}

QString OrgDialog::secret() const
{
    switch (fs::AuthType(m_auth->currentData().toInt())) {
    case fs::AuthType::RefreshToken:
        return m_refreshToken->text().trimmed();
    case fs::AuthType::AccessToken:
        return m_accessToken->text().trimmed();
    default:
        return {};
    }
}

QString OrgDialog::validationError() const
{
    const fs::OrgProfile p = profile();
    if (p.alias.isEmpty())
        return tr("Give the org an alias.");
    const QUrl login = p.loginUrl;
    if (p.authType != fs::AuthType::AccessToken && (!login.isValid() || login.host().isEmpty()))
        return tr("The login URL is not a valid address.");
    switch (p.authType) {
    case fs::AuthType::BrowserPkce:
        if (p.clientId.isEmpty())
            return tr("Enter the connected app's client id (consumer key).");
        break;
    case fs::AuthType::JwtBearer:
        if (p.clientId.isEmpty() || p.username.isEmpty())
            return tr("JWT login needs the client id and the username.");
        if (p.keyFile.isEmpty())
            return tr("Choose the private key file (Browse…).");
        if (!QFileInfo(p.keyFile).isReadable())
            return tr("The key file %1 cannot be read.").arg(QFileInfo(p.keyFile).fileName());
        break;
    case fs::AuthType::RefreshToken:
        if (p.clientId.isEmpty())
            return tr("Enter the client id of the connected app that issued the refresh token.");
        if (secret().isEmpty())
            return tr("Paste the refresh token.");
        break;
    case fs::AuthType::AccessToken:
        if (!p.instanceUrl.isValid() || p.instanceUrl.host().isEmpty())
            return tr("Enter the org's instance URL.");
        if (secret().isEmpty())
            return tr("Paste the access token.");
        break;
    }
    return {};
}

QString OrgDialog::errorText() const
{
    return m_error->text();
}

QString OrgDialog::statusText() const
{
    return m_status->isHidden() ? QString() : m_status->text();
}

void OrgDialog::pickKeyFile()
{
    // Non-blocking (open(), not exec()): the window keeps painting and tests can drive it.
    if (!m_keyDialog) {
        m_keyDialog = new QFileDialog(this, tr("Private key"));
        m_keyDialog->setObjectName(QStringLiteral("keyFileDialog"));
        m_keyDialog->setFileMode(QFileDialog::ExistingFile);
        m_keyDialog->setNameFilters({ tr("PEM keys (*.pem *.key)"), tr("All files (*)") });
        connect(m_keyDialog, &QFileDialog::fileSelected, this, [this](const QString &file) {
            if (!file.isEmpty()) {
                m_keyFile->setText(file);
                m_error->clear();
            }
        });
    }
    const QFileInfo current(m_keyFile->text().trimmed());
    if (current.exists())
        m_keyDialog->setDirectory(current.absolutePath());
    m_keyDialog->open();
}

void OrgDialog::accept()
{
    if (isBusy())
        return;
    const QString error = validationError();
    if (!error.isEmpty()) {
        m_error->setText(error);
        return;
    }
    m_error->clear();
    if (!m_client) {
        QDialog::accept();
        return;
    }
    startLogin();
}

void OrgDialog::reject()
{
    if (isBusy()) {
        cancelLogin();
        return;
    }
    QDialog::reject();
}

void OrgDialog::startLogin()
{
    const fs::OrgProfile p = profile();
    m_requestType = p.authType;
    m_browserUrl.clear();
    // The profile is saved by the engine once the login works: a failed attempt leaves nothing.
    switch (p.authType) {
    case fs::AuthType::BrowserPkce:
        m_request = m_client->loginWithBrowser(p);
        setBusy(true, tr("Starting the browser login…"));
        break;
    case fs::AuthType::JwtBearer:
        m_request = m_client->loginWithJwt(p);
        setBusy(true, tr("Signing in with the key file…"));
        break;
    case fs::AuthType::RefreshToken:
        m_request = m_client->loginWithRefreshToken(p, secret());
        setBusy(true, tr("Signing in with the refresh token…"));
        break;
    case fs::AuthType::AccessToken:
        m_request = m_client->loginWithAccessToken(p, secret());
        setBusy(true, tr("Checking the access token…"));
        break;
    }
}

void OrgDialog::cancelLogin()
{
    if (!isBusy())
        return;
    // The engine stops the loopback listener of a browser login; other logins are short and
    // their answer is simply ignored.
    m_client->cancel(m_request);
    m_request = 0;
    setBusy(false);
    m_error->setText(tr("Cancelled. Nothing was saved."));
}

void OrgDialog::setBusy(bool busy, const QString &status)
{
    m_inputs->setEnabled(!busy);
    m_connect->setEnabled(!busy);
    m_cancel->setText(busy ? tr("Cancel") : tr("Close"));
    m_status->setText(status);
    m_status->setVisible(busy && !status.isEmpty());
    if (!busy) {
        m_link->clear();
        m_link->hide();
        m_browserUrl.clear();
    }
}

void OrgDialog::onOpenUrl(const QUrl &url)
{
    // Only the dialog that started a browser login answers (one runs at a time in the engine).
    if (!isBusy() || m_requestType != fs::AuthType::BrowserPkce)
        return;
    m_browserUrl = url;
    m_link->setText(url.toString(QUrl::FullyEncoded));
    m_link->setCursorPosition(0);
    m_link->show();
    if (QDesktopServices::openUrl(url)) {
        setBusy(true, tr("Waiting for the browser… Finish signing in there, or press Cancel."));
    } else {
        setBusy(true, tr("No browser could be started. Open the address below in a browser and sign in, "
                         "or press Cancel."));
    }
}

void OrgDialog::onConnected(fs::RequestId id, const fs::OrgSession &session)
{
    if (id == 0 || id != m_request)
        return;
    m_request = 0;
    m_session = session;
    setBusy(false);
    Q_EMIT loggedIn(session);
    QDialog::accept();
}

void OrgDialog::onFailed(fs::RequestId id, const fs::EngineError &error)
{
    if (id == 0 || id != m_request)
        return;
    m_request = 0;
    setBusy(false);
    m_error->setText(plainConnectError(error));
}

QString plainConnectError(const fs::EngineError &e)
{
    const QString code = e.errorCode.toLower();
    const QString text = (e.message + u' ' + e.detail).toLower();
    if (code == u"invalid_client_id" || code == u"invalid_client")
        return QObject::tr("The org does not know this client id: check the connected app's consumer key.");
    if (code == u"invalid_grant") {
        if (text.contains(QStringLiteral("assertion")))
            return QObject::tr("The org refused the key: it does not match the certificate of the connected app, "
                               "or that certificate has expired.");
        if (text.contains(QStringLiteral("audience")))
            return QObject::tr("The login URL does not fit this org: use login.salesforce.com, test.salesforce.com "
                               "or the org's My Domain address.");
        if (text.contains(QStringLiteral("approved")))
            return QObject::tr("This user is not approved for the connected app: pre-authorise the user's profile, "
                               "or sign in through the browser once.");
        if (text.contains(QStringLiteral("expired")))
            return QObject::tr("The login was refused because the token or key has expired or was revoked. "
                               "Sign in again.");
        return QObject::tr("The login was refused: the user, key or token is not valid for this org.");
    }
    if (code == u"invalid_key") {
        QString why = e.message;
        if (!why.isEmpty())
            why[0] = why[0].toLower();
        return QObject::tr("The key file cannot be used: %1.").arg(why);
    }
    if (code == u"keychain_locked")
        return QObject::tr("The keychain is locked: unlock it (for example in Passwords and Keys, or by signing in to "
                           "your desktop again) and try again. Nothing was saved.");
    if (code == u"keychain_timeout")
        return QObject::tr("The keychain did not answer in time: it is probably locked and waiting for its password in "
                           "an unlock prompt. Unlock it and try again. Nothing was saved.");
    if (code == u"keychain_unavailable" || code.contains(QStringLiteral("keychain")))
        return QObject::tr("The system keychain is locked or not available, so Forcescope cannot keep this org's "
                           "token. Start or unlock your keyring (GNOME Keyring, KWallet) and try again.");
    if (code == u"secret_not_found")
        return QObject::tr("No saved sign-in for this org was found in the system keychain. Connect again.");
    if (code == u"access_denied")
        return QObject::tr("The sign-in was denied in the browser.");
    if (code == u"login_timeout")
        return QObject::tr("The browser sign-in was not finished in time. Try again.");
    if (e.category == fs::EngineError::Category::Cancelled)
        return QObject::tr("Cancelled.");
    if (e.category == fs::EngineError::Category::Network)
        return QObject::tr("The org could not be reached: %1").arg(e.message);
    if (e.category == fs::EngineError::Category::Auth && e.httpStatus == 401)
        return QObject::tr("The org did not accept the token: it has expired or is not valid.");
    return e.message.isEmpty() ? QObject::tr("The connection failed.") : e.message;
}

} // namespace fs::ui
