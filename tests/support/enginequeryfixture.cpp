#include "enginequeryfixture.h"

#include "config/engineconfig.h"

namespace fs::test {

SimCredentials::SimCredentials(fs::sim::Simulator *sim)
    : m_sim(sim)
    , m_token(sim->issueAccessToken())
{
}

QUrl SimCredentials::instanceUrl() const
{
    return m_sim->baseUrl();
}

void SimCredentials::refresh(std::function<void(fs::Result<void>)> done)
{
    ++refreshes;
    m_token = m_sim->issueAccessToken();
    done({});
}

EngineQueryFixture::EngineQueryFixture(double scale)
{
    fs::sim::SimulatorOptions options;
    options.scale = scale;
    m_sim = std::make_unique<fs::sim::Simulator>(options);
}

EngineQueryFixture::~EngineQueryFixture()
{
    m_transport.reset();
    m_sim.reset();
}

bool EngineQueryFixture::start(QString *error)
{
    if (!m_sim->start(error))
        return false;
    fs::engine::EngineConfig config;
    config.resilience.retry.baseDelayMs = 10;
    config.resilience.retry.maxDelayMs = 50;
    m_transport = std::make_unique<fs::engine::Transport>(config);
    m_credentials = std::make_shared<SimCredentials>(m_sim.get());
    m_transport->setCredentials(m_credentials);
    return true;
}

} // namespace fs::test
