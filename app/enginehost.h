#pragma once

#include "core/engine.h"

#include <QObject>

namespace fs {
class EngineClient;
}

namespace fs::engine {
class EngineThread;
}

namespace fs::app {

// Owns the engine thread: creates the Engine, hands it to its own EngineThread and creates the
// EngineClient on the calling (GUI) thread. Destruction quits the thread and waits for it — the
// one wait the app does, at shutdown. Shared by the GUI, the CLI and the UI tests.
class EngineHost : public QObject {
    Q_OBJECT
public:
    explicit EngineHost(fs::engine::Engine::Options options = {}, QObject *parent = nullptr);
    ~EngineHost() override;

    fs::EngineClient *client() const { return m_client; }
    fs::engine::Engine *engine() const { return m_engine; } // lives on the engine thread

private:
    fs::engine::EngineThread *m_thread = nullptr;
    fs::engine::Engine *m_engine = nullptr;
    fs::EngineClient *m_client = nullptr;
};

} // namespace fs::app
