#include "explorerconfig.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace fs::app {

QString defaultConfigPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("forcescope/config.yaml"));
}

ConfigChoice loadExplorerConfig(const QStringList &arguments)
{
    ConfigChoice out;
    bool named = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &arg = arguments.at(i);
        if (arg == u"--config") {
            named = true;
            if (i + 1 >= arguments.size() || arguments.at(i + 1).startsWith(u'-')) {
                out.error = QStringLiteral("--config needs a file name (forcescope --config FILE)");
                return out;
            }
            out.path = arguments.at(++i);
        } else if (arg.startsWith(QLatin1String("--config="))) {
            named = true;
            out.path = arg.mid(int(qstrlen("--config=")));
        }
    }
    if (!named) {
        const QString fallback = defaultConfigPath();
        if (!QFileInfo::exists(fallback))
            return out; // nothing configured: built-in defaults
        out.path = fallback;
    }
    if (out.path.isEmpty()) {
        out.error = QStringLiteral("--config needs a file name (forcescope --config FILE)");
        return out;
    }
    const Result<fs::engine::EngineConfig> loaded = fs::engine::EngineConfig::load(out.path);
    if (!loaded) {
        const QString message = loaded.error().message;
        // The loader's own "Cannot read the configuration file X" already names the file.
        out.error = message.contains(out.path) ? message
                                               : QStringLiteral("%1: %2").arg(QDir::toNativeSeparators(out.path), message);
        return out;
    }
    out.config = loaded.value();
    return out;
}

} // namespace fs::app
