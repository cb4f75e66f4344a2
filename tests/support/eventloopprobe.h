#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QVector>

#include <functional>

namespace fs::testsupport {

// GUI-thread CPU time of the calling thread, in microseconds.
qint64 threadCpuUs();
// Peak resident set size of this process, in KiB.
long peakRssKiB();
// "UpdateRequest (77)": the event type's name, so a printed slow event is not misread by number.
QString eventTypeName(int type);

// A QApplication that times every event delivered on the GUI thread (nested ones too) and keeps
// the slow ones, so a stall names the receiver and event that took the time. Shared by
// tst_gridresponsiveness and bench_grid.
class ProbeApplication : public QApplication {
public:
    ProbeApplication(int &argc, char **argv);

    struct Slow {
        qint64 cpuMs = 0; // GUI thread CPU: what the code cost, whatever the machine's load
        qint64 wallMs = 0;
        int depth = 0;
        QString what;
    };

    bool notify(QObject *receiver, QEvent *event) override;

    // Deliveries at or above either threshold are kept (up to 10,000) while recording.
    void startRecording(qint64 minCpuMs, qint64 minWallMs);
    void stopRecording() { m_recording = false; }
    // The slowest kept deliveries by GUI-thread CPU time, one line each.
    QStringList slowest(int count) const;

private:
    bool m_recording = false;
    qint64 m_minCpuMs = 15;
    qint64 m_minWallMs = 15;
    int m_depth = 0;
    QList<Slow> m_slow;
};

// Ticks every 5 ms on the GUI thread and keeps the gap between ticks (wall clock) and the GUI
// thread's CPU time between ticks. The worst gap is the worst stall the user would feel.
class EventLoopProbe : public QObject {
public:
    // `where` describes the moment of a tick for the stall list (e.g. "12000 rows").
    explicit EventLoopProbe(std::function<QString()> where = {}, QObject *parent = nullptr);

    void start();
    void stop();

    qint64 worstGapMs() const { return m_worst; }
    qint64 percentileGapMs(int percent) const;
    qint64 gapsOver(qint64 ms) const;
    qint64 ticks() const { return qint64(m_gaps.size()); }
    qint64 worstCpuMs() const { return m_worstCpuUs / 1000; }
    QString worstAt() const { return m_worstAt; }
    QString firstOver50() const { return m_firstOver50; }
    QStringList stalls() const { return m_stalls; } // the first 12 gaps above 50 ms

    // One line: worst, p99, gaps > 50 ms, worst CPU between ticks.
    QString summary() const;

private:
    void tick();

    std::function<QString()> m_where;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_lastCpu = 0;
    qint64 m_worst = 0;
    qint64 m_worstCpuUs = 0;
    QString m_worstAt;
    QString m_firstOver50;
    QStringList m_stalls;
    QVector<qint64> m_gaps;
};

} // namespace fs::testsupport
