#include "simexit/adapters/osmocom/osmo_msc_vlr.hpp"

#include <string_view>
#include <utility>

namespace simexit {

namespace {

constexpr std::string_view kExpireVariable = "subscriber-expire";
// osmo-msc's reply when vlr_subscr_find_by_imsi() finds no record.
constexpr std::string_view kImsiUnknown = "IMSI unknown";

osmo::CtrlClientOptions ClientOptions(const OsmoMscVlrOptions& options) {
  osmo::CtrlClientOptions client;
  client.host = options.host;
  client.port = options.port;
  client.request_timeout = options.request_timeout;
  client.peer_name = "osmo-msc";
  client.reason_prefix = "msc";
  return client;
}

}  // namespace

OsmoMscVlr::OsmoMscVlr(const OsmoMscVlrOptions& options) : ctrl_(ClientOptions(options)) {}

Result<void> OsmoMscVlr::Expire(const Imsi& imsi) {
  auto reply = ctrl_.Set(kExpireVariable, imsi.digits());
  if (reply) {
    return {};
  }
  Error error = std::move(reply.error());
  if (error.problem_code != osmo::kCtrlErrorReply) {
    return Fail(std::move(error));  // msc_unavailable, msc_error
  }
  std::string message = "osmo-msc: " + error.message;
  if (error.message == kImsiUnknown) {
    return Fail(ErrorCode::kNotFound, "vlr_unknown_subscriber", std::move(message));
  }
  return Fail(ErrorCode::kInternal, "msc_error", std::move(message));
}

}  // namespace simexit
