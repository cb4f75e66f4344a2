#include "faultplan.h"

#include <yaml-cpp/yaml.h>

namespace fs::sim {

namespace {

QRegularExpression globToRegex(const QString &glob)
{
    QString re;
    for (QChar c : glob) {
        if (c == u'*')
            re += QStringLiteral(".*");
        else if (c == u'?')
            re += u'.';
        else
            re += QRegularExpression::escape(QString(c));
    }
    return QRegularExpression(u'^' + re + u'$', QRegularExpression::CaseInsensitiveOption);
}

bool parseAction(const std::string &name, FaultPlan::Action *out)
{
    static const std::pair<const char *, FaultPlan::Action> table[] = {
        { "latency", FaultPlan::Action::Latency },
        { "unavailable", FaultPlan::Action::Unavailable },
        { "reset", FaultPlan::Action::Reset },
        { "expire_session", FaultPlan::Action::ExpireSession },
        { "invalid_session_rest", FaultPlan::Action::InvalidSessionRest },
        { "limit_exhausted", FaultPlan::Action::LimitExhausted },
        { "lock_row", FaultPlan::Action::LockRow },
        { "malformed_body", FaultPlan::Action::MalformedBody },
    };
    for (const auto &[n, a] : table) {
        if (name == n) {
            *out = a;
            return true;
        }
    }
    return false;
}

} // namespace

bool FaultPlan::load(const QByteArray &yaml, quint64 defaultSeed, QString *error)
{
    QList<Rule> rules;
    quint64 seed = defaultSeed;
    try {
        const YAML::Node root = YAML::Load(yaml.toStdString());
        if (root.IsNull()) {
            m_rules.clear();
            return true;
        }
        if (!root.IsMap()) {
            if (error)
                *error = QStringLiteral("fault plan must be a YAML mapping with a 'rules' list");
            return false;
        }
        if (root["seed"])
            seed = root["seed"].as<quint64>();
        const YAML::Node list = root["rules"];
        if (list && !list.IsSequence()) {
            if (error)
                *error = QStringLiteral("'rules' must be a list");
            return false;
        }
        int index = 0;
        for (const YAML::Node &n : list) {
            ++index;
            Rule r;
            const std::string action = n["action"] ? n["action"].as<std::string>() : std::string();
            if (!parseAction(action, &r.action)) {
                if (error)
                    *error = QStringLiteral("rule %1: unknown action '%2'").arg(index).arg(QString::fromStdString(action));
                return false;
            }
            r.path = globToRegex(n["path"] ? QString::fromStdString(n["path"].as<std::string>()) : QStringLiteral("*"));
            if (n["method"])
                r.method = QByteArray::fromStdString(n["method"].as<std::string>()).toUpper();
            if (n["after"])
                r.after = n["after"].as<qint64>();
            if (n["count"])
                r.count = n["count"].as<qint64>();
            if (n["probability"])
                r.probability = n["probability"].as<double>();
            if (n["from_second"])
                r.fromSecond = n["from_second"].as<qint64>();
            if (n["latency_ms"])
                r.latencyMs = n["latency_ms"].as<int>();
            if (r.action == Action::Latency && r.latencyMs <= 0)
                r.latencyMs = 500;
            rules.append(r);
        }
    } catch (const YAML::Exception &e) {
        if (error)
            *error = QStringLiteral("invalid fault plan: %1").arg(QString::fromStdString(e.what()));
        return false;
    }
    m_rules = rules;
    m_rng.seed(seed);
    m_loadedAt = QDateTime::currentDateTimeUtc();
    return true;
}

FaultPlan::Decision FaultPlan::evaluate(const HttpRequest &req)
{
    Decision d;
    const qint64 elapsed = m_loadedAt.isValid() ? m_loadedAt.secsTo(QDateTime::currentDateTimeUtc()) : 0;
    for (Rule &r : m_rules) {
        if (!r.method.isEmpty() && r.method != req.method)
            continue;
        if (!r.path.match(req.path).hasMatch())
            continue;
        if (r.fromSecond >= 0 && elapsed < r.fromSecond)
            continue;
        const qint64 n = r.seen++;
        if (n < r.after)
            continue;
        if (r.count >= 0 && n >= r.after + r.count)
            continue;
        if (r.probability < 1.0) {
            std::uniform_real_distribution<double> dist(0.0, 1.0);
            if (dist(m_rng) >= r.probability)
                continue;
        }
        ++r.fired;
        if (r.action == Action::Latency)
            d.latencyMs += r.latencyMs;
        else
            d.actions.append(r.action);
    }
    return d;
}

} // namespace fs::sim
