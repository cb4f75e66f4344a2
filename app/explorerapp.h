#pragma once

namespace fs::app {

// Runs the explorer window (GUI thread = main thread). With `demo`, starts the simulated org as
// a child process and connects to it with an in-memory token. Returns the exit code.
int runExplorer(int &argc, char **argv, bool demo);

} // namespace fs::app
