#include "transport/circuitbreaker.h"

#include <QTest>

using fs::CircuitState;
using fs::engine::CircuitBreaker;

class TestCircuitBreaker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensAfterThresholdAndCloses()
    {
        CircuitBreaker b(5, 3, 1000);
        QList<CircuitState> changes;
        b.onStateChanged = [&](CircuitState s) { changes << s; };
        for (int i = 0; i < 4; ++i) {
            QVERIFY(b.allowRequest(0));
            b.recordFailure(0);
        }
        QCOMPARE(b.state(), CircuitState::Closed);
        b.recordFailure(10);
        QCOMPARE(b.state(), CircuitState::Open);
        QVERIFY(!b.allowRequest(500));
        QCOMPARE(b.msUntilHalfOpen(500), qint64(510));
        QVERIFY(b.allowRequest(1010));
        QCOMPARE(b.state(), CircuitState::HalfOpen);
        b.recordSuccess();
        b.recordSuccess();
        QCOMPARE(b.state(), CircuitState::HalfOpen);
        b.recordSuccess();
        QCOMPARE(b.state(), CircuitState::Closed);
        QCOMPARE(changes, (QList<CircuitState> { CircuitState::Open, CircuitState::HalfOpen, CircuitState::Closed }));
    }

    void successResetsConsecutiveCount()
    {
        CircuitBreaker b(3, 1, 1000);
        b.recordFailure(0);
        b.recordFailure(0);
        b.recordSuccess();
        b.recordFailure(0);
        b.recordFailure(0);
        QCOMPARE(b.state(), CircuitState::Closed);
        b.recordFailure(0);
        QCOMPARE(b.state(), CircuitState::Open);
    }

    void halfOpenFailureReopens()
    {
        CircuitBreaker b(1, 2, 100);
        b.recordFailure(0);
        QVERIFY(b.allowRequest(100));
        QCOMPARE(b.state(), CircuitState::HalfOpen);
        b.recordSuccess();
        b.recordFailure(150);
        QCOMPARE(b.state(), CircuitState::Open);
        QVERIFY(!b.allowRequest(200));
        QVERIFY(b.allowRequest(250));
    }

    void backoff_data()
    {
        QTest::addColumn<int>("retry");
        QTest::addColumn<int>("base");
        QTest::addColumn<int>("max");
        QTest::addColumn<qint64>("expected");
        QTest::addRow("first retry is base") << 1 << 500 << 60000 << qint64(500);
        QTest::addRow("second doubles") << 2 << 500 << 60000 << qint64(1000);
        QTest::addRow("fifth") << 5 << 500 << 60000 << qint64(8000);
        QTest::addRow("capped") << 12 << 500 << 60000 << qint64(60000);
        QTest::addRow("huge retry does not overflow") << 1000 << 500 << 60000 << qint64(60000);
        QTest::addRow("zero base") << 3 << 0 << 100 << qint64(0);
    }

    void backoff()
    {
        QFETCH(int, retry);
        QFETCH(int, base);
        QFETCH(int, max);
        QFETCH(qint64, expected);
        QCOMPARE(fs::engine::backoffDelayMs(retry, base, max, false, 0.7), expected);
        // Full jitter stays inside [0, ceiling].
        QCOMPARE(fs::engine::backoffDelayMs(retry, base, max, true, 0.0), qint64(0));
        QVERIFY(fs::engine::backoffDelayMs(retry, base, max, true, 0.999) <= expected);
        QCOMPARE(fs::engine::backoffDelayMs(retry, base, max, true, 0.5), qint64(expected / 2));
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
