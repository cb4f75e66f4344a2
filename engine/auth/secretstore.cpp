#include "secretstore.h"

#include <QPointer>

#include <qt6keychain/keychain.h>

namespace fs::engine {

namespace {

    EngineError keychainError(const QKeychain::Job *job)
    {
        EngineError e;
        e.category = EngineError::Category::Auth;
        if (job->error() == QKeychain::EntryNotFound) {
            e.errorCode = QStringLiteral("SECRET_NOT_FOUND");
            e.message = QStringLiteral("No stored credentials were found in the system keychain; please log in");
            return e;
        }
        e.errorCode = QStringLiteral("KEYCHAIN_UNAVAILABLE");
        // The job's text names D-Bus/collection problems; it never contains the secret itself.
        e.message = QStringLiteral("The system keychain is not available or is locked: %1").arg(job->errorString());
        e.detail = QStringLiteral("Forcescope keeps tokens only in the system keychain (Secret Service). Start or "
                                  "unlock a keyring (for example gnome-keyring or KWallet) and try again.");
        return e;
    }

} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
{
}

SecretStore::~SecretStore() = default;

void SecretStore::read(const QString &key, std::function<void(Result<QString>)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        auto *rj = static_cast<QKeychain::ReadPasswordJob *>(j);
        if (rj->error() != QKeychain::NoError)
            done(keychainError(rj));
        else
            done(rj->textData());
    });
    job->start();
}

void SecretStore::write(const QString &key, const QString &secret, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(secret);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError)
            done(keychainError(j));
        else
            done({});
    });
    job->start();
}

void SecretStore::remove(const QString &key, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *j) {
        if (j->error() != QKeychain::NoError && j->error() != QKeychain::EntryNotFound)
            done(keychainError(j));
        else
            done({});
    });
    job->start();
}

} // namespace fs::engine
