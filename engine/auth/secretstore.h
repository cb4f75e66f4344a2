#pragma once

#include "api/result.h"

#include <QObject>
#include <QString>

#include <functional>

namespace QKeychain {
class Job;
}

namespace fs::engine {

// The only place secrets are stored: the system keychain through QtKeychain (Secret Service on
// Linux). Asynchronous jobs on the calling thread's event loop (the engine thread). There is no
// plain-file fallback: a missing or locked keychain is an Auth error saying so.
//
// Error codes: SECRET_NOT_FOUND (no such entry), KEYCHAIN_LOCKED (the collection is locked and
// was not unlocked: no prompter, or the user dismissed it), KEYCHAIN_TIMEOUT (no answer within
// timeoutMs(): typically an unlock prompt that nobody answers), KEYCHAIN_UNAVAILABLE (no service).
class SecretStore : public QObject {
    Q_OBJECT
public:
    explicit SecretStore(const QString &service = QStringLiteral("forcescope"), QObject *parent = nullptr);
    ~SecretStore() override;

    QString service() const { return m_service; }

    // How long one job may take before it is reported as KEYCHAIN_TIMEOUT. A Secret Service
    // whose collection is locked may show an unlock prompt and wait for the user indefinitely.
    int timeoutMs() const { return m_timeoutMs; }
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // The timeout new stores start with (60 s unless changed; any thread; tests shorten it).
    static int defaultTimeoutMs();
    static void setDefaultTimeoutMs(int ms);

    // `done` gets the secret; a missing entry is an Auth error with errorCode "SECRET_NOT_FOUND".
    void read(const QString &key, std::function<void(Result<QString>)> done);
    void write(const QString &key, const QString &secret, std::function<void(Result<void>)> done);
    // Removing a missing entry succeeds.
    void remove(const QString &key, std::function<void(Result<void>)> done);

    static QString keyFor(const QString &alias, const QString &kind) { return alias + u'/' + kind; }
    static bool isNotFound(const EngineError &e) { return e.errorCode == u"SECRET_NOT_FOUND"; }

private:
    // Starts `job` bounded by timeoutMs(); `done` runs exactly once: success, the job's error
    // (EntryNotFound counts as success when `missingIsFine`), or KEYCHAIN_TIMEOUT.
    void run(QKeychain::Job *job, bool missingIsFine, std::function<void(Result<void>)> done);

    QString m_service;
    int m_timeoutMs;
};

} // namespace fs::engine
