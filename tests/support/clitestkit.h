#pragma once

// Helpers for tests that run the headless `forcescope` binary as a child process against a
// forcescope-sim child process (tst_cliprocess, tst_clikeychain): where the binaries are, the
// simulator's start and stop, one CLI run with its own HOME and XDG folders, and a scan of the
// files a run left behind.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class QProcess;

namespace fs::test {

// What one run of the CLI printed and how it ended (exitCode -2: crashed, -1: did not finish).
struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

// $FS_BINARY_DIR/bin, or the build's bin folder when the variable is not set.
QString cliBinDir();

// Whether forcescope and forcescope-sim are both built in cliBinDir().
bool cliBinariesBuilt();

// Starts forcescope-sim --port 0 --print-token --scale <scale> as `process` and reads the base
// URL and access token it prints. False with `error` set when it did not start or print them.
bool startSimProcess(QProcess &process, double scale, QString *baseUrl, QString *token, QString *error);

// Terminates `process`, killing it when it has not ended within 10 s.
void stopProcess(QProcess &process);

// Runs `forcescope args` headless (no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM) with HOME and
// the XDG config, cache and data folders inside `home`, SF_ACCESS_TOKEN set to `accessToken` (unset
// when empty), no SF_REFRESH_TOKEN, and LSan told to pass over libcrypto's and libssl's per-thread
// state. The rest of the environment (a private D-Bus session, for one) is kept.
CliRun runCli(const QString &home, const QStringList &args, const QString &accessToken = {}, int timeoutMs = 120000);

// Every file below a folder (hidden and system files too).
struct FileScan {
    int files = 0;
    QStringList unreadable;  // files that could not be opened
    QList<QStringList> hits; // per needle: the files whose bytes contain it
};
FileScan scanFiles(const QString &dir, const QList<QByteArray> &needles);

} // namespace fs::test
