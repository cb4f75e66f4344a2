// The explorer reads the same YAML configuration as the CLI (`--config FILE`, else
// ~/.config/forcescope/config.yaml when it exists) and its engine runs with it: a distinctive
// limit-warning threshold from the file is seen coming back from the engine in the GUI. A bad
// file names the key, in the window's warning box, and the built-in defaults stay in force.
#include "appfixture.h"
#include "authtestkit.h"
#include "explorerconfig.h"

#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

class TestExplorerConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void builtInDefaultsWithoutAFile();
    void readsTheDefaultFile();
    void configFlagForms_data();
    void configFlagForms();
    void badFileNamesTheKey_data();
    void badFileNamesTheKey();
    void explorerEngineRunsWithTheFile();

private:
    QString writeConfig(const QString &name, const QByteArray &yaml);

    QTemporaryDir m_dir;
};

void TestExplorerConfig::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true); // the default file lives under ~/.qttest
    QVERIFY(m_dir.isValid());
    QFile::remove(fs::app::defaultConfigPath());
}

void TestExplorerConfig::cleanup()
{
    QFile::remove(fs::app::defaultConfigPath());
}

QString TestExplorerConfig::writeConfig(const QString &name, const QByteArray &yaml)
{
    const QString path = m_dir.filePath(name);
    return fs::test::writeFile(path, yaml) ? path : QString();
}

void TestExplorerConfig::builtInDefaultsWithoutAFile()
{
    const fs::app::ConfigChoice choice = fs::app::loadExplorerConfig({ QStringLiteral("forcescope") });
    QVERIFY2(choice.error.isEmpty(), qPrintable(choice.error));
    QVERIFY(choice.path.isEmpty());
    QCOMPARE(choice.config.rateLimits.warnThresholdPercent, fs::engine::EngineConfig().rateLimits.warnThresholdPercent);
    QCOMPARE(choice.config.metadata.describeCacheTtlSeconds, fs::engine::EngineConfig().metadata.describeCacheTtlSeconds);
}

void TestExplorerConfig::readsTheDefaultFile()
{
    const QString path = fs::app::defaultConfigPath();
    QVERIFY(path.endsWith(QStringLiteral("/forcescope/config.yaml")));
    QVERIFY(fs::test::writeFile(path, "salesforce:\n  metadata:\n    describe_cache_ttl_seconds: 42\n"));
    const fs::app::ConfigChoice choice = fs::app::loadExplorerConfig({ QStringLiteral("forcescope"), QStringLiteral("--demo") });
    QVERIFY2(choice.error.isEmpty(), qPrintable(choice.error));
    QCOMPARE(choice.path, path);
    QCOMPARE(choice.config.metadata.describeCacheTtlSeconds, 42);
}

void TestExplorerConfig::configFlagForms_data()
{
    QTest::addColumn<bool>("joined");
    QTest::addRow("--config FILE") << false;
    QTest::addRow("--config=FILE") << true;
}

// An explicit file wins over the default one.
void TestExplorerConfig::configFlagForms()
{
    QFETCH(bool, joined);
    QVERIFY(fs::test::writeFile(fs::app::defaultConfigPath(), "salesforce:\n  api_version: \"58.0\"\n"));
    const QString path = writeConfig(QStringLiteral("flag.yaml"), "salesforce:\n  api_version: \"57.0\"\n");
    const QStringList args = joined ? QStringList { QStringLiteral("forcescope"), QStringLiteral("--config=") + path }
                                    : QStringList { QStringLiteral("forcescope"), QStringLiteral("--config"), path };
    const fs::app::ConfigChoice choice = fs::app::loadExplorerConfig(args);
    QVERIFY2(choice.error.isEmpty(), qPrintable(choice.error));
    QCOMPARE(choice.path, path);
    QCOMPARE(choice.config.apiVersion, QStringLiteral("57.0"));
}

void TestExplorerConfig::badFileNamesTheKey_data()
{
    QTest::addColumn<QByteArray>("yaml"); // empty: no such file
    QTest::addColumn<QString>("expected");
    QTest::addRow("retry attempts zero") << QByteArray("salesforce:\n  resilience:\n    retry:\n      max_attempts: 0\n")
                                         << QStringLiteral("resilience.retry.max_attempts");
    QTest::addRow("threshold above 100") << QByteArray("salesforce:\n  rate_limits:\n    warn_threshold_percent: 150\n")
                                         << QStringLiteral("rate_limits.warn_threshold_percent");
    QTest::addRow("describe TTL not a number")
        << QByteArray("salesforce:\n  metadata:\n    describe_cache_ttl_seconds: soon\n")
        << QStringLiteral("metadata.describe_cache_ttl_seconds");
    QTest::addRow("misspelt key") << QByteArray("salesforce:\n  rate_limits:\n    warn_threshold_percnt: 50\n")
                                  << QStringLiteral("unknown key \"rate_limits.warn_threshold_percnt\" (did you mean "
                                                    "\"warn_threshold_percent\"?)");
    QTest::addRow("not YAML") << QByteArray("salesforce: [unclosed\n") << QStringLiteral("not valid YAML");
    QTest::addRow("missing file") << QByteArray() << QStringLiteral("Cannot read the configuration file");
}

void TestExplorerConfig::badFileNamesTheKey()
{
    QFETCH(QByteArray, yaml);
    QFETCH(QString, expected);
    const QString path = yaml.isEmpty() ? m_dir.filePath(QStringLiteral("nowhere.yaml"))
                                        : writeConfig(QStringLiteral("bad.yaml"), yaml);
    const fs::app::ConfigChoice choice
        = fs::app::loadExplorerConfig({ QStringLiteral("forcescope"), QStringLiteral("--config"), path });
    QVERIFY2(choice.error.contains(expected), qPrintable(choice.error));
    QVERIFY2(choice.error.contains(path), qPrintable(choice.error)); // which file
    // Nothing of the bad file is applied.
    QCOMPARE(choice.config.resilience.retry.maxAttempts, fs::engine::EngineConfig().resilience.retry.maxAttempts);
    QCOMPARE(choice.config.rateLimits.warnThresholdPercent, fs::engine::EngineConfig().rateLimits.warnThresholdPercent);

    // The window says so without blocking, and keeps running.
    fs::ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showConfigProblem(choice.error);
    auto *box = window.findChild<QMessageBox *>(QStringLiteral("configProblem"));
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY2(box->text().contains(expected), qPrintable(box->text()));
    QVERIFY(box->informativeText().contains(QStringLiteral("defaults")));
    QVERIFY(window.statusBar()->currentMessage().contains(expected));
    if (QString::fromLatin1(QTest::currentDataTag()) == u"retry attempts zero")
        QVERIFY(fs::test::AppFixture::shoot(box, QStringLiteral("config-error.png"), 100));
    box->accept();
}

// The whole path: file → loadExplorerConfig → the engine thread's config → a signal back in the
// GUI. 0.02 % of the simulator's 15,000 daily requests is 3 requests: the warning fires while
// connecting, carrying the file's threshold, and the status bar shows it.
void TestExplorerConfig::explorerEngineRunsWithTheFile()
{
    const QString path = writeConfig(QStringLiteral("threshold.yaml"),
        "salesforce:\n  rate_limits:\n    warn_threshold_percent: 0.02\n  metadata:\n    describe_cache_ttl_seconds: 0\n");
    const fs::app::ConfigChoice choice
        = fs::app::loadExplorerConfig({ QStringLiteral("forcescope"), QStringLiteral("--config"), path });
    QVERIFY2(choice.error.isEmpty(), qPrintable(choice.error));

    fs::test::AppFixture app;
    fs::test::AppFixture::Options options;
    options.config = choice.config;
    QString error;
    QVERIFY2(app.start(options, &error), qPrintable(error));
    QSignalSpy warning(app.client(), &fs::EngineClient::apiUsageWarning);
    QSignalSpy statusMessages(app.window()->statusBar(), &QStatusBar::messageChanged);
    const QString problem = app.connectDemo();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    QTRY_VERIFY_WITH_TIMEOUT(!warning.isEmpty(), 20000);
    QCOMPARE(warning.first().at(1).toDouble(), 0.02);
    bool shown = false;
    for (const QList<QVariant> &m : std::as_const(statusMessages))
        shown = shown || m.at(0).toString().startsWith(QStringLiteral("API usage above 0.02 %"));
    QVERIFY(shown);
}

QTEST_MAIN(TestExplorerConfig)
#include "tst_explorerconfig.moc"
