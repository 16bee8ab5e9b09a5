// The SMPP PDU decoder: bytes from an SMSC go through PduStreamDecoder (frame
// reassembly, fed in pieces the first input byte chooses), and every frame
// through DecodeFrame and each body decoder (DecodeShortMessage, DecodeBind,
// DecodeIdResponse, DecodeAlertNotification), then ParseReceiptText on the
// short message text, as smpp_client.cpp does for deliver_sm.
// Property: a decoded short message, encoded again, decodes to the same fields.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include "simexit/adapters/smpp/pdu.hpp"

namespace smpp = simexit::smpp;

namespace {

void CheckRoundTrip(const smpp::Pdu& pdu, const smpp::ShortMessage& message) {
  if (message.short_message.size() > 254 ||
      smpp::FindTlv(message.tlvs, smpp::tlv::kMessagePayload)) {
    return;  // the encoder only writes what fits short_message; payloads are folded in on decode
  }
  const std::vector<std::uint8_t> frame =
      smpp::EncodeShortMessage(pdu.header.command_id, pdu.header.sequence_number, message);
  simexit::Result<smpp::Pdu> again = smpp::DecodeFrame(frame);
  if (!again) std::abort();
  simexit::Result<smpp::ShortMessage> decoded = smpp::DecodeShortMessage(*again);
  if (!decoded || decoded->source != message.source ||
      decoded->destination != message.destination ||
      decoded->short_message != message.short_message || decoded->tlvs != message.tlvs ||
      decoded->esm_class != message.esm_class || decoded->data_coding != message.data_coding) {
    std::abort();
  }
}

void DecodeEverything(const smpp::Pdu& pdu) {
  smpp::CommandStatusName(pdu.header.command_status);
  smpp::DescribeCommandStatus(pdu.header.command_status);
  smpp::ClassifyStatus(pdu.header.command_status);
  (void)smpp::DecodeBind(pdu);
  (void)smpp::DecodeIdResponse(pdu);
  (void)smpp::DecodeAlertNotification(pdu);
  if (simexit::Result<smpp::ShortMessage> message = smpp::DecodeShortMessage(pdu)) {
    const std::string text(message->short_message.begin(), message->short_message.end());
    (void)smpp::ParseReceiptText(text);
    for (const smpp::Tlv& tlv : message->tlvs) {
      if (std::optional<std::uint16_t> value = smpp::TlvUint(tlv)) {
        smpp::MessageStateName(static_cast<std::uint8_t>(*value & 0xFF));
      }
    }
    CheckRoundTrip(pdu, *message);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = std::size_t{data[0]} + 1;
  const std::span<const std::uint8_t> bytes(data + 1, size - 1);

  // The whole input as one frame, as DecodeFrame's callers would never pass it
  // (they pass whole frames), but its contract holds for any bytes.
  if (bytes.size() >= smpp::kHeaderSize) {
    if (simexit::Result<smpp::Pdu> pdu = smpp::DecodeFrame(bytes)) DecodeEverything(*pdu);
  }

  smpp::PduStreamDecoder decoder(4096);
  for (std::size_t at = 0; at < bytes.size(); at += piece) {
    decoder.Feed(bytes.subspan(at, std::min(piece, bytes.size() - at)));
    while (true) {
      simexit::Result<std::optional<smpp::Pdu>> next = decoder.Next();
      if (!next || !next->has_value()) break;
      DecodeEverything(**next);
    }
  }
  return 0;
}
