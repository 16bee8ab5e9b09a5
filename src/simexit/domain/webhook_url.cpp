#include "simexit/domain/webhook_url.hpp"

#include <algorithm>
#include <cctype>

namespace simexit {
namespace {

constexpr std::size_t kMaxLength = 2048;

tl::unexpected<Error> Invalid(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_webhook_url", std::move(message));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool IsHostChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

}  // namespace

Result<WebhookUrl> WebhookUrl::Parse(std::string_view text) {
  if (text.empty() || text.size() > kMaxLength) {
    return Invalid("the webhook URL must be 1 to 2048 bytes");
  }
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) {
      return Invalid("the webhook URL may hold only visible ASCII, without spaces");
    }
  }
  WebhookUrl url;
  url.text_ = std::string(text);
  const std::size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return Invalid("the webhook URL must start with http:// or https://");
  }
  const std::string scheme = Lower(text.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return Invalid("the webhook URL's scheme must be http or https, not " + scheme);
  }
  url.https_ = scheme == "https";
  std::string_view rest = text.substr(scheme_end + 3);
  if (rest.find('#') != std::string_view::npos) {
    return Invalid("the webhook URL may not have a fragment");
  }
  const std::size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string target =
      authority_end == std::string_view::npos ? "/" : std::string(rest.substr(authority_end));
  if (target.front() == '?') {
    target.insert(target.begin(), '/');
  }
  url.target_ = std::move(target);
  if (authority.find('@') != std::string_view::npos) {
    return Invalid("the webhook URL may not carry a user name or password");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos || close == 1) {
      return Invalid("the webhook URL's IPv6 address is not closed with ]");
    }
    const std::string_view address = authority.substr(1, close - 1);
    if (!std::all_of(address.begin(), address.end(), [](char c) {
          return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
        })) {
      return Invalid("the webhook URL's IPv6 address is malformed");
    }
    url.host_ = Lower(address);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return Invalid("the webhook URL's host is followed by something other than a port");
      }
      port_text = after.substr(1);
      if (port_text.empty()) {
        return Invalid("the webhook URL's port is empty");
      }
    }
  } else {
    const std::size_t colon = authority.find(':');
    std::string_view host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) {
        return Invalid("the webhook URL's port is empty");
      }
    }
    if (host.empty() || !std::all_of(host.begin(), host.end(), IsHostChar) || host.front() == '.' ||
        host.front() == '-') {
      return Invalid("the webhook URL needs a host name or address");
    }
    url.host_ = Lower(host);
  }
  url.port_ = url.https_ ? 443 : 80;
  if (!port_text.empty()) {
    if (port_text.size() > 5 || !std::all_of(port_text.begin(), port_text.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) != 0;
        })) {
      return Invalid("the webhook URL's port must be a number from 1 to 65535");
    }
    const int port = std::stoi(std::string(port_text));
    if (port < 1 || port > 65535) {
      return Invalid("the webhook URL's port must be a number from 1 to 65535");
    }
    url.port_ = port;
  }
  return url;
}

bool IsLocalHost(std::string_view host) {
  const std::string h = Lower(host);
  return h == "localhost" || h == "localhost." || h.rfind("127.", 0) == 0 || h == "::1" ||
         h == "0.0.0.0" || h == "::" || h == "0:0:0:0:0:0:0:1" || h == "0:0:0:0:0:0:0:0";
}

bool PointsAt(const WebhookUrl& url, std::string_view host, int port) {
  if (url.port() != port) {
    return false;
  }
  std::string other = Lower(host);
  if (other.size() >= 2 && other.front() == '[' && other.back() == ']') {
    other = other.substr(1, other.size() - 2);
  }
  if (url.host() == other) {
    return true;
  }
  return IsLocalHost(url.host()) && IsLocalHost(other);
}

}  // namespace simexit
