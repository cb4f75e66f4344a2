#include "demolauncher.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <csignal>
#include <sys/prctl.h>

namespace fs::app {

namespace {
const QString kSimulatorName = QStringLiteral("forcescope-sim");
}

DemoLauncher::DemoLauncher(QObject *parent)
    : QObject(parent)
{
}

DemoLauncher::~DemoLauncher()
{
    stop();
}

QString DemoLauncher::findSimulator()
{
    const QString dir = QCoreApplication::applicationDirPath();
    if (!dir.isEmpty()) {
        const QFileInfo beside(QDir(dir).filePath(kSimulatorName));
        if (beside.isFile() && beside.isExecutable())
            return beside.absoluteFilePath();
    }
    return QStandardPaths::findExecutable(kSimulatorName);
}

bool DemoLauncher::isRunning() const
{
    return m_process && m_process->state() != QProcess::NotRunning;
}

void DemoLauncher::start()
{
    if (m_process)
        return;
    m_reported = false;
    m_buffer.clear();
    m_program = m_override.isEmpty() ? findSimulator() : m_override;
    if (m_program.isEmpty()) {
        // Report after returning, so callers can connect after start() too.
        QTimer::singleShot(0, this, [this] {
            fail(tr("The simulated org (forcescope-sim) was not found next to forcescope or on PATH. "
                    "Reinstall Forcescope or build the forcescope-sim target."));
        });
        return;
    }

    m_process = new QProcess(this);
    // The simulator's diagnostics go to our stderr; stdout carries exactly the URL and token lines.
    m_process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &DemoLauncher::readOutput);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("The simulated org could not be started: %1").arg(m_process->errorString()));
    });
    connect(m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus) {
        if (!m_reported)
            fail(tr("The simulated org stopped before it was ready (exit code %1).").arg(exitCode));
        Q_EMIT simulatorExited(exitCode);
    });

    QStringList args { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token") };
    args += m_extraArgs;
    // If this process dies without running its destructors (SIGKILL, crash, SIGTERM), the kernel
    // sends the simulator SIGTERM, so no demo org is left serving in the background.
    m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
    m_process->start(m_program, args, QIODevice::ReadOnly);

    QTimer::singleShot(m_timeoutMs, this, [this] {
        if (!m_reported)
            fail(tr("The simulated org did not answer within %1 seconds.").arg(m_timeoutMs / 1000));
    });
}

void DemoLauncher::readOutput()
{
    if (!m_process)
        return;
    m_buffer += m_process->readAllStandardOutput();
    if (m_reported) {
        m_buffer.clear(); // anything after the two lines is not ours to keep
        return;
    }
    const QList<QByteArray> lines = m_buffer.split('\n');
    // Need two complete lines (a trailing newline after the token).
    if (lines.size() < 3)
        return;
    const QString urlText = QString::fromUtf8(lines.at(0)).trimmed();
    const QString token = QString::fromUtf8(lines.at(1)).trimmed();
    m_buffer.clear();

    const QUrl url(urlText);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty()) {
        fail(tr("The simulated org printed an unexpected address."));
        return;
    }
    if (token.isEmpty()) {
        fail(tr("The simulated org did not print an access token."));
        return;
    }
    m_baseUrl = url;
    m_reported = true;
    Q_EMIT ready(url, token);
}

void DemoLauncher::fail(const QString &message)
{
    if (m_reported)
        return;
    m_reported = true;
    stop();
    Q_EMIT failed(message);
}

void DemoLauncher::stop()
{
    if (!m_process)
        return;
    QProcess *p = m_process;
    m_process = nullptr;
    p->disconnect(this);
    if (p->state() != QProcess::NotRunning) {
        p->terminate(); // SIGTERM: the simulator shuts down cleanly
        if (!p->waitForFinished(3000)) { // shutdown only; bounded
            p->kill();
            p->waitForFinished(1000);
        }
    }
    p->deleteLater(); // may be inside one of p's own signals
}

} // namespace fs::app
