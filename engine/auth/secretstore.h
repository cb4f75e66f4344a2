#pragma once

#include "api/result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace fs::engine {

// The only place secrets are stored: the system keychain through QtKeychain (Secret Service on
// Linux). Asynchronous jobs on the calling thread's event loop (the engine thread). There is no
// plain-file fallback: a missing or locked keychain is an Auth error saying so.
class SecretStore : public QObject {
    Q_OBJECT
public:
    explicit SecretStore(const QString &service = QStringLiteral("forcescope"), QObject *parent = nullptr);
    ~SecretStore() override;

    QString service() const { return m_service; }

    // `done` gets the secret; a missing entry is an Auth error with errorCode "SECRET_NOT_FOUND".
    void read(const QString &key, std::function<void(Result<QString>)> done);
    void write(const QString &key, const QString &secret, std::function<void(Result<void>)> done);
    // Removing a missing entry succeeds.
    void remove(const QString &key, std::function<void(Result<void>)> done);

    static QString keyFor(const QString &alias, const QString &kind) { return alias + u'/' + kind; }
    static bool isNotFound(const EngineError &e) { return e.errorCode == u"SECRET_NOT_FOUND"; }

private:
    QString m_service;
};

} // namespace fs::engine
