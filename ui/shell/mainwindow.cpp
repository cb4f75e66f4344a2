#include "mainwindow.h"

#include "connect/orgdialog.h"
#include "editor/querystore.h"
#include "editor/querytabwidget.h"
#include "editor/soqleditor.h"
#include "grid/recordgridwidget.h"
#include "panels/limitswidget.h"
#include "panels/requestlogmodel.h"
#include "schema/describecache.h"
#include "schema/schemabrowserwidget.h"

#include "api/engineclient.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QShowEvent>
#include <QTimer>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>

#include <algorithm>

namespace fs::ui {

MainWindow::MainWindow(fs::EngineClient *client, QWidget *parent)
    : MainWindow(client, QString(), QString(), parent)
{
}

MainWindow::MainWindow(fs::EngineClient *client, const QString &storeDir, QWidget *parent)
    : MainWindow(client, storeDir, QString(), parent)
{
}

MainWindow::MainWindow(fs::EngineClient *client, const QString &storeDir, const QString &layoutGroup, QWidget *parent)
    : QMainWindow(parent)
    , m_client(client)
    , m_layoutGroup(layoutGroup.isEmpty() ? QStringLiteral("window") : layoutGroup)
{
    init(storeDir);
}

QString MainWindow::layoutKey(const char *name) const
{
    return m_layoutGroup + u'/' + QLatin1String(name);
}

MainWindow::~MainWindow()
{
    m_store->flush();
}

void MainWindow::init(const QString &storeDir)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("Forcescope"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/forcescope.svg")));
    resize(1280, 800);
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);

    m_cache = new DescribeCache(m_client, this);
    m_store = new QueryStore(storeDir, this);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("queryTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->setTabsClosable(true);
    m_tabs->setMovable(true);
    connect(m_tabs, &QTabWidget::tabCloseRequested, this, [this](int index) {
        QWidget *w = m_tabs->widget(index);
        m_tabs->removeTab(index);
        w->deleteLater();
        if (m_tabs->count() == 0)
            openQueryTab();
        autosaveTabs();
    });
    setCentralWidget(m_tabs);

    buildDocks();
    buildMenus();
    buildStatusBar();
    wireClient();

    QSettings settings;
    m_querySplitterState = settings.value(layoutKey("querySplitter")).toByteArray();
    restoreTabs();
    restoreGeometry(settings.value(layoutKey("geometry")).toByteArray());
    m_layoutRestored = restoreState(settings.value(layoutKey("state")).toByteArray());
    restoreLayoutExtras(settings);
}

void MainWindow::restoreLayoutExtras(const QSettings &settings)
{
    m_schemaSplitterState = settings.value(layoutKey("schemaSplitter")).toByteArray();
    applySplitterStates();
    const int current = settings.value(layoutKey("currentTab"), 0).toInt();
    if (current >= 0 && current < m_tabs->count())
        m_tabs->setCurrentIndex(current);
}

void MainWindow::applySplitterStates()
{
    if (auto *split = m_schema->findChild<QSplitter *>(QString(), Qt::FindDirectChildrenOnly); split && !m_schemaSplitterState.isEmpty())
        split->restoreState(m_schemaSplitterState);
    if (m_querySplitterState.isEmpty())
        return;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *split = m_tabs->widget(i)->findChild<QSplitter *>(QStringLiteral("querySplitter")))
            split->restoreState(m_querySplitterState);
    }
}

void MainWindow::saveLayout()
{
    QSettings settings;
    settings.setValue(layoutKey("geometry"), saveGeometry());
    settings.setValue(layoutKey("state"), saveState());
    if (auto *split = m_schema->findChild<QSplitter *>(QString(), Qt::FindDirectChildrenOnly))
        settings.setValue(layoutKey("schemaSplitter"), split->saveState());
    if (QueryTabWidget *tab = currentQueryTab()) {
        if (auto *split = tab->findChild<QSplitter *>(QStringLiteral("querySplitter")))
            settings.setValue(layoutKey("querySplitter"), split->saveState());
    }
    settings.setValue(layoutKey("currentTab"), m_tabs->currentIndex());
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (m_shownOnce)
        return;
    m_shownOnce = true;
    if (!m_layoutRestored)
        applyDefaultDockSizes();
    // Splitter sizes only stick once the docks and tabs have their final size: apply the
    // remembered ones again after this first layout pass.
    QTimer::singleShot(0, this, &MainWindow::applySplitterStates);
}

void MainWindow::applyDefaultDockSizes()
{
    // resizeDocks only sticks once the window has its real size, hence here and not in
    // buildDocks. The schema gets about 30 % of the width so object names and labels both fit;
    // the limits/log area a third of the height so the usage chart is readable.
    auto *schemaDock = findChild<QDockWidget *>(QStringLiteral("schemaDock"));
    auto *limitsDock = findChild<QDockWidget *>(QStringLiteral("limitsDock"));
    if (schemaDock)
        resizeDocks({ schemaDock }, { std::clamp(width() * 3 / 10, 340, 560) }, Qt::Horizontal);
    if (limitsDock)
        resizeDocks({ limitsDock }, { std::clamp(height() / 3, 250, 380) }, Qt::Vertical);
}

void MainWindow::buildDocks()
{
    auto *schemaDock = new QDockWidget(tr("Schema"), this);
    schemaDock->setObjectName(QStringLiteral("schemaDock"));
    m_schema = new SchemaBrowserWidget(m_cache, schemaDock);
    schemaDock->setWidget(m_schema);
    addDockWidget(Qt::LeftDockWidgetArea, schemaDock);
    connect(m_schema, &SchemaBrowserWidget::starterQueryRequested, this,
        [this](const QString &soql) { openQueryTab(soql, false); });

    auto *limitsDock = new QDockWidget(tr("Limits"), this);
    limitsDock->setObjectName(QStringLiteral("limitsDock"));
    m_limits = new LimitsWidget(limitsDock);
    limitsDock->setWidget(m_limits);
    addDockWidget(Qt::BottomDockWidgetArea, limitsDock);
    connect(m_limits, &LimitsWidget::refreshRequested, this, &MainWindow::refreshLimits);

    auto *logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    m_logModel = new RequestLogModel(this);
    m_logView = new QTableView(logDock);
    m_logView->setObjectName(QStringLiteral("logView"));
    m_logView->setModel(m_logModel);
    m_logView->verticalHeader()->hide();
    m_logView->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_logView->verticalHeader()->setDefaultSectionSize(m_logView->fontMetrics().height() + 4);
    m_logView->setWordWrap(false);
    m_logView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_logView->horizontalHeader()->setStretchLastSection(true);
    m_logView->setColumnWidth(RequestLogModel::Time, 100);
    m_logView->setColumnWidth(RequestLogModel::Method, 60);
    m_logView->setColumnWidth(RequestLogModel::Path, 520);
    m_logView->setColumnWidth(RequestLogModel::Status, 55);
    m_logView->setColumnWidth(RequestLogModel::Duration, 60);
    m_logView->setColumnWidth(RequestLogModel::Attempt, 40);
    logDock->setWidget(m_logView);
    addDockWidget(Qt::BottomDockWidgetArea, logDock);
    tabifyDockWidget(limitsDock, logDock);
    limitsDock->raise();
    m_schema->setMinimumWidth(280); // a wide results grid must not squeeze the schema to nothing
    // Keep the view pinned to the newest request when it is already at the bottom.
    connect(m_logModel, &RequestLogModel::rowsInserted, m_logView, [this] {
        if (m_logView->isVisible())
            m_logView->scrollToBottom();
    });
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *newTab = file->addAction(tr("&New query tab"), this, [this] { openQueryTab(); });
    newTab->setShortcut(QKeySequence::AddTab);
    QAction *closeTab = file->addAction(tr("&Close tab"), this, [this] {
        if (m_tabs->currentIndex() >= 0)
            Q_EMIT m_tabs->tabCloseRequested(m_tabs->currentIndex());
    });
    // The platform's Close key, and Ctrl+W everywhere: some themes (the offscreen one, KDE's
    // Ctrl+F4 setups) bind Close to Ctrl+F4 only, and tab users expect Ctrl+W.
    QList<QKeySequence> closeKeys = QKeySequence::keyBindings(QKeySequence::Close);
    if (!closeKeys.contains(QKeySequence(Qt::CTRL | Qt::Key_W)))
        closeKeys.append(QKeySequence(Qt::CTRL | Qt::Key_W));
    closeTab->setShortcuts(closeKeys);
    file->addSeparator();
    QAction *org = file->addAction(tr("Connect to an &org…"), this, &MainWindow::newOrg);
    org->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *query = menuBar()->addMenu(tr("&Query"));
    QAction *run = query->addAction(tr("&Run"), this, [this] {
        if (auto *t = currentQueryTab())
            t->run();
    });
    run->setShortcuts({ QKeySequence(Qt::CTRL | Qt::Key_Return), QKeySequence(Qt::CTRL | Qt::Key_Enter), QKeySequence(Qt::Key_F9) });
    run->setShortcutContext(Qt::WindowShortcut);
    QAction *cancel = query->addAction(tr("&Cancel"), this, [this] {
        if (auto *t = currentQueryTab())
            t->cancel();
    });
    cancel->setShortcut(QKeySequence(Qt::SHIFT | Qt::Key_F9));
    query->addSeparator();
    QAction *save = query->addAction(tr("&Save query as…"), this, &MainWindow::saveCurrentQuery);
    save->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_savedMenu = query->addMenu(tr("Saved &queries"));
    m_historyMenu = query->addMenu(tr("&History"));
    QAction *focusSchema = query->addAction(tr("Find &object…"), this, [this] {
        m_schema->filterEdit()->setFocus();
        m_schema->filterEdit()->selectAll();
    });
    focusSchema->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_P));
    QAction *limits = query->addAction(tr("Refresh &limits"), this, &MainWindow::refreshLimits);
    limits->setShortcut(QKeySequence::Refresh);
    connect(m_store, &QueryStore::historyChanged, this, &MainWindow::rebuildHistoryMenu);
    connect(m_store, &QueryStore::savedChanged, this, &MainWindow::rebuildSavedMenu);
    rebuildHistoryMenu();
    rebuildSavedMenu();

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    for (QDockWidget *dock : findChildren<QDockWidget *>())
        m_viewMenu->addAction(dock->toggleViewAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Forcescope"), this, [this] {
        QMessageBox::about(this, tr("About Forcescope"),
            tr("<b>Forcescope</b> %1<br>A native explorer for Salesforce orgs.").arg(QCoreApplication::applicationVersion()));
    });

    auto *tb = addToolBar(tr("Org"));
    tb->setObjectName(QStringLiteral("orgToolBar"));
    tb->setMovable(false);
    tb->addWidget(new QLabel(tr(" Org: "), tb));
    m_orgSwitcher = new QComboBox(tb);
    m_orgSwitcher->setObjectName(QStringLiteral("orgSwitcher"));
    m_orgSwitcher->setMinimumWidth(180);
    m_orgSwitcher->setToolTip(tr("Switch org"));
    tb->addWidget(m_orgSwitcher);
    tb->addAction(org);
    tb->addSeparator();
    tb->addAction(newTab);
    tb->addAction(run);
    tb->addAction(cancel);
    connect(m_orgSwitcher, &QComboBox::activated, this, [this](int index) {
        const QString alias = m_orgSwitcher->itemData(index).toString();
        if (!alias.isEmpty() && alias != m_session.alias)
            connectTo(alias);
    });
}

void MainWindow::buildStatusBar()
{
    auto make = [this](const QString &name) {
        auto *l = new QLabel(this);
        l->setObjectName(name);
        l->setContentsMargins(6, 0, 6, 0);
        statusBar()->addPermanentWidget(l);
        return l;
    };
    m_orgLabel = make(QStringLiteral("statusOrg"));
    m_versionLabel = make(QStringLiteral("statusVersion"));
    m_usageLabel = make(QStringLiteral("statusUsage"));
    m_circuitLabel = make(QStringLiteral("statusCircuit"));
    m_orgLabel->setText(tr("Not connected"));
    m_circuitLabel->setText(tr("Circuit: closed"));
    m_circuitLabel->setToolTip(tr("Circuit breaker: open means the engine pauses requests after repeated failures"));
}

QString MainWindow::statusSummary() const
{
    return QStringList { m_orgLabel->text(), m_versionLabel->text(), m_usageLabel->text(), m_circuitLabel->text() }
        .join(QStringLiteral(" | "));
}

void MainWindow::showMessage(const QString &message)
{
    statusBar()->showMessage(message);
}

void MainWindow::setStoreNotice(const QString &label, const QString &detail)
{
    if (!m_storeLabel) {
        m_storeLabel = new QLabel(this);
        m_storeLabel->setObjectName(QStringLiteral("statusStore"));
        m_storeLabel->setContentsMargins(6, 0, 6, 0);
        statusBar()->insertPermanentWidget(0, m_storeLabel);
    }
    m_storeLabel->setText(label);
    m_storeLabel->setToolTip(detail);
    m_storeLabel->setVisible(!label.isEmpty());
}

void MainWindow::showConfigProblem(const QString &message)
{
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Configuration not used"), message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("configProblem"));
    box->setInformativeText(tr("Forcescope runs on its built-in defaults. Fix the file and restart to use it."));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
    statusBar()->showMessage(tr("Configuration not used (built-in defaults): %1").arg(message));
}

void MainWindow::wireClient()
{
    if (!m_client)
        return;
    connect(m_client, &fs::EngineClient::connected, this, [this](fs::RequestId id, const fs::OrgSession &s) {
        if (id == m_connectRequest)
            m_connectRequest = 0;
        if (s.alias != m_session.alias || s.instanceUrl != m_session.instanceUrl)
            onSession(s);
    });
    connect(m_client, &fs::EngineClient::sessionChanged, this, [this](const fs::OrgSession &s) {
        if (s.alias != m_session.alias || s.instanceUrl != m_session.instanceUrl)
            onSession(s);
    });
    connect(m_client, &fs::EngineClient::orgsListed, this, [this](fs::RequestId id, const QList<fs::OrgProfile> &orgs) {
        if (id != m_listRequest)
            return;
        m_orgs = orgs;
        const QString current = m_session.alias;
        m_orgSwitcher->clear();
        if (m_session.demo)
            m_orgSwitcher->addItem(m_session.alias + tr(" (demo)"), m_session.alias);
        for (const fs::OrgProfile &p : orgs) {
            if (p.alias != current || !m_session.demo)
                m_orgSwitcher->addItem(p.alias, p.alias);
        }
        m_orgSwitcher->setCurrentIndex(std::max(0, m_orgSwitcher->findData(current)));
    });
    connect(m_client, &fs::EngineClient::limitsReady, this, [this](fs::RequestId id, const fs::OrgLimits &limits) {
        if (id == m_limitsRequest)
            m_limitsRequest = 0;
        m_limits->setLimits(limits);
    });
    connect(m_client, &fs::EngineClient::apiUsageChanged, this, &MainWindow::updateUsage);
    connect(m_client, &fs::EngineClient::apiUsageWarning, this, [this](const fs::ApiUsage &u, double threshold) {
        statusBar()->showMessage(tr("API usage above %1 %: %L2 of %L3 requests used today").arg(threshold).arg(u.used).arg(u.max), 10000);
    });
    connect(m_client, &fs::EngineClient::circuitStateChanged, this, [this](fs::CircuitState s) {
        m_circuit = s;
        m_circuitLabel->setText(tr("Circuit: %1").arg(fs::circuitStateName(s)));
    });
    connect(m_client, &fs::EngineClient::requestLogged, m_logModel, &RequestLogModel::append);
    connect(m_client, &fs::EngineClient::authExpired, this, [this](const QString &alias, const fs::EngineError &e) {
        statusBar()->showMessage(tr("%1: %2 Use File › Connect to sign in again.").arg(alias, plainConnectError(e)));
    });
    connect(m_client, &fs::EngineClient::requestFailed, this, [this](fs::RequestId id, const fs::EngineError &e) {
        if (id == m_connectRequest) {
            m_connectRequest = 0;
            const QString msg = plainConnectError(e);
            statusBar()->showMessage(msg);
            QMessageBox::warning(this, tr("Could not connect"), msg);
        } else if (id == m_limitsRequest) {
            m_limitsRequest = 0;
            statusBar()->showMessage(tr("Limits: %1").arg(e.message), 5000);
        }
    });
    m_listRequest = m_client->listOrgs();
}

void MainWindow::onSession(const fs::OrgSession &s)
{
    m_session = s;
    if (s.alias.isEmpty()) {
        m_orgLabel->setText(tr("Not connected"));
        m_versionLabel->clear();
        setWindowTitle(QStringLiteral("Forcescope"));
        return;
    }
    m_orgLabel->setText(s.demo ? tr("%1 (demo org)").arg(s.alias) : tr("%1 — %2").arg(s.alias, s.username));
    m_orgLabel->setToolTip(s.instanceUrl.toString());
    m_versionLabel->setText(tr("API v%1").arg(s.apiVersion));
    setWindowTitle(tr("%1 — Forcescope").arg(s.alias));
    statusBar()->showMessage(tr("Connected to %1").arg(s.instanceUrl.host()), 5000);
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *t = qobject_cast<QueryTabWidget *>(m_tabs->widget(i)))
            t->setOrg(s.alias);
    }
    m_cache->clear();
    m_cache->requestGlobal();
    m_limits->clear();
    refreshLimits();
    rebuildHistoryMenu();
    if (m_client)
        m_listRequest = m_client->listOrgs();
    Q_EMIT sessionReady(s);
}

void MainWindow::updateUsage(const fs::ApiUsage &usage)
{
    m_usage = usage;
    if (usage.max <= 0)
        return;
    m_usageLabel->setText(tr("API %L1 / %L2 (%3 %)").arg(usage.used).arg(usage.max).arg(usage.percent(), 0, 'f', 1));
    m_limits->setUsage(usage);
}

void MainWindow::refreshLimits()
{
    if (m_client && !m_session.alias.isEmpty() && m_limitsRequest == 0)
        m_limitsRequest = m_client->fetchLimits();
}

QueryTabWidget *MainWindow::openQueryTab(const QString &soql, bool runNow)
{
    auto *tab = new QueryTabWidget(m_client, m_cache, m_store, m_tabs);
    if (!m_querySplitterState.isEmpty()) {
        if (auto *split = tab->findChild<QSplitter *>(QStringLiteral("querySplitter")))
            split->restoreState(m_querySplitterState);
    }
    tab->setOrg(m_session.alias);
    tab->setText(soql);
    const int index = m_tabs->addTab(tab, tab->title());
    m_tabs->setCurrentIndex(index);
    connect(tab, &QueryTabWidget::titleChanged, this, [this, tab](const QString &title) {
        const int i = m_tabs->indexOf(tab);
        if (i >= 0)
            m_tabs->setTabText(i, title);
    });
    connect(tab, &QueryTabWidget::textEdited, this, &MainWindow::autosaveTabs);
    connect(tab, &QueryTabWidget::statusMessage, this, [this, tab](const QString &m) {
        if (currentQueryTab() == tab)
            statusBar()->showMessage(m);
    });
    tab->editor()->setFocus();
    autosaveTabs();
    if (runNow)
        tab->run();
    return tab;
}

QueryTabWidget *MainWindow::currentQueryTab() const
{
    return qobject_cast<QueryTabWidget *>(m_tabs->currentWidget());
}

void MainWindow::autosaveTabs()
{
    if (m_restoring)
        return;
    QList<QueryStore::TabState> tabs;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto *t = qobject_cast<QueryTabWidget *>(m_tabs->widget(i)))
            tabs.append({ t->title(), t->text(), m_session.alias });
    }
    m_store->setTabs(tabs);
}

void MainWindow::restoreTabs()
{
    m_restoring = true;
    const QList<QueryStore::TabState> tabs = m_store->restoredTabs();
    for (const QueryStore::TabState &t : tabs)
        openQueryTab(t.text);
    if (m_tabs->count() == 0)
        openQueryTab();
    m_tabs->setCurrentIndex(0);
    m_restoring = false;
}

void MainWindow::rebuildHistoryMenu()
{
    m_historyMenu->clear();
    const QStringList history = m_store->history(m_session.alias);
    if (history.isEmpty()) {
        m_historyMenu->addAction(tr("(empty)"))->setEnabled(false);
        return;
    }
    for (int i = 0; i < std::min<qsizetype>(history.size(), 25); ++i) {
        const QString q = history.at(i);
        QString label = q.simplified();
        if (label.size() > 80)
            label = label.left(77) + QStringLiteral("…");
        m_historyMenu->addAction(label, this, [this, q] { openQueryTab(q); });
    }
}

void MainWindow::rebuildSavedMenu()
{
    m_savedMenu->clear();
    const QStringList names = m_store->savedNames();
    if (names.isEmpty()) {
        m_savedMenu->addAction(tr("(none)"))->setEnabled(false);
        return;
    }
    for (const QString &n : names)
        m_savedMenu->addAction(n, this, [this, n] { openQueryTab(m_store->savedQuery(n)); });
}

void MainWindow::saveCurrentQuery()
{
    QueryTabWidget *t = currentQueryTab();
    if (!t || t->text().trimmed().isEmpty())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save query"), tr("Name:"), QLineEdit::Normal, t->title(), &ok);
    if (ok && !name.trimmed().isEmpty())
        m_store->saveQuery(name.trimmed(), t->text());
}

void MainWindow::connectTo(const QString &alias)
{
    if (!m_client)
        return;
    statusBar()->showMessage(tr("Connecting to %1…").arg(alias));
    m_connectRequest = m_client->connectOrg(alias);
}

void MainWindow::newOrg()
{
    if (!m_client)
        return;
    // Window-modal but not blocking: the dialog runs the login itself (progress, browser wait,
    // errors in plain words) and closes once the engine reports the session, which reaches this
    // window through connected/sessionChanged like any other.
    if (auto *open = findChild<OrgDialog *>(); open && open->isVisible()) {
        open->raise();
        open->activateWindow();
        return;
    }
    auto *dialog = new OrgDialog(m_client, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &OrgDialog::loggedIn, this, [this](const fs::OrgSession &s) {
        statusBar()->showMessage(tr("Connected to %1").arg(s.alias), 5000);
    });
    dialog->open();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    autosaveTabs();
    m_store->flush();
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace fs::ui
