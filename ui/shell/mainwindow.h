#pragma once

#include "api/types.h"

#include <QMainWindow>

class QComboBox;
class QSettings;
class QLabel;
class QTabWidget;
class QTableView;

namespace fs {
class EngineClient;
}

namespace fs::ui {

class DescribeCache;
class LimitsWidget;
class QueryStore;
class QueryTabWidget;
class RequestLogModel;
class SchemaBrowserWidget;

// The explorer's top-level window: schema browser on the left, query editor tabs with results in
// the centre, limits and log panels at the bottom, org and API state in the status bar.
// GUI thread only; talks to the engine through `client` (may be null: offline, nothing to run).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(fs::EngineClient *client = nullptr, QWidget *parent = nullptr);
    // `storeDir`: where history, saved queries and the tab autosave live (empty = AppDataLocation).
    MainWindow(fs::EngineClient *client, const QString &storeDir, QWidget *parent = nullptr);
    // `layoutGroup`: the QSettings group the window layout (geometry, docks, splitters, current
    // tab) is kept under, "window" by default. A second instance of the app, which has its own
    // store directory, passes its own group so that the two do not overwrite each other's layout.
    MainWindow(fs::EngineClient *client, const QString &storeDir, const QString &layoutGroup, QWidget *parent = nullptr);
    ~MainWindow() override;

    QueryTabWidget *openQueryTab(const QString &soql = {}, bool runNow = false);
    QueryTabWidget *currentQueryTab() const;
    QTabWidget *queryTabs() const { return m_tabs; }
    SchemaBrowserWidget *schemaBrowser() const { return m_schema; }
    LimitsWidget *limitsWidget() const { return m_limits; }
    RequestLogModel *logModel() const { return m_logModel; }
    DescribeCache *describeCache() const { return m_cache; }
    QueryStore *queryStore() const { return m_store; }
    const fs::OrgSession &session() const { return m_session; }
    QString statusSummary() const; // the status bar's permanent text, for tests

    // Shows a connecting/failed message (the app uses it while the demo org starts).
    void showMessage(const QString &message);
    // A lasting status-bar note that this window uses its own store directory (a second instance);
    // `detail` is the full sentence (tooltip). Empty hides the note.
    void setStoreNotice(const QString &label, const QString &detail);

    // Tells the user the configuration file was not used and why (`message` names the file and
    // the key): a warning box that does not block, and a lasting status-bar message.
    void showConfigProblem(const QString &message);

public Q_SLOTS:
    void newOrg();
    void refreshLimits();

Q_SIGNALS:
    void sessionReady(const fs::OrgSession &session);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void init(const QString &storeDir);
    void buildMenus();
    void buildDocks();
    void buildStatusBar();
    void wireClient();
    void onSession(const fs::OrgSession &session);
    void updateUsage(const fs::ApiUsage &usage);
    void autosaveTabs();
    void restoreTabs();
    void rebuildHistoryMenu();
    void rebuildSavedMenu();
    void saveCurrentQuery();
    void connectTo(const QString &alias);
    // First show without a saved layout: dock sizes in proportion to the window.
    void applyDefaultDockSizes();
    // Splitter positions (schema objects/fields, each tab's editor/results) and the current tab
    // are part of the remembered layout, next to geometry and dock state.
    void restoreLayoutExtras(const QSettings &settings);
    QString layoutKey(const char *name) const;
    void applySplitterStates();
    void saveLayout();

    fs::EngineClient *m_client = nullptr;
    DescribeCache *m_cache = nullptr;
    QueryStore *m_store = nullptr;
    QTabWidget *m_tabs = nullptr;
    SchemaBrowserWidget *m_schema = nullptr;
    LimitsWidget *m_limits = nullptr;
    RequestLogModel *m_logModel = nullptr;
    QTableView *m_logView = nullptr;
    QComboBox *m_orgSwitcher = nullptr;
    QLabel *m_orgLabel = nullptr;
    QLabel *m_versionLabel = nullptr;
    QLabel *m_usageLabel = nullptr;
    QLabel *m_circuitLabel = nullptr;
    QLabel *m_storeLabel = nullptr;
    QMenu *m_historyMenu = nullptr;
    QMenu *m_savedMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    fs::OrgSession m_session;
    fs::ApiUsage m_usage;
    fs::CircuitState m_circuit = fs::CircuitState::Closed;
    QList<fs::OrgProfile> m_orgs;
    fs::RequestId m_connectRequest = 0;
    fs::RequestId m_limitsRequest = 0;
    fs::RequestId m_listRequest = 0;
    bool m_restoring = false;
    bool m_layoutRestored = false; // a saved window state was applied
    QString m_layoutGroup = QStringLiteral("window"); // QSettings group of the window layout
    bool m_shownOnce = false;
    QByteArray m_querySplitterState; // applied to every query tab, restored or new
    QByteArray m_schemaSplitterState;
};

} // namespace fs::ui
