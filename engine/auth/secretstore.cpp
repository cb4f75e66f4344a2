#include "secretstore.h"

#include <QMutex>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <qt6keychain/keychain.h>

#include <atomic>
#include <memory>

namespace fs::engine {

namespace {

    std::atomic<int> s_defaultTimeoutMs { 60000 };

    // Jobs given up on after a timeout: the keychain backend still holds a raw pointer to each
    // and may answer (and so delete it) much later, e.g. once the user unlocks. Kept here until
    // then, so they stay owned and reachable; never destroyed itself (no exit-time order issue).
    struct AbandonedJobs {
        QMutex mutex;
        QSet<QKeychain::Job *> jobs;
    };
    AbandonedJobs &abandonedJobs()
    {
        static auto *jobs = new AbandonedJobs;
        return *jobs;
    }

    void abandon(QKeychain::Job *job)
    {
        job->setParent(nullptr); // outlives the store; deletes itself when it finishes (autoDelete)
        {
            QMutexLocker lock(&abandonedJobs().mutex);
            abandonedJobs().jobs.insert(job);
        }
        QObject::connect(job, &QObject::destroyed, [job] {
            QMutexLocker lock(&abandonedJobs().mutex);
            abandonedJobs().jobs.remove(job);
        });
    }

    EngineError keychainError(const QKeychain::Job *job)
    {
        EngineError e;
        e.category = EngineError::Category::Auth;
        if (job->error() == QKeychain::EntryNotFound) {
            e.errorCode = QStringLiteral("SECRET_NOT_FOUND");
            e.message = QStringLiteral("No stored credentials were found in the system keychain; please log in");
            return e;
        }
        // QtKeychain reports a locked Secret Service collection (libsecret's IS_LOCKED, e.g.
        // "Cannot create an item in a locked collection" once the unlock prompt could not be
        // shown or was dismissed) and a wallet the user refused to open as AccessDenied.
        if (job->error() == QKeychain::AccessDenied || job->error() == QKeychain::AccessDeniedByUser
            || job->errorString().contains(QLatin1String("locked"), Qt::CaseInsensitive)) {
            e.errorCode = QStringLiteral("KEYCHAIN_LOCKED");
            e.message = QStringLiteral("The system keychain is locked: %1").arg(job->errorString());
            e.detail = QStringLiteral("Unlock your keyring (for example with Seahorse, or by logging in to the desktop "
                                      "session again) and try again. Forcescope never stores tokens in plain files.");
            return e;
        }
        e.errorCode = QStringLiteral("KEYCHAIN_UNAVAILABLE");
        // The job's text names D-Bus/collection problems; it never contains the secret itself.
        e.message = QStringLiteral("The system keychain is not available or is locked: %1").arg(job->errorString());
        e.detail = QStringLiteral("Forcescope keeps tokens only in the system keychain (Secret Service). Start or "
                                  "unlock a keyring (for example gnome-keyring or KWallet) and try again.");
        return e;
    }

    EngineError timeoutError(int ms)
    {
        EngineError e;
        e.category = EngineError::Category::Auth;
        e.errorCode = QStringLiteral("KEYCHAIN_TIMEOUT");
        e.message = QStringLiteral("The system keychain did not answer within %1 seconds").arg(qMax(1, ms / 1000));
        e.detail = QStringLiteral("The keyring may be locked and waiting for its password in an unlock prompt. "
                                  "Unlock it and try again.");
        return e;
    }

} // namespace

SecretStore::SecretStore(const QString &service, QObject *parent)
    : QObject(parent)
    , m_service(service)
    , m_timeoutMs(s_defaultTimeoutMs.load())
{
}

SecretStore::~SecretStore() = default;

int SecretStore::defaultTimeoutMs()
{
    return s_defaultTimeoutMs.load();
}

void SecretStore::setDefaultTimeoutMs(int ms)
{
    s_defaultTimeoutMs.store(ms);
}

void SecretStore::run(QKeychain::Job *job, bool missingIsFine, std::function<void(Result<void>)> done)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    auto answered = std::make_shared<bool>(false);
    QPointer<QTimer> timer = new QTimer(this);
    timer->setSingleShot(true);
    connect(job, &QKeychain::Job::finished, this, [answered, timer, missingIsFine, done](QKeychain::Job *j) {
        if (timer)
            timer->deleteLater();
        if (*answered)
            return;
        *answered = true;
        if (j->error() == QKeychain::NoError || (missingIsFine && j->error() == QKeychain::EntryNotFound))
            done({});
        else
            done(keychainError(j));
    });
    QPointer<QKeychain::Job> pending(job);
    const int timeoutMs = m_timeoutMs;
    connect(timer, &QTimer::timeout, this, [answered, timer, pending, timeoutMs, done] {
        if (timer)
            timer->deleteLater();
        if (*answered)
            return;
        *answered = true;
        if (pending)
            abandon(pending);
        done(timeoutError(timeoutMs));
    });
    timer->start(m_timeoutMs);
    job->start();
}

void SecretStore::read(const QString &key, std::function<void(Result<QString>)> done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setKey(key);
    // The job is alive while its finished() is being delivered, which is when this runs.
    run(job, false, [job, done = std::move(done)](Result<void> r) {
        if (r)
            done(job->textData());
        else
            done(r.error());
    });
}

void SecretStore::write(const QString &key, const QString &secret, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service, this);
    job->setKey(key);
    job->setTextData(secret);
    run(job, false, std::move(done));
}

void SecretStore::remove(const QString &key, std::function<void(Result<void>)> done)
{
    auto *job = new QKeychain::DeletePasswordJob(m_service, this);
    job->setKey(key);
    run(job, true, std::move(done)); // removing a missing entry succeeds
}

} // namespace fs::engine
