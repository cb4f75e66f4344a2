// Drives the real app stack against the simulated org: in-process simulator, real Engine on its
// own thread (EngineHost), real EngineClient and MainWindow, offscreen (tests/support/appfixture.h).
// Saves a screenshot of each main view into $FS_TEST_OUTPUT_DIR/screenshots (scripts/screenshots.sh
// collects them).
#include "appfixture.h"

#include "connect/orgdialog.h"
#include "editor/querytabwidget.h"
#include "editor/soqleditor.h"
#include "grid/conflictdialog.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "panels/limitswidget.h"
#include "panels/requestlogmodel.h"
#include "schema/describecache.h"
#include "schema/schemabrowserwidget.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QDialog>
#include <QDir>
#include <QDockWidget>
#include <QJsonObject>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

class TestExplorerFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void connectsAndShowsOrg();
    void browsesAnObject();
    void completesWhileTyping();
    void underlinesParseErrors();
    void runsAndStreamsRows();
    void opensChildGrid();
    void editsAndSaves();
    void conflictShowsServerValues();
    void limitsAndLog();

private:
    void shoot(QWidget *w, const QString &name);
    int column(const QString &name) const;

    fs::test::AppFixture m_app;
    fs::test::SimulatorFixture *m_sim = nullptr;
    fs::ui::MainWindow *m_window = nullptr;
    fs::ui::QueryTabWidget *m_tab = nullptr;
    QString m_editedId;
};

void TestExplorerFlow::shoot(QWidget *w, const QString &name)
{
    QVERIFY(fs::test::AppFixture::shoot(w, name, 150)); // after layouts and pending paints settle
}

int TestExplorerFlow::column(const QString &name) const
{
    return m_tab->grid()->model()->columns().indexOf(name);
}

void TestExplorerFlow::initTestCase()
{
    fs::test::AppFixture::Options options;
    options.keychainService = QStringLiteral("forcescope-uitest");
    options.windowSize = QSize(1400, 880);
    QString error;
    QVERIFY2(m_app.start(options, &error), qPrintable(error));
    m_sim = &m_app.sim();
    m_window = m_app.window();
}

void TestExplorerFlow::cleanupTestCase()
{
    m_app.stop();
}

void TestExplorerFlow::connectsAndShowsOrg()
{
    QSignalSpy ready(m_window, &fs::ui::MainWindow::sessionReady);
    const QString problem = m_app.connectDemo();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_VERIFY_WITH_TIMEOUT(ready.size() >= 1, 20000);
    QTest::qWait(100);
    QCOMPARE(ready.size(), 1); // connected and sessionChanged do not reload the org twice
    QCOMPARE(m_window->session().alias, QStringLiteral("demo"));
    QVERIFY(m_window->statusSummary().contains(QStringLiteral("demo")));
    QVERIFY(m_window->statusSummary().contains(QStringLiteral("API v")));
}

void TestExplorerFlow::browsesAnObject()
{
    fs::ui::SchemaBrowserWidget *schema = m_window->schemaBrowser();
    QTRY_VERIFY_WITH_TIMEOUT(schema->objectView()->model()->rowCount() > 5, 20000);
    QTest::keyClicks(schema->filterEdit(), QStringLiteral("Account"));
    QTRY_VERIFY(schema->objectView()->model()->rowCount() >= 1);
    QSignalSpy shown(schema, &fs::ui::SchemaBrowserWidget::objectShown);
    schema->selectObject(QStringLiteral("Account"));
    QTRY_VERIFY_WITH_TIMEOUT(shown.size() >= 1, 20000);
    QVERIFY(schema->fieldView()->model()->rowCount() > 5);
    QVERIFY(schema->childView()->model()->rowCount() >= 1);
    shoot(m_window, QStringLiteral("schema.png"));

    // Double-click (activate) builds a starter query in a new tab.
    const int before = m_window->queryTabs()->count();
    schema->requestStarterQuery(QStringLiteral("Account"));
    QTRY_COMPARE(m_window->queryTabs()->count(), before + 1);
    const QString starter = m_window->currentQueryTab()->text();
    QVERIFY2(starter.startsWith(QStringLiteral("SELECT Id")), qPrintable(starter));
    QVERIFY(starter.contains(QStringLiteral("SystemModstamp")));
    QVERIFY(starter.contains(QStringLiteral("FROM Account")));
    m_tab = m_window->currentQueryTab();
}

void TestExplorerFlow::completesWhileTyping()
{
    fs::ui::SoqlEditor *editor = m_tab->editor();
    m_tab->setText(QStringLiteral("SELECT Id,  FROM Account"));
    QTextCursor c = editor->textCursor();
    c.setPosition(11);
    editor->setTextCursor(c);
    editor->setFocus();
    QTest::keyClicks(editor, QStringLiteral("Nam"));
    QTRY_VERIFY(editor->completer()->popup()->isVisible());
    QCOMPARE(editor->completer()->currentCompletion(), QStringLiteral("Name"));
    QTest::keyClick(editor->completer()->popup(), Qt::Key_Return);
    QTRY_COMPARE(m_tab->text(), QStringLiteral("SELECT Id, Name FROM Account"));

    // Parent path: Owner. then the User's fields.
    c = editor->textCursor();
    c.setPosition(15);
    editor->setTextCursor(c);
    QTest::keyClicks(editor, QStringLiteral(", Owner.Use"));
    QTRY_VERIFY_WITH_TIMEOUT(editor->completer()->popup()->isVisible(), 20000);
    QVERIFY(editor->completer()->currentCompletion().startsWith(QStringLiteral("Use"), Qt::CaseInsensitive));
    editor->completer()->popup()->hide();

    // Child relationship inside a subquery.
    m_tab->setText(QStringLiteral("SELECT Id, (SELECT LastName FROM Con) FROM Account"));
    c = editor->textCursor();
    c.setPosition(int(m_tab->text().indexOf(QStringLiteral("Con)"))) + 3);
    editor->setTextCursor(c);
    editor->complete();
    QTRY_VERIFY(editor->completer()->popup()->isVisible());
    QCOMPARE(editor->completer()->currentCompletion(), QStringLiteral("Contacts"));
    editor->completer()->popup()->hide();
}

void TestExplorerFlow::underlinesParseErrors()
{
    m_tab->setText(QStringLiteral("SELECT Id,\nName FRM Account"));
    m_tab->run();
    QVERIFY(m_tab->editor()->hasError());
    QVERIFY(!m_tab->editor()->extraSelections().isEmpty());
    QVERIFY(!m_tab->isRunning());
    // A server-side error (unknown field) is underlined too, from EngineError line/column.
    m_tab->setText(QStringLiteral("SELECT Id, NoSuchField__c FROM Account"));
    QSignalSpy finished(m_tab, &fs::ui::QueryTabWidget::queryFinished);
    m_tab->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(m_tab->editor()->hasError());
}

void TestExplorerFlow::runsAndStreamsRows()
{
    m_tab->setText(QStringLiteral(
        "SELECT Id, Name, Industry, Owner.Name, SystemModstamp, (SELECT Id, LastName, Email FROM Contacts) FROM Account"));
    QSignalSpy finished(m_tab, &fs::ui::QueryTabWidget::queryFinished);
    QSignalSpy rows(m_tab->grid()->model(), &QAbstractItemModel::rowsInserted);
    m_tab->editor()->setFocus();
    QTest::keyClick(m_tab->editor(), Qt::Key_Return, Qt::ControlModifier); // Ctrl+Enter runs
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(m_tab->grid()->statusText()));
    QVERIFY(m_tab->grid()->model()->rowCount() > 0);
    QVERIFY(rows.size() >= 1);
    QCOMPARE(m_tab->grid()->fetched(), m_tab->grid()->totalSize());
    QVERIFY(column(QStringLiteral("Owner.Name")) >= 0);
    QVERIFY(m_tab->grid()->statusText().startsWith(QStringLiteral("Fetched")));
    m_tab->grid()->view()->setCurrentIndex(m_tab->grid()->model()->index(0, 1));
    shoot(m_window, QStringLiteral("editor-results.png"));
}

void TestExplorerFlow::opensChildGrid()
{
    const int c = column(QStringLiteral("Contacts"));
    QVERIFY(c >= 0);
    int row = -1;
    auto *model = m_tab->grid()->model();
    for (int r = 0; r < model->rowCount() && row < 0; ++r) {
        if (model->index(r, c).data(fs::ui::RecordTableModel::CellTypeRole).toInt() == int(fs::RecordBatch::CellType::Child))
            row = r;
    }
    QVERIFY2(row >= 0, "no account with contacts");
    QSignalSpy opened(m_tab->grid(), &fs::ui::RecordGridWidget::childGridOpened);
    QTableView *view = m_tab->grid()->view();
    view->scrollTo(model->index(row, c));
    const QRect rect = view->visualRect(model->index(row, c));
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, rect.center());
    QTRY_COMPARE(opened.size(), 1);
    auto *dialog = qobject_cast<QDialog *>(opened.at(0).at(0).value<QWidget *>());
    QVERIFY(dialog);
    auto *child = dialog->findChild<fs::ui::RecordGridWidget *>();
    QVERIFY(child);
    QTRY_VERIFY(child->model()->rowCount() > 0);
    QVERIFY(child->model()->columns().contains(QStringLiteral("LastName")));
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    shoot(dialog, QStringLiteral("nested-grid.png"));
    dialog->close();
}

void TestExplorerFlow::editsAndSaves()
{
    auto *grid = m_tab->grid();
    auto *model = grid->model();
    const int nameCol = column(QStringLiteral("Name"));
    QTRY_VERIFY_WITH_TIMEOUT(model->flags(model->index(0, nameCol)) & Qt::ItemIsEditable, 20000);
    m_editedId = model->index(0, 0).data(fs::ui::RecordTableModel::RecordIdRole).toString();
    QVERIFY(!m_editedId.isEmpty());

    // Edit through the view's editor, like a user.
    QTableView *view = grid->view();
    view->setCurrentIndex(model->index(0, nameCol));
    view->edit(model->index(0, nameCol));
    auto *editor = view->viewport()->findChild<QLineEdit *>();
    QVERIFY(editor);
    editor->selectAll();
    QTest::keyClicks(editor, QStringLiteral("Edited in Forcescope"));
    QTest::keyClick(editor, Qt::Key_Return);
    QTRY_COMPARE(model->pendingCount(), 1);
    QVERIFY(model->index(0, nameCol).data(fs::ui::RecordTableModel::PendingRole).toBool());
    QCOMPARE(model->pendingUpdates().first().changes.value(QStringLiteral("Name")).toString(),
        QStringLiteral("Edited in Forcescope"));

    QSignalSpy saved(grid, &fs::ui::RecordGridWidget::saveFinished);
    grid->findChild<QPushButton *>(QStringLiteral("saveEdits"))->click();
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 20000);
    QCOMPARE(saved.at(0).at(0).toInt(), 1);
    QCOMPARE(model->pendingCount(), 0);

    const auto server = m_sim->get(m_sim->dataPath() + QStringLiteral("/sobjects/Account/") + m_editedId);
    QCOMPARE(server.status, 200);
    QCOMPARE(server.json().object().value(QStringLiteral("Name")).toString(), QStringLiteral("Edited in Forcescope"));
}

void TestExplorerFlow::conflictShowsServerValues()
{
    auto *grid = m_tab->grid();
    auto *model = grid->model();
    const int nameCol = column(QStringLiteral("Name"));
    const int modCol = column(QStringLiteral("SystemModstamp"));
    // The grid picked up the new SystemModstamp after the save.
    const auto before = m_sim->get(m_sim->dataPath() + QStringLiteral("/sobjects/Account/") + m_editedId);
    QTRY_COMPARE_WITH_TIMEOUT(model->index(0, modCol).data().toString(),
        before.json().object().value(QStringLiteral("SystemModstamp")).toString(), 10000);

    // Someone else changes the record behind the app's back.
    QTest::qWait(1100); // the simulator's SystemModstamp has one-second resolution
    const auto patched = m_sim->patch(m_sim->dataPath() + QStringLiteral("/sobjects/Account/") + m_editedId,
        R"({"Name":"Changed elsewhere"})");
    QCOMPARE(patched.status, 204);

    QVERIFY(model->setData(model->index(0, nameCol), QStringLiteral("My second edit")));
    QSignalSpy conflict(grid, &fs::ui::RecordGridWidget::conflictShown);
    QSignalSpy saved(grid, &fs::ui::RecordGridWidget::saveFinished);
    grid->savePending();
    QTRY_COMPARE_WITH_TIMEOUT(conflict.size(), 1, 20000);
    QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 20000);
    QCOMPARE(saved.at(0).at(2).toInt(), 1);
    auto *dialog = grid->findChild<fs::ui::ConflictDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    bool sawServerValue = false;
    for (int r = 0; r < dialog->table()->rowCount(); ++r) {
        if (dialog->table()->item(r, 2)->text() == u"Changed elsewhere")
            sawServerValue = true;
    }
    QVERIFY(sawServerValue);
    shoot(m_window, QStringLiteral("edit-conflict-window.png"));
    shoot(dialog, QStringLiteral("edit-conflict.png"));

    dialog->findChild<QPushButton *>(QStringLiteral("takeTheirs"))->click();
    QTRY_COMPARE(model->index(0, nameCol).data().toString(), QStringLiteral("Changed elsewhere"));
    QCOMPARE(model->pendingCount(), 0);
}

void TestExplorerFlow::limitsAndLog()
{
    m_window->refreshLimits();
    auto *table = m_window->limitsWidget()->findChild<QTableWidget *>(QStringLiteral("limitsTable"));
    QTRY_VERIFY_WITH_TIMEOUT(table->rowCount() > 0, 20000);
    QTRY_VERIFY(m_window->limitsWidget()->gauge()->value() > 0 || m_window->limitsWidget()->samples() > 0);
    QTRY_VERIFY_WITH_TIMEOUT(m_window->logModel()->rowCount() > 3, 10000);
    // Nothing secret in the log.
    for (int r = 0; r < m_window->logModel()->rowCount(); ++r) {
        const QString path = m_window->logModel()->index(r, fs::ui::RequestLogModel::Path).data().toString();
        QVERIFY2(!path.contains(m_sim->token()), "token in request log");
    }
    m_window->findChild<QDockWidget *>(QStringLiteral("limitsDock"))->raise();
    shoot(m_window, QStringLiteral("limits.png"));
    m_window->findChild<QDockWidget *>(QStringLiteral("logDock"))->raise();
    shoot(m_window, QStringLiteral("log.png"));
}

QTEST_MAIN(TestExplorerFlow)
#include "tst_explorerflow.moc"
