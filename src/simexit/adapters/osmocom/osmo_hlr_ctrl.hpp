#pragma once
// OsmoHlrCtrl: the Hlr port over osmo-hlr's CTRL interface (IPA-framed text,
// TCP 127.0.0.1:4259 by default). See docs/hlr.md.
//
// One TCP connection, shared by all callers and pipelined: each request gets a
// unique numeric id, is written as soon as possible, and the caller blocks until
// the reply with that id arrives or options.request_timeout passes. The
// connection is opened lazily by the first call and re-opened by the first call
// after it was lost. An Asio io_context runs on a thread owned by this object.
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
#include <memory>
#include <string>
#include <string_view>

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
  explicit OsmoHlrCtrl(OsmoHlrCtrlOptions options = {});
  ~OsmoHlrCtrl() override;
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
  class Connection;
  Result<std::string> Call(bool is_set, std::string_view variable, std::string_view value);

  OsmoHlrCtrlOptions options_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace simexit
