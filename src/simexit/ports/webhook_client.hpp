#pragma once
// Port to the operators' webhook receivers (billing, CRM): one HTTP POST of an
// event, answered with the receiver's status code (docs/events.md).
//
// The adapter translates transport outcomes into ErrorCode at its edge:
//   kUnavailable "webhook_unreachable"  no connection (refused, reset, no route)
//   kUnavailable "webhook_timeout"      no complete answer within timeout_ms
//   kInvalidArgument "webhook_tls_unsupported"  an https URL: this build speaks
//                                       plain HTTP only (registration refuses
//                                       https too, so only an old row gets here)
//   kInvalidArgument "invalid_webhook_url"  a URL that does not parse
// Any HTTP answer is a value, whatever its status: the caller decides what a
// non-2xx status means. Implementations are thread-safe.

#include <string>
#include <utility>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit {

struct WebhookRequest {
  std::string url;  // http://host[:port]/path
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int timeout_ms = 5000;  // for the whole exchange: connect, send, answer
};

class WebhookClient {
 public:
  virtual ~WebhookClient() = default;

  // POSTs `request`; returns the HTTP status of the answer.
  virtual Result<int> Post(const WebhookRequest& request) = 0;
};

}  // namespace simexit
