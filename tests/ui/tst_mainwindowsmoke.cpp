// Shows the main window offscreen, saves a screenshot and checks that something was drawn.
#include "shell/mainwindow.h"

#include <QDir>
#include <QImage>
#include <QSet>
#include <QTest>

class TestMainWindowSmoke : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsAndDrawsSomething();
};

void TestMainWindowSmoke::showsAndDrawsSomething()
{
    fs::ui::MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTest::qWait(200); // let layouts settle before grabbing

    const QImage image = window.grab().toImage();
    QVERIFY(!image.isNull());
    QCOMPARE(image.size(), window.size());

    const QString outDir = qEnvironmentVariable("FS_TEST_OUTPUT_DIR", QDir::tempPath());
    QDir().mkpath(outDir);
    QVERIFY(image.save(outDir + QStringLiteral("/mainwindow-smoke.png")));

    // A blank window has one or two colours; a laid-out one with text, docks and a menu has many.
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colours.insert(image.pixel(x, y));
    }
    QVERIFY2(colours.size() > 8, qPrintable(QStringLiteral("only %1 colours drawn").arg(colours.size())));
}

QTEST_MAIN(TestMainWindowSmoke)
#include "tst_mainwindowsmoke.moc"
