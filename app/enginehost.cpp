#include "enginehost.h"

#include "api/engineclient.h"

#include <QThread>

namespace fs::app {

EngineHost::EngineHost(fs::engine::Engine::Options options, QObject *parent)
    : QObject(parent)
{
    m_thread = new QThread;
    m_thread->setObjectName(QStringLiteral("forcescope-engine"));
    m_engine = new fs::engine::Engine(std::move(options));
    m_engine->moveToThread(m_thread);
    // The engine dies on its own thread once the loop ends.
    connect(m_thread, &QThread::finished, m_engine, &QObject::deleteLater);
    m_thread->start();
    m_client = new fs::EngineClient(m_engine, this);
}

EngineHost::~EngineHost()
{
    delete m_client;
    m_client = nullptr;
    m_thread->quit();
    m_thread->wait(); // shutdown only
    delete m_thread;
}

} // namespace fs::app
