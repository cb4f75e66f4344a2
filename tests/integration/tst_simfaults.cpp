// Fault injection of the simulated org (YAML plans) observed over real HTTP.
#include "simulatorfixture.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QTest>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;

class TestSimFaults : public QObject {
    Q_OBJECT

private:
    SimulatorFixture m_fx;
    QString limits() const { return m_fx.dataPath() + QStringLiteral("/limits"); }
    void plan(const QByteArray &yaml)
    {
        QString error;
        QVERIFY2(m_fx.sim().setFaultPlan(yaml, &error), qPrintable(error));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_fx.start(&error), qPrintable(error));
    }
    void cleanup()
    {
        plan("rules: []");
        m_fx.sim().setApiLimit(15000);
        m_fx.sim().setApiUsage(0);
    }

    void unavailableBurstAfterNCalls()
    {
        plan("rules:\n  - action: unavailable\n    path: /services/data/*/limits\n    after: 2\n    count: 3\n");
        QList<int> statuses;
        for (int i = 0; i < 7; ++i)
            statuses << m_fx.get(limits()).status;
        QCOMPARE(statuses, (QList<int> { 200, 200, 503, 503, 503, 200, 200 }));
        plan("rules:\n  - action: unavailable\n    count: 1\n");
        const HttpResult r = m_fx.get(limits());
        QCOMPARE(r.errorCode(), QStringLiteral("SERVER_UNAVAILABLE"));
    }

    void methodFilter()
    {
        plan("rules:\n  - action: lock_row\n");
        QCOMPARE(m_fx.get(limits()).status, 200); // reads are never locked
        const HttpResult w = m_fx.post(m_fx.dataPath() + QStringLiteral("/sobjects/Account"), R"({"Name":"Locked"})");
        QCOMPARE(w.status, 400);
        QCOMPARE(w.errorCode(), QStringLiteral("UNABLE_TO_LOCK_ROW"));
        plan("rules:\n  - action: unavailable\n    method: POST\n");
        QCOMPARE(m_fx.get(limits()).status, 200);
        QCOMPARE(m_fx.post(m_fx.dataPath() + QStringLiteral("/sobjects/Account"), R"({"Name":"X"})").status, 503);
    }

    void connectionResetMidResponse()
    {
        plan("rules:\n  - action: reset\n    path: \"*/describe\"\n    count: 1\n");
        const HttpResult r = m_fx.get(m_fx.dataPath() + QStringLiteral("/sobjects/Account/describe"));
        QVERIFY(r.error != QNetworkReply::NoError);
        const HttpResult again = m_fx.get(m_fx.dataPath() + QStringLiteral("/sobjects/Account/describe"));
        QCOMPARE(again.status, 200);
        QVERIFY(again.json().isObject());
    }

    void sessionExpiryAtCallCount()
    {
        const QString token = m_fx.sim().issueAccessToken();
        m_fx.setToken(token);
        plan("rules:\n  - action: expire_session\n    after: 1\n    count: 1\n");
        QCOMPARE(m_fx.get(limits()).status, 200);
        const HttpResult expired = m_fx.get(limits());
        QCOMPARE(expired.status, 401);
        QCOMPARE(expired.errorCode(), QStringLiteral("INVALID_SESSION_ID"));
        QCOMPARE(m_fx.get(limits()).status, 401); // the token stays dead
        m_fx.setToken(m_fx.sim().issueAccessToken());
        QCOMPARE(m_fx.get(limits()).status, 200);
    }

    void restNotAllowedVariant()
    {
        plan("rules:\n  - action: invalid_session_rest\n    count: 1\n");
        const HttpResult r = m_fx.get(limits());
        QCOMPARE(r.status, 401);
        QCOMPARE(r.json().array().first().toObject().value(u"message").toString(),
            QStringLiteral("This session is not valid for use with the REST API"));
        QCOMPARE(m_fx.get(limits()).status, 200);
    }

    void limitExhaustion()
    {
        plan("rules:\n  - action: limit_exhausted\n    count: 1\n");
        const HttpResult r = m_fx.get(limits());
        QCOMPARE(r.status, 403);
        QCOMPARE(r.errorCode(), QStringLiteral("REQUEST_LIMIT_EXCEEDED"));
        QVERIFY(r.header("Sforce-Limit-Info").startsWith("api-usage="));
    }

    void malformedBody()
    {
        plan("rules:\n  - action: malformed_body\n    count: 1\n");
        const HttpResult r = m_fx.get(m_fx.dataPath() + QStringLiteral("/sobjects"));
        QCOMPARE(r.status, 200);
        QJsonParseError pe;
        QJsonDocument::fromJson(r.body, &pe);
        QVERIFY(pe.error != QJsonParseError::NoError);
    }

    void latencyStillAnswers()
    {
        plan("rules:\n  - action: latency\n    latency_ms: 150\n    count: 2\n");
        QCOMPARE(m_fx.get(limits()).status, 200);
        QCOMPARE(m_fx.get(limits()).status, 200);
    }

    void probabilityIsDeterministicBySeed()
    {
        auto run = [this] {
            plan("seed: 99\nrules:\n  - action: unavailable\n    path: /services/data/*/limits\n    probability: 0.5\n");
            QList<int> s;
            for (int i = 0; i < 12; ++i)
                s << m_fx.get(limits()).status;
            return s;
        };
        const QList<int> first = run();
        const QList<int> second = run();
        QCOMPARE(first, second);
        QVERIFY(first.contains(503));
        QVERIFY(first.contains(200));
    }

    void invalidPlansAreRejected_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addRow("unknown action") << QByteArray("rules:\n  - action: explode\n");
        QTest::addRow("not a mapping") << QByteArray("- just a list\n");
        QTest::addRow("broken yaml") << QByteArray("rules: [unclosed\n");
        QTest::addRow("rules not a list") << QByteArray("rules: 5\n");
    }
    void invalidPlansAreRejected()
    {
        QFETCH(QByteArray, yaml);
        QString error;
        QVERIFY(!m_fx.sim().setFaultPlan(yaml, &error));
        QVERIFY(!error.isEmpty());
    }

    void adminEndpointLoadsPlans()
    {
        const HttpResult r = m_fx.send("PUT", QStringLiteral("/__admin/faults"), "rules:\n  - action: unavailable\n    count: 1\n", {}, false);
        QCOMPARE(r.status, 200);
        QCOMPARE(m_fx.get(limits()).status, 503);
        QCOMPARE(m_fx.send("PUT", QStringLiteral("/__admin/faults"), "rules: nope: [", {}, false).status, 400);
    }
};

QTEST_GUILESS_MAIN(TestSimFaults)
#include "tst_simfaults.moc"
