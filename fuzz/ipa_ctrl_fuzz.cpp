// The IPA framing and CTRL text decoders (osmo-hlr and osmo-msc CTRL replies):
// bytes go through IpaDecoder, fed in pieces the first input byte chooses;
// every CTRL frame through ParseCtrlReply, its value through ParseInfoValue and
// an ERROR's text through MapHlrError, as the CTRL client does.
// Property: a CTRL frame's text, framed again by EncodeCtrlFrame, decodes to
// the same frame.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "simexit/adapters/osmocom/ctrl_message.hpp"
#include "simexit/adapters/osmocom/ipa_frame.hpp"

namespace osmo = simexit::osmo;

namespace {

void CheckReframe(const osmo::IpaFrame& frame) {
  simexit::Result<std::string> encoded = osmo::EncodeCtrlFrame(frame.payload);
  if (!encoded) std::abort();
  osmo::IpaDecoder decoder;
  decoder.Append(*encoded);
  simexit::Result<std::optional<osmo::IpaFrame>> again = decoder.Next();
  if (!again || !again->has_value() || !(**again == frame) || decoder.buffered() != 0) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = std::size_t{data[0]} + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  osmo::IpaDecoder decoder(4096);
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    decoder.Append(bytes.substr(at, piece));
    while (true) {
      simexit::Result<std::optional<osmo::IpaFrame>> next = decoder.Next();
      if (!next || !next->has_value()) break;
      const osmo::IpaFrame& frame = **next;
      if (frame.kind != osmo::IpaFrame::Kind::kCtrl) continue;
      CheckReframe(frame);
      simexit::Result<osmo::CtrlReply> reply = osmo::ParseCtrlReply(frame.payload);
      if (!reply) continue;
      if (reply->kind == osmo::CtrlReply::Kind::kError) {
        (void)osmo::MapHlrError(reply->value);
      } else {
        (void)osmo::ParseInfoValue(reply->value);
      }
    }
  }
  // The CTRL text parser on its own, for inputs that are not framed.
  (void)osmo::ParseCtrlReply(bytes);
  return 0;
}
