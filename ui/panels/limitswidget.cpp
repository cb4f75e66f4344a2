#include "limitswidget.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#ifdef FS_HAVE_CHARTS
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>
#endif

namespace fs::ui {

struct LimitsWidget::Chart {
#ifdef FS_HAVE_CHARTS
    QChartView *view = nullptr;
    QLineSeries *series = nullptr;
    QDateTimeAxis *x = nullptr;
    QValueAxis *y = nullptr;
    qint64 first = 0;
#endif
};

LimitsWidget::LimitsWidget(QWidget *parent)
    : QWidget(parent)
    , m_chart(new Chart)
{
    setObjectName(QStringLiteral("LimitsWidget"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("API requests today:"), this));
    m_gauge = new QProgressBar(this);
    m_gauge->setObjectName(QStringLiteral("apiGauge"));
    m_gauge->setRange(0, 1000);
    m_gauge->setValue(0);
    m_gauge->setFormat(tr("no data"));
    top->addWidget(m_gauge, 1);
    m_usageLabel = new QLabel(this);
    top->addWidget(m_usageLabel);
    auto *refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("refreshLimits"));
    refresh->setToolTip(tr("Fetch /limits (F5)"));
    connect(refresh, &QPushButton::clicked, this, &LimitsWidget::refreshRequested);
    top->addWidget(refresh);
    layout->addLayout(top);

    auto *split = new QSplitter(Qt::Horizontal, this);
    m_table = new QTableWidget(0, 4, split);
    m_table->setObjectName(QStringLiteral("limitsTable"));
    m_table->setHorizontalHeaderLabels({ tr("Limit"), tr("Used"), tr("Max"), tr("Used %") });
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(0, 220);
    m_table->setAlternatingRowColors(true);
    split->addWidget(m_table);
#ifdef FS_HAVE_CHARTS
    // Readable at a glance: the widget's own font (not Qt Charts' small default), axis titles,
    // few ticks so time labels never elide, colours from the palette (see applyChartPalette).
    auto *chart = new QChart;
    chart->setTitle(tr("API requests used this session"));
    chart->legend()->hide();
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(4, 4, 8, 4));
    m_chart->series = new QLineSeries(chart);
    chart->addSeries(m_chart->series);
    m_chart->x = new QDateTimeAxis(chart);
    m_chart->x->setFormat(QStringLiteral("HH:mm"));
    m_chart->x->setTickCount(4);
    m_chart->x->setTitleText(tr("Time"));
    m_chart->y = new QValueAxis(chart);
    m_chart->y->setLabelFormat(QStringLiteral("%d"));
    m_chart->y->setTickCount(5);
    m_chart->y->setTitleText(tr("Requests"));
    chart->addAxis(m_chart->x, Qt::AlignBottom);
    chart->addAxis(m_chart->y, Qt::AlignLeft);
    m_chart->series->attachAxis(m_chart->x);
    m_chart->series->attachAxis(m_chart->y);
    m_chart->series->setPointsVisible(true);
    m_chart->view = new QChartView(chart, split);
    m_chart->view->setObjectName(QStringLiteral("usageChart"));
    m_chart->view->setRenderHint(QPainter::Antialiasing);
    m_chart->view->setMinimumSize(380, 220);
    split->addWidget(m_chart->view);
    applyChartPalette();
#else
    auto *noChart = new QLabel(tr("Usage chart needs Qt Charts"), split);
    noChart->setAlignment(Qt::AlignCenter);
    split->addWidget(noChart);
#endif
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
}

LimitsWidget::~LimitsWidget()
{
    delete m_chart;
}

void LimitsWidget::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)
        applyChartPalette();
}

void LimitsWidget::applyChartPalette()
{
#ifdef FS_HAVE_CHARTS
    if (!m_chart->view)
        return;
    const QPalette pal = palette();
    QChart *chart = m_chart->view->chart();
    QFont titleFont = font();
    titleFont.setBold(true);
    chart->setTitleFont(titleFont);
    chart->setTitleBrush(pal.text());
    chart->setBackgroundBrush(pal.base());
    m_chart->view->setBackgroundBrush(pal.window());
    for (QAbstractAxis *axis : { static_cast<QAbstractAxis *>(m_chart->x), static_cast<QAbstractAxis *>(m_chart->y) }) {
        axis->setTitleFont(font());
        axis->setTitleBrush(pal.text());
        axis->setLabelsFont(font());
        axis->setLabelsBrush(pal.text());
        axis->setLinePenColor(pal.color(QPalette::Mid));
        axis->setGridLineColor(pal.color(QPalette::Midlight));
    }
    QPen pen(pal.color(QPalette::Highlight));
    pen.setWidth(2);
    m_chart->series->setPen(pen);
    m_chart->series->setBrush(pal.color(QPalette::Highlight));
#endif
}

void LimitsWidget::setUsage(const fs::ApiUsage &usage)
{
    if (usage.max <= 0)
        return;
    m_gauge->setValue(int(usage.percent() * 10.0));
    m_gauge->setFormat(tr("%1 %").arg(usage.percent(), 0, 'f', 1));
    m_usageLabel->setText(tr("%L1 of %L2").arg(usage.used).arg(usage.max));
    ++m_samples;
#ifdef FS_HAVE_CHARTS
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_chart->series->count() == 0)
        m_chart->first = now;
    m_chart->series->append(double(now), double(usage.used));
    // Bounded: a long session keeps the last 2,000 points.
    if (m_chart->series->count() > 2000)
        m_chart->series->removePoints(0, m_chart->series->count() - 2000);
    const qint64 from = qint64(m_chart->series->at(0).x());
    m_chart->x->setRange(QDateTime::fromMSecsSinceEpoch(from), QDateTime::fromMSecsSinceEpoch(std::max(now, from + 60000)));
    double lo = m_chart->series->at(0).y();
    double hi = lo;
    for (const QPointF &p : m_chart->series->points()) {
        lo = std::min(lo, p.y());
        hi = std::max(hi, p.y());
    }
    // Whole requests on nicely rounded ticks, never below zero.
    m_chart->y->setRange(std::max(0.0, lo - 2), std::max(hi + 2, lo + 8));
    m_chart->y->applyNiceNumbers();
    m_chart->y->setMin(std::max(0.0, m_chart->y->min()));
    // Seconds matter for a short session, minutes for a long one.
    m_chart->x->setFormat(now - from < 10 * 60 * 1000 ? QStringLiteral("HH:mm:ss") : QStringLiteral("HH:mm"));
#endif
}

int LimitsWidget::chartPointCount() const
{
#ifdef FS_HAVE_CHARTS
    return int(m_chart->series->count());
#else
    return -1;
#endif
}

void LimitsWidget::setLimits(const fs::OrgLimits &limits)
{
    m_table->setRowCount(int(limits.size()));
    for (int r = 0; r < limits.size(); ++r) {
        const fs::LimitValue &l = limits.at(r);
        const qint64 used = l.max - l.remaining;
        auto num = [](qint64 v) {
            auto *i = new QTableWidgetItem(QLocale().toString(v));
            i->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            return i;
        };
        m_table->setItem(r, 0, new QTableWidgetItem(l.name));
        m_table->setItem(r, 1, num(used));
        m_table->setItem(r, 2, num(l.max));
        auto *pct = new QTableWidgetItem(l.max > 0 ? QStringLiteral("%1 %").arg(100.0 * double(used) / double(l.max), 0, 'f', 1) : QString());
        pct->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_table->setItem(r, 3, pct);
        if (l.name == u"DailyApiRequests")
            setUsage({ used, l.max });
    }
}

void LimitsWidget::clear()
{
    m_table->setRowCount(0);
    m_gauge->setValue(0);
    m_gauge->setFormat(tr("no data"));
    m_usageLabel->clear();
    m_samples = 0;
#ifdef FS_HAVE_CHARTS
    m_chart->series->clear();
#endif
}

} // namespace fs::ui
