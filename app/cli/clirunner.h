#pragma once

#include "clicommand.h"

#include "api/types.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace fs {
class EngineClient;
namespace engine {
class Engine;
class EngineThread;
}
namespace app {
class DemoLauncher;
}
} // namespace fs

namespace fs::cli {

class QueryOutput;

// Runs one headless command: starts the engine on its own thread, connects (saved profile,
// --instance-url with SF_ACCESS_TOKEN, or --demo), performs the command through EngineClient and
// ends with finished(exitCode). Main thread only. Never prints a token: only what the engine's
// answers carry (which hold no secret) reaches stdout/stderr.
class CliRunner : public QObject {
    Q_OBJECT
public:
    explicit CliRunner(CliCommand command, QObject *parent = nullptr);
    ~CliRunner() override;

    void start();
    // Ctrl-C: cancels the running request; ends with ExitCancelled.
    void interrupt();

Q_SIGNALS:
    void finished(int exitCode);

private:
    void connectOrg();
    void runCommand();
    void runQuery();
    void runRecord();
    void runOrg();
    void onFailed(fs::RequestId id, const fs::EngineError &error);
    void finish(int exitCode);
    void out(const QString &text);
    void err(const QString &text);
    void printError(const fs::EngineError &error);

    CliCommand m_cmd;
    std::unique_ptr<engine::EngineThread> m_thread;
    QPointer<engine::Engine> m_engine;
    std::unique_ptr<EngineClient> m_client;
    std::unique_ptr<app::DemoLauncher> m_demo;
    std::unique_ptr<QueryOutput> m_output;
    OrgSession m_session;
    RequestId m_current = 0; // the request whose failure ends the run
    bool m_finished = false;
    bool m_interrupted = false;
};

// Exit code for a final engine error.
int exitCodeFor(const fs::EngineError &error);

} // namespace fs::cli
