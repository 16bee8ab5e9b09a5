#pragma once
// OsmoMscVlr: the Vlr port over osmo-msc's CTRL interface (IPA-framed text, TCP
// 127.0.0.1:4255 by default), through an osmo::CtrlClient (one pipelined
// connection, opened lazily, re-opened after a failure). See docs/hlr.md,
// "Detaching from the MSC".
//
// Why: deleting or barring a subscriber in osmo-hlr does not tell the MSC; an
// attached SIM keeps its VLR record and keeps receiving SMS until it is expired here.
//
// Expire(imsi) sends  SET <id> subscriber-expire <imsi>  and maps the reply:
//   SET_REPLY <id> subscriber-expire <any value, normally empty>
//       -> success: the MSC cleared the subscriber's attach (it is no longer listed in
//          subscriber-list-active-v1). osmo-msc answers the same when the record is
//          still in use (an SMS or a connection in progress): the attach is cleared at
//          once and the record itself is freed when that use ends. CTRL cannot tell the
//          two apart, so this adapter never returns the port's "still in use" error.
//   ERROR <id> IMSI unknown
//       -> kNotFound "vlr_unknown_subscriber": the MSC has no record of the IMSI (never
//          attached, already expired, or freed after an earlier expire). Nothing to do.
//   no connection, connection lost, no reply within request_timeout, protocol error
//       -> kUnavailable "msc_unavailable" (retry with back-off).
//   any other ERROR text (e.g. "VLR not initialized", "Command not found" from an
//   osmo-msc without subscriber-expire), or a reply of the wrong kind
//       -> kInternal "msc_error"; the message contains the MSC's text.
// Thread-safe.

#include <chrono>
#include <cstdint>
#include <string>

#include "simexit/adapters/osmocom/ctrl_client.hpp"
#include "simexit/ports/vlr.hpp"

namespace simexit {

struct OsmoMscVlrOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4255;
  // Upper bound for one request, connecting included.
  std::chrono::milliseconds request_timeout{3000};
};

class OsmoMscVlr final : public Vlr {
 public:
  // Starts the I/O thread; does not connect yet.
  explicit OsmoMscVlr(const OsmoMscVlrOptions& options = {});
  ~OsmoMscVlr() override = default;
  OsmoMscVlr(const OsmoMscVlr&) = delete;
  OsmoMscVlr& operator=(const OsmoMscVlr&) = delete;

  Result<void> Expire(const Imsi& imsi) override;

 private:
  osmo::CtrlClient ctrl_;
};

}  // namespace simexit
