// forcescope-sim's replication, ETag, sObject Tree, composite graph and explain resources: wall
// time per call over loopback HTTP against an in-process simulated org. Prints figures only.
// Usage: bench_simextras [--scale X] [--rounds N]   (scale 1.0 ~ 40k records)
#include "simulatorfixture.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QUrl>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

using fs::test::HttpResult;
using fs::test::SimulatorFixture;

namespace {

long peakRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    }
    return -1;
}

QString enc(const QString &s)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(s));
}

// Median wall time of `rounds` calls, in ms; -1 if any call answered another status.
double medianMs(int rounds, int expected, const std::function<HttpResult()> &call)
{
    std::vector<double> ms;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer t;
        t.start();
        const HttpResult r = call();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
        if (r.status != expected) {
            std::printf("  unexpected status %d: %s\n", r.status, r.body.left(200).constData());
            return -1;
        }
    }
    std::sort(ms.begin(), ms.end());
    return ms.at(ms.size() / 2);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto opt = [&](const QString &name, const QString &fallback) {
        const int i = args.indexOf(name);
        return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
    };
    fs::sim::SimulatorOptions options = SimulatorFixture::defaultOptions();
    options.scale = opt(QStringLiteral("--scale"), QStringLiteral("1.0")).toDouble();
    const int rounds = qMax(1, opt(QStringLiteral("--rounds"), QStringLiteral("9")).toInt());
    QElapsedTimer startup;
    startup.start();
    SimulatorFixture fx(options);
    QString error;
    if (!fx.start(&error)) {
        std::fprintf(stderr, "bench_simextras: %s\n", qPrintable(error));
        return 1;
    }
    const QString v = fx.dataPath();
    auto count = [&](const QString &soql) {
        return fx.get(v + QStringLiteral("/query?q=") + enc(soql)).json().object().value(u"totalSize").toInt();
    };
    std::printf("bench_simextras: scale %.2f, %d Accounts, %d Contacts, started in %lld ms, %d rounds (median)\n", options.scale,
        count(QStringLiteral("SELECT COUNT() FROM Account")), count(QStringLiteral("SELECT COUNT() FROM Contact")), qint64(startup.elapsed()), rounds);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto iso = [](const QDateTime &dt) {
        return QString::fromLatin1(QUrl::toPercentEncoding(dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + QStringLiteral("+00:00")));
    };
    const QString window = QStringLiteral("?start=%1&end=%2").arg(iso(now.addDays(-29)), iso(now.addSecs(120)));
    const HttpResult updated = fx.get(v + QStringLiteral("/sobjects/Contact/updated/") + window);
    std::printf("  updated/ Contact, 29-day window: %.2f ms (%lld ids)\n",
        medianMs(rounds, 200, [&] { return fx.get(v + QStringLiteral("/sobjects/Contact/updated/") + window); }),
        qint64(updated.json().object().value(u"ids").toArray().size()));
    std::printf("  deleted/ Contact, 14-day window: %.2f ms\n", medianMs(rounds, 200, [&] {
        return fx.get(v + QStringLiteral("/sobjects/Contact/deleted/?start=%1&end=%2").arg(iso(now.addDays(-14)), iso(now.addSecs(120))));
    }));

    const QString accountId = fx.get(v + QStringLiteral("/query?q=") + enc(QStringLiteral("SELECT Id FROM Account LIMIT 1")))
                                  .json().object().value(u"records").toArray().first().toObject().value(u"Id").toString();
    const QString contactId = fx.get(v + QStringLiteral("/query?q=") + enc(QStringLiteral("SELECT Id FROM Contact LIMIT 1")))
                                  .json().object().value(u"records").toArray().first().toObject().value(u"Id").toString();
    const QByteArray etag = fx.get(v + QStringLiteral("/sobjects/Account/") + accountId).header("ETag");
    std::printf("  GET Account with ETag: %.2f ms; If-None-Match 304: %.2f ms; GET Contact (no ETag): %.2f ms\n",
        medianMs(rounds, 200, [&] { return fx.get(v + QStringLiteral("/sobjects/Account/") + accountId); }),
        medianMs(rounds, 304, [&] { return fx.get(v + QStringLiteral("/sobjects/Account/") + accountId, { { "If-None-Match", etag } }); }),
        medianMs(rounds, 200, [&] { return fx.get(v + QStringLiteral("/sobjects/Contact/") + contactId); }));

    for (const QString &soql : { QStringLiteral("SELECT Id FROM Contact WHERE Id = '%1'").arg(contactId),
             QStringLiteral("SELECT Id FROM Contact WHERE AccountId = '%1' AND Title = 'x'").arg(accountId),
             QStringLiteral("SELECT Id FROM Contact WHERE Title = 'x'") }) {
        std::printf("  explain %s: %.2f ms\n", qPrintable(soql),
            medianMs(rounds, 200, [&] { return fx.get(v + QStringLiteral("/query?explain=") + enc(soql)); }));
    }

    // sObject Tree: 40 Accounts with 4 Contacts each = 200 records per call.
    int treeRound = 0;
    const double treeMs = medianMs(rounds, 201, [&] {
        QJsonArray roots;
        for (int a = 0; a < 40; ++a) {
            QJsonArray contacts;
            for (int c = 0; c < 4; ++c)
                contacts.append(QJsonObject { { QStringLiteral("attributes"),
                                                  QJsonObject { { QStringLiteral("type"), QStringLiteral("Contact") },
                                                      { QStringLiteral("referenceId"), QStringLiteral("c%1_%2").arg(a).arg(c) } } },
                    { QStringLiteral("LastName"), QStringLiteral("Bench %1").arg(treeRound) } });
            roots.append(QJsonObject { { QStringLiteral("attributes"),
                                           QJsonObject { { QStringLiteral("type"), QStringLiteral("Account") }, { QStringLiteral("referenceId"), QStringLiteral("a%1").arg(a) } } },
                { QStringLiteral("Name"), QStringLiteral("Bench Tree %1").arg(a) },
                { QStringLiteral("Contacts"), QJsonObject { { QStringLiteral("records"), contacts } } } });
        }
        ++treeRound;
        return fx.post(v + QStringLiteral("/composite/tree/Account"),
            QJsonDocument(QJsonObject { { QStringLiteral("records"), roots } }).toJson(QJsonDocument::Compact));
    });
    std::printf("  composite/tree, 200 records (40 Accounts x 4 Contacts): %.2f ms (%.0f records/s)\n", treeMs, treeMs > 0 ? 200000.0 / treeMs : 0.0);

    // Composite graph: 250 Account + Contact pairs (500 nodes) in one graph.
    const double graphMs = medianMs(rounds, 200, [&] {
        QJsonArray nodes;
        for (int i = 0; i < 250; ++i) {
            nodes.append(QJsonObject { { QStringLiteral("method"), QStringLiteral("POST") },
                { QStringLiteral("url"), QStringLiteral("/services/data/v59.0/sobjects/Account") }, { QStringLiteral("referenceId"), QStringLiteral("a%1").arg(i) },
                { QStringLiteral("body"), QJsonObject { { QStringLiteral("Name"), QStringLiteral("Bench Graph %1").arg(i) } } } });
            nodes.append(QJsonObject { { QStringLiteral("method"), QStringLiteral("POST") },
                { QStringLiteral("url"), QStringLiteral("/services/data/v59.0/sobjects/Contact") }, { QStringLiteral("referenceId"), QStringLiteral("c%1").arg(i) },
                { QStringLiteral("body"), QJsonObject { { QStringLiteral("LastName"), QStringLiteral("Bench") }, { QStringLiteral("AccountId"), QStringLiteral("@{a%1.id}").arg(i) } } } });
        }
        const QJsonObject body { { QStringLiteral("graphs"),
            QJsonArray { QJsonObject { { QStringLiteral("graphId"), QStringLiteral("g") }, { QStringLiteral("compositeRequest"), nodes } } } } };
        return fx.post(v + QStringLiteral("/composite/graph"), QJsonDocument(body).toJson(QJsonDocument::Compact));
    });
    std::printf("  composite/graph, one graph of 500 nodes: %.2f ms (%.0f nodes/s)\n", graphMs, graphMs > 0 ? 500000.0 / graphMs : 0.0);
    std::printf("  peak RSS %ld MiB\n", peakRssKiB() / 1024);
    return 0;
}
