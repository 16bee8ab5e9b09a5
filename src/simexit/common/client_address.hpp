#pragma once
// The network address a request came from, as a typed value: parsed once at
// the edge (api/) from the peer's socket address and handed to services that
// limit or audit per client (sign-in codes, staff sign-in).
//
// Text is the canonical form (inet_ntop): "127.0.0.1", "2001:db8::1"; an
// IPv4-mapped IPv6 address ("::ffff:127.0.0.1") is the IPv4 address, so a
// client has one name whichever socket family accepted it. The empty value
// means "no network peer" (the CLI, tests): services treat it as one client.

#include <optional>
#include <string>
#include <string_view>

namespace simexit {

class ClientAddress {
 public:
  // No network peer.
  ClientAddress() = default;

  // An IPv4 or IPv6 literal (no port, no zone id); nullopt for anything else.
  static std::optional<ClientAddress> Parse(std::string_view text);

  const std::string& text() const { return text_; }
  bool empty() const { return text_.empty(); }

  bool operator==(const ClientAddress&) const = default;

 private:
  explicit ClientAddress(std::string text) : text_(std::move(text)) {}

  std::string text_;
};

}  // namespace simexit
