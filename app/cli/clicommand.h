#pragma once

#include "api/result.h"
#include "queryoutput.h"

#include <QString>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

namespace fs::cli {

// Documented process exit codes of the headless commands.
enum ExitCode : int {
    ExitOk = 0,
    ExitUsage = 1, // bad arguments, unknown command or option, secret on the command line
    ExitAuth = 2, // not logged in, token missing/expired/revoked, keychain unavailable
    ExitApi = 3, // network, server (5xx), limits, corrupt reply
    ExitInvalid = 4, // not found, validation: malformed SOQL, unknown object/field, bad value
    ExitConflict = 5, // conflict-checked update refused: the record changed on the server
    ExitCancelled = 130, // interrupted (Ctrl-C)
};

// One parsed command line: `forcescope <command> [action] [arguments] [options]`.
struct CliCommand {
    QString command; // org | query | describe | limits | record | metrics
    QString action; // org: login|list|logout|show; record: get|create|update|delete|upsert
    QStringList args; // remaining positional arguments
    bool help = false;

    OutputFormat format = OutputFormat::Table;

    // Connection (one of them, except for org list/logout/login).
    QString targetOrg;
    bool demo = false;
    QUrl instanceUrl; // with SF_ACCESS_TOKEN from the environment
    QString apiVersion;
    QString configFile;
    bool verbose = false; // sanitized request log on stderr

    // query
    bool all = false;
    qint64 limit = 0;

    // record
    QStringList fields;
    QVariantMap values;
    QString expectedModstamp;

    // org login
    QString alias;
    QString authType; // access_token | refresh_token | jwt | browser
    QUrl loginUrl;
    QString clientId;
    QString username;
    QString keyFile;

    bool needsConnection() const;
};

// Parses the arguments after the program name. Pure; never reads the environment.
class CliParser {
public:
    static bool isCommand(const QString &word);
    static Result<CliCommand> parse(const QStringList &args);
    static QString usage(); // the full `forcescope <command> --help` text, exit codes included
};

} // namespace fs::cli
