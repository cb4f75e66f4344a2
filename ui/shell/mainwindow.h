#pragma once

#include <QMainWindow>

namespace fs::ui {

// The explorer's top-level window: schema browser on the left, query editor tabs with results in
// the centre, limits and log panels at the bottom, org and API state in the status bar.
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

private:
    void buildMenus();
};

} // namespace fs::ui
