#pragma once
// CtrlClient: a client for the Osmocom CTRL interface (IPA-framed text, see
// ipa_frame.hpp and ctrl_message.hpp) of any Osmocom daemon: osmo-hlr (4259),
// osmo-msc (4255), ... It knows nothing about the variables; the adapters built on
// it (OsmoHlrCtrl, OsmoMscVlr) map the peer's ERROR texts onto their ports' errors.
//
// One TCP connection, shared by all callers and pipelined: each request gets a
// unique numeric id, is written as soon as possible (several requests per TCP
// write), and the caller blocks until the reply with that id arrives or
// options.request_timeout passes. Replies are matched by id; TRAPs and replies
// with unknown ids are ignored; an IPA PING is answered with a PONG. The
// connection is opened lazily by the first call and re-opened by the first call
// after it was lost. An Asio io_context runs on a thread owned by this object.
//
// Get(var) / Set(var, value) return the value of the matching GET_REPLY / SET_REPLY
// (possibly empty). Errors:
//   kInvalidArgument "ctrl_bad_request"     the variable is empty or has whitespace, or
//                                           the value has a line break; nothing is sent.
//   kUnavailable "<prefix>_unavailable"     cannot resolve or connect, connection lost,
//                                           no reply within request_timeout (connecting
//                                           included), or the peer broke the protocol.
//                                           Every failure of the connection fails all
//                                           calls in flight on it (a timeout closes it:
//                                           the peer answers in order, so the requests
//                                           behind it are stuck as well). No retry.
//   kInternal kCtrlErrorReply               the peer answered "ERROR <id> <text>";
//                                           message = <text> exactly, for the caller
//                                           to map (e.g. MapHlrError).
//   kInternal "<prefix>_error"              a reply of the wrong kind (GET_REPLY to a
//                                           SET, ...) or for another variable.
// <prefix> is options.reason_prefix ("hlr", "msc").
// Thread-safe. The destructor fails calls still in flight with kUnavailable and
// joins the I/O thread; no call may start once destruction has begun.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::osmo {

// Error::reason of a CtrlClient result that carries the peer's ERROR text.
inline constexpr std::string_view kCtrlErrorReply = "ctrl_error_reply";

struct CtrlClientOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  // Upper bound for one request, connecting included.
  std::chrono::milliseconds request_timeout{3000};
  // Names the peer in error messages, e.g. "osmo-hlr".
  std::string peer_name = "osmo";
  // Error reasons "<prefix>_unavailable" and "<prefix>_error", e.g. "hlr".
  std::string reason_prefix = "ctrl";
};

class CtrlClient {
 public:
  // Starts the I/O thread; does not connect yet.
  explicit CtrlClient(CtrlClientOptions options);
  ~CtrlClient();
  CtrlClient(const CtrlClient&) = delete;
  CtrlClient& operator=(const CtrlClient&) = delete;

  Result<std::string> Get(std::string_view variable);
  Result<std::string> Set(std::string_view variable, std::string_view value);

  const CtrlClientOptions& options() const { return options_; }

 private:
  class Connection;
  Result<std::string> Call(bool is_set, std::string_view variable, std::string_view value);

  CtrlClientOptions options_;
  std::unique_ptr<Connection> connection_;
};

}  // namespace simexit::osmo
