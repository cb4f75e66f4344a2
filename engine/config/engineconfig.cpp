#include "engineconfig.h"

#include <QFile>
#include <QRegularExpression>
#include <QUrl>

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <optional>

namespace fs::engine {

namespace {

    EngineError configError(const QString &key, const QString &what)
    {
        EngineError e = EngineError::make(EngineError::Category::Validation,
            key.isEmpty() ? what : key + QStringLiteral(": ") + what, QStringLiteral("INVALID_CONFIG"));
        return e;
    }

    // Replaces ${NAME} by the environment variable NAME. Unset → error naming the key.
    Result<QString> expandEnv(const QString &key, const QString &text)
    {
        static const QRegularExpression re(QStringLiteral(R"(\$\{([A-Za-z_][A-Za-z0-9_]*)\})"));
        QString out;
        qsizetype last = 0;
        auto it = re.globalMatch(text);
        while (it.hasNext()) {
            const auto m = it.next();
            out += text.mid(last, m.capturedStart() - last);
            const QString name = m.captured(1);
            if (!qEnvironmentVariableIsSet(name.toLocal8Bit().constData()))
                return configError(key, QStringLiteral("environment variable %1 is not set").arg(name));
            out += qEnvironmentVariable(name.toLocal8Bit().constData());
            last = m.capturedEnd();
        }
        out += text.mid(last);
        return out;
    }

    // Walks one YAML map, reading typed values with dotted-key error messages. The first error
    // sticks; later reads become no-ops.
    class Reader {
    public:
        std::optional<EngineError> error;
        QStringList known; // every dotted key asked for, sections included, in reading order

        std::optional<QString> scalar(const YAML::Node &map, const char *name, const QString &key)
        {
            known.append(key); // before any early return: knownKeys() reads an empty document
            if (error || !map || !map.IsMap())
                return std::nullopt;
            const YAML::Node n = map[name];
            if (!n || n.IsNull())
                return std::nullopt;
            if (!n.IsScalar()) {
                error = configError(key, QStringLiteral("must be a single value"));
                return std::nullopt;
            }
            auto expanded = expandEnv(key, QString::fromStdString(n.Scalar()));
            if (!expanded) {
                error = expanded.error();
                return std::nullopt;
            }
            return expanded.value();
        }

        void string(const YAML::Node &map, const char *name, const QString &key, QString &out)
        {
            if (auto v = scalar(map, name, key))
                out = *v;
        }

        void integer(const YAML::Node &map, const char *name, const QString &key, qint64 minimum, qint64 &out)
        {
            auto v = scalar(map, name, key);
            if (!v)
                return;
            bool ok = false;
            const qint64 n = v->trimmed().toLongLong(&ok);
            if (!ok || n < minimum) {
                error = configError(key, QStringLiteral("must be an integer ≥ %1").arg(minimum));
                return;
            }
            out = n;
        }

        void integer(const YAML::Node &map, const char *name, const QString &key, int minimum, int &out)
        {
            qint64 wide = out;
            integer(map, name, key, qint64(minimum), wide);
            if (error)
                return;
            if (wide > std::numeric_limits<int>::max()) {
                error = configError(key, QStringLiteral("must be an integer ≥ %1 and ≤ %2")
                                             .arg(minimum)
                                             .arg(std::numeric_limits<int>::max()));
                return;
            }
            out = int(wide);
        }

        void number(const YAML::Node &map, const char *name, const QString &key, double minimum, double maximum,
            double &out)
        {
            auto v = scalar(map, name, key);
            if (!v)
                return;
            bool ok = false;
            const double n = v->trimmed().toDouble(&ok);
            if (!ok || !std::isfinite(n) || n < minimum || n > maximum) {
                error = configError(key, QStringLiteral("must be a number from %1 to %2").arg(minimum).arg(maximum));
                return;
            }
            out = n;
        }

        void boolean(const YAML::Node &map, const char *name, const QString &key, bool &out)
        {
            auto v = scalar(map, name, key);
            if (!v)
                return;
            const QString s = v->trimmed().toLower();
            if (s == u"true" || s == u"yes" || s == u"on" || s == u"1")
                out = true;
            else if (s == u"false" || s == u"no" || s == u"off" || s == u"0")
                out = false;
            else
                error = configError(key, QStringLiteral("must be true or false"));
        }

        YAML::Node section(const YAML::Node &map, const char *name, const QString &key)
        {
            known.append(key);
            if (error || !map || !map.IsMap())
                return YAML::Node(YAML::NodeType::Undefined);
            YAML::Node n = map[name];
            if (!n || n.IsNull())
                return YAML::Node(YAML::NodeType::Undefined);
            if (!n.IsMap()) {
                error = configError(key, QStringLiteral("must be a mapping"));
                return YAML::Node(YAML::NodeType::Undefined);
            }
            return n;
        }
    };

    // Reads every key of the template (and the engine's own additions) from `root` into `c`, in
    // template order. Also the one list of known keys: knownKeys() runs it on an empty document.
    void readAll(Reader &r, const YAML::Node &root, EngineConfig &c)
    {
        r.string(root, "instance_url", QStringLiteral("instance_url"), c.instanceUrl);
        r.string(root, "api_version", QStringLiteral("api_version"), c.apiVersion);

        const auto cred = r.section(root, "credentials", QStringLiteral("credentials"));
        r.string(cred, "source", QStringLiteral("credentials.source"), c.credentials.source);
        r.string(cred, "type", QStringLiteral("credentials.type"), c.credentials.type);
        r.string(cred, "client_id", QStringLiteral("credentials.client_id"), c.credentials.clientId);
        r.string(cred, "username", QStringLiteral("credentials.username"), c.credentials.username);
        r.string(cred, "key_file", QStringLiteral("credentials.key_file"), c.credentials.keyFile);
        r.string(cred, "login_url", QStringLiteral("credentials.login_url"), c.credentials.loginUrl);
        r.integer(cred, "session_timeout_seconds", QStringLiteral("credentials.session_timeout_seconds"), 1,
            c.credentials.sessionTimeoutSeconds);
        r.integer(cred, "refresh_margin_seconds", QStringLiteral("credentials.refresh_margin_seconds"), 0,
            c.credentials.refreshMarginSeconds);
        r.integer(cred, "callback_port", QStringLiteral("credentials.callback_port"), 0, c.credentials.callbackPort);
        r.integer(cred, "browser_timeout_seconds", QStringLiteral("credentials.browser_timeout_seconds"), 1,
            c.credentials.browserTimeoutSeconds);

        const auto to = r.section(root, "timeouts", QStringLiteral("timeouts"));
        r.integer(to, "connect_seconds", QStringLiteral("timeouts.connect_seconds"), 1, c.timeouts.connectSeconds);
        r.integer(to, "request_seconds", QStringLiteral("timeouts.request_seconds"), 1, c.timeouts.requestSeconds);
        r.integer(
            to, "bulk_poll_seconds", QStringLiteral("timeouts.bulk_poll_seconds"), 1, c.timeouts.bulkPollSeconds);
        r.integer(to, "event_keepalive_seconds", QStringLiteral("timeouts.event_keepalive_seconds"), 1,
            c.timeouts.eventKeepaliveSeconds);

        const auto res = r.section(root, "resilience", QStringLiteral("resilience"));
        const auto retry = r.section(res, "retry", QStringLiteral("resilience.retry"));
        r.integer(retry, "max_attempts", QStringLiteral("resilience.retry.max_attempts"), 1,
            c.resilience.retry.maxAttempts);
        r.integer(retry, "base_delay_ms", QStringLiteral("resilience.retry.base_delay_ms"), 0,
            c.resilience.retry.baseDelayMs);
        r.integer(
            retry, "max_delay_ms", QStringLiteral("resilience.retry.max_delay_ms"), 0, c.resilience.retry.maxDelayMs);
        r.boolean(retry, "jitter", QStringLiteral("resilience.retry.jitter"), c.resilience.retry.jitter);
        const auto cb = r.section(res, "circuit_breaker", QStringLiteral("resilience.circuit_breaker"));
        r.integer(cb, "failure_threshold", QStringLiteral("resilience.circuit_breaker.failure_threshold"), 1,
            c.resilience.circuitBreaker.failureThreshold);
        r.integer(cb, "success_threshold", QStringLiteral("resilience.circuit_breaker.success_threshold"), 1,
            c.resilience.circuitBreaker.successThreshold);
        r.number(cb, "reset_timeout_seconds", QStringLiteral("resilience.circuit_breaker.reset_timeout_seconds"), 0.0,
            86400.0, c.resilience.circuitBreaker.resetTimeoutSeconds);

        const auto rl = r.section(root, "rate_limits", QStringLiteral("rate_limits"));
        r.boolean(rl, "track_limits", QStringLiteral("rate_limits.track_limits"), c.rateLimits.trackLimits);
        r.number(rl, "warn_threshold_percent", QStringLiteral("rate_limits.warn_threshold_percent"), 0.0, 100.0,
            c.rateLimits.warnThresholdPercent);
        r.integer(rl, "poll_interval_seconds", QStringLiteral("rate_limits.poll_interval_seconds"), 0,
            c.rateLimits.pollIntervalSeconds);
        r.number(rl, "backoff_seconds", QStringLiteral("rate_limits.backoff_seconds"), 0.0, 86400.0,
            c.rateLimits.backoffSeconds);

        const auto bulk = r.section(root, "bulk", QStringLiteral("bulk"));
        r.integer(bulk, "max_records_per_job", QStringLiteral("bulk.max_records_per_job"), qint64(1),
            c.bulk.maxRecordsPerJob);
        r.integer(
            bulk, "poll_interval_seconds", QStringLiteral("bulk.poll_interval_seconds"), 1, c.bulk.pollIntervalSeconds);
        r.integer(bulk, "timeout_seconds", QStringLiteral("bulk.timeout_seconds"), 1, c.bulk.timeoutSeconds);

        const auto ev = r.section(root, "events", QStringLiteral("events"));
        r.string(ev, "pubsub_endpoint", QStringLiteral("events.pubsub_endpoint"), c.events.pubsubEndpoint);
        r.string(ev, "replay_preset", QStringLiteral("events.replay_preset"), c.events.replayPreset);
        r.integer(ev, "max_reconnects", QStringLiteral("events.max_reconnects"), 0, c.events.maxReconnects);

        const auto meta = r.section(root, "metadata", QStringLiteral("metadata"));
        r.integer(meta, "describe_cache_ttl_seconds", QStringLiteral("metadata.describe_cache_ttl_seconds"), 0,
            c.metadata.describeCacheTtlSeconds);

        const auto sim = r.section(root, "simulation", QStringLiteral("simulation"));
        r.boolean(sim, "enabled", QStringLiteral("simulation.enabled"), c.simulation.enabled);
        r.string(sim, "recording_path", QStringLiteral("simulation.recording_path"), c.simulation.recordingPath);
    }

    // Optimal string alignment distance (an adjacent swap counts as one edit), for "did you mean".
    qsizetype editDistance(const QString &a, const QString &b)
    {
        const qsizetype n = a.size();
        const qsizetype m = b.size();
        QList<QList<qsizetype>> d(n + 1, QList<qsizetype>(m + 1, 0));
        for (qsizetype i = 0; i <= n; ++i)
            d[i][0] = i;
        for (qsizetype j = 0; j <= m; ++j)
            d[0][j] = j;
        for (qsizetype i = 1; i <= n; ++i) {
            for (qsizetype j = 1; j <= m; ++j) {
                const qsizetype cost = a.at(i - 1) == b.at(j - 1) ? 0 : 1;
                d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
                if (i > 1 && j > 1 && a.at(i - 1) == b.at(j - 2) && a.at(i - 2) == b.at(j - 1))
                    d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
        return d[n][m];
    }

    QString parentOf(const QString &dotted)
    {
        const qsizetype dot = dotted.lastIndexOf(u'.');
        return dot < 0 ? QString() : dotted.left(dot);
    }

    QString leafOf(const QString &dotted) { return dotted.mid(dotted.lastIndexOf(u'.') + 1); }

    // The parenthesised hint after an unknown key, or empty. `parent` is the dotted path of the
    // mapping holding `name` ("" at the top); `known` lists the valid dotted keys; `wrapped` says
    // whether the keys sit under `salesforce:` (then the top level knows only that one key).
    QString hintFor(
        const QString &parent, const QString &name, const QStringList &known, bool wrapped, bool atDocumentTop)
    {
        if (name == u"<<")
            return QStringLiteral("(YAML merge keys are not supported; write the keys out)");
        if (name.contains(u'.'))
            return QStringLiteral("(a dot does not nest keys; write each part as its own indented key)");

        // A close sibling: edit distance ≤ 2 ignoring case, and not a rewrite of a very short name.
        QStringList siblings;
        if (atDocumentTop && wrapped) {
            siblings = { QStringLiteral("salesforce") };
        } else {
            for (const QString &k : known) {
                if (parentOf(k) == parent)
                    siblings.append(leafOf(k));
            }
            if (atDocumentTop)
                siblings.append(QStringLiteral("salesforce"));
        }
        const QString lower = name.toLower();
        QString best;
        qsizetype bestDistance = 3;
        for (const QString &s : siblings) {
            if (std::abs(s.size() - name.size()) >= bestDistance)
                continue; // the distance is at least the length difference: skip long names cheaply
            const qsizetype dist = editDistance(lower, s.toLower());
            if (dist < bestDistance && dist < name.size()) {
                best = s;
                bestDistance = dist;
            }
        }
        if (!best.isEmpty())
            return QStringLiteral("(did you mean \"%1\"?)").arg(best);

        // The right name at the wrong depth: the one known key elsewhere with this leaf name.
        if (atDocumentTop && wrapped && known.contains(name))
            return QStringLiteral("(did you mean \"salesforce.%1\"?)").arg(name);
        QStringList elsewhere;
        for (const QString &k : known) {
            if (leafOf(k).compare(name, Qt::CaseInsensitive) == 0)
                elsewhere.append(k);
        }
        if (elsewhere.size() == 1)
            return QStringLiteral("(did you mean \"%1\"?)").arg(elsewhere.constFirst());
        return {};
    }

    QString keyText(const YAML::Node &key)
    {
        if (key.IsScalar())
            return QString::fromStdString(key.Scalar());
        if (key.IsNull())
            return QStringLiteral("~");
        return QStringLiteral("<a list or mapping used as a key, line %1>").arg(key.Mark().line + 1);
    }

    // Collects, in document order, every key of `map` (and of the known sections below it) that
    // is not a known dotted key, as `unknown key "a.b" (hint)`. An unknown key's own children are
    // not listed: the key itself is the mistake.
    void findUnknownKeys(const YAML::Node &map, const QString &parent, const QStringList &known, bool wrapped,
        bool atDocumentTop, QStringList &out)
    {
        for (auto it = map.begin(); it != map.end(); ++it) {
            const QString name = keyText(it->first);
            const QString path = parent.isEmpty() ? name : parent + u'.' + name;
            const bool isKnown
                = atDocumentTop && wrapped ? name == u"salesforce" : !name.contains(u'.') && known.contains(path);
            if (!isKnown) {
                const QString hint = hintFor(parent, name, known, wrapped, atDocumentTop);
                out.append(QStringLiteral("unknown key \"%1\"").arg(path) + (hint.isEmpty() ? QString() : u' ' + hint));
                continue;
            }
            if (atDocumentTop && wrapped)
                continue; // `salesforce:` itself is walked by the caller
            const QString below = path + u'.';
            const bool isSection
                = std::any_of(known.cbegin(), known.cend(), [&below](const QString &k) { return k.startsWith(below); });
            if (isSection && it->second.IsMap()) // a leaf holding a mapping is a type error, reported later
                findUnknownKeys(it->second, path, known, wrapped, false, out);
        }
    }

    bool isHttpUrl(const QString &text)
    {
        const QUrl url(text, QUrl::StrictMode);
        return url.isValid() && !url.host().isEmpty()
            && (url.scheme() == u"https" || url.scheme() == u"http");
    }

} // namespace

Result<EngineConfig> EngineConfig::load(const QString &yamlPath)
{
    QFile file(yamlPath);
    if (!file.open(QIODevice::ReadOnly)) {
        return EngineError::make(EngineError::Category::Validation,
            QStringLiteral("Cannot read the configuration file %1: %2").arg(yamlPath, file.errorString()),
            QStringLiteral("INVALID_CONFIG"));
    }
    auto loaded = fromYaml(file.readAll());
    if (!loaded) {
        // "config.yaml: unknown key …", "config.yaml: resilience.retry.max_attempts: …": the file too.
        EngineError e = loaded.error();
        e.message = yamlPath + QStringLiteral(": ") + e.message;
        return e;
    }
    return loaded;
}

QStringList EngineConfig::knownKeys()
{
    static const QStringList keys = [] {
        Reader r;
        EngineConfig c;
        readAll(r, YAML::Node(YAML::NodeType::Undefined), c);
        return r.known;
    }();
    return keys;
}

Result<EngineConfig> EngineConfig::fromYaml(const QByteArray &yaml)
{
    YAML::Node doc;
    try {
        doc = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return configError(QString(),
            QStringLiteral("The configuration is not valid YAML (line %1, column %2): %3")
                .arg(e.mark.line + 1)
                .arg(e.mark.column + 1)
                .arg(QString::fromStdString(e.msg)));
    }

    EngineConfig c;
    if (!doc || doc.IsNull())
        return c; // empty file: all defaults
    if (!doc.IsMap())
        return configError(QString(), QStringLiteral("The configuration must be a YAML mapping"));

    // Copies, never Node::operator= on a defined node: that rebinds the node it already refers to.
    const YAML::Node &top = doc;
    const bool wrapped = bool(top["salesforce"]);
    const YAML::Node root = wrapped ? YAML::Node(top["salesforce"]) : top;
    if (!root.IsMap())
        return configError(QStringLiteral("salesforce"), QStringLiteral("must be a mapping"));

    // Unknown keys first: a misspelt key means the user believes a setting is in force that is not.
    QStringList unknown;
    try {
        const QStringList known = knownKeys();
        findUnknownKeys(top, QString(), known, wrapped, true, unknown);
        if (wrapped)
            findUnknownKeys(root, QString(), known, wrapped, false, unknown);
    } catch (const YAML::Exception &e) {
        return configError(QString(), QStringLiteral("The configuration could not be read: %1")
                                          .arg(QString::fromStdString(e.msg)));
    }
    if (!unknown.isEmpty()) {
        // A file that is not a Forcescope configuration at all would give an endless line.
        constexpr qsizetype listed = 20;
        const qsizetype more = unknown.size() - listed;
        if (more > 0) {
            unknown.resize(listed);
            unknown.append(more == 1 ? QStringLiteral("and 1 more unknown key")
                                     : QStringLiteral("and %1 more unknown keys").arg(more));
        }
        return configError(QString(), unknown.join(QStringLiteral("; ")));
    }

    Reader r;
    try {
        readAll(r, root, c);
    } catch (const YAML::Exception &e) {
        return configError(QString(), QStringLiteral("The configuration could not be read: %1")
                                          .arg(QString::fromStdString(e.msg)));
    }
    if (r.error)
        return *r.error;

    auto valid = c.validate();
    if (!valid)
        return valid.error();
    return c;
}

Result<void> EngineConfig::validate() const
{
    static const QRegularExpression versionRe(QStringLiteral(R"(^\d{2,3}\.0$)"));
    if (!instanceUrl.isEmpty() && !isHttpUrl(instanceUrl))
        return configError(QStringLiteral("instance_url"), QStringLiteral("must be an http(s) URL with a host"));
    if (!versionRe.match(apiVersion).hasMatch())
        return configError(QStringLiteral("api_version"), QStringLiteral("must look like \"59.0\""));
    static const QStringList types
        = { QStringLiteral("jwt_bearer"), QStringLiteral("jwt"), QStringLiteral("refresh_token"),
              QStringLiteral("browser"), QStringLiteral("access_token") };
    if (!types.contains(credentials.type)) {
        return configError(QStringLiteral("credentials.type"),
            QStringLiteral("must be one of jwt_bearer, refresh_token, browser, access_token"));
    }
    if (!credentials.loginUrl.isEmpty() && !isHttpUrl(credentials.loginUrl))
        return configError(QStringLiteral("credentials.login_url"), QStringLiteral("must be an http(s) URL with a host"));
    if (resilience.retry.maxAttempts < 1)
        return configError(QStringLiteral("resilience.retry.max_attempts"), QStringLiteral("must be an integer ≥ 1"));
    if (resilience.retry.baseDelayMs < 0)
        return configError(QStringLiteral("resilience.retry.base_delay_ms"), QStringLiteral("must be an integer ≥ 0"));
    if (resilience.retry.maxDelayMs < resilience.retry.baseDelayMs) {
        return configError(QStringLiteral("resilience.retry.max_delay_ms"),
            QStringLiteral("must be ≥ resilience.retry.base_delay_ms (%1)").arg(resilience.retry.baseDelayMs));
    }
    if (resilience.circuitBreaker.failureThreshold < 1) {
        return configError(
            QStringLiteral("resilience.circuit_breaker.failure_threshold"), QStringLiteral("must be an integer ≥ 1"));
    }
    if (resilience.circuitBreaker.successThreshold < 1) {
        return configError(
            QStringLiteral("resilience.circuit_breaker.success_threshold"), QStringLiteral("must be an integer ≥ 1"));
    }
    if (resilience.circuitBreaker.resetTimeoutSeconds < 0) {
        return configError(
            QStringLiteral("resilience.circuit_breaker.reset_timeout_seconds"), QStringLiteral("must be ≥ 0"));
    }
    if (rateLimits.warnThresholdPercent < 0 || rateLimits.warnThresholdPercent > 100) {
        return configError(
            QStringLiteral("rate_limits.warn_threshold_percent"), QStringLiteral("must be a number from 0 to 100"));
    }
    if (rateLimits.pollIntervalSeconds < 0) {
        return configError(
            QStringLiteral("rate_limits.poll_interval_seconds"), QStringLiteral("must be an integer ≥ 0 (0 = off)"));
    }
    if (rateLimits.backoffSeconds < 0 || rateLimits.backoffSeconds > 86400) {
        return configError(
            QStringLiteral("rate_limits.backoff_seconds"), QStringLiteral("must be a number from 0 to 86400"));
    }
    if (metadata.describeCacheTtlSeconds < 0) {
        return configError(
            QStringLiteral("metadata.describe_cache_ttl_seconds"), QStringLiteral("must be an integer ≥ 0"));
    }
    if (events.replayPreset != u"LATEST" && events.replayPreset != u"EARLIEST")
        return configError(QStringLiteral("events.replay_preset"), QStringLiteral("must be LATEST or EARLIEST"));
    if (credentials.callbackPort < 0 || credentials.callbackPort > 65535)
        return configError(QStringLiteral("credentials.callback_port"), QStringLiteral("must be an integer from 0 to 65535"));
    if (credentials.refreshMarginSeconds >= credentials.sessionTimeoutSeconds) {
        return configError(QStringLiteral("credentials.refresh_margin_seconds"),
            QStringLiteral("must be less than credentials.session_timeout_seconds"));
    }
    return {};
}

} // namespace fs::engine
