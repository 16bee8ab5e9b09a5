#pragma once
// SMPP 3.4 PDUs: encoding, decoding, a streaming frame decoder, command_status
// names and their classification, and delivery-receipt text parsing.
//
// Every PDU is a 16-octet header (command_length incl. the header,
// command_id, command_status, sequence_number; all big-endian) and a body.
// C-Octet Strings are NUL-terminated; optional parameters (TLVs) follow the
// mandatory ones as tag(2) length(2) value.
//
// Decode* functions take a frame from PduStreamDecoder and check the
// command_id. Errors: kInvalidArgument "smpp_malformed_pdu" (body shorter than
// its mandatory fields, a C-Octet String without NUL or over its maximum size,
// sm_length past the end, a truncated TLV, wrong command_id).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit::smpp {

namespace command {
inline constexpr std::uint32_t kGenericNack = 0x80000000;
inline constexpr std::uint32_t kBindReceiver = 0x00000001;
inline constexpr std::uint32_t kBindTransmitter = 0x00000002;
inline constexpr std::uint32_t kSubmitSm = 0x00000004;
inline constexpr std::uint32_t kDeliverSm = 0x00000005;
inline constexpr std::uint32_t kUnbind = 0x00000006;
inline constexpr std::uint32_t kBindTransceiver = 0x00000009;
inline constexpr std::uint32_t kEnquireLink = 0x00000015;
inline constexpr std::uint32_t kAlertNotification = 0x00000102;
inline constexpr std::uint32_t kResponseBit = 0x80000000;
inline constexpr std::uint32_t kBindTransceiverResp = kBindTransceiver | kResponseBit;
inline constexpr std::uint32_t kSubmitSmResp = kSubmitSm | kResponseBit;
inline constexpr std::uint32_t kDeliverSmResp = kDeliverSm | kResponseBit;
inline constexpr std::uint32_t kUnbindResp = kUnbind | kResponseBit;
inline constexpr std::uint32_t kEnquireLinkResp = kEnquireLink | kResponseBit;
}  // namespace command

namespace status {
inline constexpr std::uint32_t kOk = 0x00000000;
inline constexpr std::uint32_t kInvMsgLen = 0x00000001;
inline constexpr std::uint32_t kInvCmdLen = 0x00000002;
inline constexpr std::uint32_t kInvCmdId = 0x00000003;
inline constexpr std::uint32_t kInvBndSts = 0x00000004;
inline constexpr std::uint32_t kAlyBnd = 0x00000005;
inline constexpr std::uint32_t kSysErr = 0x00000008;
inline constexpr std::uint32_t kInvDstAdr = 0x0000000B;
inline constexpr std::uint32_t kBindFail = 0x0000000D;
inline constexpr std::uint32_t kInvPaswd = 0x0000000E;
inline constexpr std::uint32_t kInvSysId = 0x0000000F;
inline constexpr std::uint32_t kMsgQFul = 0x00000014;
inline constexpr std::uint32_t kThrottled = 0x00000058;
inline constexpr std::uint32_t kInvParLen = 0x000000C2;
inline constexpr std::uint32_t kUnknownErr = 0x000000FF;
}  // namespace status

namespace tlv {
inline constexpr std::uint16_t kReceiptedMessageId = 0x001E;
inline constexpr std::uint16_t kUserMessageReference = 0x0204;
inline constexpr std::uint16_t kMessagePayload = 0x0424;
inline constexpr std::uint16_t kMsAvailabilityStatus = 0x0422;
inline constexpr std::uint16_t kMessageState = 0x0427;
}  // namespace tlv

inline constexpr std::size_t kHeaderSize = 16;
inline constexpr std::uint8_t kEsmClassUdhi = 0x40;
inline constexpr std::uint8_t kEsmClassTypeMask = 0x3C;
inline constexpr std::uint8_t kEsmClassDeliveryReceipt = 0x04;

struct Header {
  std::uint32_t command_length = 0;
  std::uint32_t command_id = 0;
  std::uint32_t command_status = 0;
  std::uint32_t sequence_number = 0;
};

// One whole frame: the header and the body after it.
struct Pdu {
  Header header;
  std::vector<std::uint8_t> body;
};

struct Tlv {
  std::uint16_t tag = 0;
  std::vector<std::uint8_t> value;
  bool operator==(const Tlv&) const = default;
};

struct Address {
  std::uint8_t ton = 0;
  std::uint8_t npi = 0;
  std::string addr;
  bool operator==(const Address&) const = default;
};

struct Bind {
  std::string system_id;    // max 15 chars
  std::string password;     // max 8 chars
  std::string system_type;  // max 12 chars
  std::uint8_t interface_version = 0x34;
  Address address_range;
};

// submit_sm and deliver_sm share one body layout.
struct ShortMessage {
  std::string service_type;
  Address source;
  Address destination;
  std::uint8_t esm_class = 0;
  std::uint8_t protocol_id = 0;
  std::uint8_t priority_flag = 0;
  std::string schedule_delivery_time;
  std::string validity_period;
  std::uint8_t registered_delivery = 0;
  std::uint8_t replace_if_present = 0;
  std::uint8_t data_coding = 0;
  std::uint8_t sm_default_msg_id = 0;
  std::vector<std::uint8_t> short_message;  // max 254 octets
  std::vector<Tlv> tlvs;
};

struct AlertNotification {
  Address source;
  Address esme;
  std::optional<std::uint8_t> ms_availability_status;
};

// --- Encoding (each returns the whole frame, command_length filled in). ---
std::vector<std::uint8_t> EncodeHeaderOnly(std::uint32_t command_id, std::uint32_t command_status,
                                           std::uint32_t sequence_number);
std::vector<std::uint8_t> EncodeBind(std::uint32_t command_id, std::uint32_t sequence_number,
                                     const Bind& bind);
// bind_*_resp (body system_id) and submit_sm_resp / deliver_sm_resp (body
// message_id): one C-Octet String. An error response to a bind has no body.
std::vector<std::uint8_t> EncodeIdResponse(std::uint32_t command_id, std::uint32_t command_status,
                                           std::uint32_t sequence_number, std::string_view id);
// submit_sm or deliver_sm (command_id says which).
std::vector<std::uint8_t> EncodeShortMessage(std::uint32_t command_id,
                                             std::uint32_t sequence_number,
                                             const ShortMessage& message);
std::vector<std::uint8_t> EncodeAlertNotification(std::uint32_t sequence_number,
                                                  const AlertNotification& alert);

// --- Decoding ---
Header DecodeHeader(std::span<const std::uint8_t, kHeaderSize> bytes);
// One whole frame (exactly command_length octets). Errors: "smpp_malformed_pdu".
Result<Pdu> DecodeFrame(std::span<const std::uint8_t> frame);
Result<Bind> DecodeBind(const Pdu& pdu);
// The system_id / message_id of a bind_*_resp, submit_sm_resp or deliver_sm_resp;
// empty when the body is empty (allowed for error responses).
Result<std::string> DecodeIdResponse(const Pdu& pdu);
// submit_sm or deliver_sm. When message_payload (0x0424) is present and
// short_message is empty, short_message is set to the payload.
Result<ShortMessage> DecodeShortMessage(const Pdu& pdu);
Result<AlertNotification> DecodeAlertNotification(const Pdu& pdu);

const Tlv* FindTlv(const std::vector<Tlv>& tlvs, std::uint16_t tag);
Tlv Uint16Tlv(std::uint16_t tag, std::uint16_t value);
// A 1- or 2-octet integer TLV value (big-endian); nullopt for other lengths.
std::optional<std::uint16_t> TlvUint(const Tlv& value);

// Reassembles frames from a byte stream (partial and concatenated reads).
// Next() returns a frame once it is complete, nullopt when more bytes are needed.
// Errors (sticky: the stream cannot be resynchronised, close the connection):
// kInvalidArgument "smpp_bad_frame_length" when command_length < 16 or
// > max_pdu_size.
class PduStreamDecoder {
 public:
  explicit PduStreamDecoder(std::size_t max_pdu_size = std::size_t{64} * 1024)
      : max_pdu_size_(max_pdu_size) {}
  void Feed(std::span<const std::uint8_t> bytes);
  Result<std::optional<Pdu>> Next();
  std::size_t buffered() const { return buffer_.size() - offset_; }

 private:
  std::size_t max_pdu_size_;
  std::vector<std::uint8_t> buffer_;
  std::size_t offset_ = 0;
  std::optional<Error> error_;
};

// --- command_status ---
enum class StatusClass { kOk, kRetry, kPermanent, kBindRejected };

// "ESME_RINVPASWD"; unknown values as "0x000000AB" (vendor-specific 0x400..0x4FF
// as "SMSC_VENDOR_0x00000401").
std::string CommandStatusName(std::uint32_t command_status);
// "ESME_RINVPASWD (invalid password)".
std::string DescribeCommandStatus(std::uint32_t command_status);
// See docs/sms.md for the table. Unknown and vendor-specific values: kPermanent.
StatusClass ClassifyStatus(std::uint32_t command_status);

// --- Delivery receipts (SMPP 3.4 Appendix B) ---
// "id:00000001 sub:000 dlvrd:000 submit date:YYMMDDhhmm done date:... stat:DELIVRD
// err:000 text:". Fields are found by their keys anywhere in the text, values run
// to the next space (text: runs to the end). nullopt when there is neither
// "id:" nor "stat:".
struct ReceiptText {
  std::string id;
  std::string sub;
  std::string dlvrd;
  std::string submit_date;
  std::string done_date;
  std::string stat;
  std::string err;
  std::string text;
};
std::optional<ReceiptText> ParseReceiptText(std::string_view text);

// SMPP 3.4 message_state (TLV 0x0427) values -> "DELIVRD", "EXPIRED", ... ("" if unknown).
std::string MessageStateName(std::uint8_t state);

}  // namespace simexit::smpp
