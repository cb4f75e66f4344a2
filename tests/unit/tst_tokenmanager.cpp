#include "auth/tokenmanager.h"
#include "metrics/metrics.h"

#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using fs::engine::EngineConfig;
using fs::engine::Metrics;
using fs::engine::TokenManager;

class TestTokenManager : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void singleFlight_data()
    {
        QTest::addColumn<int>("waiters");
        QTest::addRow("one caller") << 1;
        QTest::addRow("ten concurrent callers share one refresh") << 10;
    }

    void singleFlight()
    {
        QFETCH(int, waiters);
        EngineConfig c;
        TokenManager m(c);
        auto metrics = std::make_shared<Metrics>();
        m.setMetrics(metrics);
        m.setToken(QStringLiteral("old"), QUrl(QStringLiteral("https://old.example.com")));
        int grants = 0;
        m.setGrant([&grants](TokenManager::GrantCallback cb) {
            ++grants;
            // Complete later, as a network call would.
            QTimer::singleShot(10, [cb] { cb(TokenManager::Token { QStringLiteral("new"), QUrl(QStringLiteral("https://new.example.com")) }); });
        });
        QSignalSpy refreshed(&m, &TokenManager::tokenRefreshed);
        int done = 0;
        for (int i = 0; i < waiters; ++i) {
            m.refresh([&done](const fs::Result<void> &r) {
                QVERIFY(r.ok());
                ++done;
            });
        }
        QVERIFY(m.isRefreshing());
        QTRY_COMPARE(done, waiters);
        QCOMPARE(grants, 1);
        QCOMPARE(m.refreshCount(), 1);
        QCOMPARE(refreshed.count(), 1);
        QCOMPARE(m.accessToken(), QStringLiteral("new"));
        QCOMPARE(m.instanceUrl(), QUrl(QStringLiteral("https://new.example.com")));
        QCOMPARE(metrics->value(QStringLiteral("sf_token_refreshes_total"), { { QStringLiteral("result"), QStringLiteral("success") } }), 1.0);

        // A later refresh is a new flight.
        m.refresh([](const fs::Result<void> &) { });
        QTRY_COMPARE(grants, 2);
    }

    void failureReachesEveryWaiter()
    {
        EngineConfig c;
        TokenManager m(c);
        auto metrics = std::make_shared<Metrics>();
        m.setMetrics(metrics);
        m.setToken(QStringLiteral("old"), QUrl(QStringLiteral("https://x.example.com")));
        m.setGrant([](TokenManager::GrantCallback cb) {
            QTimer::singleShot(0, [cb] {
                cb(fs::EngineError::make(fs::EngineError::Category::Auth, QStringLiteral("expired access/refresh token"),
                    QStringLiteral("invalid_grant")));
            });
        });
        QSignalSpy failed(&m, &TokenManager::refreshFailed);
        int errors = 0;
        for (int i = 0; i < 3; ++i) {
            m.refresh([&errors](const fs::Result<void> &r) {
                if (!r.ok() && r.error().errorCode == u"invalid_grant")
                    ++errors;
            });
        }
        QTRY_COMPARE(errors, 3);
        QCOMPARE(failed.count(), 1);
        QCOMPARE(m.accessToken(), QStringLiteral("old"));
        QCOMPARE(metrics->value(QStringLiteral("sf_token_refreshes_total"), { { QStringLiteral("result"), QStringLiteral("failure") } }), 1.0);
    }

    void noGrantCannotRefresh()
    {
        EngineConfig c;
        TokenManager m(c);
        QVERIFY(!m.canRefresh());
        bool called = false;
        m.refresh([&called](const fs::Result<void> &r) {
            called = true;
            QVERIFY(!r.ok());
            QCOMPARE(r.error().category, fs::EngineError::Category::Auth);
        });
        QVERIFY(called);
    }

    void proactiveRefreshBeforeTimeout()
    {
        EngineConfig c;
        c.credentials.sessionTimeoutSeconds = 2;
        c.credentials.refreshMarginSeconds = 1;
        TokenManager m(c);
        QCOMPARE(m.proactiveRefreshIntervalMs(), 1000);
        int grants = 0;
        m.setGrant([&grants](TokenManager::GrantCallback cb) {
            ++grants;
            cb(TokenManager::Token { QStringLiteral("t%1").arg(grants), QUrl() });
        });
        m.setToken(QStringLiteral("t0"), QUrl(QStringLiteral("https://x.example.com")));
        QTRY_COMPARE_WITH_TIMEOUT(grants, 1, 3000);
        QCOMPARE(m.accessToken(), QStringLiteral("t1"));
        QCOMPARE(m.instanceUrl(), QUrl(QStringLiteral("https://x.example.com"))); // kept when not returned
    }

    void destroyedDuringRefreshIsSafe()
    {
        EngineConfig c;
        TokenManager::GrantCallback pending;
        {
            TokenManager m(c);
            m.setToken(QStringLiteral("a"), QUrl(QStringLiteral("https://x.example.com")));
            m.setGrant([&pending](TokenManager::GrantCallback cb) { pending = cb; });
            m.refresh([](const fs::Result<void> &) { QFAIL("must not be called after destruction"); });
        }
        QVERIFY(pending);
        pending(TokenManager::Token { QStringLiteral("b"), QUrl() });
    }
};

QTEST_GUILESS_MAIN(TestTokenManager)
#include "tst_tokenmanager.moc"
