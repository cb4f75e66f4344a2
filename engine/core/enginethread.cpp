#include "enginethread.h"

#include <QCoreApplication>

#include <openssl/crypto.h>

namespace fs::engine {

EngineThread::EngineThread(QObject *parent)
    : QThread(parent)
{
    setObjectName(QStringLiteral("forcescope-engine"));
}

EngineThread::~EngineThread()
{
    quit();
    wait();
}

void EngineThread::adopt(QObject *engine)
{
    Q_ASSERT(!isRunning());
    engine->moveToThread(this);
    m_engine = engine;
}

void EngineThread::run()
{
    exec();
    delete m_engine.data();
    // Replies, sockets and timers the engine let go of with deleteLater(): gone now, on this
    // thread, rather than in Qt's own finishing step after run() — their TLS teardown must come
    // before the OpenSSL release below.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    OPENSSL_thread_stop();
}

bool skipOpenSslCleanupAtExit()
{
    return OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr) == 1;
}

} // namespace fs::engine
