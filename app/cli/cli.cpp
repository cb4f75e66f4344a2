#include "cli.h"

#include "clicommand.h"
#include "clirunner.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QTimer>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace fs::cli {

namespace {

int s_signalFd[2] = {-1, -1};

// Async-signal-safe: only write(2). The event loop picks the byte up through a QSocketNotifier.
void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(s_signalFd[0], &byte, 1);
}

void printText(FILE *stream, const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stream);
    std::fflush(stream);
}

} // namespace

bool isCliCommand(int argc, char **argv)
{
    return argc > 1 && CliParser::isCommand(QString::fromLocal8Bit(argv[1]));
}

int runCli(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const Result<CliCommand> parsed = CliParser::parse(QCoreApplication::arguments().mid(1));
    if (!parsed) {
        printText(stderr, QStringLiteral("forcescope: error: %1\nRun `forcescope %2 --help` for usage.\n")
                              .arg(parsed.error().message, QCoreApplication::arguments().value(1)));
        return ExitUsage;
    }
    if (parsed->help) {
        printText(stdout, CliParser::usage());
        return ExitOk;
    }

    CliRunner runner(parsed.value());
    QObject::connect(&runner, &CliRunner::finished, &app, [](int code) { QCoreApplication::exit(code); });

    std::unique_ptr<QSocketNotifier> notifier;
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, s_signalFd) == 0) {
        notifier = std::make_unique<QSocketNotifier>(s_signalFd[1], QSocketNotifier::Read);
        QObject::connect(notifier.get(), &QSocketNotifier::activated, &runner, [&runner] {
            char byte = 0;
            [[maybe_unused]] const ssize_t n = ::read(s_signalFd[1], &byte, 1);
            runner.interrupt();
        });
        struct sigaction sa {};
        sa.sa_handler = onSignal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = SA_RESTART;
        ::sigaction(SIGINT, &sa, nullptr);
        ::sigaction(SIGTERM, &sa, nullptr);
    }

    QTimer::singleShot(0, &runner, &CliRunner::start);
    const int code = app.exec();
    notifier.reset();
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    return code;
}

} // namespace fs::cli
