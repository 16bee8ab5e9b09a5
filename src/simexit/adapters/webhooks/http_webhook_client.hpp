#pragma once
// WebhookClient over plain HTTP/1.1 with Boost.Beast (ports/webhook_client.hpp).
//
// Each Post opens a connection of its own (Connection: close), runs on its
// own io_context on the caller's thread, and is bounded as a whole by the
// request's timeout_ms: resolving, connecting, writing and reading the answer.
// Outcomes at the edge: no connection -> kUnavailable "webhook_unreachable";
// the time limit -> kUnavailable "webhook_timeout"; an https URL -> kInvalidArgument
// "webhook_tls_unsupported" (no TLS in this build); any HTTP answer -> its
// status. Answers are read up to 64 KiB of body (and then ignored).
// Thread-safe: Post keeps no state between calls.

#include "simexit/ports/webhook_client.hpp"

namespace simexit {

class HttpWebhookClient final : public WebhookClient {
 public:
  // "simexit/<version>" goes in User-Agent.
  explicit HttpWebhookClient(std::string user_agent) : user_agent_(std::move(user_agent)) {}

  Result<int> Post(const WebhookRequest& request) override;

 private:
  std::string user_agent_;
};

}  // namespace simexit
