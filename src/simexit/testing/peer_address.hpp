#pragma once
// Where a *_peertest.cpp finds its live peer (osmo-hlr, osmo-msc): environment
// variables that tests/support/run_msc_tests.sh sets inside its network
// namespace. A peer test binary only runs where its peer runs, so a missing
// variable is a test failure, never a skip (see docs/testing.md).

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

namespace simexit::testing {

struct PeerAddress {
  std::string host;
  std::uint16_t port = 0;
};

// The value of `variable`, or "" when it is unset.
inline std::string PeerEnv(const char* variable) {
  const char* value = std::getenv(variable);
  return value == nullptr ? std::string() : std::string(value);
}

// `variable` parsed as host:port; nullopt when unset, empty or malformed.
inline std::optional<PeerAddress> PeerAddressFromEnv(const char* variable) {
  const std::string text = PeerEnv(variable);
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return std::nullopt;
  }
  std::uint16_t port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  const auto [end, error] = std::from_chars(first, last, port);
  if (error != std::errc() || end != last || port == 0) {
    return std::nullopt;
  }
  return PeerAddress{text.substr(0, colon), port};
}

// The failure message for a missing or malformed `variable`.
inline std::string MissingPeer(const char* variable) {
  return std::string(variable) + "=host:port is not set (value: '" + PeerEnv(variable) +
         "'); peer tests need a live peer: run tests/support/run_msc_tests.sh <binary>";
}

}  // namespace simexit::testing
