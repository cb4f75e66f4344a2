#include "metrics/metrics.h"

#include <QTest>

using fs::engine::Metrics;

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void prometheusExport()
    {
        Metrics m;
        m.recordRequest(QStringLiteral("query"), QStringLiteral("Account"), 200, 0.07);
        m.recordRequest(QStringLiteral("query"), QStringLiteral("Account"), 200, 3.0);
        m.recordRequest(QStringLiteral("describe"), QString(), 503, 0.01);
        m.recordError(QStringLiteral("describe"), QStringLiteral("SERVER_UNAVAILABLE"), true);
        m.recordTokenRefresh(true);
        m.setRateLimit(QStringLiteral("DailyApiRequests"), 14000, 6.6666);
        const QString text = m.prometheusText();
        QVERIFY(text.contains(QStringLiteral("# TYPE sf_requests_total counter\n")));
        QVERIFY(text.contains(QStringLiteral("sf_requests_total{operation=\"query\",sobject=\"Account\",status=\"200\"} 2\n")));
        QVERIFY(text.contains(QStringLiteral("# TYPE sf_request_duration_seconds histogram\n")));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_bucket{operation=\"query\",sobject=\"Account\",le=\"0.05\"} 0\n")));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_bucket{operation=\"query\",sobject=\"Account\",le=\"0.1\"} 1\n")));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_bucket{operation=\"query\",sobject=\"Account\",le=\"5\"} 2\n")));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_bucket{operation=\"query\",sobject=\"Account\",le=\"+Inf\"} 2\n")));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_count{operation=\"query\",sobject=\"Account\"} 2\n")));
        QVERIFY(text.contains(QStringLiteral("sf_request_duration_seconds_sum{operation=\"query\",sobject=\"Account\"} 3.07\n")));
        QVERIFY(text.contains(QStringLiteral("sf_errors_total{operation=\"describe\",error_code=\"SERVER_UNAVAILABLE\",retryable=\"true\"} 1\n")));
        QVERIFY(text.contains(QStringLiteral("sf_token_refreshes_total{result=\"success\"} 1\n")));
        QVERIFY(text.contains(QStringLiteral("sf_rate_limit_remaining{limit_type=\"DailyApiRequests\"} 14000\n")));
        QVERIFY(text.contains(QStringLiteral("# TYPE sf_rate_limit_percent_used gauge\n")));
        QCOMPARE(m.value(QStringLiteral("sf_token_refreshes_total"), { { QStringLiteral("result"), QStringLiteral("success") } }), 1.0);
    }

    void labelEscaping()
    {
        Metrics m;
        m.increment(QStringLiteral("x_total"), { { QStringLiteral("a"), QStringLiteral("q\"b\\c\nd") } });
        QVERIFY(m.prometheusText().contains(QStringLiteral("x_total{a=\"q\\\"b\\\\c\\nd\"} 1\n")));
    }

    void wrongTypeIgnored()
    {
        Metrics m;
        m.setGauge(QStringLiteral("sf_requests_total"), {}, 5); // a counter: ignored
        QCOMPARE(m.value(QStringLiteral("sf_requests_total"), {}), 0.0);
        m.increment(QStringLiteral("sf_requests_total"), {}, -3); // counters never go down
        QCOMPARE(m.value(QStringLiteral("sf_requests_total"), {}), 0.0);
    }

    void resetKeepsFamilies()
    {
        Metrics m;
        m.recordTokenRefresh(false);
        m.reset();
        const QString text = m.prometheusText();
        QVERIFY(text.contains(QStringLiteral("# TYPE sf_token_refreshes_total counter")));
        QVERIFY(!text.contains(QStringLiteral("result=\"failure\"")));
    }
};

QTEST_GUILESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
