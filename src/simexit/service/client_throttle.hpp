#pragma once
// Counts requests per client (its address) over a sliding window, in
// memory. Used where a limit per number alone would let one client probe many
// numbers (sign-in codes). Each process keeps its own counts: with several
// `serve` processes a client gets the limit once per process. Behind a reverse
// proxy every client has the proxy's address, so the limit becomes one for all
// of them, unless the proxy is in server.trusted_proxies (docs/security.md).
//
// Thread-safe. Memory is bounded: at most `max_clients` addresses are tracked;
// when that many are active within the window, new addresses are refused until
// some age out (failing closed under a flood of addresses).

#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "simexit/common/clock.hpp"

namespace simexit {

class ClientThrottle {
 public:
  // At most `limit` requests per client in any `window_seconds`.
  ClientThrottle(int limit, int window_seconds, std::size_t max_clients = 100'000)
      : limit_(limit), window_seconds_(window_seconds), max_clients_(max_clients) {}

  // Records a request by `client` at `now` and says whether it is within the
  // limit. A refused request is not recorded. An empty `client` (no network
  // peer: tests, the CLI) is always allowed.
  bool Allow(std::string_view client, UnixSeconds now);

 private:
  void PruneLocked(UnixSeconds now);

  const int limit_;
  const int window_seconds_;
  const std::size_t max_clients_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<UnixSeconds>> seen_;
};

}  // namespace simexit
