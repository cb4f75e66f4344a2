#pragma once

#include "api/types.h"
#include "config/engineconfig.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <memory>

namespace fs::engine {

class Transport;
class OrgService;
class RecordService;
class Metrics;
class Credentials;

// The engine-thread object behind EngineClient: composes configuration, transport, org sessions
// and the metadata, query and record services, and answers every facade call with a signal that
// carries the caller's RequestId.
//
// Create it on any thread, then move it to the engine thread (app/ does that) before the first
// call: its services are created lazily on the thread it lives on. Every method below is engine
// thread only; EngineClient reaches them through queued invocations. No exception leaves a call:
// each is caught here and reported as requestFailed.
class Engine : public QObject {
    Q_OBJECT
public:
    struct Options {
        EngineConfig config;
        QString settingsFile; // empty = the user's QSettings location
        QString keychainService; // empty = "forcescope"
        QString describeCacheDir; // empty = the user's cache location
        std::shared_ptr<Metrics> metrics; // null = Metrics::global()
    };

    explicit Engine(QObject *parent = nullptr);
    explicit Engine(Options options, QObject *parent = nullptr);
    ~Engine() override;

    // Engine thread only. The services (created on first use); for tests and the CLI.
    Transport *transport();
    OrgService *orgService();
    RecordService *recordService();
    std::shared_ptr<Metrics> metrics() const;
    OrgSession session() const { return m_session; }

    // --- One method per EngineClient call (engine thread only) ----------------------------
    void listOrgs(fs::RequestId id);
    void saveOrg(fs::RequestId id, const fs::OrgProfile &profile);
    void removeOrg(fs::RequestId id, const QString &alias);
    void connectOrg(fs::RequestId id, const QString &alias);
    void loginWithBrowser(fs::RequestId id, const fs::OrgProfile &profile);
    void loginWithJwt(fs::RequestId id, const fs::OrgProfile &profile);
    void loginWithRefreshToken(fs::RequestId id, const fs::OrgProfile &profile, const QString &refreshToken);
    void loginWithAccessToken(fs::RequestId id, const fs::OrgProfile &profile, const QString &accessToken);
    void logout(fs::RequestId id, const QString &alias);

    void fetchVersions(fs::RequestId id);
    void describeGlobal(fs::RequestId id);
    void describeSObject(fs::RequestId id, const QString &name);
    void fetchLimits(fs::RequestId id);

    void runQuery(fs::RequestId id, const QString &soql, const fs::QueryOptions &options);
    void fetchChildPage(fs::RequestId id, const QString &nextRecordsUrl);
    void fetchChildRows(fs::RequestId id, const fs::ChildCursor &cursor);

    void getRecord(fs::RequestId id, const QString &sobjectType, const QString &recordId, const QStringList &fields);
    void createRecord(fs::RequestId id, const QString &sobjectType, const QVariantMap &fields);
    void upsertRecord(fs::RequestId id, const QString &sobjectType, const QString &externalIdField,
        const QString &externalId, const QVariantMap &fields);
    void deleteRecord(fs::RequestId id, const QString &sobjectType, const QString &recordId);
    void saveUpdates(fs::RequestId id, const QList<fs::RecordUpdate> &updates);

    void fetchMetrics(fs::RequestId id);
    void cancel(fs::RequestId id);

Q_SIGNALS:
    // Same meaning as EngineClient's signals of the same names.
    void orgsListed(fs::RequestId id, const QList<fs::OrgProfile> &orgs);
    void orgSaved(fs::RequestId id, const fs::OrgProfile &profile);
    void orgRemoved(fs::RequestId id, const QString &alias);
    void connected(fs::RequestId id, const fs::OrgSession &session);
    void loggedOut(fs::RequestId id, const QString &alias);

    void versionsReady(fs::RequestId id, const QStringList &versions);
    void globalDescribeReady(fs::RequestId id, const QList<fs::SObjectSummary> &objects);
    void sobjectDescribed(fs::RequestId id, const fs::SObjectDescribe &describe);
    void limitsReady(fs::RequestId id, const fs::OrgLimits &limits);

    void queryPageReady(fs::RequestId id, const fs::QueryPage &page);
    void queryFinished(fs::RequestId id, const fs::QueryStats &stats);

    void recordReady(fs::RequestId id, const fs::RecordBatch &record);
    void recordSaved(fs::RequestId id, const fs::SaveResult &result);
    void recordDeleted(fs::RequestId id, const QString &recordId);
    void updateConflict(fs::RequestId id, const fs::RecordConflict &conflict);
    void updatesFinished(fs::RequestId id, int succeeded, int failed, int conflicts);

    void metricsReady(fs::RequestId id, const QString &prometheusText);
    void requestFailed(fs::RequestId id, const fs::EngineError &error);

    void sessionChanged(const fs::OrgSession &session);
    void apiUsageChanged(const fs::ApiUsage &usage);
    void apiUsageWarning(const fs::ApiUsage &usage, double thresholdPercent);
    void circuitStateChanged(fs::CircuitState state);
    void requestLogged(const fs::RequestLogEntry &entry);
    void authExpired(const QString &alias, const fs::EngineError &error);
    // Browser login: the authorize URL for the caller to open (the engine never opens a browser).
    void openUrlRequested(const QUrl &url);

private:
    class Private;
    void ensureStarted();
    // Runs `body`, turning any escaping exception into requestFailed(id).
    void guarded(fs::RequestId id, const std::function<void()> &body);
    void adoptSession(fs::RequestId id, const OrgSession &session, const std::shared_ptr<Credentials> &credentials);
    void fail(fs::RequestId id, const fs::EngineError &error);

    Options m_options;
    OrgSession m_session;
    std::unique_ptr<Private> d;
};

} // namespace fs::engine
