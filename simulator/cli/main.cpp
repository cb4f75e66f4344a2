// forcescope-sim: the simulated Salesforce org as a standalone process.
// stdout carries exactly the base URL (line 1) and, with --print-token, an access token (line 2);
// diagnostics go to stderr.
#include "simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QSocketNotifier>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace {

int s_signalFd[2] = { -1, -1 };

void onSignal(int)
{
    const char c = 1;
    // Async-signal-safe: only write(2) to the self-pipe.
    [[maybe_unused]] const auto n = ::write(s_signalFd[0], &c, 1);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("forcescope-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FS_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A simulated Salesforce org: OAuth and REST (v31.0-v62.0) over SQLite, with generated demo data and fault injection."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption portOpt(QStringLiteral("port"), QStringLiteral("TCP port on 127.0.0.1 (0 = pick a free one)."), QStringLiteral("N"),
        QStringLiteral("0"));
    const QCommandLineOption hostOpt(QStringLiteral("host"), QStringLiteral("Address to listen on (default 127.0.0.1)."), QStringLiteral("ADDR"),
        QStringLiteral("127.0.0.1"));
    const QCommandLineOption dataOpt(QStringLiteral("data"), QStringLiteral("Keep the org in DIR (persistent); default is in memory."),
        QStringLiteral("DIR"));
    const QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("Seed for the generated data and fault plan (default 42)."),
        QStringLiteral("N"), QStringLiteral("42"));
    const QCommandLineOption scaleOpt(QStringLiteral("scale"),
        QStringLiteral("Amount of demo data: 1.0 is about 40,000 records, 25 about 1,000,000; 0 for none."), QStringLiteral("X"),
        QStringLiteral("1.0"));
    const QCommandLineOption faultsOpt(QStringLiteral("faults"), QStringLiteral("YAML fault plan."), QStringLiteral("FILE"));
    const QCommandLineOption latencyOpt(QStringLiteral("latency"), QStringLiteral("Added latency per response in milliseconds."),
        QStringLiteral("MS"), QStringLiteral("0"));
    const QCommandLineOption tlsOpt(QStringLiteral("tls"), QStringLiteral("Serve HTTPS with the PEM certificate CERT and key KEY (--tls CERT KEY)."),
        QStringLiteral("CERT"));
    const QCommandLineOption tokenOpt(QStringLiteral("print-token"), QStringLiteral("Print an access token for the demo user as the second line."));
    const QCommandLineOption timeoutOpt(QStringLiteral("session-timeout"), QStringLiteral("Session inactivity timeout in seconds (default 7200)."),
        QStringLiteral("S"), QStringLiteral("7200"));
    parser.addOptions({ portOpt, hostOpt, dataOpt, seedOpt, scaleOpt, faultsOpt, latencyOpt, tlsOpt, tokenOpt, timeoutOpt });
    parser.addPositionalArgument(QStringLiteral("KEY"), QStringLiteral("With --tls: the private key file."), QStringLiteral("[KEY]"));
    parser.process(app);

    auto fail = [](const QString &msg) {
        std::fprintf(stderr, "forcescope-sim: %s\n", qPrintable(msg));
        return 2;
    };
    fs::sim::SimulatorOptions opts;
    bool ok = true;
    opts.host = parser.value(hostOpt);
    const uint port = parser.value(portOpt).toUInt(&ok);
    if (!ok || port > 65535)
        return fail(QStringLiteral("--port needs a number from 0 to 65535"));
    opts.port = quint16(port);
    opts.dataDir = parser.value(dataOpt);
    opts.seed = parser.value(seedOpt).toULongLong(&ok);
    if (!ok)
        return fail(QStringLiteral("--seed needs a non-negative integer"));
    opts.scale = parser.value(scaleOpt).toDouble(&ok);
    if (!ok || opts.scale < 0)
        return fail(QStringLiteral("--scale needs a non-negative number"));
    opts.faultsFile = parser.value(faultsOpt);
    opts.latencyMs = parser.value(latencyOpt).toInt(&ok);
    if (!ok || opts.latencyMs < 0)
        return fail(QStringLiteral("--latency needs a non-negative number of milliseconds"));
    opts.sessionTimeoutSeconds = parser.value(timeoutOpt).toInt(&ok);
    if (!ok || opts.sessionTimeoutSeconds <= 0)
        return fail(QStringLiteral("--session-timeout needs a positive number of seconds"));
    if (parser.isSet(tlsOpt)) {
        if (parser.positionalArguments().size() != 1)
            return fail(QStringLiteral("--tls needs two files: --tls CERT KEY"));
        opts.tlsCert = parser.value(tlsOpt);
        opts.tlsKey = parser.positionalArguments().first();
    } else if (!parser.positionalArguments().isEmpty()) {
        return fail(QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().first()));
    }

    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalFd) != 0)
        return fail(QStringLiteral("cannot create the signal pipe"));
    QSocketNotifier notifier(s_signalFd[1], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&notifier] {
        notifier.setEnabled(false);
        char c = 0;
        [[maybe_unused]] const auto n = ::read(s_signalFd[1], &c, 1);
        QCoreApplication::quit();
    });
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);

    fs::sim::Simulator sim(opts);
    QString error;
    if (!sim.start(&error))
        return fail(error);
    std::fprintf(stdout, "%s\n", sim.baseUrl().toString().toUtf8().constData());
    if (parser.isSet(tokenOpt))
        std::fprintf(stdout, "%s\n", sim.issueAccessToken().toLatin1().constData());
    std::fflush(stdout);
    std::fprintf(stderr, "forcescope-sim: serving %s (seed %llu, scale %g); Ctrl+C to stop\n", qPrintable(sim.baseUrl().toString()),
        static_cast<unsigned long long>(opts.seed), opts.scale);
    const int rc = app.exec();
    sim.stop();
    std::fprintf(stderr, "forcescope-sim: stopped\n");
    return rc;
}
