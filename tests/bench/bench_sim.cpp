// bench_sim: how fast forcescope-sim generates data and serves a large query paged at 2,000.
// Starts the forcescope-sim binary next to it (or $FS_BINARY_DIR/bin) as a child process, so the
// server has its own process, then pages through SELECT ... FROM Contact over HTTP and prints:
// generation time and records/s, records/s and MB/s served (end to end, and server side: request
// sent to response received, without the client's JSON parsing), first-page latency, the server's
// CPU time for each phase (load-independent) and its peak RSS after generation and after serving.
// Usage: bench_sim [--scale X] [--soql "SELECT ..."] [--batch N]
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>
#include <QUrlQuery>

#include <cstdio>

#include <unistd.h>

namespace {

QString simulatorPath()
{
    const QString beside = QCoreApplication::applicationDirPath() + QStringLiteral("/forcescope-sim");
    if (QFileInfo::exists(beside))
        return beside;
    return QProcessEnvironment::systemEnvironment().value(QStringLiteral("FS_BINARY_DIR")) + QStringLiteral("/bin/forcescope-sim");
}

qint64 peakRssKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

// User + system CPU seconds the process has used so far.
double cpuSeconds(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray stat = f.readAll();
    // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
    const QList<QByteArray> fields = stat.mid(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 13)
        return -1;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    return (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;
}

QByteArray loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return "?";
    return f.readAll().trimmed();
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    auto opt = [&args](const QString &name, const QString &def) {
        const int i = int(args.indexOf(name));
        return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : def;
    };
    // Scale 84 generates ~1,008,000 contacts (3.4 million records in all).
    const QString scale = opt(QStringLiteral("--scale"), QStringLiteral("84"));
    const QString soql = opt(QStringLiteral("--soql"), QStringLiteral("SELECT Id, Name, Email, Phone, AccountId, CreatedDate FROM Contact"));
    const int batch = opt(QStringLiteral("--batch"), QStringLiteral("2000")).toInt();

    QProcess sim;
    QElapsedTimer genTimer;
    genTimer.start();
    sim.start(simulatorPath(), { QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--print-token"), QStringLiteral("--scale"), scale });
    if (!sim.waitForStarted(30000)) {
        std::fprintf(stderr, "cannot start %s\n", qPrintable(simulatorPath()));
        return 1;
    }
    QByteArray out;
    while (out.count('\n') < 2) {
        if (sim.state() == QProcess::NotRunning) {
            std::fprintf(stderr, "forcescope-sim exited: %s\n", sim.readAllStandardError().constData());
            return 1;
        }
        sim.waitForReadyRead(100);
        out += sim.readAllStandardOutput();
    }
    const double genSecs = double(genTimer.elapsed()) / 1000.0;
    const double genCpu = cpuSeconds(sim.processId());
    const qint64 genRss = peakRssKb(sim.processId());
    const QByteArray genLoad = loadAverage();
    const QList<QByteArray> lines = out.split('\n');
    const QString base = QString::fromUtf8(lines.at(0).trimmed());
    const QByteArray token = lines.at(1).trimmed();

    QNetworkAccessManager nam;
    auto get = [&](const QString &url, QByteArray *body) {
        QNetworkRequest req { QUrl(url) };
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        req.setRawHeader("Authorization", "Bearer " + token);
        req.setRawHeader("Sforce-Query-Options", "batchSize=" + QByteArray::number(batch));
        QNetworkReply *reply = nam.get(req);
        QSignalSpy spy(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            spy.wait(600000);
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        *body = reply->readAll();
        reply->deleteLater();
        return status;
    };

    auto queryUrl = [&](const QString &soqlText) {
        QUrlQuery q;
        q.addQueryItem(QStringLiteral("q"), QString::fromLatin1(QUrl::toPercentEncoding(soqlText)));
        return base + QStringLiteral("/services/data/v59.0/query?") + q.toString(QUrl::FullyEncoded);
    };

    // How many records the org holds (not timed).
    qint64 generated = 0;
    for (const char *object : { "User", "Account", "Contact", "Opportunity", "Case", "Lead", "Invoice__c" }) {
        QByteArray body;
        if (get(queryUrl(QStringLiteral("SELECT COUNT() FROM ") + QLatin1String(object)), &body) == 200)
            generated += QJsonDocument::fromJson(body).object().value(u"totalSize").toInteger();
    }

    QString next = queryUrl(soql);
    qint64 records = 0, bytes = 0, total = 0, serverNs = 0;
    int pages = 0;
    const double serveCpuStart = cpuSeconds(sim.processId());
    QElapsedTimer timer;
    timer.start();
    qint64 firstPageMs = -1;
    while (!next.isEmpty()) {
        QByteArray body;
        QElapsedTimer request;
        request.start();
        const int status = get(next, &body);
        serverNs += request.nsecsElapsed();
        if (status != 200) {
            std::fprintf(stderr, "HTTP %d: %s\n", status, body.left(300).constData());
            return 1;
        }
        if (firstPageMs < 0)
            firstPageMs = timer.elapsed();
        const QJsonObject o = QJsonDocument::fromJson(body).object();
        total = o.value(u"totalSize").toInteger();
        records += o.value(u"records").toArray().size();
        bytes += body.size();
        ++pages;
        next = o.value(u"done").toBool() ? QString() : base + o.value(u"nextRecordsUrl").toString();
    }
    const double secs = double(timer.elapsed()) / 1000.0;
    const double serverSecs = double(serverNs) / 1e9;
    const double serveCpu = cpuSeconds(sim.processId()) - serveCpuStart;
    const qint64 rss = peakRssKb(sim.processId());
    const QByteArray serveLoad = loadAverage();
    sim.terminate();
    sim.waitForFinished(30000);

    std::printf("bench_sim: scale %s\n", qPrintable(scale));
    std::printf("  records generated             : %lld\n", static_cast<long long>(generated));
    std::printf("  startup incl. data generation : %.2f s wall, %.2f s server CPU (load avg %s)\n", genSecs, genCpu, genLoad.constData());
    std::printf("  generation rate               : %.0f records/s wall, %.0f records/s per CPU second\n", double(generated) / genSecs,
        double(generated) / genCpu);
    std::printf("  server peak RSS after startup : %lld MB\n", static_cast<long long>(genRss / 1024));
    std::printf("  query                         : %s\n", qPrintable(soql));
    std::printf("  totalSize                     : %lld\n", static_cast<long long>(total));
    std::printf("  records served                : %lld in %d pages of <= %d, %.1f MB JSON\n", static_cast<long long>(records), pages,
        batch, double(bytes) / 1e6);
    std::printf("  first page                    : %lld ms\n", static_cast<long long>(firstPageMs));
    std::printf("  elapsed                       : %.2f s (load avg %s)\n", secs, serveLoad.constData());
    std::printf("  end to end                    : %.0f records/s, %.1f MB/s (client JSON parsing included)\n", double(records) / secs,
        double(bytes) / secs / 1e6);
    std::printf("  server side                   : %.0f records/s, %.1f MB/s (request sent to response received)\n",
        double(records) / serverSecs, double(bytes) / serverSecs / 1e6);
    std::printf("  server CPU while serving      : %.2f s = %.0f records per CPU second\n", serveCpu, double(records) / serveCpu);
    std::printf("  server peak RSS               : %lld MB\n", static_cast<long long>(rss / 1024));
    return records == total ? 0 : 2;
}
