#pragma once

#include "api/types.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QStackedWidget;

namespace fs::ui {

// New-org dialog: alias, login URL and one of four ways in (browser with PKCE, JWT with a key
// file, refresh token, pasted access token). The secret typed here goes straight to the engine,
// which puts it in the keychain; the dialog never stores it. GUI thread only.
class OrgDialog : public QDialog {
    Q_OBJECT
public:
    explicit OrgDialog(QWidget *parent = nullptr);

    fs::OrgProfile profile() const;
    QString secret() const; // refresh token or access token; empty for browser and JWT
    // Validation message for the current input (empty when acceptable).
    QString validationError() const;

    void setAuthType(fs::AuthType type);

    void accept() override;

private:
    QLineEdit *m_alias = nullptr;
    QComboBox *m_loginUrl = nullptr;
    QComboBox *m_auth = nullptr;
    QLineEdit *m_clientId = nullptr;
    QLineEdit *m_username = nullptr;
    QLineEdit *m_keyFile = nullptr;
    QLineEdit *m_refreshToken = nullptr;
    QLineEdit *m_instanceUrl = nullptr;
    QLineEdit *m_accessToken = nullptr;
    QStackedWidget *m_pages = nullptr;
    QLabel *m_error = nullptr;
};

// A plain-words sentence for a connection failure (wrong client id, expired key, locked keychain…).
QString plainConnectError(const fs::EngineError &error);

} // namespace fs::ui
