// SOQL editor features against the in-process simulated org (real Engine thread, EngineClient and
// MainWindow, offscreen): crash restore of unsaved tabs, per-org history and saved queries across
// restarts, Esc cancelling a running query, error underline positions, completion, highlighting
// from the shared lexer, and the keyboard shortcuts of the common actions.
#include "enginehost.h"
#include "demologin.h"
#include "simulatorfixture.h"

#include "editor/querystore.h"
#include "editor/querytabwidget.h"
#include "editor/soqleditor.h"
#include "grid/recordgridwidget.h"
#include "grid/recordtablemodel.h"
#include "panels/pendingeditsdialog.h"
#include "schema/describecache.h"
#include "schema/schemabrowserwidget.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"
#include "soql/token.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCompleter>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMenuBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStringListModel>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QToolButton>

using fs::ui::MainWindow;
using fs::ui::QueryStore;
using fs::ui::QueryTabWidget;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QStringList tabTexts(const MainWindow &w)
{
    QStringList out;
    for (int i = 0; i < w.queryTabs()->count(); ++i)
        out.append(qobject_cast<QueryTabWidget *>(w.queryTabs()->widget(i))->text());
    return out;
}

// The format the highlighter gave the character at `pos` of the block (default when none).
QTextCharFormat formatAt(const QTextBlock &block, int pos)
{
    for (const QTextLayout::FormatRange &r : block.layout()->formats()) {
        if (pos >= r.start && pos < r.start + r.length)
            return r.format;
    }
    return {};
}

QString describeFormat(const QTextCharFormat &f)
{
    return QStringLiteral("%1/%2/%3/%4")
        .arg(f.foreground().color().name())
        .arg(f.fontWeight())
        .arg(f.fontItalic())
        .arg(int(f.underlineStyle()));
}

} // namespace

class TestEditorFeatures : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void restoresUnsavedTabsAfterCrash();
    void historyPerOrgAndSavedQueriesSurviveRestart();
    void corruptStoreIsKeptAside_data();
    void corruptStoreIsKeptAside();
    void escCancelsRunningQuery();
    void errorsUnderlinedAtRowAndColumn();
    void completesObjectsAfterFromAndFieldsAfterSelect();
    void highlightsFromSharedLexer_data();
    void highlightsFromSharedLexer();
    void shortcutsTriggerTheirActions_data();
    void shortcutsTriggerTheirActions();
    void shortcutsAreShownInMenus();

private:
    QueryTabWidget *freshTab(const QString &soql);

    std::unique_ptr<fs::test::SimulatorFixture> m_sim;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<fs::app::EngineHost> m_host;
    std::unique_ptr<MainWindow> m_window;
};

void TestEditorFeatures::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    fs::sim::SimulatorOptions options = fs::test::SimulatorFixture::defaultOptions();
    options.scale = 0.25; // 3,000 contacts: more than one 2,000-row page
    m_sim = std::make_unique<fs::test::SimulatorFixture>(options);
    QString error;
    QVERIFY2(m_sim->start(&error), qPrintable(error));

    fs::engine::Engine::Options engineOptions;
    engineOptions.settingsFile = m_dir->filePath(QStringLiteral("engine.ini"));
    engineOptions.keychainService = QStringLiteral("forcescope-editortest");
    engineOptions.describeCacheDir = m_dir->filePath(QStringLiteral("describe"));
    m_host = std::make_unique<fs::app::EngineHost>(engineOptions);
    m_window = std::make_unique<MainWindow>(m_host->client(), m_dir->filePath(QStringLiteral("store")));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));

    error = fs::test::loginDemo(m_host->client(), m_window.get(), *m_sim, QStringLiteral("editor-demo"));
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(m_window->describeCache()->hasGlobal(), 30000);
}

void TestEditorFeatures::cleanupTestCase()
{
    m_window.reset();
    m_host.reset();
    m_sim.reset();
}

QueryTabWidget *TestEditorFeatures::freshTab(const QString &soql)
{
    QueryTabWidget *tab = m_window->openQueryTab(soql);
    m_window->activateWindow();
    tab->editor()->setFocus();
    return tab;
}

void TestEditorFeatures::restoresUnsavedTabsAfterCrash()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString store = dir.filePath(QStringLiteral("store"));
    const QString autosave = store + QStringLiteral("/autosave.json");
    const QString first = QStringLiteral("SELECT Id FROM Account WHERE Name LIKE 'Unsaved%'");
    const QString second = QStringLiteral("SELECT Id, Subject\nFROM Case");

    auto w1 = std::make_unique<MainWindow>(nullptr, store);
    QueryStore *s1 = w1->queryStore();
    s1->setAutosaveDelay(200);
    QCOMPARE(w1->queryTabs()->count(), 1);
    QSignalSpy autosaved(s1, &QueryStore::tabsAutosaved);
    auto *tab1 = qobject_cast<QueryTabWidget *>(w1->queryTabs()->widget(0));
    QTest::keyClicks(tab1->editor(), first);
    QueryTabWidget *tab2 = w1->openQueryTab();
    QTest::keyClicks(tab2->editor(), QStringLiteral("SELECT Id, Subject"));
    tab2->editor()->completer()->popup()->hide(); // Return would pick a completion otherwise
    QTest::keyClick(tab2->editor(), Qt::Key_Return);
    QTest::keyClicks(tab2->editor(), QStringLiteral("FROM Case"));
    tab2->editor()->completer()->popup()->hide();
    QCOMPARE(tab2->text(), second);
    // Typing never writes synchronously: the debounced autosave does, once, after the delay.
    QVERIFY(s1->autosavePending());
    QTRY_VERIFY_WITH_TIMEOUT(autosaved.size() >= 1 && !s1->autosavePending(), 5000);

    // What is on disk at this moment is what a crash leaves behind.
    const QByteArray atCrash = readAll(autosave);
    const QJsonArray saved = QJsonDocument::fromJson(atCrash).array();
    QCOMPARE(saved.size(), 2);
    QCOMPARE(saved.at(0).toObject().value(QStringLiteral("text")).toString(), first);
    QCOMPARE(saved.at(1).toObject().value(QStringLiteral("text")).toString(), second);

    // Keystrokes after the last autosave die with the process; a crash runs no destructor and no
    // closeEvent, so put the directory back to the crash-time state after tearing w1 down.
    QTest::keyClicks(tab1->editor(), QStringLiteral(" lost"));
    w1.reset();
    QVERIFY(writeAll(autosave, atCrash));

    auto w2 = std::make_unique<MainWindow>(nullptr, store);
    QCOMPARE(tabTexts(*w2), QStringList({ first, second }));

    // A clean close writes exactly the open tabs: a closed tab does not come back, the edit does.
    w2->show();
    QVERIFY(QTest::qWaitForWindowExposed(w2.get()));
    Q_EMIT w2->queryTabs()->tabCloseRequested(0);
    QTRY_COMPARE(w2->queryTabs()->count(), 1);
    auto *left = qobject_cast<QueryTabWidget *>(w2->queryTabs()->widget(0));
    left->setText(second + QStringLiteral(" LIMIT 5"));
    QVERIFY(w2->close());
    w2.reset();
    const QJsonArray afterClose = QJsonDocument::fromJson(readAll(autosave)).array();
    QCOMPARE(afterClose.size(), 1);
    auto w3 = std::make_unique<MainWindow>(nullptr, store);
    QCOMPARE(tabTexts(*w3), QStringList({ second + QStringLiteral(" LIMIT 5") }));
    QCOMPARE(w3->queryStore()->loadError(), QString());
}

void TestEditorFeatures::historyPerOrgAndSavedQueriesSurviveRestart()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString a1 = QStringLiteral("SELECT Id FROM Account");
    const QString a2 = QStringLiteral("SELECT Id FROM Contact");
    const QString b1 = QStringLiteral("SELECT Id FROM Lead");
    {
        QueryStore store(dir.path());
        QSignalSpy changed(&store, &QueryStore::historyChanged);
        store.addHistory(QStringLiteral("orgA"), a1);
        store.addHistory(QStringLiteral("orgA"), a2);
        store.addHistory(QStringLiteral("orgB"), b1);
        store.addHistory(QStringLiteral("orgA"), QStringLiteral("  ") + a1 + QStringLiteral("\n")); // de-duplicated, moves up
        QCOMPARE(changed.size(), 4);
        store.saveQuery(QStringLiteral("Big accounts"), QStringLiteral("SELECT Id FROM Account WHERE NumberOfEmployees > 1000"));
        store.saveQuery(QStringLiteral("Leads"), b1);
    }
    QueryStore reopened(dir.path());
    QCOMPARE(reopened.loadError(), QString());
    QCOMPARE(reopened.history(QStringLiteral("orgA")), QStringList({ a1, a2 }));
    QCOMPARE(reopened.history(QStringLiteral("orgB")), QStringList({ b1 }));
    QCOMPARE(reopened.history(QStringLiteral("orgC")), QStringList());
    QCOMPARE(reopened.savedNames(), QStringList({ QStringLiteral("Big accounts"), QStringLiteral("Leads") }));
    QCOMPARE(reopened.savedQuery(QStringLiteral("Big accounts")),
        QStringLiteral("SELECT Id FROM Account WHERE NumberOfEmployees > 1000"));

    // Through the app: a run in this window's org lands in that org's history only.
    QueryTabWidget *tab = freshTab(QStringLiteral("SELECT Id FROM Account LIMIT 3"));
    QSignalSpy finished(tab, &QueryTabWidget::queryFinished);
    tab->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(m_window->queryStore()->history(QStringLiteral("editor-demo")).value(0), QStringLiteral("SELECT Id FROM Account LIMIT 3"));
    QVERIFY(!m_window->queryStore()->history(QStringLiteral("another-org")).contains(QStringLiteral("SELECT Id FROM Account LIMIT 3")));
}

void TestEditorFeatures::corruptStoreIsKeptAside_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("queries.json truncated") << QStringLiteral("queries.json") << QByteArray(R"({"history": {"orgA": ["SELECT Id FR)");
    QTest::newRow("queries.json wrong layout") << QStringLiteral("queries.json") << QByteArray(R"(["not", "an", "object"])");
    QTest::newRow("queries.json binary") << QStringLiteral("queries.json") << QByteArray("\x00\xff\xfe garbage", 11);
    QTest::newRow("autosave.json truncated") << QStringLiteral("autosave.json") << QByteArray(R"([{"title":"Account","text":"SEL)");
}

void TestEditorFeatures::corruptStoreIsKeptAside()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, content);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(writeAll(dir.filePath(file), content));

    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^QueryStore: .*damaged")));
    QueryStore store(dir.path());
    const QString error = store.loadError();
    QVERIFY2(error.contains(QStringLiteral("is damaged")), qPrintable(error));
    QVERIFY2(error.contains(QDir::toNativeSeparators(dir.filePath(file))), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("kept as")), qPrintable(error));
    const QStringList aside = QDir(dir.path()).entryList({ file + QStringLiteral(".corrupt-*") }, QDir::Files);
    QCOMPARE(aside.size(), 1);
    QVERIFY(error.contains(aside.first()));
    QCOMPARE(readAll(dir.filePath(aside.first())), content); // kept byte for byte
    QVERIFY(store.history(QStringLiteral("orgA")).isEmpty());
    QVERIFY(store.restoredTabs().isEmpty());

    // The store works on: new data goes to a fresh file, the damaged copy stays.
    store.addHistory(QStringLiteral("orgA"), QStringLiteral("SELECT Id FROM Account"));
    store.setTabs({ { QStringLiteral("Account"), QStringLiteral("SELECT Id FROM Account"), QStringLiteral("orgA") } });
    store.flush();
    QCOMPARE(readAll(dir.filePath(aside.first())), content);
    QueryStore again(dir.path());
    QCOMPARE(again.loadError(), QString());
    QCOMPARE(again.history(QStringLiteral("orgA")), QStringList { QStringLiteral("SELECT Id FROM Account") });
    QCOMPARE(again.restoredTabs().size(), 1);

    // The window says it in plain words too (first tab's message line).
    QTemporaryDir windowDir;
    QVERIFY(windowDir.isValid());
    QVERIFY(writeAll(windowDir.filePath(file), content));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("^QueryStore: .*damaged")));
    MainWindow window(nullptr, windowDir.path());
    auto *first = qobject_cast<QueryTabWidget *>(window.queryTabs()->widget(0));
    QVERIFY2(first->messageText().contains(QStringLiteral("is damaged")), qPrintable(first->messageText()));
}

void TestEditorFeatures::escCancelsRunningQuery()
{
    // The first query page comes at once, every later page 8 s late: Esc lands while page 2 waits.
    QString error;
    QVERIFY2(m_sim->sim().setFaultPlan(R"(seed: 1
rules:
  - action: latency
    path: "/services/data/*/query*"
    after: 1
    latency_ms: 8000
)",
                 &error),
        qPrintable(error));
    QueryTabWidget *tab = freshTab(QStringLiteral("SELECT Id, LastName FROM Contact"));
    QSignalSpy cancelled(tab, &QueryTabWidget::queryCancelled);
    QSignalSpy finished(tab, &QueryTabWidget::queryFinished);
    auto *model = tab->grid()->model();
    QTest::keyClick(tab->editor(), Qt::Key_Return, Qt::ControlModifier);
    QTRY_VERIFY_WITH_TIMEOUT(tab->isRunning(), 5000);
    QTRY_COMPARE_WITH_TIMEOUT(model->loadedRows(), qint64(2000), 30000);
    QVERIFY(tab->isRunning());
    QCOMPARE(tab->grid()->totalSize(), qint64(3000));

    QTest::keyClick(tab->editor(), Qt::Key_Escape);
    QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 5000);
    QCOMPARE(finished.size(), 0); // not a failure
    QCOMPARE(tab->outcome(), QueryTabWidget::Outcome::Cancelled);
    QVERIFY(!tab->isRunning());
    QCOMPARE(model->loadedRows(), qint64(2000)); // the rows received so far stay
    QCOMPARE(model->rowCount(), 2000);
    QVERIFY2(tab->messageText().startsWith(QStringLiteral("Cancelled")), qPrintable(tab->messageText()));
    QVERIFY2(tab->messageText().contains(QLocale().toString(2000)), qPrintable(tab->messageText()));
    QVERIFY2(tab->grid()->statusText().contains(QStringLiteral("Cancelled")), qPrintable(tab->grid()->statusText()));
    QVERIFY(!tab->editor()->hasError());
    QVERIFY(m_sim->sim().setFaultPlan("rules: []\n", &error));
}

void TestEditorFeatures::errorsUnderlinedAtRowAndColumn()
{
    // Local parse error: the misspelt keyword on line 2.
    const QString parseText = QStringLiteral("SELECT Id,\n  Name FORM Account");
    QueryTabWidget *tab = freshTab(parseText);
    tab->run();
    QVERIFY(!tab->isRunning());
    QVERIFY(tab->editor()->hasError());
    const int misspelt = int(parseText.indexOf(QStringLiteral("FORM")));
    QCOMPARE(tab->editor()->errorPosition(), misspelt);
    QTextCursor at(tab->editor()->document());
    at.setPosition(tab->editor()->errorPosition());
    QCOMPARE(at.blockNumber() + 1, 2);
    QCOMPARE(at.positionInBlock() + 1, 8);
    QList<QTextEdit::ExtraSelection> sel = tab->editor()->extraSelections();
    QCOMPARE(sel.size(), 1);
    QCOMPARE(sel.first().cursor.selectionStart(), misspelt);
    QCOMPARE(sel.first().cursor.selectedText(), QStringLiteral("FORM"));
    QCOMPARE(sel.first().format.underlineStyle(), QTextCharFormat::WaveUnderline);

    // Server error: the unknown field on line 2, from INVALID_FIELD's row/column.
    const QString serverText = QStringLiteral("SELECT Id,\n       NoSuchField__c FROM Account");
    tab->setText(serverText);
    QSignalSpy finished(tab, &QueryTabWidget::queryFinished);
    tab->run();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY(tab->editor()->hasError());
    QVERIFY2(tab->editor()->errorMessage().startsWith(QStringLiteral("INVALID_FIELD")), qPrintable(tab->editor()->errorMessage()));
    const int unknown = int(serverText.indexOf(QStringLiteral("NoSuchField__c")));
    QCOMPARE(tab->editor()->errorPosition(), unknown);
    sel = tab->editor()->extraSelections();
    QCOMPARE(sel.size(), 1);
    QCOMPARE(sel.first().cursor.selectedText(), QStringLiteral("NoSuchField__c"));
    // The next edit clears it.
    QTest::keyClick(tab->editor(), Qt::Key_Space);
    QVERIFY(!tab->editor()->hasError());
    QVERIFY(tab->editor()->extraSelections().isEmpty());
}

void TestEditorFeatures::completesObjectsAfterFromAndFieldsAfterSelect()
{
    QueryTabWidget *tab = freshTab(QString());
    fs::ui::SoqlEditor *editor = tab->editor();
    QTest::keyClicks(editor, QStringLiteral("SELECT Id FROM Acc"));
    QTRY_VERIFY_WITH_TIMEOUT(editor->completer()->popup()->isVisible(), 10000);
    auto *words = qobject_cast<QStringListModel *>(editor->completer()->model());
    QVERIFY(words);
    QVERIFY(words->stringList().contains(QStringLiteral("Account")));
    QVERIFY(words->stringList().contains(QStringLiteral("Contact"))); // all objects, filtered by prefix
    QCOMPARE(editor->completer()->completionPrefix(), QStringLiteral("Acc"));
    QCOMPARE(editor->completer()->currentCompletion(), QStringLiteral("Account"));
    QTest::keyClick(editor->completer()->popup(), Qt::Key_Return);
    QTRY_COMPARE(tab->text(), QStringLiteral("SELECT Id FROM Account"));

    // Fields after SELECT once FROM is known (describe fetched on demand).
    tab->setText(QStringLiteral("SELECT Id,  FROM Contact"));
    QTextCursor c = editor->textCursor();
    c.setPosition(11);
    editor->setTextCursor(c);
    QTest::keyClicks(editor, QStringLiteral("LastN"));
    QTRY_VERIFY_WITH_TIMEOUT(editor->completer()->popup()->isVisible(), 20000);
    QCOMPARE(editor->completer()->currentCompletion(), QStringLiteral("LastName"));
    QVERIFY(!words->stringList().contains(QStringLiteral("Account"))); // fields now, not objects
    QTest::keyClick(editor->completer()->popup(), Qt::Key_Return);
    QTRY_COMPARE(tab->text(), QStringLiteral("SELECT Id, LastName FROM Contact"));
}

void TestEditorFeatures::highlightsFromSharedLexer_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("token");
    QTest::newRow("keyword") << QStringLiteral("keyword") << QStringLiteral("WHERE");
    QTest::newRow("string literal") << QStringLiteral("string") << QStringLiteral("'Acme, Inc.'");
    QTest::newRow("number") << QStringLiteral("number") << QStringLiteral("250");
    QTest::newRow("date literal") << QStringLiteral("dateLiteral") << QStringLiteral("LAST_N_DAYS:30");
    QTest::newRow("comment") << QStringLiteral("comment") << QString();
}

void TestEditorFeatures::highlightsFromSharedLexer()
{
    QFETCH(QString, kind);
    QFETCH(QString, token);
    if (kind == u"comment")
        QSKIP("SOQL has no comment syntax; the shared lexer has no comment token to colour");
    const QString text = QStringLiteral("SELECT Id FROM Account WHERE Name = 'Acme, Inc.' AND NumberOfEmployees > 250 "
                                        "AND CreatedDate = LAST_N_DAYS:30");
    QueryTabWidget *tab = freshTab(text);
    const QTextBlock block = tab->editor()->document()->firstBlock();
    QTRY_VERIFY(!block.layout()->formats().isEmpty());

    // The token is one lexer token of the expected kind, and one format covers exactly it.
    const fs::soql::TokenList tokens = fs::soql::tokenize(text);
    const int start = int(text.indexOf(token));
    QVERIFY(start >= 0);
    bool lexed = false;
    for (const fs::soql::Token &t : tokens) {
        if (t.start == start) {
            QCOMPARE(t.length, int(token.size()));
            lexed = true;
        }
    }
    QVERIFY2(lexed, "the shared lexer does not see the token where the test expects it");
    const QTextCharFormat f = formatAt(block, start);
    QVERIFY2(f.foreground().style() != Qt::NoBrush || f.fontWeight() > QFont::Normal, qPrintable(kind));
    QCOMPARE(describeFormat(formatAt(block, start + int(token.size()) - 1)), describeFormat(f));
    QVERIFY(describeFormat(formatAt(block, start + int(token.size()))) != describeFormat(f)); // ends with the token

    // Each kind looks different from the others and from plain identifiers.
    const QStringList others { QStringLiteral("WHERE"), QStringLiteral("'Acme, Inc.'"), QStringLiteral("250"),
        QStringLiteral("LAST_N_DAYS:30"), QStringLiteral("NumberOfEmployees") };
    for (const QString &other : others) {
        if (other == token)
            continue;
        const QTextCharFormat g = formatAt(block, int(text.indexOf(other)));
        QVERIFY2(describeFormat(g) != describeFormat(f), qPrintable(token + QStringLiteral(" vs ") + other));
    }
    // Same kind, same format: every keyword token of the lexer carries the keyword format.
    if (kind == u"keyword") {
        for (const fs::soql::Token &t : tokens) {
            if (t.kind == fs::soql::TokenKind::Keyword)
                QCOMPARE(describeFormat(formatAt(block, t.start)), describeFormat(f));
        }
    }
}

void TestEditorFeatures::shortcutsTriggerTheirActions_data()
{
    QTest::addColumn<QKeySequence>("keys");
    QTest::addColumn<QString>("what");
    QTest::newRow("Ctrl+Enter runs") << QKeySequence(Qt::CTRL | Qt::Key_Return) << QStringLiteral("run");
    QTest::newRow("Esc cancels") << QKeySequence(Qt::Key_Escape) << QStringLiteral("cancel");
    QTest::newRow("Ctrl+T new tab") << QKeySequence(Qt::CTRL | Qt::Key_T) << QStringLiteral("newTab");
    // File › Close tab uses the platform's Close key (Ctrl+W on desktops, Ctrl+F4 on the offscreen theme).
    QTest::newRow("Close key closes the tab") << QKeySequence(QKeySequence::Close) << QStringLiteral("closeTab");
    QTest::newRow("Ctrl+W closes the tab") << QKeySequence(Qt::CTRL | Qt::Key_W) << QStringLiteral("closeTab");
    QTest::newRow("Ctrl+F filter rows") << QKeySequence(Qt::CTRL | Qt::Key_F) << QStringLiteral("filter");
    QTest::newRow("Ctrl+C copy cells") << QKeySequence(Qt::CTRL | Qt::Key_C) << QStringLiteral("copy");
    QTest::newRow("Ctrl+E export CSV") << QKeySequence(Qt::CTRL | Qt::Key_E) << QStringLiteral("exportCsv");
    QTest::newRow("Ctrl+Shift+E export JSON") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E) << QStringLiteral("exportJson");
    QTest::newRow("Ctrl+S save edits") << QKeySequence(Qt::CTRL | Qt::Key_S) << QStringLiteral("saveEdits");
    QTest::newRow("Ctrl+Shift+P preview edits") << QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P) << QStringLiteral("previewEdits");
    QTest::newRow("Ctrl+P schema filter") << QKeySequence(Qt::CTRL | Qt::Key_P) << QStringLiteral("schemaFilter");
}

void TestEditorFeatures::shortcutsTriggerTheirActions()
{
    QFETCH(QKeySequence, keys);
    QFETCH(QString, what);
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto press = [this, &keys] {
        const QKeyCombination k = keys[0];
        QTest::keyClick(m_window.get(), k.key(), k.keyboardModifiers());
    };
    const bool gridFocus = what == u"copy" || what == u"saveEdits";
    QueryTabWidget *tab = freshTab(QStringLiteral("SELECT Id, Name FROM Account ORDER BY Name LIMIT 5"));
    if (what != u"run" && what != u"newTab" && what != u"closeTab" && what != u"schemaFilter") {
        QSignalSpy done(tab, &QueryTabWidget::queryFinished);
        tab->run();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
        QVERIFY(done.at(0).at(0).toBool());
    }
    if (gridFocus) {
        QTableView *view = tab->grid()->view();
        view->setFocus();
        view->setCurrentIndex(tab->grid()->model()->index(0, 1));
        QTRY_VERIFY(view->hasFocus());
    }

    if (what == u"run") {
        QSignalSpy started(tab, &QueryTabWidget::queryStarted);
        QSignalSpy done(tab, &QueryTabWidget::queryFinished);
        press();
        QCOMPARE(started.size(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 30000);
    } else if (what == u"cancel") {
        QString error;
        QVERIFY(m_sim->sim().setFaultPlan("rules:\n  - action: latency\n    path: \"/services/data/*/query*\"\n    latency_ms: 8000\n", &error));
        QSignalSpy cancelled(tab, &QueryTabWidget::queryCancelled);
        tab->run();
        QVERIFY(tab->isRunning());
        press();
        QTRY_COMPARE(cancelled.size(), 1);
        QVERIFY(m_sim->sim().setFaultPlan("rules: []\n", &error));
    } else if (what == u"newTab") {
        const int before = m_window->queryTabs()->count();
        press();
        QCOMPARE(m_window->queryTabs()->count(), before + 1);
    } else if (what == u"closeTab") {
        const int before = m_window->queryTabs()->count();
        press();
        QTRY_COMPARE(m_window->queryTabs()->count(), before - 1);
        QVERIFY(m_window->queryTabs()->indexOf(tab) < 0);
    } else if (what == u"filter") {
        press();
        auto *filter = tab->grid()->findChild<QLineEdit *>(QStringLiteral("gridFilter"));
        QTRY_VERIFY(filter->hasFocus());
    } else if (what == u"copy") {
        QApplication::clipboard()->clear();
        press();
        QCOMPARE(QApplication::clipboard()->text(), tab->grid()->model()->cellText(0, 1) + QLatin1Char('\n'));
    } else if (what == u"exportCsv" || what == u"exportJson") {
        QTemporaryDir dir;
        const QString path = dir.filePath(what == u"exportCsv" ? QStringLiteral("out.csv") : QStringLiteral("out.json"));
        tab->setExportPathForTests(path);
        QSignalSpy exported(tab, &QueryTabWidget::exportFinished);
        press();
        QTRY_COMPARE_WITH_TIMEOUT(exported.size(), 1, 30000);
        QCOMPARE(exported.at(0).at(1).toString(), QString());
        const QByteArray bytes = [&path] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        if (what == u"exportCsv")
            QVERIFY(bytes.startsWith("Id,Name\r\n"));
        else
            QCOMPARE(QJsonDocument::fromJson(bytes).array().size(), 5);
        QVERIFY(tab->messageText().startsWith(QStringLiteral("Exported to")));
    } else if (what == u"saveEdits") {
        QSignalSpy triggered(tab->action(QStringLiteral("saveEdits")), &QAction::triggered);
        press();
        QCOMPARE(triggered.size(), 1);
    } else if (what == u"previewEdits") {
        press();
        auto *dialog = tab->findChild<fs::ui::PendingEditsDialog *>();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        dialog->close();
    } else if (what == u"schemaFilter") {
        press();
        QTRY_VERIFY(m_window->schemaBrowser()->filterEdit()->hasFocus());
    } else {
        QFAIL("unknown row");
    }
}

void TestEditorFeatures::shortcutsAreShownInMenus()
{
    // Window actions in the menu bar, tab actions in the tab's Results menu: each with its key.
    QHash<QString, QList<QKeySequence>> menuEntries;
    std::function<void(QMenu *)> walk = [&](QMenu *menu) {
        for (QAction *a : menu->actions()) {
            if (a->menu())
                walk(a->menu());
            else if (!a->shortcuts().isEmpty())
                menuEntries[a->text().remove(QLatin1Char('&'))] += a->shortcuts();
        }
    };
    for (QAction *top : m_window->menuBar()->actions()) {
        if (top->menu())
            walk(top->menu());
    }
    QueryTabWidget *tab = freshTab(QString());
    auto *results = tab->findChild<QToolButton *>(QStringLiteral("resultsMenu"));
    QVERIFY(results && results->menu());
    walk(results->menu());
    const QList<QPair<QString, QKeySequence>> expected {
        { QStringLiteral("New query tab"), QKeySequence(Qt::CTRL | Qt::Key_T) },
        { QStringLiteral("Close tab"), QKeySequence(QKeySequence::Close) },
        { QStringLiteral("Close tab"), QKeySequence(Qt::CTRL | Qt::Key_W) },
        { QStringLiteral("Run"), QKeySequence(Qt::CTRL | Qt::Key_Return) },
        { QStringLiteral("Find object…"), QKeySequence(Qt::CTRL | Qt::Key_P) },
        { QStringLiteral("Cancel query"), QKeySequence(Qt::Key_Escape) },
        { QStringLiteral("Filter loaded rows"), QKeySequence(Qt::CTRL | Qt::Key_F) },
        { QStringLiteral("Copy cells as TSV"), QKeySequence(Qt::CTRL | Qt::Key_C) },
        { QStringLiteral("Export CSV…"), QKeySequence(Qt::CTRL | Qt::Key_E) },
        { QStringLiteral("Export JSON…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E) },
        { QStringLiteral("Save pending edits"), QKeySequence(Qt::CTRL | Qt::Key_S) },
        { QStringLiteral("Preview pending edits…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_P) },
    };
    for (const auto &[text, key] : expected) {
        QVERIFY2(menuEntries.value(text).contains(key),
            qPrintable(text + QStringLiteral(" = ") + key.toString() + QStringLiteral(" is not in a menu")));
    }
    for (QAction *a : tab->keyboardActions())
        QVERIFY2(a->toolTip().contains(a->shortcut().toString(QKeySequence::NativeText)), qPrintable(a->toolTip()));
    auto *run = tab->findChild<QToolButton *>(QStringLiteral("runQuery"));
    auto *cancel = tab->findChild<QToolButton *>(QStringLiteral("cancelQuery"));
    QVERIFY(run->toolTip().contains(QKeySequence(Qt::CTRL | Qt::Key_Return).toString(QKeySequence::NativeText)));
    QVERIFY(cancel->toolTip().contains(QStringLiteral("Esc")));
}

QTEST_MAIN(TestEditorFeatures)
#include "tst_editorfeatures.moc"
