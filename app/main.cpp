// forcescope: the explorer window, or a headless command when the first argument names one.
#include "explorerapp.h"

#include "cli.h"

#include "core/enginethread.h"
#include "core/streamingallocator.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTextStream>

#include <cstring>

namespace {

const char *const kUsage = R"(Usage: forcescope [options]
       forcescope <command> [arguments] [options]

Opens the Forcescope explorer, or runs one command without a display.

Options:
  --demo               Open the explorer on the built-in simulated org (no credentials needed)
  --config FILE        Engine configuration (YAML); default ~/.config/forcescope/config.yaml
                       if it exists. A bad file is reported and the built-in defaults are used.
  --version            Print the version and exit
  --help               Print this help and exit
)";

bool isFlag(int argc, char **argv, const char *flag)
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], flag) == 0)
            return true;
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication::setOrganizationName(QStringLiteral("Forcescope"));
    QCoreApplication::setApplicationName(QStringLiteral("forcescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(FS_VERSION));
    fs::engine::tuneAllocatorForStreaming(); // before any thread starts
    fs::engine::skipOpenSslCleanupAtExit(); // before anything uses OpenSSL

    // `forcescope <command> …` runs headless (no display); see app/cli.
    if (fs::cli::isCliCommand(argc, argv))
        return fs::cli::runCli(argc, argv);

    // --version and --help never need a display.
    if (isFlag(argc, argv, "--version") || isFlag(argc, argv, "-v")) {
        QCoreApplication app(argc, argv);
        QTextStream(stdout) << "forcescope " << QStringLiteral(FS_VERSION) << '\n';
        return 0;
    }
    if (isFlag(argc, argv, "--help") || isFlag(argc, argv, "-h")) {
        QCoreApplication app(argc, argv);
        QTextStream(stdout) << QString::fromUtf8(kUsage);
        return 0;
    }

    return fs::app::runExplorer(argc, argv, isFlag(argc, argv, "--demo"));
}
