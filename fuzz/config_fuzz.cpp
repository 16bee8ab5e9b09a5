// LoadConfig on a TOML file (the service configuration, read once at start-up
// by every command): the input is written to a file and loaded with no
// environment overrides. Property: an accepted configuration is within the
// documented ranges checked here (port, thread counts).

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "fuzz_runtime.hpp"
#include "simexit/app/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static simexit::fuzz::TempDir dir;
  const std::filesystem::path file = dir.path() / "simexit.toml";
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  simexit::Result<simexit::app::Config> config = simexit::app::LoadConfig(file, {});
  if (!config) {
    return 0;
  }
  const simexit::app::ServerConfig& server = config->server;
  if (server.port < 0 || server.port > 65535 || server.handler_threads < 1 ||
      server.public_url.empty()) {
    std::abort();
  }
  return 0;
}
