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
//
// Threads the engine does not own (Qt's network thread among them, which holds TLS state for an
// org reached over HTTPS) finish the same way; skipOpenSslCleanupAtExit() covers them.
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

// Tells OpenSSL not to run its atexit cleanup: each thread still releases its own OpenSSL state
// as it finishes, and the process's memory goes back to the system at exit anyway, so nothing
// frees twice whichever thread finishes last. Call once at process start, before anything uses
// OpenSSL (the forcescope executable does); later calls change nothing. Returns false if OpenSSL
// refused the setting.
bool skipOpenSslCleanupAtExit();

} // namespace fs::engine
