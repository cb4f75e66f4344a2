#pragma once

#include <QObject>
#include <QString>
#include <QStringList>
#include <QUrl>

class QProcess;

namespace fs::app {

// Starts the simulated org (`forcescope-sim --port 0 --print-token`) as a child process for
// `forcescope --demo` and the CLI's demo mode.
//
// GUI (or main) thread only. start() returns at once; the child's first two stdout lines (base
// URL, then access token) arrive asynchronously and end in ready() or failed(). The simulator
// runs in memory (no --data), on an ephemeral loopback port, so two demo instances never collide.
// The token is handed over in memory only: it is never logged, printed or stored. The child is
// terminated when this object is destroyed.
class DemoLauncher : public QObject {
    Q_OBJECT
public:
    explicit DemoLauncher(QObject *parent = nullptr);
    ~DemoLauncher() override;

    // Where the simulator binary was found (empty until start() resolved it).
    QString simulatorPath() const { return m_program; }
    // Uses this binary instead of searching (tests, packaging checks).
    void setSimulatorPath(const QString &path) { m_override = path; }
    // Extra arguments for the simulator (e.g. {"--seed", "7"} or {"--scale", "2"}).
    void setExtraArguments(const QStringList &args) { m_extraArgs = args; }
    // Gives up with failed() when the two lines have not arrived by then (default 20 s).
    void setTimeoutMs(int ms) { m_timeoutMs = ms; }

    bool isRunning() const;
    QUrl baseUrl() const { return m_baseUrl; }

    // Finds forcescope-sim next to the running executable, then on PATH. Empty if not found.
    static QString findSimulator();

public Q_SLOTS:
    void start();
    void stop();

Q_SIGNALS:
    void ready(const QUrl &baseUrl, const QString &token);
    void failed(const QString &message);
    void simulatorExited(int exitCode);

private:
    void readOutput();
    void fail(const QString &message);

    QProcess *m_process = nullptr;
    QString m_program;
    QString m_override;
    QStringList m_extraArgs;
    QByteArray m_buffer;
    QUrl m_baseUrl;
    int m_timeoutMs = 20000;
    bool m_reported = false;
};

} // namespace fs::app
