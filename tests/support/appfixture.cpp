#include "appfixture.h"
#include "demologin.h"

#include "enginehost.h"

#include "connect/orgdialog.h"
#include "shell/mainwindow.h"

#include "api/engineclient.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace fs::test {

AppFixture::AppFixture() = default;

AppFixture::~AppFixture()
{
    stop();
}

bool AppFixture::start(const Options &options, QString *error)
{
    QStandardPaths::setTestModeEnabled(true);
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        if (error)
            *error = QStringLiteral("no temporary directory: %1").arg(m_dir->errorString());
        return false;
    }
    m_sim = std::make_unique<SimulatorFixture>();
    if (!m_sim->start(error))
        return false;

    fs::engine::Engine::Options engine;
    engine.config = options.config;
    engine.settingsFile = settingsFile();
    engine.keychainService = options.keychainService.isEmpty()
        ? QStringLiteral("forcescope-uitest-%1").arg(QCoreApplication::applicationPid())
        : options.keychainService;
    engine.describeCacheDir = path(QStringLiteral("cache/describe"));
    m_host = std::make_unique<fs::app::EngineHost>(engine);
    m_window = std::make_unique<fs::ui::MainWindow>(m_host->client(), path(QStringLiteral("store")));
    m_window->resize(options.windowSize);
    m_window->show();
    if (!QTest::qWaitForWindowExposed(m_window.get())) {
        if (error)
            *error = QStringLiteral("the main window was not exposed");
        return false;
    }
    return true;
}

void AppFixture::stop()
{
    m_window.reset();
    m_host.reset();
    m_sim.reset();
}

fs::EngineClient *AppFixture::client() const
{
    return m_host ? m_host->client() : nullptr;
}

QString AppFixture::path(const QString &relative) const
{
    return m_dir ? m_dir->filePath(relative) : QString();
}

QStringList AppFixture::savedAliases() const
{
    QSettings s(settingsFile(), QSettings::IniFormat);
    s.beginGroup(QStringLiteral("orgs"));
    return s.childGroups();
}

QString AppFixture::connectDemo(int timeoutMs)
{
    return loginDemo(client(), m_window.get(), *m_sim, QStringLiteral("demo"), timeoutMs);
}

fs::ui::OrgDialog *AppFixture::openOrgDialog(const OrgForm &form)
{
    m_window->newOrg();
    auto *dialog = m_window->findChild<fs::ui::OrgDialog *>();
    if (!dialog || !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    fill(dialog, form);
    return dialog;
}

void AppFixture::fill(fs::ui::OrgDialog *dialog, const OrgForm &form) const
{
    dialog->setAuthType(form.type);
    auto *alias = dialog->findChild<QLineEdit *>(QStringLiteral("alias"));
    alias->clear();
    QTest::keyClicks(alias, form.alias);
    dialog->findChild<QComboBox *>(QStringLiteral("loginUrl"))
        ->setEditText(form.loginUrl.isEmpty() ? m_sim->baseUrl().toString() : form.loginUrl);
    const QList<QPair<QString, QString>> fields { { QStringLiteral("clientId"), form.clientId },
        { QStringLiteral("username"), form.username }, { QStringLiteral("keyFile"), form.keyFile },
        { QStringLiteral("refreshToken"), form.refreshToken }, { QStringLiteral("instanceUrl"), form.instanceUrl },
        { QStringLiteral("accessToken"), form.accessToken } };
    for (const auto &[name, text] : fields) {
        if (!text.isEmpty())
            typeInto(dialog, name, text);
    }
}

void AppFixture::typeInto(QWidget *root, const QString &objectName, const QString &text)
{
    QTest::keyClicks(root->findChild<QLineEdit *>(objectName), text);
}

void AppFixture::click(QWidget *root, const QString &objectName)
{
    QTest::mouseClick(root->findChild<QPushButton *>(objectName), Qt::LeftButton);
}

void AppFixture::clickConnect(fs::ui::OrgDialog *dialog)
{
    click(dialog, QStringLiteral("connectButton"));
}

QString AppFixture::connectAndWait(const QPointer<fs::ui::OrgDialog> &dialog, const QString &alias, int timeoutMs)
{
    if (!dialog)
        return QStringLiteral("no dialog");
    clickConnect(dialog);
    if (!QTest::qWaitFor([&dialog] { return dialog.isNull() || !dialog->isVisible(); }, timeoutMs))
        return QStringLiteral("the dialog stayed open: %1").arg(dialog ? dialog->errorText() : QString());
    if (!QTest::qWaitFor([this, &alias] { return m_window->session().alias == alias; }, timeoutMs))
        return QStringLiteral("the window shows session '%1', not '%2'").arg(m_window->session().alias, alias);
    return {};
}

bool AppFixture::closeOrgDialogs()
{
    const auto dialogs = m_window->findChildren<fs::ui::OrgDialog *>();
    for (fs::ui::OrgDialog *d : dialogs) {
        if (d->isBusy())
            d->reject(); // cancels
        if (d->isVisible())
            d->reject(); // closes (deleted on close)
    }
    return QTest::qWaitFor([this] { return m_window->findChildren<fs::ui::OrgDialog *>().isEmpty(); }, 5000);
}

bool AppFixture::shoot(QWidget *w, const QString &name, int settleMs)
{
    if (settleMs > 0)
        QTest::qWait(settleMs);
    const QString dir = qEnvironmentVariable("FS_TEST_OUTPUT_DIR", QDir::tempPath()) + QStringLiteral("/screenshots");
    QDir().mkpath(dir);
    return w->grab().save(dir + QLatin1Char('/') + name);
}

} // namespace fs::test
