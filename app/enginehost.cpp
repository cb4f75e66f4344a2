#include "enginehost.h"

#include "api/engineclient.h"

#include "core/enginethread.h"

namespace fs::app {

EngineHost::EngineHost(fs::engine::Engine::Options options, QObject *parent)
    : QObject(parent)
{
    m_thread = new fs::engine::EngineThread;
    m_engine = new fs::engine::Engine(std::move(options));
    m_thread->adopt(m_engine); // the engine dies on its own thread once the loop ends
    m_thread->start();
    m_client = new fs::EngineClient(m_engine, this);
}

EngineHost::~EngineHost()
{
    delete m_client;
    m_client = nullptr;
    delete m_thread; // quits the loop and waits for it: the one wait, at shutdown
}

} // namespace fs::app
