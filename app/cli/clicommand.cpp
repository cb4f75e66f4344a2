#include "clicommand.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>

namespace fs::cli {

namespace {

EngineError usageError(const QString &message)
{
    return EngineError::make(EngineError::Category::Validation, message, QStringLiteral("USAGE"));
}

const QSet<QString> &commands()
{
    static const QSet<QString> s{QStringLiteral("org"), QStringLiteral("query"), QStringLiteral("describe"),
        QStringLiteral("limits"), QStringLiteral("record"), QStringLiteral("metrics")};
    return s;
}

// Options that would put a secret in the process list, which other users can read.
bool isSecretOption(const QString &name)
{
    static const QSet<QString> s{QStringLiteral("access-token"), QStringLiteral("token"), QStringLiteral("sid"),
        QStringLiteral("session-id"), QStringLiteral("refresh-token"), QStringLiteral("password"),
        QStringLiteral("client-secret"), QStringLiteral("private-key"), QStringLiteral("bearer")};
    return s.contains(name);
}

// A Salesforce session id: the 15/18-char org id, '!', then the opaque part.
bool looksLikeSessionId(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^00D[A-Za-z0-9]{12}([A-Za-z0-9]{3})?![A-Za-z0-9._]{20,}$"));
    return re.match(text).hasMatch();
}

const QString kSecretRefusal = QStringLiteral(
    "refusing to take a token or secret from the command line, where other users of this machine can "
    "see it; set SF_ACCESS_TOKEN (or SF_REFRESH_TOKEN for `org login --auth refresh_token`) in the "
    "environment instead");

} // namespace

bool CliCommand::needsConnection() const
{
    if (command == u"org")
        return action == u"show";
    if (command == u"metrics")
        return demo || instanceUrl.isValid() || !targetOrg.isEmpty();
    return true;
}

bool CliParser::isCommand(const QString &word)
{
    return commands().contains(word);
}

Result<CliCommand> CliParser::parse(const QStringList &args)
{
    CliCommand cmd;
    QStringList positional;
    bool sawFormat = false;

    for (qsizetype i = 0; i < args.size(); ++i) {
        const QString arg = args.at(i);
        if (looksLikeSessionId(arg))
            return usageError(kSecretRefusal);
        if (!arg.startsWith(u'-') || arg == u"-") {
            positional.append(arg);
            continue;
        }
        if (arg == u"--") {
            positional += args.mid(i + 1);
            break;
        }
        QString name;
        QString value;
        bool hasValue = false;
        if (arg.startsWith(QLatin1String("--"))) {
            name = arg.mid(2);
            const qsizetype eq = name.indexOf(u'=');
            if (eq >= 0) {
                value = name.mid(eq + 1);
                name = name.left(eq);
                hasValue = true;
            }
        } else {
            static const QHash<QString, QString> shortNames{{QStringLiteral("-h"), QStringLiteral("help")},
                {QStringLiteral("-o"), QStringLiteral("target-org")}, {QStringLiteral("-f"), QStringLiteral("format")},
                {QStringLiteral("-a"), QStringLiteral("alias")}, {QStringLiteral("-v"), QStringLiteral("verbose")}};
            if (!shortNames.contains(arg))
                return usageError(QStringLiteral("unknown option '%1'").arg(arg));
            name = shortNames.value(arg);
        }
        if (isSecretOption(name))
            return usageError(kSecretRefusal);

        // Flags.
        if (name == u"help" || name == u"demo" || name == u"all" || name == u"verbose") {
            if (hasValue)
                return usageError(QStringLiteral("option --%1 takes no value").arg(name));
            if (name == u"help")
                cmd.help = true;
            else if (name == u"demo")
                cmd.demo = true;
            else if (name == u"all")
                cmd.all = true;
            else
                cmd.verbose = true;
            continue;
        }

        static const QSet<QString> valued{QStringLiteral("target-org"), QStringLiteral("instance-url"),
            QStringLiteral("api-version"), QStringLiteral("config"), QStringLiteral("format"), QStringLiteral("limit"),
            QStringLiteral("fields"), QStringLiteral("set"), QStringLiteral("json"), QStringLiteral("expected-modstamp"),
            QStringLiteral("alias"), QStringLiteral("auth"), QStringLiteral("login-url"), QStringLiteral("client-id"),
            QStringLiteral("username"), QStringLiteral("key-file")};
        if (!valued.contains(name))
            return usageError(QStringLiteral("unknown option '--%1'").arg(name));
        if (!hasValue) {
            if (i + 1 >= args.size())
                return usageError(QStringLiteral("option --%1 needs a value").arg(name));
            value = args.at(++i);
        }
        if (looksLikeSessionId(value))
            return usageError(kSecretRefusal);

        if (name == u"target-org") {
            cmd.targetOrg = value;
        } else if (name == u"instance-url" || name == u"login-url") {
            const QUrl url(value, QUrl::StrictMode);
            if (!url.isValid() || (url.scheme() != u"https" && url.scheme() != u"http") || url.host().isEmpty())
                return usageError(QStringLiteral("--%1 needs an http(s) URL, got '%2'").arg(name, value));
            if (!url.userInfo().isEmpty())
                return usageError(kSecretRefusal);
            (name == u"instance-url" ? cmd.instanceUrl : cmd.loginUrl) = url;
        } else if (name == u"api-version") {
            static const QRegularExpression re(QStringLiteral("^v?\\d{2,3}\\.0$"));
            if (!re.match(value).hasMatch())
                return usageError(QStringLiteral("--api-version needs a version such as 59.0, got '%1'").arg(value));
            cmd.apiVersion = value.startsWith(u'v') ? value.mid(1) : value;
        } else if (name == u"config") {
            cmd.configFile = value;
        } else if (name == u"format") {
            sawFormat = true;
            if (value == u"table")
                cmd.format = OutputFormat::Table;
            else if (value == u"csv")
                cmd.format = OutputFormat::Csv;
            else if (value == u"json")
                cmd.format = OutputFormat::Json;
            else
                return usageError(QStringLiteral("--format must be table, csv or json, got '%1'").arg(value));
        } else if (name == u"limit") {
            bool ok = false;
            cmd.limit = value.toLongLong(&ok);
            if (!ok || cmd.limit <= 0)
                return usageError(QStringLiteral("--limit needs a positive number, got '%1'").arg(value));
        } else if (name == u"fields") {
            for (const QString &f : value.split(u',', Qt::SkipEmptyParts))
                cmd.fields.append(f.trimmed());
        } else if (name == u"set") {
            const qsizetype eq = value.indexOf(u'=');
            if (eq <= 0)
                return usageError(QStringLiteral("--set needs Field=Value, got '%1'").arg(value));
            const QString field = value.left(eq).trimmed();
            const QString v = value.mid(eq + 1);
            // An empty value clears the field (JSON null).
            cmd.values.insert(field, v.isEmpty() ? QVariant::fromValue(nullptr) : QVariant(v));
        } else if (name == u"json") {
            QJsonParseError err{};
            const QJsonDocument doc = QJsonDocument::fromJson(value.toUtf8(), &err);
            if (err.error != QJsonParseError::NoError || !doc.isObject())
                return usageError(QStringLiteral("--json needs a JSON object of field values (%1)").arg(err.errorString()));
            const QVariantMap m = doc.object().toVariantMap();
            for (auto it = m.cbegin(); it != m.cend(); ++it)
                cmd.values.insert(it.key(), it.value());
        } else if (name == u"expected-modstamp") {
            cmd.expectedModstamp = value;
        } else if (name == u"alias") {
            cmd.alias = value;
        } else if (name == u"auth") {
            static const QSet<QString> types{QStringLiteral("access_token"), QStringLiteral("refresh_token"),
                QStringLiteral("jwt"), QStringLiteral("browser")};
            if (!types.contains(value))
                return usageError(QStringLiteral("--auth must be access_token, refresh_token, jwt or browser, got '%1'").arg(value));
            cmd.authType = value;
        } else if (name == u"client-id") {
            cmd.clientId = value;
        } else if (name == u"username") {
            cmd.username = value;
        } else if (name == u"key-file") {
            cmd.keyFile = value;
        }
    }
    Q_UNUSED(sawFormat)

    if (positional.isEmpty())
        return usageError(QStringLiteral("no command given"));
    cmd.command = positional.takeFirst();
    if (!isCommand(cmd.command))
        return usageError(QStringLiteral("unknown command '%1'").arg(cmd.command));
    if (cmd.help)
        return cmd;

    const int connectionChoices = int(cmd.demo) + int(cmd.instanceUrl.isValid()) + int(!cmd.targetOrg.isEmpty());
    if (connectionChoices > 1 && cmd.command != u"org")
        return usageError(QStringLiteral("use only one of --target-org, --instance-url and --demo"));

    auto need = [&](int n, const QString &what) -> Result<void> {
        if (positional.size() < n)
            return usageError(QStringLiteral("missing %1").arg(what));
        if (positional.size() > n)
            // Not echoed: a stray argument may be a pasted secret.
            return usageError(QStringLiteral("unexpected extra argument (number %1 after the command)").arg(n + 1));
        return {};
    };

    if (cmd.command == u"org" || cmd.command == u"record") {
        if (positional.isEmpty())
            return usageError(QStringLiteral("`%1` needs an action").arg(cmd.command));
        cmd.action = positional.takeFirst();
    }

    Result<void> arity;
    if (cmd.command == u"org") {
        if (cmd.action == u"list" || cmd.action == u"show") {
            arity = need(0, {});
        } else if (cmd.action == u"logout") {
            if (positional.size() == 1 && cmd.targetOrg.isEmpty())
                cmd.targetOrg = positional.takeFirst();
            arity = need(0, {});
            if (arity && cmd.targetOrg.isEmpty())
                return usageError(QStringLiteral("`org logout` needs an alias (ALIAS or --target-org ALIAS)"));
        } else if (cmd.action == u"login") {
            if (positional.size() == 1 && cmd.alias.isEmpty())
                cmd.alias = positional.takeFirst();
            arity = need(0, {});
            if (arity && cmd.alias.isEmpty())
                return usageError(QStringLiteral("`org login` needs --alias ALIAS"));
            if (cmd.authType.isEmpty())
                cmd.authType = cmd.instanceUrl.isValid() ? QStringLiteral("access_token") : QStringLiteral("browser");
            if (cmd.authType == u"access_token" && !cmd.instanceUrl.isValid())
                return usageError(QStringLiteral("`org login --auth access_token` needs --instance-url"));
            if (cmd.authType == u"jwt" && (cmd.clientId.isEmpty() || cmd.username.isEmpty() || cmd.keyFile.isEmpty()))
                return usageError(QStringLiteral("`org login --auth jwt` needs --client-id, --username and --key-file"));
        } else {
            return usageError(QStringLiteral("unknown org action '%1' (login, list, logout, show)").arg(cmd.action));
        }
    } else if (cmd.command == u"query") {
        arity = need(1, QStringLiteral("the SOQL text"));
    } else if (cmd.command == u"describe") {
        arity = need(1, QStringLiteral("the object name"));
    } else if (cmd.command == u"limits" || cmd.command == u"metrics") {
        arity = need(0, {});
    } else if (cmd.command == u"record") {
        if (cmd.action == u"get" || cmd.action == u"delete") {
            arity = need(2, QStringLiteral("OBJECT and ID"));
        } else if (cmd.action == u"create") {
            arity = need(1, QStringLiteral("OBJECT"));
            if (arity && cmd.values.isEmpty())
                return usageError(QStringLiteral("`record create` needs field values (--set Field=Value or --json '{…}')"));
        } else if (cmd.action == u"update") {
            arity = need(2, QStringLiteral("OBJECT and ID"));
            if (arity && cmd.values.isEmpty())
                return usageError(QStringLiteral("`record update` needs field values (--set Field=Value or --json '{…}')"));
        } else if (cmd.action == u"upsert") {
            arity = need(3, QStringLiteral("OBJECT, EXTERNAL_ID_FIELD and VALUE"));
        } else {
            return usageError(
                QStringLiteral("unknown record action '%1' (get, create, update, delete, upsert)").arg(cmd.action));
        }
    }
    if (!arity)
        return arity.error();
    cmd.args = positional;

    if (cmd.needsConnection() && connectionChoices == 0)
        return usageError(QStringLiteral("no org given: use --target-org ALIAS, --instance-url URL (token in "
                                         "SF_ACCESS_TOKEN) or --demo"));
    return cmd;
}

QString CliParser::usage()
{
    return QStringLiteral(R"(Usage: forcescope <command> [arguments] [options]

Commands (no display needed):
  org login --alias ALIAS [--auth access_token|refresh_token|jwt|browser]
            [--instance-url URL | --login-url URL] [--client-id ID] [--username NAME]
            [--key-file PEM]      Log in and save the org profile (secrets go to the keychain;
                                  access_token reads SF_ACCESS_TOKEN, refresh_token reads
                                  SF_REFRESH_TOKEN; browser prints the URL to open)
  org list                        List saved org profiles
  org show                        Connect and show the session (never the token)
  org logout ALIAS                Revoke and forget the org's stored secrets
  query "SOQL" [--all] [--limit N]
                                  Run a query; pages are written as they arrive
                                  (--all includes deleted/archived rows: queryAll)
  describe OBJECT                 Fields of an object
  limits                          The org's limits (/limits)
  record get OBJECT ID [--fields A,B]
  record create OBJECT --set Field=Value... | --json '{"Field":value}'
  record update OBJECT ID --set Field=Value... [--expected-modstamp SYSTEMMODSTAMP]
                                  With --expected-modstamp the update is refused (exit 5) when
                                  the record changed since; the server's values are shown
  record upsert OBJECT EXT_ID_FIELD VALUE --set Field=Value...
  record delete OBJECT ID
  metrics                         Engine metrics in Prometheus text format

Connection (one of):
  -o, --target-org ALIAS          A saved org profile
  --instance-url URL              One-off use without a profile; the access token is read from
                                  the SF_ACCESS_TOKEN environment variable, never from an argument
  --demo                          The built-in simulated org (starts forcescope-sim)

Options:
  -f, --format table|csv|json     Output format (default table). csv is RFC 4180 with CRLF line
                                  ends; json is one document, one record per line:
                                  {"records":[{...}],"totalSize":N,"fetched":M,"done":B,"truncated":B}
                                  with flattened column names as keys ("Account.Name") in
                                  select-list order; a child subquery is
                                  {"totalSize":N,"done":B,"records":[...]} or null
  --api-version V                 API version, e.g. 59.0
  --config FILE                   Engine configuration (YAML: timeouts, resilience.retry,
                                  resilience.circuit_breaker, rate_limits, ...). A file that
                                  cannot be used stops the command with exit code 1 and names
                                  the file or the key, e.g. resilience.retry.max_attempts
  -v, --verbose                   Sanitized request log on stderr (never a token)
  -h, --help                      This help

Exit codes:
  0    success
  1    usage error (bad arguments, an invalid --config file, a secret passed on the command line)
  2    authentication error (not logged in, token missing, expired or revoked, no keychain)
  3    API error (network, server 5xx, request limits, corrupt reply)
  4    not found or invalid (malformed SOQL, unknown object or field, bad value, no such record)
  5    conflict (record changed on the server; nothing was saved)
  130  cancelled (Ctrl-C)
)");
}

} // namespace fs::cli
