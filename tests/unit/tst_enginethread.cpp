// EngineThread: the engine is deleted on its own thread before wait() returns, and so is the
// thread's OpenSSL state — the CLI's intermittent exit-time "double free" under AddressSanitizer
// came from OpenSSL's atexit cleanup meeting that release still under way on the engine thread.
// And forcescope turns that atexit cleanup off, for the threads it does not own.
#include "core/enginethread.h"

#include <QCoreApplication>
#include <QPointer>
#include <QProcess>
#include <QTest>

#include <openssl/core_dispatch.h>
#include <openssl/provider.h>
#include <openssl/rand.h>

#include <atomic>
#include <cstdio>

using fs::engine::EngineThread;

namespace {

// Stands in for the engine: notes where it was deleted, and like the engine's network objects
// leaves one object to deleteLater() as it goes.
class FakeEngine : public QObject {
public:
    FakeEngine(std::atomic<QThread *> *deletedOn, QPointer<QObject> *leftBehind)
        : m_deletedOn(deletedOn)
        , m_leftBehind(leftBehind)
    {
    }
    ~FakeEngine() override
    {
        *m_deletedOn = QThread::currentThread();
        auto *last = new QObject;
        *m_leftBehind = last;
        last->deleteLater();
    }

private:
    std::atomic<QThread *> *m_deletedOn;
    QPointer<QObject> *m_leftBehind;
};

// Watches OpenSSL's per-thread cleanup through the provider interface: a built-in provider is
// handed OpenSSL's core_thread_start(), which registers a handler OpenSSL calls when the calling
// thread's OpenSSL state is released — by OPENSSL_thread_stop(), or else by the thread's own exit
// work, which for Qt's detached threads can come after wait() has returned.
struct ThreadStopWatch {
    static inline OSSL_FUNC_core_thread_start_fn *threadStart = nullptr;
    static inline const OSSL_CORE_HANDLE *handle = nullptr;
    static inline std::atomic<int> stops { 0 };

    static int init(const OSSL_CORE_HANDLE *core, const OSSL_DISPATCH *in, const OSSL_DISPATCH **out, void **context)
    {
        for (; in->function_id != 0; ++in) {
            if (in->function_id == OSSL_FUNC_CORE_THREAD_START)
                threadStart = OSSL_FUNC_core_thread_start(in);
        }
        static const OSSL_DISPATCH nothing[] = { { 0, nullptr } };
        handle = core;
        *out = nothing;
        *context = nullptr;
        return threadStart ? 1 : 0;
    }

    static void onStop(void *) { ++stops; }
    static void onStopSay(void *) { std::fputs("thread stop handler ran\n", stderr); }

    // Loads the provider once; false when this OpenSSL offers no thread-start hook.
    static bool load()
    {
        static OSSL_PROVIDER *provider = [] {
            if (OSSL_PROVIDER_add_builtin(nullptr, "forcescope-thread-watch", &ThreadStopWatch::init) != 1)
                return static_cast<OSSL_PROVIDER *>(nullptr);
            // retain_fallbacks: the default provider still loads on first use, as without us.
            return OSSL_PROVIDER_try_load(nullptr, "forcescope-thread-watch", 1);
        }();
        return provider != nullptr;
    }

    // On the thread to watch: uses OpenSSL there (as the engine's PKCE and JWT code do) and asks
    // for `handler` to run when that thread's OpenSSL state goes (onStopSay: for a child
    // process's exit, where only stderr can tell).
    static bool watchCurrentThread(OSSL_thread_stop_handler_fn handler = &ThreadStopWatch::onStop)
    {
        unsigned char bytes[32];
        return RAND_bytes(bytes, int(sizeof bytes)) == 1 && threadStart(handle, handler, nullptr) == 1;
    }
};

constexpr char kChildVariable[] = "FS_ENGINETHREAD_CHILD";

// The child process: the main thread uses OpenSSL and watches for its own release, then the
// process exits. OpenSSL's atexit cleanup releases the main thread's state (the handler runs);
// after skipOpenSslCleanupAtExit() it does not run at all.
int runChild()
{
    const bool release = qgetenv(kChildVariable) == "release";
    if (release && !fs::engine::skipOpenSslCleanupAtExit())
        return 3;
    if (!ThreadStopWatch::load() || !ThreadStopWatch::watchCurrentThread(&ThreadStopWatch::onStopSay))
        return 4;
    std::fputs("child: exiting\n", stderr);
    return 0;
}

} // namespace

class TestEngineThread : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void engineIsDeletedOnItsThreadBeforeWaitReturns();
    void openSslThreadStateIsReleasedBeforeWaitReturns();
    void noOpenSslCleanupAtExit_data();
    void noOpenSslCleanupAtExit();
};

void TestEngineThread::engineIsDeletedOnItsThreadBeforeWaitReturns()
{
    std::atomic<QThread *> deletedOn { nullptr };
    QPointer<QObject> leftBehind;
    QPointer<FakeEngine> engine = new FakeEngine(&deletedOn, &leftBehind);
    EngineThread thread;
    QCOMPARE(thread.objectName(), QStringLiteral("forcescope-engine"));
    thread.adopt(engine);
    QCOMPARE(engine->thread(), &thread);
    thread.start();
    QVERIFY(thread.isRunning());
    thread.quit();
    QVERIFY(thread.wait(10000));
    QVERIFY(engine.isNull());
    QCOMPARE(deletedOn.load(), static_cast<QThread *>(&thread));
    QVERIFY2(leftBehind.isNull(), "what the engine handed to deleteLater() is gone before wait() returns");
}

void TestEngineThread::openSslThreadStateIsReleasedBeforeWaitReturns()
{
    if (!ThreadStopWatch::load())
        QSKIP("this OpenSSL does not let a provider watch thread stops");
    for (int round = 0; round < 20; ++round) {
        ThreadStopWatch::stops = 0;
        EngineThread thread;
        auto *engine = new QObject;
        thread.adopt(engine);
        std::atomic<int> watching { -1 };
        thread.start();
        QMetaObject::invokeMethod(engine, [&watching] { watching = ThreadStopWatch::watchCurrentThread() ? 1 : 0; });
        QTRY_VERIFY(watching != -1);
        QCOMPARE(watching.load(), 1);
        thread.quit();
        QVERIFY(thread.wait(10000));
        // Read at once: with the thread's release left to its exit work this is usually still 0.
        QCOMPARE(ThreadStopWatch::stops.load(), 1);
    }
}

void TestEngineThread::noOpenSslCleanupAtExit_data()
{
    QTest::addColumn<QByteArray>("mode");
    QTest::addColumn<bool>("cleanedAtExit");
    QTest::newRow("as forcescope starts") << QByteArray("release") << false;
    QTest::newRow("OpenSSL's default (control)") << QByteArray("default") << true;
}

void TestEngineThread::noOpenSslCleanupAtExit()
{
    QFETCH(QByteArray, mode);
    QFETCH(bool, cleanedAtExit);
    QProcess child;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QString::fromLatin1(kChildVariable), QString::fromLatin1(mode));
    child.setProcessEnvironment(env);
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(60000));
    const QByteArray err = child.readAllStandardError();
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0, err.constData());
    QVERIFY2(err.contains("child: exiting"), err.constData());
    QCOMPARE(err.contains("thread stop handler ran"), cleanedAtExit);
}

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(kChildVariable))
        return runChild();
    QCoreApplication app(argc, argv);
    TestEngineThread test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_enginethread.moc"
