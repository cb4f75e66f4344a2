#pragma once

#include "api/types.h"

#include <QDialog>
#include <QPointer>
#include <QUrl>

class QComboBox;
class QFileDialog;
class QLabel;
class QLineEdit;
class QPushButton;
class QStackedWidget;

namespace fs {
class EngineClient;
struct EngineError;
}

namespace fs::ui {

// New-org dialog: alias, login URL and one of four ways in (browser with PKCE, JWT with a key
// file, refresh token, pasted access token). GUI thread only.
//
// With an EngineClient, Connect runs the login while the dialog stays open: it shows progress
// ("Waiting for the browser…" for browser login, which the UI opens with QDesktopServices when
// the engine asks), a failure in plain words next to the inputs, and closes (accepted) once the
// engine reports the session. Cancel stops a running login (for the browser: the engine closes
// its loopback listener); a second Cancel closes the dialog. The secret typed here goes straight
// to the engine, which keeps it in the keychain; the dialog never stores or shows it.
class OrgDialog : public QDialog {
    Q_OBJECT
public:
    explicit OrgDialog(QWidget *parent = nullptr);
    explicit OrgDialog(fs::EngineClient *client, QWidget *parent = nullptr);
    ~OrgDialog() override;

    fs::OrgProfile profile() const;
    QString secret() const; // refresh token or access token; empty for browser and JWT
    // Validation message for the current input (empty when acceptable).
    QString validationError() const;

    void setAuthType(fs::AuthType type);

    bool isBusy() const { return m_request != 0; }
    fs::RequestId pendingRequest() const { return m_request; }
    // The session the dialog's login produced (after accepted()).
    const fs::OrgSession &session() const { return m_session; }
    // The authorize URL the browser was asked to open (empty unless a browser login waits).
    QUrl browserUrl() const { return m_browserUrl; }
    QString errorText() const;
    QString statusText() const;

    void accept() override;
    void reject() override;

protected:
    void changeEvent(QEvent *event) override;

Q_SIGNALS:
    // The engine reported the dialog's login as done (just before the dialog closes).
    void loggedIn(const fs::OrgSession &session);

private:
    void build();
    void startLogin();
    void cancelLogin();
    void setBusy(bool busy, const QString &status = {});
    void pickKeyFile();
    void onOpenUrl(const QUrl &url);
    void onConnected(fs::RequestId id, const fs::OrgSession &session);
    void onFailed(fs::RequestId id, const fs::EngineError &error);

    QPointer<fs::EngineClient> m_client;
    fs::RequestId m_request = 0;
    fs::AuthType m_requestType = fs::AuthType::BrowserPkce;
    fs::OrgSession m_session;
    QUrl m_browserUrl;

    QLineEdit *m_alias = nullptr;
    QComboBox *m_loginUrl = nullptr;
    QComboBox *m_auth = nullptr;
    QLineEdit *m_clientId = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QPushButton *m_browseKey = nullptr;
    QFileDialog *m_keyDialog = nullptr;
    QLineEdit *m_refreshToken = nullptr;
    QLineEdit *m_instanceUrl = nullptr;
    QLineEdit *m_accessToken = nullptr;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_inputs = nullptr;
    QLabel *m_status = nullptr;
    QLineEdit *m_link = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_connect = nullptr;
    QPushButton *m_cancel = nullptr;
};

// A plain-words sentence for a connection failure (wrong client id, expired key, locked keychain…).
QString plainConnectError(const fs::EngineError &error);

} // namespace fs::ui
