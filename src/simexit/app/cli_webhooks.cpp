// `simexit webhooks list|add|remove|deliveries|retry` (docs/events.md).

#include <fmt/format.h>

#include <iostream>

#include "simexit/app/cli_commands.hpp"

namespace simexit::app {
namespace {

std::string JoinTypes(const std::vector<std::string>& types) {
  if (types.empty()) {
    return "(every type)";
  }
  std::string out;
  for (const std::string& type : types) {
    out += (out.empty() ? "" : ",") + type;
  }
  return out;
}

}  // namespace

int AddWebhook(Runtime& rt, const std::string& op_code, const std::string& url_text,
               const std::vector<std::string>& event_types) {
  Result<WebhookUrl> url = WebhookUrl::Parse(url_text);
  if (!url) {
    return Report(url.error());
  }
  Result<CreatedWebhook> created =
      rt.webhooks->Register(Caller::System("cli"), NewWebhook{op_code, *url, event_types});
  if (!created) {
    return Report(created.error());
  }
  std::cout << "webhook " << created->endpoint.id << " for " << op_code << ": "
            << created->endpoint.url << " (" << JoinTypes(event_types) << ")\n"
            << "secret (shown once, give it to the receiver): " << created->secret << "\n";
  return 0;
}

int ListWebhooks(Runtime& rt, const std::string& op_code) {
  Result<std::vector<WebhookView>> list = rt.webhooks->List(Caller::System("cli"), op_code);
  if (!list) {
    return Report(list.error());
  }
  std::cout << fmt::format("{:<6} {:<10} {:<20} {:<40} {}\n", "ID", "OPERATOR", "CREATED", "URL",
                           "EVENT TYPES");
  for (const WebhookView& v : *list) {
    std::cout << fmt::format("{:<6} {:<10} {:<20} {:<40} {}\n", v.endpoint.id, v.operator_code,
                             FormatRfc3339(v.endpoint.created_at), v.endpoint.url,
                             JoinTypes(v.endpoint.event_types));
  }
  return 0;
}

int RemoveWebhook(Runtime& rt, const std::string& op_code, std::int64_t id) {
  Result<WebhookView> removed = rt.webhooks->Remove(Caller::System("cli"), op_code, id);
  if (!removed) {
    return Report(removed.error());
  }
  std::cout << "webhook " << id << " removed: nothing more is delivered to it\n";
  return 0;
}

int ListWebhookDeliveries(Runtime& rt, const std::string& op_code, const std::string& state_text,
                          int limit) {
  std::optional<WebhookDeliveryState> state;
  if (!state_text.empty()) {
    state = ParseWebhookDeliveryState(state_text);
    if (!state) {
      std::cerr << "simexit: --state must be pending, delivered or dead\n";
      return 2;
    }
  }
  Result<std::vector<WebhookDeliveryView>> list =
      rt.webhooks->Deliveries(Caller::System("cli"), op_code, state, limit);
  if (!list) {
    return Report(list.error());
  }
  std::cout << fmt::format("{:<6} {:<7} {:<10} {:<9} {:<4} {:<38} {:<26} {}\n", "ID", "WEBHOOK",
                           "EVENT", "STATE", "TRY", "TYPE", "SUBJECT", "LAST ERROR");
  for (const WebhookDeliveryView& v : *list) {
    const WebhookDeliveryRecord& d = v.delivery;
    std::cout << fmt::format("{:<6} {:<7} {:<10} {:<9} {:<4} {:<38} {:<26} {}\n", d.id,
                             d.endpoint_id, v.event_id, ToString(d.state), d.attempts, v.event_type,
                             v.subject, d.last_error);
  }
  return 0;
}

int RetryWebhookDelivery(Runtime& rt, const std::string& op_code, std::int64_t id) {
  Result<WebhookDeliveryView> retried =
      rt.webhooks->RetryDelivery(Caller::System("cli"), op_code, id);
  if (!retried) {
    return Report(retried.error());
  }
  std::cout << "delivery " << id << " (" << retried->event_id << ") is pending again\n";
  return 0;
}

}  // namespace simexit::app
