// Nested child grids against the in-process simulated org, through the real EngineClient with
// the engine on its own thread (EngineHost), offscreen. A record on parent page 1 of 3 whose
// 1,200 children need more child pages: the nested grid opened after the query finished (so the
// server has dropped that child locator) still receives every child row exactly once.
#include "enginehost.h"
#include "simulatorfixture.h"

#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"

#include "api/engineclient.h"
#include "rest/querybridge.h"
#include "store/store.h"

#include <QDialog>
#include <QSet>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace {
constexpr int kChildren = 1200;
}

class TestChildGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void earlierParentPageChildGridGetsEveryRow_data();
    void earlierParentPageChildGridGetsEveryRow();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<fs::test::SimulatorFixture> m_sim;
    std::unique_ptr<fs::app::EngineHost> m_host;
    QString m_account;
};

void TestChildGrid::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    fs::sim::SimulatorOptions simOptions = fs::test::SimulatorFixture::defaultOptions();
    simOptions.scale = 0.1; // ~400 accounts: three parent pages of 200
    m_sim = std::make_unique<fs::test::SimulatorFixture>(simOptions);
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));

    fs::sim::Store &store = m_sim->sim().store();
    fs::sim::SimError err;
    QVERIFY(store.insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("!!! Child Grid") } }, &m_account,
        &err));
    QSqlDatabase db = store.database();
    const bool tx = db.transaction();
    for (int i = 0; i < kChildren; ++i) {
        QString id;
        QVERIFY(store.insert(QStringLiteral("Contact"),
            { { QStringLiteral("LastName"), QStringLiteral("Grid %1").arg(i, 4, 10, QLatin1Char('0')) },
                { QStringLiteral("AccountId"), m_account } },
            &id, &err));
    }
    for (int i = 0; i < 401; ++i) { // at least 402 accounts: the big one, then two more pages of 200
        QString id;
        QVERIFY(store.insert(QStringLiteral("Account"), { { QStringLiteral("Name"), QStringLiteral("Filler %1").arg(i) } }, &id,
            &err));
    }
    if (tx)
        QVERIFY(db.commit());

    fs::engine::Engine::Options options;
    options.settingsFile = m_dir->filePath(QStringLiteral("engine.ini"));
    options.keychainService = QStringLiteral("forcescope-childgrid-test");
    options.describeCacheDir = m_dir->filePath(QStringLiteral("describe"));
    m_host = std::make_unique<fs::app::EngineHost>(options);
    QSignalSpy connected(m_host->client(), &fs::EngineClient::connected);
    fs::OrgProfile profile;
    profile.alias = QStringLiteral("demo");
    profile.loginUrl = m_sim->baseUrl();
    profile.instanceUrl = m_sim->baseUrl();
    profile.authType = fs::AuthType::AccessToken;
    profile.demo = true; // token in memory only
    m_host->client()->loginWithAccessToken(profile, m_sim->token());
    QTRY_VERIFY_WITH_TIMEOUT(connected.size() == 1, 30000);
}

void TestChildGrid::cleanupTestCase()
{
    m_host.reset();
    m_sim.reset();
}

void TestChildGrid::earlierParentPageChildGridGetsEveryRow_data()
{
    QTest::addColumn<QString>("subquery");
    QTest::addColumn<int>("expected");
    QTest::addRow("plain subquery") << QStringLiteral("(SELECT Id, LastName FROM Contacts)") << kChildren;
    QTest::addRow("ordered and filtered subquery")
        << QStringLiteral("(SELECT Id, LastName FROM Contacts WHERE LastName LIKE 'Grid 0%' ORDER BY LastName DESC)") << 1000;
}

void TestChildGrid::earlierParentPageChildGridGetsEveryRow()
{
    QFETCH(QString, subquery);
    QFETCH(int, expected);
    fs::EngineClient *client = m_host->client();
    fs::ui::RecordGridWidget grid(client, nullptr);
    grid.resize(1000, 600);
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));

    // The query runs to the end (every parent page fetched) before the nested grid opens.
    grid.beginResult();
    fs::QueryOptions options;
    options.batchSize = 200;
    const fs::RequestId id = client->runQuery(QStringLiteral("SELECT Id, Name, %1 FROM Account ORDER BY Name").arg(subquery), options);
    int pages = 0;
    bool finished = false;
    connect(client, &fs::EngineClient::queryPageReady, &grid, [&](fs::RequestId rid, const fs::QueryPage &page) {
        if (rid == id) {
            ++pages;
            grid.appendPage(page);
        }
    });
    connect(client, &fs::EngineClient::queryFinished, &grid, [&](fs::RequestId rid, const fs::QueryStats &stats) {
        if (rid == id) {
            finished = true;
            grid.finishResult(stats);
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(finished, 60000);
    QVERIFY2(pages >= 3, qPrintable(QString::number(pages)));
    fs::ui::RecordTableModel *model = grid.model();
    QTRY_VERIFY_WITH_TIMEOUT(model->rowCount() >= 401, 30000);

    int row = -1;
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        if (model->index(r, 0).data(fs::ui::RecordTableModel::RecordIdRole).toString() == m_account)
            row = r;
    }
    QVERIFY2(row >= 0 && row < 200, "the big account must sit on parent page 1");
    const int column = int(model->columns().indexOf(QStringLiteral("Contacts")));
    QVERIFY(column >= 0);
    const auto first = model->index(row, column).data(fs::ui::RecordTableModel::ChildBatchRole).value<fs::RecordBatch>();
    QCOMPARE(first.rowCount(), fs::sim::kChildPageSize);
    QCOMPARE(first.done(), false);

    QSignalSpy opened(&grid, &fs::ui::RecordGridWidget::childGridOpened);
    QSignalSpy childFinished(client, &fs::EngineClient::queryFinished);
    QSignalSpy failed(client, &fs::EngineClient::requestFailed);
    grid.openChildGrid(row, column);
    QCOMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<QDialog *>(opened.at(0).at(0).value<QWidget *>());
    QVERIFY(dialog);
    auto *child = dialog->findChild<fs::ui::RecordGridWidget *>();
    QVERIFY(child);
    // The child request's last answer: every page it delivered is in the nested grid by then.
    QTRY_VERIFY_WITH_TIMEOUT(childFinished.size() == 1 || failed.size() > 0, 60000);
    QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(1).value<fs::EngineError>().message));
    QTRY_COMPARE_WITH_TIMEOUT(child->model()->rowCount(), expected, 30000);

    QSet<QString> ids;
    for (int r = 0; r < child->model()->rowCount(); ++r)
        ids.insert(child->model()->index(r, 0).data(fs::ui::RecordTableModel::RecordIdRole).toString());
    QCOMPARE(ids.size(), expected); // every child row exactly once
    dialog->close();
}

QTEST_MAIN(TestChildGrid)
#include "tst_childgrid.moc"
