#pragma once

#include <QPointer>
#include <QThread>

namespace fs::engine {

// The thread an Engine lives on. It runs the event loop; when the loop ends it deletes the
// engine (and whatever the engine handed to deleteLater) on this thread, then releases this
// thread's OpenSSL state, all before wait() returns.
//
// Why the last step: Qt's threads are detached, so a thread's own exit work (C++ thread_local
// destructors, then pthread key destructors such as OpenSSL's per-thread cleanup) can still be
// running after wait() has returned. If the process exits meanwhile, OpenSSL's atexit cleanup
// frees the same per-thread state a second time (seen as an intermittent "double free" in the
// CLI under AddressSanitizer). OPENSSL_thread_stop() on the thread itself leaves that exit work
// nothing of OpenSSL's to free.
class EngineThread : public QThread {
    Q_OBJECT
public:
    explicit EngineThread(QObject *parent = nullptr);
    ~EngineThread() override;

    // Moves `engine` to this thread, which from then on owns it: it is deleted on this thread
    // when the loop ends. Call before start().
    void adopt(QObject *engine);

protected:
    void run() override;

private:
    QPointer<QObject> m_engine;
};

} // namespace fs::engine
