#pragma once

// Shared fixture for engine query tests against the in-process simulated org: credentials that
// refresh through the simulator, a transport with quick retries, and a collector for the
// pageReady/finished/failed answers of one request (QueryService, ChildPager).

#include "api/types.h"
#include "auth/credentials.h"
#include "transport/transport.h"

#include "simulator.h"

#include <QList>
#include <QObject>
#include <QStringList>
#include <QTest>

#include <memory>

namespace fs::test {

// Credentials backed by the simulator: a refresh asks it for a new session, as a refresh-token
// grant would.
class SimCredentials : public fs::engine::Credentials {
public:
    explicit SimCredentials(fs::sim::Simulator *sim);
    QUrl instanceUrl() const override;
    QString apiVersion() const override { return QStringLiteral("59.0"); }
    QString accessToken() const override { return m_token; }
    bool canRefresh() const override { return true; }
    void refresh(std::function<void(fs::Result<void>)> done) override;
    int refreshes = 0;

private:
    fs::sim::Simulator *m_sim;
    QString m_token;
};

// Everything one query request answered.
struct CollectedQuery {
    QStringList ids; // the Id column (or attributes.url id) of every row, in delivery order
    QList<fs::QueryPage> pages;
    fs::QueryStats stats;
    fs::EngineError error;
    bool finished = false;
    bool failed = false;
};

// Starts request `id` with start(id) and collects `service`'s answers to it until it finishes or
// fails (or timeoutMs passes: error.message "timed out"). Waits with QTest::qWaitFor, never sleeps.
template <typename Service, typename Start>
CollectedQuery collectQuery(Service *service, fs::RequestId id, Start start, int timeoutMs = 60000)
{
    CollectedQuery c;
    QObject context;
    QObject::connect(service, &Service::pageReady, &context, [&c, id](fs::RequestId rid, const fs::QueryPage &page) {
        if (rid != id)
            return;
        c.pages << page;
        const int idColumn = page.batch.columnIndex(QStringLiteral("Id"));
        for (int r = 0; r < page.batch.rowCount(); ++r)
            c.ids << (idColumn >= 0 ? page.batch.text(r, idColumn) : page.batch.recordId(r));
    });
    QObject::connect(service, &Service::finished, &context, [&c, id](fs::RequestId rid, const fs::QueryStats &stats) {
        if (rid == id) {
            c.stats = stats;
            c.finished = true;
        }
    });
    QObject::connect(service, &Service::failed, &context, [&c, id](fs::RequestId rid, const fs::EngineError &error) {
        if (rid == id) {
            c.error = error;
            c.failed = true;
        }
    });
    start(id);
    if (!QTest::qWaitFor([&c] { return c.finished || c.failed; }, timeoutMs))
        c.error.message = QStringLiteral("timed out");
    return c;
}

// An in-process simulated org plus an engine Transport signed in to it.
class EngineQueryFixture {
public:
    // scale 0.1: ~400 accounts, ~1,200 contacts.
    explicit EngineQueryFixture(double scale = 0.1);
    ~EngineQueryFixture();

    bool start(QString *error);
    fs::sim::Simulator &sim() { return *m_sim; }
    fs::engine::Transport *transport() { return m_transport.get(); }
    SimCredentials &credentials() { return *m_credentials; }

private:
    std::unique_ptr<fs::sim::Simulator> m_sim;
    std::unique_ptr<fs::engine::Transport> m_transport;
    std::shared_ptr<SimCredentials> m_credentials;
};

} // namespace fs::test
