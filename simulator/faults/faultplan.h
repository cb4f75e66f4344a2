#pragma once

#include "http/httptypes.h"

#include <QDateTime>
#include <QList>
#include <QRegularExpression>
#include <QString>

#include <random>

namespace fs::sim {

// A YAML fault plan, deterministic by seed. Example:
//   seed: 7
//   rules:
//     - action: unavailable        # latency | unavailable | reset | expire_session | invalid_session_rest
//                                  # | limit_exhausted | lock_row | malformed_body
//       path: "/services/data/*/query*"   # glob, * matches anything (default: every path)
//       method: GET                # default: any method
//       after: 3                   # let the first 3 matching calls through ...
//       count: 2                   # ... then fire on the next 2 (default: every later call)
//       probability: 0.5           # default 1.0; drawn from the seeded generator
//       from_second: 10            # only from 10 s after the plan was loaded (token expiry at a time)
//       latency_ms: 800            # for latency
class FaultPlan {
public:
    enum class Action { Latency, Unavailable, Reset, ExpireSession, InvalidSessionRest, LimitExhausted, LockRow, MalformedBody };
    struct Rule {
        Action action = Action::Latency;
        QRegularExpression path;
        QByteArray method;
        qint64 after = 0;
        qint64 count = -1;
        double probability = 1.0;
        qint64 fromSecond = -1;
        int latencyMs = 0;
        qint64 seen = 0;  // matching calls so far
        qint64 fired = 0; // times applied
    };
    struct Decision {
        int latencyMs = 0;
        QList<Action> actions;
        bool has(Action a) const { return actions.contains(a); }
    };

    FaultPlan() = default;
    bool load(const QByteArray &yaml, quint64 defaultSeed, QString *error);
    void clear() { m_rules.clear(); }
    bool isEmpty() const { return m_rules.isEmpty(); }
    // Counts the call against every matching rule and returns what to inject.
    Decision evaluate(const HttpRequest &req);

private:
    QList<Rule> m_rules;
    std::mt19937_64 m_rng { 42 };
    QDateTime m_loadedAt;
};

} // namespace fs::sim
