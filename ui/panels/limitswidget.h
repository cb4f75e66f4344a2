#pragma once

#include "api/types.h"

#include <QWidget>

class QLabel;
class QProgressBar;
class QTableWidget;

namespace fs::ui {

// The limits panel: API usage gauge, a line chart of usage over the session (when Qt Charts is
// available) and the table of /limits values. Fed by EngineClient signals. GUI thread only.
class LimitsWidget : public QWidget {
    Q_OBJECT
public:
    explicit LimitsWidget(QWidget *parent = nullptr);
    ~LimitsWidget() override;

    void setUsage(const fs::ApiUsage &usage);
    void setLimits(const fs::OrgLimits &limits);
    void clear();
    int samples() const { return m_samples; }
    QProgressBar *gauge() const { return m_gauge; }
    // Points in the usage-over-time chart; -1 when built without Qt Charts.
    int chartPointCount() const;

Q_SIGNALS:
    void refreshRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    struct Chart;
    // Chart colours and fonts from the palette and font: at start and when the theme changes.
    void applyChartPalette();
    QProgressBar *m_gauge = nullptr;
    QLabel *m_usageLabel = nullptr;
    QTableWidget *m_table = nullptr;
    Chart *m_chart = nullptr;
    int m_samples = 0;
};

} // namespace fs::ui
