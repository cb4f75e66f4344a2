// The explorer shell against the in-process simulated org, through the real EngineClient: status
// bar (API usage from Sforce-Limit-Info, circuit-breaker state), the limits panel (gauge equals
// used/max of /limits, chart gains points), the schema filter box and a real double-click, and
// the grid's "fetched N of M" progress bar.
#include "enginehost.h"
#include "authtestkit.h"
#include "demologin.h"
#include "simulatorfixture.h"

#include "connect/orgdialog.h"
#include "editor/querytabwidget.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "panels/limitswidget.h"
#include "schema/objectlistmodel.h"
#include "schema/schemabrowserwidget.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QAbstractItemModel>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

class TestShellStatus : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    // First, while nothing else is in flight: exact usage numbers.
    void usageLabelShowsSforceLimitInfo();
    void limitsGaugeEqualsUsedOverMax();
    void objectFilterReallyFilters();
    void doubleClickBuildsStarterQuery();
    void progressBarFollowsFetched();
    void circuitStateFollowsTheBreaker();
    void expiredCertificateIsExplainedInPlainWords();

private:
    QLabel *statusLabel(const QString &name) const;
    // Data API calls (each one counts against the org's daily allocation) logged since `spy` began.
    static int dataApiCalls(const QSignalSpy &spy);
    static QString usageText(qint64 used, qint64 max);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<fs::test::SimulatorFixture> m_sim;
    std::unique_ptr<fs::app::EngineHost> m_host;
    std::unique_ptr<fs::ui::MainWindow> m_window;
};

// The breaker settings this test runs with (config → Engine → Transport).
constexpr int kFailureThreshold = 3;
constexpr double kResetSeconds = 1.0;

void TestShellStatus::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    fs::sim::SimulatorOptions simOptions = fs::test::SimulatorFixture::defaultOptions();
    simOptions.scale = 0.5; // 6,000 Contacts: three 2,000-record pages
    m_sim = std::make_unique<fs::test::SimulatorFixture>(simOptions);
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));

    fs::engine::Engine::Options options;
    options.settingsFile = m_dir->filePath(QStringLiteral("engine.ini"));
    options.keychainService = QStringLiteral("forcescope-shellstatus-test");
    options.describeCacheDir = m_dir->filePath(QStringLiteral("describe"));
    options.config.resilience.retry.maxAttempts = 1; // each 503 counts once against the breaker
    options.config.resilience.circuitBreaker.failureThreshold = kFailureThreshold;
    options.config.resilience.circuitBreaker.successThreshold = 1;
    options.config.resilience.circuitBreaker.resetTimeoutSeconds = kResetSeconds;
    QVERIFY(options.config.validate().ok());
    m_host = std::make_unique<fs::app::EngineHost>(options);
    m_window = std::make_unique<fs::ui::MainWindow>(m_host->client(), m_dir->filePath(QStringLiteral("store")));
    m_window->resize(1400, 880);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

    error = fs::test::loginDemo(m_host->client(), m_window.get(), *m_sim);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->schemaBrowser()->objectView()->model()->rowCount() > 5, 30000);
    auto *table = m_window->limitsWidget()->findChild<QTableWidget *>(QStringLiteral("limitsTable"));
    QTRY_VERIFY_WITH_TIMEOUT(table->rowCount() > 0, 30000);
    QCOMPARE(statusLabel(QStringLiteral("statusCircuit"))->text(), QStringLiteral("Circuit: closed"));
}

void TestShellStatus::cleanupTestCase()
{
    m_window.reset();
    m_host.reset();
    m_sim.reset();
}

QLabel *TestShellStatus::statusLabel(const QString &name) const
{
    return m_window->statusBar()->findChild<QLabel *>(name);
}

int TestShellStatus::dataApiCalls(const QSignalSpy &spy)
{
    int n = 0;
    for (const QList<QVariant> &args : spy) {
        const auto entry = args.at(0).value<fs::RequestLogEntry>();
        if (entry.path.startsWith(QStringLiteral("/services/data/v")) && entry.status != 401 && entry.status != 0)
            ++n;
    }
    return n;
}

QString TestShellStatus::usageText(qint64 used, qint64 max)
{
    const double pct = 100.0 * double(used) / double(max);
    return QStringLiteral("API %L1 / %L2 (%3 %)").arg(used).arg(max).arg(pct, 0, 'f', 1);
}

void TestShellStatus::objectFilterReallyFilters()
{
    fs::ui::SchemaBrowserWidget *schema = m_window->schemaBrowser();
    QAbstractItemModel *model = schema->objectView()->model();
    const int all = model->rowCount();
    QVERIFY(all > 5);

    schema->filterEdit()->clear();
    QTest::keyClicks(schema->filterEdit(), QStringLiteral("Account"));
    QTRY_VERIFY(model->rowCount() < all);
    QVERIFY(model->rowCount() >= 1);
    bool sawAccount = false;
    for (int r = 0; r < model->rowCount(); ++r) {
        QStringList cells;
        for (int c = 0; c < model->columnCount(); ++c)
            cells << model->index(r, c).data().toString();
        const QString name = model->index(r, 0).data(fs::ui::ObjectListModel::NameRole).toString();
        sawAccount = sawAccount || name == u"Account";
        QVERIFY2(cells.join(u' ').contains(QStringLiteral("account"), Qt::CaseInsensitive), qPrintable(cells.join(u' ')));
    }
    QVERIFY(sawAccount);

    // A filter nothing matches leaves no rows; clearing it brings every object back.
    schema->filterEdit()->clear();
    QTest::keyClicks(schema->filterEdit(), QStringLiteral("zzqx-no-such-object"));
    QTRY_COMPARE(model->rowCount(), 0);
    schema->filterEdit()->clear();
    QTRY_COMPARE(model->rowCount(), all);
}

void TestShellStatus::doubleClickBuildsStarterQuery()
{
    fs::ui::SchemaBrowserWidget *schema = m_window->schemaBrowser();
    QTableView *view = schema->objectView();
    schema->filterEdit()->clear();
    QTest::keyClicks(schema->filterEdit(), QStringLiteral("Contact"));
    QAbstractItemModel *model = view->model();
    int row = -1;
    const auto findContact = [&] {
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->index(r, 0).data(fs::ui::ObjectListModel::NameRole).toString() == u"Contact")
                row = r;
        }
        return row >= 0;
    };
    QTRY_VERIFY(findContact());
    const QModelIndex index = model->index(row, 0);
    view->scrollTo(index);
    const QRect rect = view->visualRect(index);
    QVERIFY(!rect.isEmpty());

    const int tabsBefore = m_window->queryTabs()->count();
    // A real double-click starts with a press on the item: QAbstractItemView activates only the
    // index the press landed on, and QTest::mouseDClick alone sends no press first.
    QTest::mouseClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, Qt::NoModifier, rect.center());
    QTRY_COMPARE_WITH_TIMEOUT(m_window->queryTabs()->count(), tabsBefore + 1, 20000);
    const QString soql = m_window->currentQueryTab()->text();
    QVERIFY2(soql.startsWith(QStringLiteral("SELECT Id")), qPrintable(soql));
    QVERIFY2(soql.contains(QStringLiteral("FROM Contact")), qPrintable(soql));
    schema->filterEdit()->clear();
}

void TestShellStatus::progressBarFollowsFetched()
{
    fs::ui::QueryTabWidget *tab = m_window->openQueryTab(QStringLiteral("SELECT Id, LastName FROM Contact"));
    fs::ui::RecordGridWidget *grid = tab->grid();
    auto *bar = grid->findChild<QProgressBar *>(QStringLiteral("gridProgress"));
    QVERIFY(bar);

    struct Sample {
        qint64 fetched, total, rows;
        int value, maximum;
        bool visible;
    };
    QList<Sample> samples;
    connect(grid, &fs::ui::RecordGridWidget::statusChanged, this, [&] {
        samples.append({ grid->fetched(), grid->totalSize(), grid->model()->loadedRows(), bar->value(), bar->maximum(),
            bar->isVisibleTo(grid) });
    });
    QSignalSpy finished(m_host->client(), &fs::EngineClient::queryFinished);
    tab->run();
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 1, 60000);
    QTRY_VERIFY(!bar->isVisibleTo(grid));

    const qint64 total = grid->totalSize();
    QVERIFY2(total > 2000, "needs more than one page");
    QCOMPARE(grid->fetched(), total);
    QCOMPARE(grid->model()->loadedRows(), total);
    QVERIFY2(grid->statusText().startsWith(QStringLiteral("Fetched %L1 of %L2").arg(total).arg(total)), qPrintable(grid->statusText()));

    int midStream = 0;
    bool sawFull = false;
    for (const Sample &s : std::as_const(samples)) {
        if (s.total <= 0 || !s.visible || s.maximum <= 0)
            continue; // before the first page (busy indicator) or after the end (bar hidden)
        QCOMPARE(s.fetched, s.rows); // "fetched N" is what the grid holds
        QCOMPARE(s.total, total); // "of M" is the server's totalSize
        // value/maximum equals fetched/totalSize (to the bar's resolution).
        const double shown = double(s.value) / double(s.maximum);
        const double actual = double(s.fetched) / double(s.total);
        QVERIFY2(qAbs(shown - actual) <= 1.0 / double(s.maximum),
            qPrintable(QStringLiteral("bar %1/%2, fetched %3/%4").arg(s.value).arg(s.maximum).arg(s.fetched).arg(s.total)));
        if (s.fetched < s.total)
            ++midStream;
        else
            sawFull = s.value == s.maximum;
    }
    QVERIFY2(midStream >= 1, "no sample while rows were still streaming");
    QVERIFY(sawFull);
}

void TestShellStatus::usageLabelShowsSforceLimitInfo()
{
    // A known allocation: the label must show exactly what the last Sforce-Limit-Info said.
    constexpr int kMax = 20000;
    constexpr int kStart = 4999;
    QSignalSpy logged(m_host->client(), &fs::EngineClient::requestLogged);
    QSignalSpy usage(m_host->client(), &fs::EngineClient::apiUsageChanged);
    m_sim->sim().setApiLimit(kMax);
    m_sim->sim().setApiUsage(kStart);

    QSignalSpy finished(m_host->client(), &fs::EngineClient::queryFinished);
    m_window->openQueryTab(QStringLiteral("SELECT Id, Name FROM Account LIMIT 5"), true);
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() >= 1, 30000);
    QVERIFY(dataApiCalls(logged) >= 1);
    QLabel *label = statusLabel(QStringLiteral("statusUsage"));
    // Each data call counted once on the server: after N calls the header said kStart + N.
    QTRY_COMPARE(label->text(), usageText(kStart + dataApiCalls(logged), kMax));
    QVERIFY(!usage.isEmpty());
    // 5,000 of 20,000 after the first call: the percentage is the header's, not a guess.
    QVERIFY2(label->text().contains(QStringLiteral("%1 %").arg(100.0 * (kStart + dataApiCalls(logged)) / kMax, 0, 'f', 1)),
        qPrintable(label->text()));
    QVERIFY(m_window->statusSummary().contains(label->text()));
}

void TestShellStatus::limitsGaugeEqualsUsedOverMax()
{
    fs::ui::LimitsWidget *limits = m_window->limitsWidget();
    QVERIFY(limits->findChild<QWidget *>(QStringLiteral("usageChart")));
    if (limits->chartPointCount() < 0)
        QSKIP("built without Qt Charts: no usage chart");

    constexpr int kMax = 15000;
    m_sim->sim().setApiLimit(kMax);
    m_sim->sim().setApiUsage(2999);
    for (int round = 0; round < 3; ++round) {
        const int pointsBefore = limits->chartPointCount();
        QSignalSpy limitsReady(m_host->client(), &fs::EngineClient::limitsReady);
        m_window->refreshLimits();
        QTRY_VERIFY_WITH_TIMEOUT(limitsReady.size() >= 1, 20000);
        const auto orgLimits = limitsReady.at(0).at(1).value<fs::OrgLimits>();
        qint64 used = -1;
        qint64 max = 0;
        for (const fs::LimitValue &l : orgLimits) {
            if (l.name == u"DailyApiRequests") {
                used = l.max - l.remaining;
                max = l.max;
            }
        }
        QCOMPARE(max, qint64(kMax));
        QVERIFY2(used >= 3000 + round, qPrintable(QString::number(used)));
        // The gauge is in tenths of a percent: exactly used/max of the /limits answer.
        QTRY_COMPARE(limits->gauge()->value(), int(1000.0 * double(used) / double(max)));
        QCOMPARE(limits->gauge()->format(), QStringLiteral("%1 %").arg(100.0 * double(used) / double(max), 0, 'f', 1));
        // The chart gains a point with every limits update.
        QTRY_VERIFY(limits->chartPointCount() > pointsBefore);
    }
}

void TestShellStatus::circuitStateFollowsTheBreaker()
{
    QLabel *circuit = statusLabel(QStringLiteral("statusCircuit"));
    QCOMPARE(circuit->text(), QStringLiteral("Circuit: closed"));
    QSignalSpy states(m_host->client(), &fs::EngineClient::circuitStateChanged);
    QSignalSpy failed(m_host->client(), &fs::EngineClient::requestFailed);

    // Every data call answers 503 until the plan is cleared.
    QString error;
    QVERIFY2(m_sim->sim().setFaultPlan("rules:\n  - action: unavailable\n    path: \"/services/data/*\"\n", &error), qPrintable(error));
    for (int i = 0; i < kFailureThreshold; ++i) {
        const int before = failed.size();
        m_window->refreshLimits();
        QTRY_VERIFY_WITH_TIMEOUT(failed.size() > before, 20000);
    }
    QTRY_COMPARE(circuit->text(), QStringLiteral("Circuit: open"));
    QVERIFY(!states.isEmpty());
    QCOMPARE(states.constLast().at(0).value<fs::CircuitState>(), fs::CircuitState::Open);
    QVERIFY(m_window->statusSummary().contains(QStringLiteral("Circuit: open")));

    // While open, calls are refused without reaching the server.
    const int before = failed.size();
    m_window->refreshLimits();
    QTRY_VERIFY(failed.size() > before);
    QVERIFY(failed.constLast().at(1).value<fs::EngineError>().message.contains(QStringLiteral("circuit open")));

    // The server recovers; after the reset timeout the next call probes and closes the circuit.
    QVERIFY(m_sim->sim().setFaultPlan("rules: []\n", &error));
    QSignalSpy limitsReady(m_host->client(), &fs::EngineClient::limitsReady);
    const auto probe = [&] {
        m_window->refreshLimits(); // a no-op while one is in flight
        return !limitsReady.isEmpty();
    };
    QTRY_VERIFY_WITH_TIMEOUT(probe(), int(kResetSeconds * 1000) * 10);
    QTRY_COMPARE(circuit->text(), QStringLiteral("Circuit: closed"));
    QCOMPARE(states.constLast().at(0).value<fs::CircuitState>(), fs::CircuitState::Closed);
}

void TestShellStatus::expiredCertificateIsExplainedInPlainWords()
{
    // An RSA key and a self-signed certificate over it that expired yesterday.
    fs::test::CertSpec expired;
    expired.commonName = "forcescope-expired";
    expired.validFromSeconds = -30 * 86400;
    expired.validUntilSeconds = -86400;
    const fs::test::PemKeyPair pair = fs::test::makePemKeyPair(expired);
    const QByteArray &keyPem = pair.keyPem;
    const QByteArray &certPem = pair.certPem;
    QVERIFY(!keyPem.isEmpty() && !certPem.isEmpty());
    m_sim->sim().registerConnectedApp(QStringLiteral("expired-app"), certPem, {});
    m_sim->sim().registerUser(QStringLiteral("jwt.user@acme.test")); // pre-authorised for the app
    const QString keyFile = m_dir->filePath(QStringLiteral("expired.pem"));
    {
        QFile f(keyFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(keyPem);
    }

    fs::OrgProfile profile;
    profile.alias = QStringLiteral("expired");
    profile.loginUrl = m_sim->baseUrl();
    profile.authType = fs::AuthType::JwtBearer;
    profile.username = QStringLiteral("jwt.user@acme.test");
    profile.clientId = QStringLiteral("expired-app");
    profile.keyFile = keyFile;
    QSignalSpy failed(m_host->client(), &fs::EngineClient::requestFailed);
    QSignalSpy connected(m_host->client(), &fs::EngineClient::connected);
    const fs::RequestId id = m_host->client()->loginWithJwt(profile);
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 30000);
    QCOMPARE(failed.constFirst().at(0).value<fs::RequestId>(), id);
    QVERIFY(connected.isEmpty());
    const auto error = failed.constFirst().at(1).value<fs::EngineError>();
    QCOMPARE(error.errorCode, QStringLiteral("invalid_grant"));
    const QString plain = fs::ui::plainConnectError(error);
    QVERIFY2(plain.contains(QStringLiteral("certificate has expired")), qPrintable(plain));
    QVERIFY2(!plain.contains(QStringLiteral("invalid_grant")), qPrintable(plain));
    // The window stays on the org it had.
    QCOMPARE(m_window->session().alias, QStringLiteral("demo"));
}

QTEST_MAIN(TestShellStatus)
#include "tst_shellstatus.moc"
