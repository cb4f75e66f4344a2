// `forcescope --demo` end to end, and two instances side by side.
//
// The process tests run the real binary ($FS_BINARY_DIR/bin/forcescope --demo) offscreen with HOME
// and the XDG dirs pointed at a temporary folder and no D-Bus session (so no keychain service can
// be reached): it must connect to its own simulated org, and leave no token in any file. The
// in-process test puts two windows on the same store directory and checks that each one's
// autosaved tabs survive and that closing one leaves the other working.
#include "enginehost.h"
#include "demologin.h"
#include "simulatorfixture.h"
#include "storedirlock.h"

#include "editor/querystore.h"
#include "editor/querytabwidget.h"
#include "editor/soqleditor.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class TestDemoInstances : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void storeLockGivesEachInstanceItsOwnDirectory();
    void deadOwnersLockIsTakenOver();
    void twoWindowsKeepTheirOwnAutosave();
    void demoRunsWithoutKeychainAndStoresNoToken();

private:
    struct Instance {
        std::unique_ptr<fs::app::StoreDirLock> lock;
        std::unique_ptr<fs::app::EngineHost> host;
        std::unique_ptr<fs::ui::MainWindow> window;
    };
    std::unique_ptr<Instance> openInstance(const QString &baseDir, const QString &name);
    void connectDemo(Instance &instance);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<fs::test::SimulatorFixture> m_sim;
};

void TestDemoInstances::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDemoInstances::storeLockGivesEachInstanceItsOwnDirectory()
{
    const QString base = m_dir->filePath(QStringLiteral("lock-base"));
    auto first = std::make_unique<fs::app::StoreDirLock>(base, 3);
    QVERIFY(first->isBase());
    QCOMPARE(first->directory(), QDir(base).absolutePath());
    QVERIFY(first->description().isEmpty());
    QVERIFY(QFile::exists(QDir(base).filePath(fs::app::StoreDirLock::lockFileName())));

    fs::app::StoreDirLock second(base, 3);
    QCOMPARE(second.slot(), 2);
    QCOMPARE(second.directory(), QDir(base).filePath(QStringLiteral("instance-2")));
    QVERIFY2(second.description().contains(QDir::toNativeSeparators(second.directory())), qPrintable(second.description()));

    fs::app::StoreDirLock third(base, 3);
    QCOMPARE(third.slot(), 3);
    // Every slot taken: a temporary store, removed when the instance ends.
    QString tempDir;
    {
        fs::app::StoreDirLock fourth(base, 3);
        QVERIFY(fourth.isTemporary());
        QCOMPARE(fourth.slot(), 0);
        tempDir = fourth.directory();
        QVERIFY(!tempDir.isEmpty());
        QVERIFY(!tempDir.startsWith(QDir(base).absolutePath()));
        QVERIFY(QDir(tempDir).exists());
        QVERIFY(fourth.description().contains(QStringLiteral("temporary")));
    }
    QVERIFY(!QDir(tempDir).exists());

    // The base is free again once its owner ends; the next instance gets it back.
    first.reset();
    fs::app::StoreDirLock again(base, 3);
    QVERIFY(again.isBase());
}

void TestDemoInstances::deadOwnersLockIsTakenOver()
{
    // A crashed instance leaves its lock file behind; its PID no longer runs.
    QProcess shell;
    shell.start(QStringLiteral("/bin/sh"), { QStringLiteral("-c"), QStringLiteral("echo $$") });
    QVERIFY(shell.waitForFinished(10000));
    const QByteArray deadPid = shell.readAllStandardOutput().trimmed();
    QVERIFY(!deadPid.isEmpty());

    const QString base = m_dir->filePath(QStringLiteral("stale-base"));
    QVERIFY(QDir().mkpath(base));
    QFile stale(QDir(base).filePath(fs::app::StoreDirLock::lockFileName()));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write(deadPid + "\nforcescope\n" + QSysInfo::machineHostName().toUtf8() + '\n');
    stale.close();

    fs::app::StoreDirLock lock(base);
    QVERIFY2(lock.isBase(), qPrintable(lock.directory()));
}

std::unique_ptr<TestDemoInstances::Instance> TestDemoInstances::openInstance(const QString &baseDir, const QString &name)
{
    auto instance = std::make_unique<Instance>();
    instance->lock = std::make_unique<fs::app::StoreDirLock>(baseDir);
    fs::engine::Engine::Options options;
    options.settingsFile = m_dir->filePath(name + QStringLiteral("-engine.ini"));
    options.keychainService = QStringLiteral("forcescope-demoinstances-test");
    options.describeCacheDir = m_dir->filePath(name + QStringLiteral("-describe"));
    instance->host = std::make_unique<fs::app::EngineHost>(options);
    instance->window = std::make_unique<fs::ui::MainWindow>(instance->host->client(), instance->lock->directory());
    if (!instance->lock->isBase())
        instance->window->setStoreNotice(QStringLiteral("Store: instance %1").arg(instance->lock->slot()), instance->lock->description());
    instance->window->queryStore()->setAutosaveDelay(0);
    instance->window->show();
    return instance;
}

void TestDemoInstances::connectDemo(Instance &instance)
{
    const QString error = fs::test::loginDemo(instance.host->client(), instance.window.get(), *m_sim);
    QVERIFY2(error.isEmpty(), qPrintable(error));
}

namespace {

// The text of the first tab autosaved in `storeDir` (read through a fresh QueryStore, as a
// restarted window would), or a marker when there is none.
QString firstAutosavedTab(const QString &storeDir)
{
    const fs::ui::QueryStore store(storeDir);
    const QList<fs::ui::QueryStore::TabState> tabs = store.restoredTabs();
    return tabs.isEmpty() ? QStringLiteral("<no autosaved tab>") : tabs.constFirst().text;
}

} // namespace

void TestDemoInstances::twoWindowsKeepTheirOwnAutosave()
{
    m_sim = std::make_unique<fs::test::SimulatorFixture>();
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));

    const QString base = m_dir->filePath(QStringLiteral("demo-store"));
    const QString textA = QStringLiteral("SELECT Id, Name FROM Account LIMIT 3");
    const QString textB = QStringLiteral("SELECT Id FROM Contact LIMIT 2");

    auto a = openInstance(base, QStringLiteral("a"));
    auto b = openInstance(base, QStringLiteral("b"));
    QVERIFY(a->lock->isBase());
    QCOMPARE(b->lock->slot(), 2);
    QVERIFY(a->window->queryStore()->directory() != b->window->queryStore()->directory());
    // The second window says in its status bar that it keeps a store of its own.
    auto *notice = b->window->statusBar()->findChild<QLabel *>(QStringLiteral("statusStore"));
    QVERIFY(notice);
    QVERIFY(notice->isVisible());
    QVERIFY(notice->toolTip().contains(QDir::toNativeSeparators(b->lock->directory())));
    QVERIFY(!a->window->statusBar()->findChild<QLabel *>(QStringLiteral("statusStore")));

    connectDemo(*a);
    if (QTest::currentTestFailed())
        return;
    connectDemo(*b);
    if (QTest::currentTestFailed())
        return;

    // Type into each window's editor (real key events); autosave follows every edit.
    for (const auto &[inst, text] : { std::pair { a.get(), textA }, std::pair { b.get(), textB } }) {
        fs::ui::QueryTabWidget *tab = inst->window->currentQueryTab();
        QVERIFY(tab);
        tab->editor()->clear();
        tab->editor()->setFocus();
        QTest::keyClicks(tab->editor(), text);
        QCOMPARE(tab->text(), text);
    }
    QTRY_COMPARE(firstAutosavedTab(a->lock->directory()), textA);
    QTRY_COMPARE(firstAutosavedTab(b->lock->directory()), textB);

    // Close the first window; the second one keeps working: it runs its query to the end.
    a->window->close();
    a.reset();
    fs::ui::QueryTabWidget *tabB = b->window->currentQueryTab();
    tabB->run();
    QTRY_COMPARE_WITH_TIMEOUT(tabB->grid()->model()->rowCount(), 2, 30000);
    QCOMPARE(firstAutosavedTab(b->lock->directory()), textB);
    b->window->close();
    b.reset();

    // Both autosaves survived the two sessions, and the next first instance gets its own tabs back.
    QCOMPARE(firstAutosavedTab(base), textA);
    QCOMPARE(firstAutosavedTab(QDir(base).filePath(QStringLiteral("instance-2"))), textB);
    auto again = openInstance(base, QStringLiteral("again"));
    QVERIFY(again->lock->isBase());
    QCOMPARE(again->window->currentQueryTab()->text(), textA);
    again.reset();
    m_sim.reset();
}

namespace {

// Every file under `root` whose content carries something shaped like a Salesforce session id
// ("00D…!…"; the simulator's tokens start with its org id and "!AQ").
QStringList filesWithToken(const QString &root)
{
    static const QRegularExpression sessionId(QStringLiteral("00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{8,}"));
    QStringList hits;
    QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray bytes = f.readAll();
        if (sessionId.match(QString::fromLatin1(bytes)).hasMatch() || bytes.contains("!AQ"))
            hits.append(path);
    }
    return hits;
}

} // namespace

void TestDemoInstances::demoRunsWithoutKeychainAndStoresNoToken()
{
    const QString app = QStringLiteral(FS_BINARY_DIR "/bin/forcescope");
    const QString sim = QStringLiteral(FS_BINARY_DIR "/bin/forcescope-sim");
    if (!QFile::exists(app) || !QFile::exists(sim))
        QSKIP("forcescope and forcescope-sim are not both built in this tree");

    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QString runtime = home.filePath(QStringLiteral("run"));
    QVERIFY(QDir().mkpath(runtime));
    QFile::setPermissions(runtime, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);

    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.filePath(QStringLiteral("data")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_STATE_HOME"), home.filePath(QStringLiteral("state")));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("qt.qpa.*=false;forcescope.app.info=true"));
    // No session bus and no display: no keychain service (gnome-keyring, KWallet) can be reached.
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));

    struct Run {
        QProcess process;
        QByteArray err;
    };
    auto launch = [&](Run &run) {
        run.process.setProcessEnvironment(env);
        run.process.setProcessChannelMode(QProcess::SeparateChannels);
        connect(&run.process, &QProcess::readyReadStandardError, this, [&run] { run.err += run.process.readAllStandardError(); });
        run.process.start(app, { QStringLiteral("--demo") });
    };
    Run first;
    Run second;
    launch(first);
    QVERIFY2(first.process.waitForStarted(20000), qPrintable(first.process.errorString()));
    QTRY_VERIFY2_WITH_TIMEOUT(first.err.contains("session ready: demo"), first.err.constData(), 90000);
    QVERIFY2(first.err.contains("demo org ready at http://127.0.0.1:"), first.err.constData());

    const QString base = QDir(home.filePath(QStringLiteral("data"))).filePath(QStringLiteral("Forcescope/forcescope/demo"));
    QVERIFY2(first.err.contains("store directory: " + QDir::toNativeSeparators(base).toUtf8()), first.err.constData());
    QVERIFY(QFile::exists(QDir(base).filePath(fs::app::StoreDirLock::lockFileName())));

    // A second --demo at the same time: its own simulator, its own store, connected too.
    launch(second);
    QVERIFY(second.process.waitForStarted(20000));
    QTRY_VERIFY2_WITH_TIMEOUT(second.err.contains("session ready: demo"), second.err.constData(), 90000);
    const QString secondStore = QDir::toNativeSeparators(QDir(base).filePath(QStringLiteral("instance-2")));
    QVERIFY2(second.err.contains("store directory: " + secondStore.toUtf8()), second.err.constData());
    static const QRegularExpression demoUrl(QStringLiteral("demo org ready at (\\S+)"));
    const QString url1 = demoUrl.match(QString::fromUtf8(first.err)).captured(1);
    const QString url2 = demoUrl.match(QString::fromUtf8(second.err)).captured(1);
    QVERIFY(!url1.isEmpty());
    QVERIFY2(url1 != url2, qPrintable(url1));

    // Ending the first leaves the second running; its store lock stays, the first's is released.
    first.process.terminate();
    QVERIFY(first.process.waitForFinished(30000));
    QCOMPARE(second.process.state(), QProcess::Running);
    {
        fs::app::StoreDirLock probe(base);
        QVERIFY2(probe.isBase(), "the first instance's store was not released");
        fs::app::StoreDirLock probeSecond(base);
        QVERIFY2(probeSecond.slot() != 2, "the second instance's store lost its lock");
    }
    QCOMPARE(second.process.state(), QProcess::Running);
    second.process.terminate();
    QVERIFY(second.process.waitForFinished(30000));

    // Nothing anywhere in HOME or the XDG dirs holds the demo org's token, nor did stderr.
    const QStringList leaks = filesWithToken(home.path());
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(u'\n')));
    QVERIFY(!first.err.contains("!AQ"));
    QVERIFY(!second.err.contains("!AQ"));
}

QTEST_MAIN(TestDemoInstances)
#include "tst_demoinstances.moc"
