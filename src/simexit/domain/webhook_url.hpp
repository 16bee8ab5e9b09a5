#pragma once
// Where an operator's webhook endpoint receives events: an absolute http or
// https URL, parsed once at the edge (docs/events.md).

#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

class WebhookUrl {
 public:
  // Accepts scheme://host[:port][/path][?query] with scheme http or https
  // (any case), a host name, an IPv4 address or a bracketed IPv6 address, a
  // port 1..65535, at most 2048 bytes of visible ASCII. Refuses user
  // information ("user@"), fragments ("#"), spaces and control characters.
  // Errors: kInvalidArgument "invalid_webhook_url".
  static Result<WebhookUrl> Parse(std::string_view text);

  const std::string& text() const { return text_; }  // as given
  bool https() const { return https_; }
  const std::string& host() const { return host_; }      // lower case, IPv6 without brackets
  int port() const { return port_; }                     // 80 or 443 when not given
  const std::string& target() const { return target_; }  // "/path?query", at least "/"

 private:
  WebhookUrl() = default;
  std::string text_;
  bool https_ = false;
  std::string host_;
  int port_ = 0;
  std::string target_;
};

// Whether `host` names this machine whatever its interfaces: localhost,
// 127.0.0.0/8, ::1, and the unspecified 0.0.0.0 and ::.
bool IsLocalHost(std::string_view host);

// Whether `url` reaches `host`:`port`: the same port and the same host, where
// every local name (IsLocalHost) stands for every other (a server listening
// on 0.0.0.0 is reached at 127.0.0.1).
bool PointsAt(const WebhookUrl& url, std::string_view host, int port);

}  // namespace simexit
