#include "orgdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
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

OrgDialog::OrgDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("OrgDialog"));
    setWindowTitle(tr("Connect to an org"));
    auto *layout = new QVBoxLayout(this);
    auto *form = new QFormLayout;
    m_alias = new QLineEdit(this);
    m_alias->setObjectName(QStringLiteral("alias"));
    m_alias->setPlaceholderText(tr("e.g. prod, uat, my-dev"));
    form->addRow(tr("&Alias:"), m_alias);
    m_loginUrl = new QComboBox(this);
    m_loginUrl->setEditable(true);
    m_loginUrl->addItems({ QStringLiteral("https://login.salesforce.com"), QStringLiteral("https://test.salesforce.com") });
    m_loginUrl->setToolTip(tr("Production, sandbox, or your My Domain URL"));
    form->addRow(tr("&Login URL:"), m_loginUrl);
    m_auth = new QComboBox(this);
    m_auth->setObjectName(QStringLiteral("authType"));
    m_auth->addItem(tr("Browser login (recommended)"), int(fs::AuthType::BrowserPkce));
    m_auth->addItem(tr("JWT bearer (key file)"), int(fs::AuthType::JwtBearer));
    m_auth->addItem(tr("Refresh token"), int(fs::AuthType::RefreshToken));
    m_auth->addItem(tr("Pasted access token"), int(fs::AuthType::AccessToken));
    form->addRow(tr("&Sign in with:"), m_auth);
    m_clientId = new QLineEdit(this);
    m_clientId->setPlaceholderText(tr("Connected app consumer key"));
    form->addRow(tr("&Client id:"), m_clientId);
    m_username = new QLineEdit(this);
    form->addRow(tr("&Username:"), m_username);
    layout->addLayout(form);

    m_pages = new QStackedWidget(this);
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
    auto *pick = new QPushButton(tr("Browse…"), jwt);
    connect(pick, &QPushButton::clicked, this, [this] {
        const QString f = QFileDialog::getOpenFileName(this, tr("Private key"), {}, tr("PEM keys (*.pem *.key);;All files (*)"));
        if (!f.isEmpty())
            m_keyFile->setText(f);
    });
    jl->addWidget(m_keyFile, 1);
    jl->addWidget(pick);
    m_pages->addWidget(jwt);

    m_refreshToken = new QLineEdit(m_pages);
    m_refreshToken->setEchoMode(QLineEdit::Password);
    m_refreshToken->setPlaceholderText(tr("Refresh token (kept in the system keychain)"));
    m_pages->addWidget(m_refreshToken);

    auto *pasted = new QWidget(m_pages);
    auto *pf = new QFormLayout(pasted);
    pf->setContentsMargins(0, 0, 0, 0);
    m_instanceUrl = new QLineEdit(pasted);
    m_instanceUrl->setPlaceholderText(QStringLiteral("https://yourdomain.my.salesforce.com"));
    m_accessToken = new QLineEdit(pasted);
    m_accessToken->setEchoMode(QLineEdit::Password);
    m_accessToken->setPlaceholderText(tr("Session id / access token"));
    pf->addRow(tr("Instance URL:"), m_instanceUrl);
    pf->addRow(tr("Token:"), m_accessToken);
    m_pages->addWidget(pasted);
    layout->addWidget(m_pages);

    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("orgDialogError"));
    m_error->setWordWrap(true);
    layout->addWidget(m_error);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(buttons, &QDialogButtonBox::accepted, this, &OrgDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &OrgDialog::reject);
    layout->addWidget(buttons);

    connect(m_auth, &QComboBox::currentIndexChanged, m_pages, &QStackedWidget::setCurrentIndex);
    resize(520, 320);
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
    p.clientId = m_clientId->text().trimmed();
    p.username = m_username->text().trimmed();
    if (p.authType == fs::AuthType::JwtBearer)
        p.keyFile = m_keyFile->text().trimmed();
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
        if (!QFileInfo(p.keyFile).isReadable())
            return tr("The key file cannot be read.");
        break;
    case fs::AuthType::RefreshToken:
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

void OrgDialog::accept()
{
    const QString error = validationError();
    if (!error.isEmpty()) {
        m_error->setText(error);
        return;
    }
    QDialog::accept();
}

QString plainConnectError(const fs::EngineError &e)
{
    const QString code = e.errorCode.toLower();
    if (code == u"invalid_client_id" || code == u"invalid_client")
        return QObject::tr("The org does not know this client id: check the connected app's consumer key.");
    if (code == u"invalid_grant") {
        if (e.detail.contains(QStringLiteral("expired"), Qt::CaseInsensitive))
            return QObject::tr("The login was refused because the token or key has expired. Sign in again.");
        return QObject::tr("The login was refused: the user, key or token is not valid for this org.");
    }
    if (code.contains(QStringLiteral("keychain")))
        return QObject::tr("The system keychain is locked or unavailable, so the saved secret cannot be read.");
    if (e.category == fs::EngineError::Category::Network)
        return QObject::tr("The org could not be reached: %1").arg(e.message);
    return e.message.isEmpty() ? QObject::tr("The connection failed.") : e.message;
}

} // namespace fs::ui
