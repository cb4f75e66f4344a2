#include "transport.h"

#include "auth/credentials.h"
#include "config/engineconfig.h"

namespace fs::engine {

class Transport::Private {
public:
    EngineConfig config;
    std::shared_ptr<Credentials> credentials;
    quint64 nextHandle = 1;
};

Transport::Transport(const EngineConfig &config, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    d->config = config;
}

Transport::~Transport() = default;

void Transport::setCredentials(std::shared_ptr<Credentials> credentials) { d->credentials = std::move(credentials); }
std::shared_ptr<Credentials> Transport::credentials() const { return d->credentials; }

quint64 Transport::send(HttpRequest, Callback callback)
{
    callback(EngineError::make(EngineError::Category::Network, QStringLiteral("Transport not implemented yet")));
    return d->nextHandle++;
}

void Transport::cancel(quint64) { }
CircuitState Transport::circuitState() const { return CircuitState::Closed; }
ApiUsage Transport::apiUsage() const { return {}; }

} // namespace fs::engine
