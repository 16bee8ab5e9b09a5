#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"

#include <map>
#include <utility>

#include "simexit/adapters/osmocom/ctrl_message.hpp"

namespace simexit {

namespace {

osmo::CtrlClientOptions ClientOptions(const OsmoHlrCtrlOptions& options) {
  osmo::CtrlClientOptions client;
  client.host = options.host;
  client.port = options.port;
  client.request_timeout = options.request_timeout;
  client.peer_name = "osmo-hlr";
  client.reason_prefix = "hlr";
  return client;
}

// The HLR's ERROR texts become the Hlr port's errors; everything else passes.
Result<std::string> MapReply(Result<std::string> reply) {
  if (!reply && reply.error().problem_code == osmo::kCtrlErrorReply) {
    return Fail(osmo::MapHlrError(reply.error().message));
  }
  return reply;
}

}  // namespace

OsmoHlrCtrl::OsmoHlrCtrl(const OsmoHlrCtrlOptions& options) : ctrl_(ClientOptions(options)) {}

Result<std::string> OsmoHlrCtrl::Get(std::string_view variable) {
  return MapReply(ctrl_.Get(variable));
}

Result<std::string> OsmoHlrCtrl::Set(std::string_view variable, std::string_view value) {
  return MapReply(ctrl_.Set(variable, value));
}

namespace {

std::string SubscriberVariable(const Imsi& imsi, std::string_view leaf) {
  return "subscriber.by-imsi-" + imsi.digits() + "." + std::string(leaf);
}

Result<bool> ParseFlag(const std::map<std::string, std::string, std::less<>>& fields,
                       std::string_view key) {
  const auto it = fields.find(key);
  if (it == fields.end() || (it->second != "0" && it->second != "1")) {
    return Fail(ErrorCode::kInternal, "hlr_error",
                "osmo-hlr info has no valid " + std::string(key) + " field");
  }
  return it->second == "1";
}

}  // namespace

Result<HlrSubscriber> OsmoHlrCtrl::Lookup(const Imsi& imsi) {
  auto info = Get(SubscriberVariable(imsi, "info"));
  if (!info) {
    return Fail(info.error());
  }
  const auto fields = osmo::ParseInfoValue(*info);
  HlrSubscriber subscriber;
  const auto imsi_field = fields.find("imsi");
  subscriber.imsi = imsi_field != fields.end() ? imsi_field->second : imsi.digits();
  const auto msisdn_field = fields.find("msisdn");
  if (msisdn_field != fields.end() && msisdn_field->second != "none") {
    subscriber.msisdn = msisdn_field->second;
  }
  auto cs = ParseFlag(fields, "nam_cs");
  if (!cs) {
    return Fail(cs.error());
  }
  auto ps = ParseFlag(fields, "nam_ps");
  if (!ps) {
    return Fail(ps.error());
  }
  subscriber.cs_enabled = *cs;
  subscriber.ps_enabled = *ps;
  return subscriber;
}

Result<void> OsmoHlrCtrl::Provision(const Imsi& imsi, const Msisdn& msisdn) {
  auto created = Set("subscriber.create", imsi.digits());
  if (!created) {
    return Fail(created.error());
  }
  auto numbered = Set(SubscriberVariable(imsi, "msisdn"), msisdn.digits());
  if (!numbered) {
    // Do not leave a subscriber without its number behind.
    (void)Set("subscriber.delete", imsi.digits());
    return Fail(numbered.error());
  }
  return {};
}

Result<void> OsmoHlrCtrl::Bar(const Imsi& imsi) {
  // ps/cs-enabled on a missing subscriber only says "An error has occurred.":
  // check existence first so that case is kNotFound.
  auto info = Get(SubscriberVariable(imsi, "info"));
  if (!info) {
    return Fail(info.error());
  }
  for (const std::string_view leaf : {"cs-enabled", "ps-enabled"}) {
    auto set = Set(SubscriberVariable(imsi, leaf), "0");
    if (!set) {
      if (set.error().code == ErrorCode::kInternal) {
        // Deleted between the check and now?
        auto again = Get(SubscriberVariable(imsi, "info"));
        if (!again && again.error().code == ErrorCode::kNotFound) {
          return Fail(again.error());
        }
      }
      return Fail(set.error());
    }
  }
  return {};
}

Result<void> OsmoHlrCtrl::Remove(const Imsi& imsi) {
  auto deleted = Set("subscriber.delete", imsi.digits());
  if (!deleted) {
    return Fail(deleted.error());
  }
  return {};
}

}  // namespace simexit
