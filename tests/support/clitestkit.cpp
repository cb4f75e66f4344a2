#include "clitestkit.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSaveFile>

#include "simulatorfixture.h"

namespace fs::test {

namespace {

    // An LSan suppression file for the CLI runs, written once (atomically: runs may race).
    QString lsanSuppressions()
    {
        const QString path = QDir::temp().filePath(QStringLiteral("fs-cli-lsan.supp"));
        if (!QFileInfo::exists(path)) {
            QSaveFile f(path);
            if (f.open(QIODevice::WriteOnly)) {
                f.write("leak:libcrypto.so\nleak:libssl.so\n");
                f.commit();
            }
        }
        return path;
    }

} // namespace

QString cliBinDir()
{
    const QString env = qEnvironmentVariable("FS_BINARY_DIR");
    return (env.isEmpty() ? QStringLiteral(FS_BINARY_DIR) : env) + QStringLiteral("/bin");
}

bool cliBinariesBuilt()
{
    return QFileInfo::exists(cliBinDir() + QStringLiteral("/forcescope"))
        && QFileInfo::exists(cliBinDir() + QStringLiteral("/forcescope-sim"));
}

bool startSimProcess(QProcess &process, double scale, QString *baseUrl, QString *token, QString *error)
{
    const QStringList args { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token"),
        QStringLiteral("--scale"), QString::number(scale) };
    return SimProcess::launch(process, args, baseUrl, token, error, true, 120000);
}

void stopProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(10000))
        process.kill();
    process.waitForFinished(5000);
}

CliRun runCli(const QString &home, const QStringList &args, const QString &accessToken, int timeoutMs)
{
    const QDir homeDir(home);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("SF_ACCESS_TOKEN"));
    env.remove(QStringLiteral("SF_REFRESH_TOKEN"));
    if (!accessToken.isEmpty())
        env.insert(QStringLiteral("SF_ACCESS_TOKEN"), accessToken);
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), homeDir.filePath(QStringLiteral("config")));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), homeDir.filePath(QStringLiteral("cache")));
    env.insert(QStringLiteral("XDG_DATA_HOME"), homeDir.filePath(QStringLiteral("data")));
    // OpenSSL keeps per-thread error state that it frees only in thread-exit hooks Qt's pool
    // threads never reach; LSan reports it intermittently. Suppress only libcrypto's and libssl's.
    env.insert(QStringLiteral("LSAN_OPTIONS"), QStringLiteral("suppressions=%1:print_suppressions=0").arg(lsanSuppressions()));
    env.remove(QStringLiteral("DISPLAY"));
    env.remove(QStringLiteral("WAYLAND_DISPLAY"));
    env.remove(QStringLiteral("QT_QPA_PLATFORM")); // headless commands must not need one

    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliBinDir() + QStringLiteral("/forcescope"), args);
    CliRun r;
    if (!p.waitForStarted(30000) || !p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.err = QStringLiteral("<did not finish>");
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

FileScan scanFiles(const QString &dir, const QList<QByteArray> &needles)
{
    FileScan scan;
    scan.hits.resize(needles.size());
    QDirIterator it(dir, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        ++scan.files;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            scan.unreadable << path;
            continue;
        }
        const QByteArray content = f.readAll();
        for (qsizetype i = 0; i < needles.size(); ++i) {
            if (content.contains(needles.at(i)))
                scan.hits[i] << path;
        }
    }
    return scan;
}

} // namespace fs::test
