#include "eventloopprobe.h"

#include <QEvent>
#include <QMetaEnum>
#include <QThread>

#include <sys/resource.h>

#include <algorithm>
#include <ctime>

namespace fs::testsupport {

qint64 threadCpuUs()
{
    timespec ts {};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

long peakRssKiB()
{
    rusage u {};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss; // KiB on Linux
}

QString eventTypeName(int type)
{
    const QMetaEnum e = QMetaEnum::fromType<QEvent::Type>();
    const char *name = e.valueToKey(type);
    return QStringLiteral("%1 (%2)").arg(name ? QLatin1String(name) : QLatin1String("event"), QString::number(type));
}

ProbeApplication::ProbeApplication(int &argc, char **argv)
    : QApplication(argc, argv)
{
}

void ProbeApplication::startRecording(qint64 minCpuMs, qint64 minWallMs)
{
    m_minCpuMs = minCpuMs;
    m_minWallMs = minWallMs;
    m_slow.clear();
    m_recording = true;
}

bool ProbeApplication::notify(QObject *receiver, QEvent *event)
{
    if (!m_recording || QThread::currentThread() != thread()) // the GUI thread only
        return QApplication::notify(receiver, event);
    QElapsedTimer wall;
    wall.start();
    const qint64 cpu0 = threadCpuUs();
    const int type = int(event->type());
    ++m_depth;
    const bool result = QApplication::notify(receiver, event);
    --m_depth;
    const qint64 cpuMs = (threadCpuUs() - cpu0) / 1000;
    const qint64 wallMs = wall.elapsed();
    if ((cpuMs >= m_minCpuMs || wallMs >= m_minWallMs) && m_slow.size() < 10000) {
        m_slow.append({ cpuMs, wallMs, m_depth,
            QStringLiteral("%1(%2) %3").arg(QLatin1String(receiver->metaObject()->className()), receiver->objectName(),
                eventTypeName(type)) });
    }
    return result;
}

QStringList ProbeApplication::slowest(int count) const
{
    QList<Slow> sorted = m_slow;
    std::sort(sorted.begin(), sorted.end(), [](const Slow &a, const Slow &b) {
        return a.cpuMs != b.cpuMs ? a.cpuMs > b.cpuMs : a.wallMs > b.wallMs;
    });
    QStringList lines;
    for (const Slow &s : std::as_const(sorted).mid(0, count))
        lines.append(QStringLiteral("%1 ms CPU (%2 ms wall) depth %3 %4").arg(s.cpuMs).arg(s.wallMs).arg(s.depth).arg(s.what));
    return lines;
}

EventLoopProbe::EventLoopProbe(std::function<QString()> where, QObject *parent)
    : QObject(parent)
    , m_where(std::move(where))
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(5);
    connect(&m_timer, &QTimer::timeout, this, [this] { tick(); });
}

void EventLoopProbe::start()
{
    m_gaps.clear();
    m_gaps.reserve(200000);
    m_stalls.clear();
    m_worst = 0;
    m_worstCpuUs = 0;
    m_worstAt.clear();
    m_firstOver50.clear();
    m_clock.start();
    m_last = 0;
    m_lastCpu = threadCpuUs();
    m_timer.start();
}

void EventLoopProbe::stop()
{
    m_timer.stop();
}

void EventLoopProbe::tick()
{
    const qint64 now = m_clock.elapsed();
    const qint64 gap = now - m_last;
    m_last = now;
    m_gaps.append(gap);
    const qint64 cpu = threadCpuUs();
    m_worstCpuUs = std::max(m_worstCpuUs, cpu - m_lastCpu);
    m_lastCpu = cpu;
    if (gap > 50 || gap > m_worst) {
        const QString where = QStringLiteral("%1 ms%2").arg(now).arg(m_where ? QStringLiteral("/") + m_where() : QString());
        if (gap > m_worst)
            m_worstAt = where;
        if (gap > 50 && m_firstOver50.isEmpty())
            m_firstOver50 = where;
        if (gap > 50 && m_stalls.size() < 12)
            m_stalls.append(QStringLiteral("%1 ms at %2").arg(gap).arg(where));
    }
    m_worst = std::max(m_worst, gap);
}

qint64 EventLoopProbe::percentileGapMs(int percent) const
{
    if (m_gaps.isEmpty())
        return 0;
    QVector<qint64> sorted = m_gaps;
    std::sort(sorted.begin(), sorted.end());
    return sorted.at(std::min<qsizetype>(sorted.size() - 1, sorted.size() * percent / 100));
}

qint64 EventLoopProbe::gapsOver(qint64 ms) const
{
    return std::count_if(m_gaps.cbegin(), m_gaps.cend(), [ms](qint64 g) { return g > ms; });
}

QString EventLoopProbe::summary() const
{
    return QStringLiteral("GUI gap worst %1 ms, p99 %2 ms, %3 gaps >50 ms of %4 ticks, worst GUI-thread CPU between ticks %5 ms")
        .arg(worstGapMs())
        .arg(percentileGapMs(99))
        .arg(gapsOver(50))
        .arg(ticks())
        .arg(worstCpuMs());
}

} // namespace fs::testsupport
