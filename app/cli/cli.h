#pragma once

namespace fs::cli {

// True when argv[1] names a headless command (org, query, describe, limits, record, metrics).
bool isCliCommand(int argc, char **argv);
// Runs the headless command line without a display; returns the process exit code
// (documented in CliParser::usage()).
int runCli(int argc, char **argv);

} // namespace fs::cli
