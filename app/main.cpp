// Thin executable: everything lives in simexit_app.
#include "simexit/app/cli.hpp"

int main(int argc, char** argv) { return simexit::app::RunCli(argc, argv); }
