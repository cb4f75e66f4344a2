// DemoLauncher: starts forcescope-sim, reads URL + token, reports plain errors otherwise.
#include "demolauncher.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestDemoLauncher : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void missingSimulatorFailsInPlainWords();
    void childThatExitsEarlyFails();
    void garbageAddressFails();
    void realSimulatorIsReady();
};

void TestDemoLauncher::missingSimulatorFailsInPlainWords()
{
    fs::app::DemoLauncher launcher;
    launcher.setSimulatorPath(QStringLiteral("/nonexistent/forcescope-sim"));
    QSignalSpy failed(&launcher, &fs::app::DemoLauncher::failed);
    QSignalSpy ready(&launcher, &fs::app::DemoLauncher::ready);
    launcher.start();
    QTRY_COMPARE(failed.size(), 1);
    QCOMPARE(ready.size(), 0);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("simulated org")));
}

static QString writeScript(QTemporaryDir &dir, const QByteArray &body)
{
    const QString path = dir.filePath(QStringLiteral("fake-sim"));
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    f.write("#!/bin/sh\n" + body);
    f.close();
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

void TestDemoLauncher::childThatExitsEarlyFails()
{
    QTemporaryDir dir;
    fs::app::DemoLauncher launcher;
    launcher.setSimulatorPath(writeScript(dir, "exit 3\n"));
    QSignalSpy failed(&launcher, &fs::app::DemoLauncher::failed);
    launcher.start();
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(failed.at(0).at(0).toString().contains(QStringLiteral("exit code 3")));
}

void TestDemoLauncher::garbageAddressFails()
{
    QTemporaryDir dir;
    fs::app::DemoLauncher launcher;
    launcher.setSimulatorPath(writeScript(dir, "echo not-a-url\necho tok\nsleep 5\n"));
    QSignalSpy failed(&launcher, &fs::app::DemoLauncher::failed);
    launcher.start();
    QTRY_COMPARE(failed.size(), 1);
    QVERIFY(!failed.at(0).at(0).toString().contains(QStringLiteral("tok")));
}

void TestDemoLauncher::realSimulatorIsReady()
{
    const QString sim = QStringLiteral(FS_BINARY_DIR "/bin/forcescope-sim");
    if (!QFile::exists(sim))
        QSKIP("forcescope-sim is not built in this tree yet");
    fs::app::DemoLauncher first;
    fs::app::DemoLauncher second; // a second --demo must not collide
    first.setSimulatorPath(sim);
    second.setSimulatorPath(sim);
    QSignalSpy r1(&first, &fs::app::DemoLauncher::ready);
    QSignalSpy r2(&second, &fs::app::DemoLauncher::ready);
    first.start();
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(r1.size(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(r2.size(), 1, 20000);
    const QUrl u1 = r1.at(0).at(0).toUrl();
    const QUrl u2 = r2.at(0).at(0).toUrl();
    QCOMPARE(u1.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(u1.port() != u2.port());
    QVERIFY(!r1.at(0).at(1).toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestDemoLauncher)
#include "tst_demolauncher.moc"
