#pragma once

#include "types.h"

#include <QList>
#include <QObject>
#include <QPointer>
#include <QUrl>

#include <atomic>

namespace fs {

namespace engine {
class Engine;
}

// The one door between the UI (or the CLI) and the engine.
//
// Lives on the caller's thread (the GUI thread in the app). Every call allocates a RequestId at
// once and forwards the work, queued, to the Engine object on the engine thread; the engine's
// answers come back as this object's signals on the caller's thread. Nothing here blocks.
// Only final outcomes arrive: transient failures are retried inside the engine.
class EngineClient : public QObject {
    Q_OBJECT
public:
    // `engine` must already live on its own thread (app/ sets that up) or on this thread (tests).
    explicit EngineClient(engine::Engine *engine, QObject *parent = nullptr);
    ~EngineClient() override;

    // --- Orgs and auth --------------------------------------------------------------------
    RequestId listOrgs(); // → orgsListed
    RequestId saveOrg(const OrgProfile &profile); // → orgSaved (profile only; no secret)
    RequestId removeOrg(const QString &alias); // → orgRemoved (also drops its keychain entries)
    // Connects with the stored profile and its keychain-held secrets (JWT: signs a new assertion).
    RequestId connectOrg(const QString &alias); // → connected
    // Browser login with PKCE: emits openUrlRequested with the authorize URL (the caller opens
    // it; the engine never starts a browser), waits on a loopback redirect listener, stores the
    // refresh token in the keychain. → connected. cancel(id) stops the listener at once.
    RequestId loginWithBrowser(const OrgProfile &profile);
    // JWT bearer login with the profile's key file. → connected
    RequestId loginWithJwt(const OrgProfile &profile);
    // Stores the refresh token in the keychain, then refreshes. → connected
    RequestId loginWithRefreshToken(const OrgProfile &profile, const QString &refreshToken);
    // A pasted access token (session id). Stored in the keychain unless profile.demo, in which
    // case it is held in memory only. → connected
    RequestId loginWithAccessToken(const OrgProfile &profile, const QString &accessToken);
    RequestId logout(const QString &alias); // revokes, forgets secrets → loggedOut

    // --- Metadata (current org) --------------------------------------------------------------
    RequestId fetchVersions(); // → versionsReady
    RequestId describeGlobal(); // → globalDescribeReady (served from the describe cache when fresh)
    RequestId describeSObject(const QString &name); // → sobjectDescribed
    RequestId fetchLimits(); // → limitsReady

    // --- Queries ------------------------------------------------------------------------------
    // Streams every page: queryPageReady per page, then queryFinished, or requestFailed.
    // The next page is requested as soon as its locator arrives.
    RequestId runQuery(const QString &soql, const QueryOptions &options = {});
    // Fetches one more page of a nested child result (RecordBatch::nextRecordsUrl of a child).
    RequestId fetchChildPage(const QString &nextRecordsUrl); // → queryPageReady, queryFinished
    // Streams every remaining row of a nested child result: queryPageReady per page (done on the
    // last; fetched counts cursor.held too), then queryFinished. Survives a child locator that is
    // gone (the parent query moved on, or it expired): the engine then re-queries that parent's
    // children on their own and skips the cursor.held rows the caller has. Make the cursor with
    // page.origin.descend(parentId, relationshipName, childBatch).
    RequestId fetchChildRows(const ChildCursor &cursor);

    // --- Records ------------------------------------------------------------------------------
    RequestId getRecord(const QString &sobjectType, const QString &id, const QStringList &fields = {});
    RequestId createRecord(const QString &sobjectType, const QVariantMap &fields); // → recordSaved
    RequestId upsertRecord(const QString &sobjectType, const QString &externalIdField, const QString &externalId,
        const QVariantMap &fields); // → recordSaved (created tells which)
    RequestId deleteRecord(const QString &sobjectType, const QString &id); // → recordDeleted
    // Conflict-checked updates, batched by the engine (composite/collections). Each record ends
    // in recordSaved or updateConflict (or a per-record error in recordSaved.errors).
    RequestId saveUpdates(const QList<RecordUpdate> &updates); // → updatesFinished

    // --- Observability --------------------------------------------------------------------------
    RequestId fetchMetrics(); // → metricsReady (Prometheus text)

    // Cancels a running request; it ends with requestFailed(Category::Cancelled).
    void cancel(RequestId id);

Q_SIGNALS:
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

    void recordReady(fs::RequestId id, const fs::RecordBatch &record); // one row
    void recordSaved(fs::RequestId id, const fs::SaveResult &result);
    void recordDeleted(fs::RequestId id, const QString &recordId);
    void updateConflict(fs::RequestId id, const fs::RecordConflict &conflict);
    void updatesFinished(fs::RequestId id, int succeeded, int failed, int conflicts);

    void metricsReady(fs::RequestId id, const QString &prometheusText);

    // Final failure of a request (never a transient one).
    void requestFailed(fs::RequestId id, const fs::EngineError &error);

    // Unsolicited state, for status bar, limits panel and log panel.
    void sessionChanged(const fs::OrgSession &session); // empty alias = disconnected
    void apiUsageChanged(const fs::ApiUsage &usage);
    void apiUsageWarning(const fs::ApiUsage &usage, double thresholdPercent);
    void circuitStateChanged(fs::CircuitState state);
    void requestLogged(const fs::RequestLogEntry &entry);
    void authExpired(const QString &alias, const fs::EngineError &error); // needs the user to log in again
    // Browser login: the org's authorize page, for the UI to open in the system browser. Not a
    // secret (client id, PKCE challenge and state only). One browser login runs at a time.
    void openUrlRequested(const QUrl &url);

private:
    RequestId nextId();

    QPointer<engine::Engine> m_engine;
    static std::atomic<RequestId> s_nextId;
};

} // namespace fs
