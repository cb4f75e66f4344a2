#include "clirunner.h"

#include "demolauncher.h"
#include "io/csvwriter.h"
#include "queryoutput.h"
#include "texttable.h"

#include "api/engineclient.h"
#include "config/engineconfig.h"
#include "core/engine.h"
#include "core/enginethread.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <cstdio>

namespace fs::cli {

using fs::engine::CsvWriter;

namespace {

QString yesNo(bool b)
{
    return b ? QStringLiteral("yes") : QStringLiteral("no");
}

QString jsonText(const QJsonValue &v)
{
    if (v.isArray())
        return QString::fromUtf8(QJsonDocument(v.toArray()).toJson(QJsonDocument::Indented));
    return QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Indented));
}

// A small key/value or row table in the chosen format.
QString renderRows(OutputFormat format, const QStringList &headers, const QList<QStringList> &rows)
{
    if (format == OutputFormat::Csv) {
        QString out = CsvWriter::row(headers);
        for (const QStringList &r : rows)
            out += CsvWriter::row(r);
        return out;
    }
    return TextTable::render(headers, rows);
}

QString variantText(const QVariant &v)
{
    if (!v.isValid() || v.isNull())
        return {};
    if (v.typeId() == QMetaType::Bool)
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

} // namespace

int exitCodeFor(const EngineError &error)
{
    switch (error.category) {
    case EngineError::Category::Cancelled:
        return ExitCancelled;
    case EngineError::Category::Auth:
        return ExitAuth;
    case EngineError::Category::Conflict:
        return ExitConflict;
    case EngineError::Category::Validation:
        return ExitInvalid;
    case EngineError::Category::None:
    case EngineError::Category::Network:
    case EngineError::Category::Server:
    case EngineError::Category::Limits:
        break;
    }
    if (error.httpStatus == 404)
        return ExitInvalid;
    return ExitApi;
}

CliRunner::CliRunner(CliCommand command, QObject *parent)
    : QObject(parent)
    , m_cmd(std::move(command))
{
}

CliRunner::~CliRunner()
{
    m_client.reset();
    m_demo.reset();
    m_thread.reset(); // quits the engine's loop and waits for it
}

void CliRunner::out(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void CliRunner::err(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void CliRunner::printError(const EngineError &error)
{
    QString line = QStringLiteral("forcescope: error: ") + (error.message.isEmpty() ? categoryName(error.category) : error.message);
    if (!error.errorCode.isEmpty())
        line += QStringLiteral(" [%1]").arg(error.errorCode);
    if (error.line > 0)
        line += QStringLiteral(" (line %1, column %2)").arg(error.line).arg(error.column);
    line += u'\n';
    if (!error.detail.isEmpty() && error.detail != error.message)
        line += QStringLiteral("  %1\n").arg(error.detail);
    if (!error.fields.isEmpty())
        line += QStringLiteral("  fields: %1\n").arg(error.fields.join(QLatin1String(", ")));
    err(line);
}

void CliRunner::start()
{
    engine::EngineConfig config;
    if (!m_cmd.configFile.isEmpty()) {
        Result<engine::EngineConfig> loaded = engine::EngineConfig::load(m_cmd.configFile);
        if (!loaded) {
            // "FILE: resilience.retry.max_attempts: must be …": the file and the key.
            EngineError e = loaded.error();
            if (!e.message.contains(m_cmd.configFile))
                e.message = m_cmd.configFile + QStringLiteral(": ") + e.message;
            printError(e);
            return finish(ExitUsage);
        }
        config = loaded.value();
    }
    if (!m_cmd.apiVersion.isEmpty())
        config.apiVersion = m_cmd.apiVersion;

    engine::Engine::Options options;
    options.config = config;
    m_thread = std::make_unique<engine::EngineThread>();
    auto *eng = new engine::Engine(options);
    m_thread->adopt(eng); // deleted on its own thread when the loop ends
    m_engine = eng;
    m_thread->start();
    m_client = std::make_unique<EngineClient>(eng);

    connect(m_client.get(), &EngineClient::requestFailed, this, &CliRunner::onFailed);
    if (m_cmd.verbose) {
        connect(m_client.get(), &EngineClient::requestLogged, this, [this](const RequestLogEntry &e) {
            err(QStringLiteral("> %1 %2 → %3 (%4 ms%5%6)\n")
                    .arg(e.method, e.path)
                    .arg(e.status)
                    .arg(e.durationMs, 0, 'f', 1)
                    .arg(e.attempt > 1 ? QStringLiteral(", attempt %1").arg(e.attempt) : QString(),
                        e.errorCode.isEmpty() ? QString() : QStringLiteral(", ") + e.errorCode));
        });
    }
    // Browser login: the engine never opens a browser; print the URL (it carries no secret).
    connect(eng, &engine::Engine::openUrlRequested, this,
        [this](const QUrl &url) { err(QStringLiteral("Open this URL in a browser to log in:\n  %1\n").arg(url.toString())); },
        Qt::QueuedConnection);

    if (m_cmd.needsConnection())
        connectOrg();
    else
        runCommand();
}

void CliRunner::connectOrg()
{
    connect(m_client.get(), &EngineClient::connected, this, [this](RequestId id, const OrgSession &session) {
        if (id != m_current || m_finished)
            return;
        m_session = session;
        runCommand();
    });

    if (m_cmd.demo) {
        m_demo = std::make_unique<app::DemoLauncher>();
        connect(m_demo.get(), &app::DemoLauncher::ready, this, [this](const QUrl &baseUrl, const QString &token) {
            OrgProfile profile;
            profile.alias = QStringLiteral("demo");
            profile.instanceUrl = baseUrl;
            profile.loginUrl = baseUrl;
            profile.authType = AuthType::AccessToken;
            profile.username = QStringLiteral("demo");
            if (!m_cmd.apiVersion.isEmpty())
                profile.apiVersion = m_cmd.apiVersion;
            profile.demo = true;
            m_current = m_client->loginWithAccessToken(profile, token);
        });
        connect(m_demo.get(), &app::DemoLauncher::failed, this, [this](const QString &message) {
            err(QStringLiteral("forcescope: error: the demo org did not start: %1\n").arg(message));
            finish(ExitApi);
        });
        m_demo->start();
        return;
    }
    if (m_cmd.instanceUrl.isValid()) {
        const QString token = qEnvironmentVariable("SF_ACCESS_TOKEN").trimmed();
        if (token.isEmpty()) {
            err(QStringLiteral("forcescope: error: --instance-url needs the access token in the SF_ACCESS_TOKEN "
                               "environment variable\n"));
            return finish(ExitAuth);
        }
        OrgProfile profile;
        profile.alias = QStringLiteral("cli");
        profile.instanceUrl = m_cmd.instanceUrl;
        profile.loginUrl = m_cmd.instanceUrl;
        profile.authType = AuthType::AccessToken;
        if (!m_cmd.apiVersion.isEmpty())
            profile.apiVersion = m_cmd.apiVersion;
        profile.demo = true; // one-off: keep the token in memory, never in the keychain
        m_current = m_client->loginWithAccessToken(profile, token);
        return;
    }
    m_current = m_client->connectOrg(m_cmd.targetOrg);
}

void CliRunner::runCommand()
{
    const QString &c = m_cmd.command;
    if (c == u"query")
        return runQuery();
    if (c == u"record")
        return runRecord();
    if (c == u"org")
        return runOrg();

    if (c == u"describe") {
        connect(m_client.get(), &EngineClient::sobjectDescribed, this, [this](RequestId id, const SObjectDescribe &d) {
            if (id != m_current)
                return;
            if (m_cmd.format == OutputFormat::Json) {
                QJsonObject o;
                o.insert(QLatin1String("name"), d.summary.name);
                o.insert(QLatin1String("label"), d.summary.label);
                o.insert(QLatin1String("labelPlural"), d.summary.labelPlural);
                o.insert(QLatin1String("keyPrefix"), d.summary.keyPrefix);
                o.insert(QLatin1String("custom"), d.summary.custom);
                QJsonArray fields;
                for (const FieldDescribe &f : d.fields) {
                    QJsonObject fo;
                    fo.insert(QLatin1String("name"), f.name);
                    fo.insert(QLatin1String("label"), f.label);
                    fo.insert(QLatin1String("type"), f.type);
                    fo.insert(QLatin1String("length"), f.length);
                    fo.insert(QLatin1String("precision"), f.precision);
                    fo.insert(QLatin1String("scale"), f.scale);
                    fo.insert(QLatin1String("nillable"), f.nillable);
                    fo.insert(QLatin1String("createable"), f.createable);
                    fo.insert(QLatin1String("updateable"), f.updateable);
                    fo.insert(QLatin1String("custom"), f.custom);
                    fo.insert(QLatin1String("externalId"), f.externalId);
                    fo.insert(QLatin1String("referenceTo"), QJsonArray::fromStringList(f.referenceTo));
                    fo.insert(QLatin1String("relationshipName"), f.relationshipName);
                    QJsonArray picklist;
                    for (const PicklistValue &p : f.picklistValues)
                        picklist.append(p.value);
                    fo.insert(QLatin1String("picklistValues"), picklist);
                    fields.append(fo);
                }
                o.insert(QLatin1String("fields"), fields);
                QJsonArray children;
                for (const ChildRelationship &r : d.childRelationships) {
                    QJsonObject ro;
                    ro.insert(QLatin1String("childSObject"), r.childSObject);
                    ro.insert(QLatin1String("field"), r.field);
                    ro.insert(QLatin1String("relationshipName"), r.relationshipName);
                    children.append(ro);
                }
                o.insert(QLatin1String("childRelationships"), children);
                out(jsonText(o));
            } else {
                QList<QStringList> rows;
                for (const FieldDescribe &f : d.fields) {
                    rows.append({f.name, f.label, f.type, QString::number(f.length), yesNo(f.nillable), yesNo(f.createable),
                        yesNo(f.updateable), f.referenceTo.join(u',')});
                }
                if (m_cmd.format == OutputFormat::Table)
                    out(QStringLiteral("%1 (%2), %3 fields\n\n").arg(d.summary.name, d.summary.label).arg(d.fields.size()));
                out(renderRows(m_cmd.format,
                    {QStringLiteral("Name"), QStringLiteral("Label"), QStringLiteral("Type"), QStringLiteral("Length"),
                        QStringLiteral("Nillable"), QStringLiteral("Createable"), QStringLiteral("Updateable"),
                        QStringLiteral("ReferenceTo")},
                    rows));
            }
            finish(ExitOk);
        });
        m_current = m_client->describeSObject(m_cmd.args.value(0));
        return;
    }

    if (c == u"limits") {
        connect(m_client.get(), &EngineClient::limitsReady, this, [this](RequestId id, const OrgLimits &limits) {
            if (id != m_current)
                return;
            if (m_cmd.format == OutputFormat::Json) {
                QJsonObject o;
                for (const LimitValue &l : limits) {
                    QJsonObject v;
                    v.insert(QLatin1String("Max"), double(l.max));
                    v.insert(QLatin1String("Remaining"), double(l.remaining));
                    o.insert(l.name, v);
                }
                out(jsonText(o));
            } else {
                QList<QStringList> rows;
                for (const LimitValue &l : limits) {
                    const double used = l.max > 0 ? 100.0 * double(l.max - l.remaining) / double(l.max) : 0.0;
                    rows.append({l.name, QString::number(l.max), QString::number(l.remaining), QString::number(used, 'f', 1)});
                }
                out(renderRows(m_cmd.format,
                    {QStringLiteral("Name"), QStringLiteral("Max"), QStringLiteral("Remaining"), QStringLiteral("Used%")}, rows));
            }
            finish(ExitOk);
        });
        m_current = m_client->fetchLimits();
        return;
    }

    if (c == u"metrics") {
        connect(m_client.get(), &EngineClient::metricsReady, this, [this](RequestId id, const QString &text) {
            if (id != m_current)
                return;
            out(text);
            finish(ExitOk);
        });
        m_current = m_client->fetchMetrics();
        return;
    }
    err(QStringLiteral("forcescope: error: unknown command '%1'\n").arg(c));
    finish(ExitUsage);
}

void CliRunner::runQuery()
{
    m_output = std::make_unique<QueryOutput>(m_cmd.format, [this](const QString &text) { out(text); });
    auto last = std::make_shared<QueryPage>();
    connect(m_client.get(), &EngineClient::queryPageReady, this, [this, last](RequestId id, const QueryPage &page) {
        if (id != m_current || m_finished)
            return;
        m_output->writePage(page.batch);
        *last = page;
        last->batch = RecordBatch(); // keep the counters only; the page is written
    });
    connect(m_client.get(), &EngineClient::queryFinished, this, [this, last](RequestId id, const QueryStats &stats) {
        if (id != m_current || m_finished)
            return;
        m_output->finish(last->totalSize, stats.records, last->done || !last->truncated, last->truncated);
        finish(ExitOk);
    });
    QueryOptions options;
    options.includeDeleted = m_cmd.all;
    options.maxRecords = m_cmd.limit;
    m_current = m_client->runQuery(m_cmd.args.value(0), options);
}

void CliRunner::runRecord()
{
    const QString &a = m_cmd.action;
    const QString type = m_cmd.args.value(0);

    auto printSave = [this](const SaveResult &res, const QString &verb) {
        if (m_cmd.format == OutputFormat::Json) {
            QJsonObject o;
            o.insert(QLatin1String("id"), res.id);
            o.insert(QLatin1String("success"), res.success);
            o.insert(QLatin1String("created"), res.created);
            out(jsonText(o));
        } else if (m_cmd.format == OutputFormat::Csv) {
            out(CsvWriter::row({QStringLiteral("id"), QStringLiteral("success"), QStringLiteral("created")})
                + CsvWriter::row({res.id, res.success ? QStringLiteral("true") : QStringLiteral("false"),
                    res.created ? QStringLiteral("true") : QStringLiteral("false")}));
        } else {
            out(QStringLiteral("%1 %2\n").arg(verb, res.id));
        }
    };

    if (a == u"get") {
        connect(m_client.get(), &EngineClient::recordReady, this, [this](RequestId id, const RecordBatch &batch) {
            if (id != m_current)
                return;
            if (batch.rowCount() < 1) {
                err(QStringLiteral("forcescope: error: the server returned no record\n"));
                return finish(ExitApi);
            }
            if (m_cmd.format == OutputFormat::Json) {
                out(jsonText(QueryOutput::recordJson(batch, 0)));
            } else if (m_cmd.format == OutputFormat::Csv) {
                QStringList cells;
                for (int c = 0; c < batch.columnCount(); ++c)
                    cells.append(QueryOutput::cellText(batch, 0, c, OutputFormat::Csv));
                out(CsvWriter::row(batch.columns()) + CsvWriter::row(cells));
            } else {
                QList<QStringList> rows;
                for (int c = 0; c < batch.columnCount(); ++c)
                    rows.append({batch.columns().at(c), QueryOutput::cellText(batch, 0, c, OutputFormat::Table)});
                out(TextTable::render({QStringLiteral("Field"), QStringLiteral("Value")}, rows, 80));
            }
            finish(ExitOk);
        });
        m_current = m_client->getRecord(type, m_cmd.args.value(1), m_cmd.fields);
        return;
    }
    if (a == u"create" || a == u"upsert") {
        connect(m_client.get(), &EngineClient::recordSaved, this, [this, printSave](RequestId id, const SaveResult &res) {
            if (id != m_current)
                return;
            if (!res.success) {
                printError(res.errors.value(0));
                return finish(exitCodeFor(res.errors.value(0)));
            }
            printSave(res, res.created ? QStringLiteral("Created") : QStringLiteral("Updated"));
            finish(ExitOk);
        });
        if (a == u"create")
            m_current = m_client->createRecord(type, m_cmd.values);
        else
            m_current = m_client->upsertRecord(type, m_cmd.args.value(1), m_cmd.args.value(2), m_cmd.values);
        return;
    }
    if (a == u"delete") {
        connect(m_client.get(), &EngineClient::recordDeleted, this, [this](RequestId id, const QString &recordId) {
            if (id != m_current)
                return;
            if (m_cmd.format == OutputFormat::Json) {
                QJsonObject o;
                o.insert(QLatin1String("id"), recordId);
                o.insert(QLatin1String("deleted"), true);
                out(jsonText(o));
            } else if (m_cmd.format == OutputFormat::Csv) {
                out(CsvWriter::row({QStringLiteral("id"), QStringLiteral("deleted")}) + CsvWriter::row({recordId, QStringLiteral("true")}));
            } else {
                out(QStringLiteral("Deleted %1\n").arg(recordId));
            }
            finish(ExitOk);
        });
        m_current = m_client->deleteRecord(type, m_cmd.args.value(1));
        return;
    }
    if (a == u"update") {
        auto outcome = std::make_shared<int>(ExitOk);
        connect(m_client.get(), &EngineClient::recordSaved, this, [this, printSave, outcome](RequestId id, const SaveResult &res) {
            if (id != m_current)
                return;
            if (!res.success) {
                printError(res.errors.value(0));
                *outcome = exitCodeFor(res.errors.value(0));
                return;
            }
            printSave(res, QStringLiteral("Updated"));
        });
        connect(m_client.get(), &EngineClient::updateConflict, this, [this, outcome](RequestId id, const RecordConflict &c) {
            if (id != m_current)
                return;
            *outcome = ExitConflict;
            err(QStringLiteral("forcescope: error: %1 %2 was changed on the server (SystemModstamp now %3); nothing "
                               "was saved [CONFLICT]\n")
                    .arg(c.sobjectType, c.id, c.serverModstamp));
            if (m_cmd.format == OutputFormat::Json) {
                QJsonObject o;
                o.insert(QLatin1String("id"), c.id);
                o.insert(QLatin1String("sobjectType"), c.sobjectType);
                o.insert(QLatin1String("serverModstamp"), c.serverModstamp);
                o.insert(QLatin1String("attempted"), QJsonObject::fromVariantMap(c.attempted));
                o.insert(QLatin1String("serverValues"), QJsonObject::fromVariantMap(c.serverValues));
                QJsonObject wrap;
                wrap.insert(QLatin1String("conflict"), o);
                out(jsonText(wrap));
            } else {
                QList<QStringList> rows;
                for (auto it = c.attempted.cbegin(); it != c.attempted.cend(); ++it) {
                    QString server;
                    for (auto s = c.serverValues.cbegin(); s != c.serverValues.cend(); ++s) {
                        if (s.key().compare(it.key(), Qt::CaseInsensitive) == 0)
                            server = variantText(s.value());
                    }
                    rows.append({it.key(), variantText(it.value()), server});
                }
                out(renderRows(m_cmd.format, {QStringLiteral("Field"), QStringLiteral("Yours"), QStringLiteral("Server")}, rows));
            }
        });
        connect(m_client.get(), &EngineClient::updatesFinished, this, [this, outcome](RequestId id, int, int, int) {
            if (id == m_current)
                finish(*outcome);
        });
        RecordUpdate u;
        u.sobjectType = type;
        u.id = m_cmd.args.value(1);
        u.changes = m_cmd.values;
        u.expectedModstamp = m_cmd.expectedModstamp;
        m_current = m_client->saveUpdates({u});
        return;
    }
    err(QStringLiteral("forcescope: error: unknown record action '%1'\n").arg(a));
    finish(ExitUsage);
}

void CliRunner::runOrg()
{
    const QString &a = m_cmd.action;
    if (a == u"list") {
        connect(m_client.get(), &EngineClient::orgsListed, this, [this](RequestId id, const QList<OrgProfile> &orgs) {
            if (id != m_current)
                return;
            if (m_cmd.format == OutputFormat::Json) {
                QJsonArray arr;
                for (const OrgProfile &p : orgs) {
                    QJsonObject o;
                    o.insert(QLatin1String("alias"), p.alias);
                    o.insert(QLatin1String("username"), p.username);
                    o.insert(QLatin1String("instanceUrl"), p.instanceUrl.toString());
                    o.insert(QLatin1String("loginUrl"), p.loginUrl.toString());
                    o.insert(QLatin1String("apiVersion"), p.apiVersion);
                    o.insert(QLatin1String("authType"), authTypeName(p.authType));
                    arr.append(o);
                }
                out(jsonText(arr));
            } else {
                QList<QStringList> rows;
                for (const OrgProfile &p : orgs)
                    rows.append({p.alias, p.username, p.instanceUrl.toString(), authTypeName(p.authType), p.apiVersion});
                out(renderRows(m_cmd.format,
                    {QStringLiteral("Alias"), QStringLiteral("Username"), QStringLiteral("InstanceUrl"),
                        QStringLiteral("Auth"), QStringLiteral("ApiVersion")},
                    rows));
            }
            finish(ExitOk);
        });
        m_current = m_client->listOrgs();
        return;
    }
    if (a == u"show") {
        // Connected already (needsConnection): show the session, which holds no secret.
        const OrgSession &s = m_session;
        if (m_cmd.format == OutputFormat::Json) {
            QJsonObject o;
            o.insert(QLatin1String("alias"), s.alias);
            o.insert(QLatin1String("instanceUrl"), s.instanceUrl.toString());
            o.insert(QLatin1String("apiVersion"), s.apiVersion);
            o.insert(QLatin1String("username"), s.username);
            o.insert(QLatin1String("organizationId"), s.organizationId);
            o.insert(QLatin1String("userId"), s.userId);
            o.insert(QLatin1String("demo"), s.demo);
            out(jsonText(o));
        } else {
            out(renderRows(m_cmd.format, {QStringLiteral("Key"), QStringLiteral("Value")},
                {{QStringLiteral("alias"), s.alias}, {QStringLiteral("instanceUrl"), s.instanceUrl.toString()},
                    {QStringLiteral("apiVersion"), s.apiVersion}, {QStringLiteral("username"), s.username},
                    {QStringLiteral("organizationId"), s.organizationId}, {QStringLiteral("userId"), s.userId}}));
        }
        return finish(ExitOk);
    }
    if (a == u"logout") {
        connect(m_client.get(), &EngineClient::loggedOut, this, [this](RequestId id, const QString &alias) {
            if (id != m_current)
                return;
            out(QStringLiteral("Logged out of %1\n").arg(alias));
            finish(ExitOk);
        });
        m_current = m_client->logout(m_cmd.targetOrg);
        return;
    }
    if (a == u"login") {
        connect(m_client.get(), &EngineClient::connected, this, [this](RequestId id, const OrgSession &s) {
            if (id != m_current)
                return;
            out(QStringLiteral("Logged in to %1 as %2 (%3)\n").arg(s.alias, s.username, s.instanceUrl.toString()));
            finish(ExitOk);
        });
        OrgProfile profile;
        profile.alias = m_cmd.alias;
        profile.instanceUrl = m_cmd.instanceUrl;
        profile.loginUrl = m_cmd.loginUrl.isValid() ? m_cmd.loginUrl
            : m_cmd.instanceUrl.isValid()              ? m_cmd.instanceUrl
                                                       : QUrl(QStringLiteral("https://login.salesforce.com"));
        profile.authType = authTypeFromName(m_cmd.authType);
        profile.clientId = m_cmd.clientId;
        profile.username = m_cmd.username;
        profile.keyFile = m_cmd.keyFile;
        if (!m_cmd.apiVersion.isEmpty())
            profile.apiVersion = m_cmd.apiVersion;
        if (m_cmd.authType == u"access_token") {
            const QString token = qEnvironmentVariable("SF_ACCESS_TOKEN").trimmed();
            if (token.isEmpty()) {
                err(QStringLiteral("forcescope: error: set the access token in the SF_ACCESS_TOKEN environment variable\n"));
                return finish(ExitAuth);
            }
            m_current = m_client->loginWithAccessToken(profile, token);
        } else if (m_cmd.authType == u"refresh_token") {
            const QString token = qEnvironmentVariable("SF_REFRESH_TOKEN").trimmed();
            if (token.isEmpty()) {
                err(QStringLiteral("forcescope: error: set the refresh token in the SF_REFRESH_TOKEN environment variable\n"));
                return finish(ExitAuth);
            }
            m_current = m_client->loginWithRefreshToken(profile, token);
        } else if (m_cmd.authType == u"jwt") {
            m_current = m_client->loginWithJwt(profile);
        } else {
            m_current = m_client->loginWithBrowser(profile);
        }
        return;
    }
    err(QStringLiteral("forcescope: error: unknown org action '%1'\n").arg(a));
    finish(ExitUsage);
}

void CliRunner::onFailed(RequestId id, const EngineError &error)
{
    if (id != m_current || m_finished)
        return;
    if (m_interrupted && error.category == EngineError::Category::Cancelled) {
        err(QStringLiteral("forcescope: cancelled\n"));
        return finish(ExitCancelled);
    }
    printError(error);
    finish(exitCodeFor(error));
}

void CliRunner::interrupt()
{
    if (m_finished)
        return;
    m_interrupted = true;
    if (m_current && m_client)
        m_client->cancel(m_current);
    // If nothing answers the cancel quickly, stop anyway.
    QTimer::singleShot(3000, this, [this] {
        if (!m_finished) {
            err(QStringLiteral("forcescope: cancelled\n"));
            finish(ExitCancelled);
        }
    });
}

void CliRunner::finish(int exitCode)
{
    if (m_finished)
        return;
    m_finished = true;
    // Usually called from a slot of one of m_client's (or m_demo's) signals: tear down on the
    // next turn of the event loop, outside that emission.
    QTimer::singleShot(0, this, [this, exitCode] {
        m_client.reset();
        m_demo.reset();
        m_thread.reset(); // quits the loop and waits: shutdown only; the engine is deleted on its own thread first
        Q_EMIT finished(exitCode);
    });
}

} // namespace fs::cli
