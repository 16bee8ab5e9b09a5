#pragma once
// OsmoHlrCtrl: the Hlr port over osmo-hlr's CTRL interface (IPA-framed text,
// TCP 127.0.0.1:4259 by default). See docs/hlr.md.
//
// Talks through an osmo::CtrlClient (ctrl_client.hpp): one TCP connection, shared
// by all callers and pipelined; each caller blocks until its reply arrives or
// options.request_timeout passes. The connection is opened lazily by the first
// call and re-opened by the first call after it was lost.
//
// Outcomes (see simexit/ports/hlr.hpp):
//   kUnavailable "hlr_unavailable"           cannot connect, connection lost, no reply
//                                            in time, or the peer broke the protocol.
//                                            A timeout closes the connection, so
//                                            every other call in flight on it also
//                                            fails kUnavailable.
//   kNotFound "hlr_unknown_subscriber"       "No such subscriber." / "Subscriber doesn't exist."
//   kAlreadyExists "hlr_subscriber_exists"   "Subscriber already exists."
//   kInvalidArgument "hlr_rejected"          "Invalid IMSI value." / "Value failed verification."
//   kInternal "hlr_error"                    any other ERROR text (message = the HLR's text),
//                                            or a reply that does not parse as expected.
// Thread-safe. The destructor fails calls still in flight with kUnavailable; no
// call may start once destruction has begun.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "simexit/adapters/osmocom/ctrl_client.hpp"
#include "simexit/ports/hlr.hpp"

namespace simexit {

struct OsmoHlrCtrlOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4259;
  // Upper bound for one request, connecting included.
  std::chrono::milliseconds request_timeout{3000};
};

class OsmoHlrCtrl final : public Hlr {
 public:
  // Starts the I/O thread; does not connect yet.
  explicit OsmoHlrCtrl(const OsmoHlrCtrlOptions& options = {});
  ~OsmoHlrCtrl() override = default;
  OsmoHlrCtrl(const OsmoHlrCtrl&) = delete;
  OsmoHlrCtrl& operator=(const OsmoHlrCtrl&) = delete;

  // GET subscriber.by-imsi-<imsi>.info; msisdn "" when none is set.
  Result<HlrSubscriber> Lookup(const Imsi& imsi) override;
  // SET subscriber.create <imsi>, then SET subscriber.by-imsi-<imsi>.msisdn <digits>.
  // If the MSISDN step fails, the just-created subscriber is deleted again
  // (best effort) and the MSISDN step's error is returned.
  Result<void> Provision(const Imsi& imsi, const Msisdn& msisdn) override;
  // GET ...info (kNotFound when absent), then SET ...cs-enabled 0 and ...ps-enabled 0.
  Result<void> Bar(const Imsi& imsi) override;
  // SET subscriber.delete <imsi>.
  Result<void> Remove(const Imsi& imsi) override;

  // Raw CTRL access with the same error mapping (for tools and tests).
  // Returns the reply's value. A malformed variable/value is kInvalidArgument
  // "ctrl_bad_request" and is not sent.
  Result<std::string> Get(std::string_view variable);
  Result<std::string> Set(std::string_view variable, std::string_view value);

 private:
  osmo::CtrlClient ctrl_;
};

}  // namespace simexit
