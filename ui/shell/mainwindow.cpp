#include "mainwindow.h"

#include <QApplication>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QTabWidget>

namespace fs::ui {

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("MainWindow"));
    setWindowTitle(QStringLiteral("Forcescope"));
    resize(1280, 800);

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(QStringLiteral("queryTabs"));
    tabs->setDocumentMode(true);
    auto *welcome = new QLabel(tr("<h2>Forcescope</h2><p>Connect to an org to browse its schema and run SOQL.</p>"), tabs);
    welcome->setAlignment(Qt::AlignCenter);
    tabs->addTab(welcome, tr("Welcome"));
    setCentralWidget(tabs);

    auto *schemaDock = new QDockWidget(tr("Schema"), this);
    schemaDock->setObjectName(QStringLiteral("schemaDock"));
    schemaDock->setWidget(new QLabel(tr("Not connected"), schemaDock));
    addDockWidget(Qt::LeftDockWidgetArea, schemaDock);

    auto *logDock = new QDockWidget(tr("Log"), this);
    logDock->setObjectName(QStringLiteral("logDock"));
    logDock->setWidget(new QLabel(tr("No requests yet"), logDock));
    addDockWidget(Qt::BottomDockWidgetArea, logDock);

    buildMenus();
    statusBar()->showMessage(tr("Not connected"));
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::closeAllWindows);
}

} // namespace fs::ui
