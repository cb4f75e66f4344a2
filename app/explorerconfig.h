#pragma once

#include "config/engineconfig.h"

#include <QString>
#include <QStringList>

namespace fs::app {

// The engine configuration the explorer runs with, and where it came from.
struct ConfigChoice {
    fs::engine::EngineConfig config; // the built-in defaults unless a file was loaded
    QString path; // the file that was read or tried; empty when none was named or found
    QString error; // why the file was not used, naming the file and the key; empty when fine
};

// $XDG_CONFIG_HOME/forcescope/config.yaml (~/.config/forcescope/config.yaml).
QString defaultConfigPath();

// The explorer's configuration, read with the same loader and rules as `forcescope … --config
// FILE`: `--config FILE` or `--config=FILE` in `arguments` (program name first) names the file;
// without it, defaultConfigPath() is read when it exists; otherwise the built-in defaults apply.
// A file that cannot be read or fails validation is not applied at all: the defaults stay in
// place and `error` says why (the validation message starts with the dotted key, e.g.
// "resilience.retry.max_attempts: must be an integer ≥ 1"). Any thread; reads the file at once.
ConfigChoice loadExplorerConfig(const QStringList &arguments);

} // namespace fs::app
