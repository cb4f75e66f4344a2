// bench_sim: how fast forcescope-sim generates data and serves a large query paged at 2,000.
// Starts the forcescope-sim binary next to it (or $FS_BINARY_DIR/bin) as a child process, so the
// server has its own process, then pages through SELECT ... FROM Contact over HTTP and prints:
// generation time, records/s served, pages, bytes and the server's peak RSS.
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

    QUrlQuery q;
    q.addQueryItem(QStringLiteral("q"), QString::fromLatin1(QUrl::toPercentEncoding(soql)));
    QString next = base + QStringLiteral("/services/data/v59.0/query?") + q.toString(QUrl::FullyEncoded);
    qint64 records = 0, bytes = 0, total = 0;
    int pages = 0;
    QElapsedTimer timer;
    timer.start();
    qint64 firstPageMs = -1;
    while (!next.isEmpty()) {
        QByteArray body;
        const int status = get(next, &body);
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
    const qint64 rss = peakRssKb(sim.processId());
    sim.terminate();
    sim.waitForFinished(30000);

    std::printf("bench_sim: scale %s\n", qPrintable(scale));
    std::printf("  startup incl. data generation : %.2f s\n", genSecs);
    std::printf("  query                         : %s\n", qPrintable(soql));
    std::printf("  totalSize                     : %lld\n", static_cast<long long>(total));
    std::printf("  records served                : %lld in %d pages of <= %d\n", static_cast<long long>(records), pages, batch);
    std::printf("  first page                    : %lld ms\n", static_cast<long long>(firstPageMs));
    std::printf("  elapsed                       : %.2f s\n", secs);
    std::printf("  throughput                    : %.0f records/s, %.1f MB/s (JSON parsed by the client too)\n", double(records) / secs,
        double(bytes) / secs / 1e6);
    std::printf("  server peak RSS               : %lld MB\n", static_cast<long long>(rss / 1024));
    return records == total ? 0 : 2;
}
