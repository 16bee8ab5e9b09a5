#pragma once
// The `simexit` command line (CLI11). See `simexit --help` and README.md.

namespace simexit::app {

// Parses argv, runs the subcommand, returns the process exit code
// (0 success, 1 failure, 2 bad usage or configuration).
int RunCli(int argc, char** argv);

}  // namespace simexit::app
