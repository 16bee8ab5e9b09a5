#include "simexit/adapters/smpp/pdu.hpp"

#include <algorithm>
#include <array>
#include <cstdio>

namespace simexit::smpp {

namespace {

Error Malformed(std::string message) {
  return Error{ErrorCode::kInvalidArgument, "smpp_malformed_pdu", std::move(message)};
}

class Writer {
 public:
  explicit Writer(std::uint32_t command_id, std::uint32_t command_status,
                  std::uint32_t sequence_number) {
    U32(0);
    U32(command_id);
    U32(command_status);
    U32(sequence_number);
  }
  void U8(std::uint8_t v) { out_.push_back(v); }
  void U16(std::uint16_t v) {
    out_.push_back(static_cast<std::uint8_t>(v >> 8));
    out_.push_back(static_cast<std::uint8_t>(v & 0xFF));
  }
  void U32(std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      out_.push_back(static_cast<std::uint8_t>((v >> shift) & 0xFF));
    }
  }
  void CString(std::string_view s) {
    out_.insert(out_.end(), s.begin(), s.end());
    out_.push_back(0);
  }
  void Bytes(std::span<const std::uint8_t> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  void Address(const smpp::Address& a) {
    U8(a.ton);
    U8(a.npi);
    CString(a.addr);
  }
  void Tlvs(const std::vector<Tlv>& tlvs) {
    for (const auto& t : tlvs) {
      U16(t.tag);
      U16(static_cast<std::uint16_t>(t.value.size()));
      Bytes(t.value);
    }
  }
  std::vector<std::uint8_t> Finish() {
    const auto size = static_cast<std::uint32_t>(out_.size());
    for (int i = 0; i < 4; ++i) {
      out_[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>((size >> (24 - 8 * i)) & 0xFF);
    }
    return std::move(out_);
  }

 private:
  std::vector<std::uint8_t> out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> body) : body_(body) {}
  bool AtEnd() const { return pos_ >= body_.size(); }
  std::size_t remaining() const { return body_.size() - pos_; }

  Result<std::uint8_t> U8(const char* field) {
    if (remaining() < 1) {
      return Fail(Malformed(std::string("missing ") + field));
    }
    return body_[pos_++];
  }
  Result<std::uint16_t> U16(const char* field) {
    if (remaining() < 2) {
      return Fail(Malformed(std::string("missing ") + field));
    }
    const auto v = static_cast<std::uint16_t>((body_[pos_] << 8) | body_[pos_ + 1]);
    pos_ += 2;
    return v;
  }
  // max_size includes the NUL.
  Result<std::string> CString(const char* field, std::size_t max_size) {
    const auto start = body_.begin() + static_cast<std::ptrdiff_t>(pos_);
    const auto nul = std::find(start, body_.end(), std::uint8_t{0});
    if (nul == body_.end()) {
      return Fail(Malformed(std::string(field) + " has no terminating NUL"));
    }
    const auto length = static_cast<std::size_t>(nul - start);
    if (length + 1 > max_size) {
      return Fail(Malformed(std::string(field) + " is longer than " + std::to_string(max_size - 1) +
                            " octets"));
    }
    std::string s(start, nul);
    pos_ += length + 1;
    return s;
  }
  Result<std::vector<std::uint8_t>> Bytes(const char* field, std::size_t n) {
    if (remaining() < n) {
      return Fail(Malformed(std::string(field) + " runs past the end of the PDU"));
    }
    std::vector<std::uint8_t> v(body_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                body_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
    return v;
  }
  Result<smpp::Address> Address(const char* field, std::size_t max_size) {
    smpp::Address a;
    auto ton = U8(field);
    if (!ton) {
      return Fail(ton.error());
    }
    auto npi = U8(field);
    if (!npi) {
      return Fail(npi.error());
    }
    auto addr = CString(field, max_size);
    if (!addr) {
      return Fail(addr.error());
    }
    a.ton = *ton;
    a.npi = *npi;
    a.addr = std::move(*addr);
    return a;
  }
  Result<std::vector<Tlv>> Tlvs() {
    std::vector<Tlv> out;
    while (!AtEnd()) {
      auto tag = U16("TLV tag");
      if (!tag) {
        return Fail(tag.error());
      }
      auto length = U16("TLV length");
      if (!length) {
        return Fail(length.error());
      }
      auto value = Bytes("TLV value", *length);
      if (!value) {
        return Fail(value.error());
      }
      out.push_back(Tlv{*tag, std::move(*value)});
    }
    return out;
  }

 private:
  std::span<const std::uint8_t> body_;
  std::size_t pos_ = 0;
};

#define SMPP_TRY(var, expr)       \
  auto var##_r = (expr);          \
  if (!var##_r) {                 \
    return Fail(var##_r.error()); \
  }                               \
  auto var = std::move(*var##_r)

Result<void> ExpectCommand(const Pdu& pdu, std::initializer_list<std::uint32_t> ids) {
  for (auto id : ids) {
    if (pdu.header.command_id == id) {
      return {};
    }
  }
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08X", pdu.header.command_id);
  return Fail(Malformed(std::string("unexpected command_id ") + buffer));
}

struct StatusInfo {
  std::uint32_t value;
  const char* name;
  const char* description;
  StatusClass klass;
};

constexpr StatusClass kR = StatusClass::kRetry;
constexpr StatusClass kP = StatusClass::kPermanent;
constexpr StatusClass kB = StatusClass::kBindRejected;

constexpr std::array<StatusInfo, 47> kStatuses = {{
    {0x00, "ESME_ROK", "no error", StatusClass::kOk},
    {0x01, "ESME_RINVMSGLEN", "message length is invalid", kP},
    {0x02, "ESME_RINVCMDLEN", "command length is invalid", kP},
    {0x03, "ESME_RINVCMDID", "invalid command ID", kP},
    {0x04, "ESME_RINVBNDSTS", "incorrect bind status for the command", kR},
    {0x05, "ESME_RALYBND", "ESME already in bound state", kR},
    {0x06, "ESME_RINVPRTFLG", "invalid priority flag", kP},
    {0x07, "ESME_RINVREGDLVFLG", "invalid registered delivery flag", kP},
    {0x08, "ESME_RSYSERR", "system error", kR},
    {0x0A, "ESME_RINVSRCADR", "invalid source address", kP},
    {0x0B, "ESME_RINVDSTADR", "invalid destination address", kP},
    {0x0C, "ESME_RINVMSGID", "message ID is invalid", kP},
    {0x0D, "ESME_RBINDFAIL", "bind failed", kB},
    {0x0E, "ESME_RINVPASWD", "invalid password", kB},
    {0x0F, "ESME_RINVSYSID", "invalid system ID", kB},
    {0x11, "ESME_RCANCELFAIL", "cancel_sm failed", kP},
    {0x13, "ESME_RREPLACEFAIL", "replace_sm failed", kP},
    {0x14, "ESME_RMSGQFUL", "message queue full", kR},
    {0x15, "ESME_RINVSERTYP", "invalid service type", kP},
    {0x33, "ESME_RINVNUMDESTS", "invalid number of destinations", kP},
    {0x34, "ESME_RINVDLNAME", "invalid distribution list name", kP},
    {0x40, "ESME_RINVDESTFLAG", "destination flag is invalid", kP},
    {0x42, "ESME_RINVSUBREP", "invalid submit with replace request", kP},
    {0x43, "ESME_RINVESMCLASS", "invalid esm_class field data", kP},
    {0x44, "ESME_RCNTSUBDL", "cannot submit to distribution list", kP},
    {0x45, "ESME_RSUBMITFAIL", "submit_sm or submit_multi failed", kR},
    {0x48, "ESME_RINVSRCTON", "invalid source address TON", kP},
    {0x49, "ESME_RINVSRCNPI", "invalid source address NPI", kP},
    {0x50, "ESME_RINVDSTTON", "invalid destination address TON", kP},
    {0x51, "ESME_RINVDSTNPI", "invalid destination address NPI", kP},
    {0x53, "ESME_RINVSYSTYP", "invalid system_type field", kB},
    {0x54, "ESME_RINVREPFLAG", "invalid replace_if_present flag", kP},
    {0x55, "ESME_RINVNUMMSGS", "invalid number of messages", kP},
    {0x58, "ESME_RTHROTTLED", "throttling error", kR},
    {0x61, "ESME_RINVSCHED", "invalid scheduled delivery time", kP},
    {0x62, "ESME_RINVEXPIRY", "invalid message validity period", kP},
    {0x63, "ESME_RINVDFTMSGID", "predefined message invalid or not found", kP},
    {0x64, "ESME_RX_T_APPN", "ESME receiver temporary application error", kR},
    {0x65, "ESME_RX_P_APPN", "ESME receiver permanent application error", kP},
    {0x66, "ESME_RX_R_APPN", "ESME receiver reject message error", kP},
    {0x67, "ESME_RQUERYFAIL", "query_sm request failed", kP},
    {0xC0, "ESME_RINVOPTPARSTREAM", "error in the optional part of the PDU body", kP},
    {0xC1, "ESME_ROPTPARNOTALLWD", "optional parameter not allowed", kP},
    {0xC2, "ESME_RINVPARLEN", "invalid parameter length", kP},
    {0xC3, "ESME_RMISSINGOPTPARAM", "expected optional parameter missing", kP},
    {0xC4, "ESME_RINVOPTPARAMVAL", "invalid optional parameter value", kP},
    {0xFE, "ESME_RDELIVERYFAILURE", "delivery failure", kR},
}};

const StatusInfo* FindStatus(std::uint32_t value) {
  for (const auto& s : kStatuses) {
    if (s.value == value) {
      return &s;
    }
  }
  return nullptr;
}

std::string Hex32(std::uint32_t v) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "0x%08X", v);
  return buffer;
}

}  // namespace

std::vector<std::uint8_t> EncodeHeaderOnly(std::uint32_t command_id, std::uint32_t command_status,
                                           std::uint32_t sequence_number) {
  return Writer(command_id, command_status, sequence_number).Finish();
}

std::vector<std::uint8_t> EncodeBind(std::uint32_t command_id, std::uint32_t sequence_number,
                                     const Bind& bind) {
  Writer w(command_id, status::kOk, sequence_number);
  w.CString(bind.system_id);
  w.CString(bind.password);
  w.CString(bind.system_type);
  w.U8(bind.interface_version);
  w.Address(bind.address_range);
  return w.Finish();
}

std::vector<std::uint8_t> EncodeIdResponse(std::uint32_t command_id, std::uint32_t command_status,
                                           std::uint32_t sequence_number, std::string_view id) {
  Writer w(command_id, command_status, sequence_number);
  const bool is_bind_resp = (command_id & ~command::kResponseBit) == command::kBindTransceiver ||
                            (command_id & ~command::kResponseBit) == command::kBindTransmitter ||
                            (command_id & ~command::kResponseBit) == command::kBindReceiver;
  if (!(is_bind_resp && command_status != status::kOk)) {
    w.CString(id);
  }
  return w.Finish();
}

std::vector<std::uint8_t> EncodeShortMessage(std::uint32_t command_id,
                                             std::uint32_t sequence_number, const ShortMessage& m) {
  Writer w(command_id, status::kOk, sequence_number);
  w.CString(m.service_type);
  w.Address(m.source);
  w.Address(m.destination);
  w.U8(m.esm_class);
  w.U8(m.protocol_id);
  w.U8(m.priority_flag);
  w.CString(m.schedule_delivery_time);
  w.CString(m.validity_period);
  w.U8(m.registered_delivery);
  w.U8(m.replace_if_present);
  w.U8(m.data_coding);
  w.U8(m.sm_default_msg_id);
  w.U8(static_cast<std::uint8_t>(m.short_message.size()));
  w.Bytes(m.short_message);
  w.Tlvs(m.tlvs);
  return w.Finish();
}

std::vector<std::uint8_t> EncodeAlertNotification(std::uint32_t sequence_number,
                                                  const AlertNotification& alert) {
  Writer w(command::kAlertNotification, status::kOk, sequence_number);
  w.Address(alert.source);
  w.Address(alert.esme);
  if (alert.ms_availability_status) {
    w.Tlvs({Tlv{tlv::kMsAvailabilityStatus, {*alert.ms_availability_status}}});
  }
  return w.Finish();
}

Header DecodeHeader(std::span<const std::uint8_t, kHeaderSize> bytes) {
  auto u32 = [&bytes](std::size_t at) {
    return (static_cast<std::uint32_t>(bytes[at]) << 24) |
           (static_cast<std::uint32_t>(bytes[at + 1]) << 16) |
           (static_cast<std::uint32_t>(bytes[at + 2]) << 8) | bytes[at + 3];
  };
  return Header{u32(0), u32(4), u32(8), u32(12)};
}

Result<Pdu> DecodeFrame(std::span<const std::uint8_t> frame) {
  if (frame.size() < kHeaderSize) {
    return Fail(Malformed("frame shorter than the 16-octet header"));
  }
  Pdu pdu;
  pdu.header = DecodeHeader(frame.first<kHeaderSize>());
  if (pdu.header.command_length != frame.size()) {
    return Fail(Malformed("command_length " + std::to_string(pdu.header.command_length) +
                          " does not match the frame size " + std::to_string(frame.size())));
  }
  pdu.body.assign(frame.begin() + kHeaderSize, frame.end());
  return pdu;
}

Result<Bind> DecodeBind(const Pdu& pdu) {
  if (auto ok = ExpectCommand(
          pdu, {command::kBindTransceiver, command::kBindTransmitter, command::kBindReceiver});
      !ok) {
    return Fail(ok.error());
  }
  Reader r(pdu.body);
  Bind b;
  SMPP_TRY(system_id, r.CString("system_id", 16));
  SMPP_TRY(password, r.CString("password", 9));
  SMPP_TRY(system_type, r.CString("system_type", 13));
  SMPP_TRY(version, r.U8("interface_version"));
  SMPP_TRY(range, r.Address("address_range", 41));
  b.system_id = std::move(system_id);
  b.password = std::move(password);
  b.system_type = std::move(system_type);
  b.interface_version = version;
  b.address_range = std::move(range);
  return b;
}

Result<std::string> DecodeIdResponse(const Pdu& pdu) {
  if (auto ok = ExpectCommand(
          pdu, {command::kBindTransceiverResp, command::kBindTransmitter | command::kResponseBit,
                command::kBindReceiver | command::kResponseBit, command::kSubmitSmResp,
                command::kDeliverSmResp});
      !ok) {
    return Fail(ok.error());
  }
  if (pdu.body.empty()) {
    return std::string();
  }
  Reader r(pdu.body);
  return r.CString("message_id", 66);
}

Result<ShortMessage> DecodeShortMessage(const Pdu& pdu) {
  if (auto ok = ExpectCommand(pdu, {command::kSubmitSm, command::kDeliverSm}); !ok) {
    return Fail(ok.error());
  }
  Reader r(pdu.body);
  ShortMessage m;
  SMPP_TRY(service_type, r.CString("service_type", 6));
  SMPP_TRY(source, r.Address("source_addr", 21));
  SMPP_TRY(destination, r.Address("destination_addr", 21));
  SMPP_TRY(esm_class, r.U8("esm_class"));
  SMPP_TRY(protocol_id, r.U8("protocol_id"));
  SMPP_TRY(priority_flag, r.U8("priority_flag"));
  SMPP_TRY(schedule, r.CString("schedule_delivery_time", 17));
  SMPP_TRY(validity, r.CString("validity_period", 17));
  SMPP_TRY(registered_delivery, r.U8("registered_delivery"));
  SMPP_TRY(replace_if_present, r.U8("replace_if_present_flag"));
  SMPP_TRY(data_coding, r.U8("data_coding"));
  SMPP_TRY(default_msg_id, r.U8("sm_default_msg_id"));
  SMPP_TRY(sm_length, r.U8("sm_length"));
  SMPP_TRY(short_message, r.Bytes("short_message", sm_length));
  SMPP_TRY(tlvs, r.Tlvs());
  m.service_type = std::move(service_type);
  m.source = std::move(source);
  m.destination = std::move(destination);
  m.esm_class = esm_class;
  m.protocol_id = protocol_id;
  m.priority_flag = priority_flag;
  m.schedule_delivery_time = std::move(schedule);
  m.validity_period = std::move(validity);
  m.registered_delivery = registered_delivery;
  m.replace_if_present = replace_if_present;
  m.data_coding = data_coding;
  m.sm_default_msg_id = default_msg_id;
  m.short_message = std::move(short_message);
  m.tlvs = std::move(tlvs);
  if (m.short_message.empty()) {
    if (const Tlv* payload = FindTlv(m.tlvs, tlv::kMessagePayload)) {
      m.short_message = payload->value;
    }
  }
  return m;
}

Result<AlertNotification> DecodeAlertNotification(const Pdu& pdu) {
  if (auto ok = ExpectCommand(pdu, {command::kAlertNotification}); !ok) {
    return Fail(ok.error());
  }
  Reader r(pdu.body);
  SMPP_TRY(source, r.Address("source_addr", 65));
  SMPP_TRY(esme, r.Address("esme_addr", 65));
  SMPP_TRY(tlvs, r.Tlvs());
  AlertNotification a;
  a.source = std::move(source);
  a.esme = std::move(esme);
  if (const Tlv* t = FindTlv(tlvs, tlv::kMsAvailabilityStatus); t && t->value.size() == 1) {
    a.ms_availability_status = t->value[0];
  }
  return a;
}

const Tlv* FindTlv(const std::vector<Tlv>& tlvs, std::uint16_t tag) {
  for (const auto& t : tlvs) {
    if (t.tag == tag) {
      return &t;
    }
  }
  return nullptr;
}

Tlv Uint16Tlv(std::uint16_t tag, std::uint16_t value) {
  return Tlv{tag, {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value & 0xFF)}};
}

std::optional<std::uint16_t> TlvUint(const Tlv& t) {
  if (t.value.size() == 1) {
    return t.value[0];
  }
  if (t.value.size() == 2) {
    return static_cast<std::uint16_t>((t.value[0] << 8) | t.value[1]);
  }
  return std::nullopt;
}

void PduStreamDecoder::Feed(std::span<const std::uint8_t> bytes) {
  if (offset_ > 0 && offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

Result<std::optional<Pdu>> PduStreamDecoder::Next() {
  if (error_) {
    return Fail(*error_);
  }
  if (buffered() < kHeaderSize) {
    return std::optional<Pdu>();
  }
  const std::span<const std::uint8_t> rest(buffer_.data() + offset_, buffered());
  const Header header = DecodeHeader(rest.first<kHeaderSize>());
  if (header.command_length < kHeaderSize || header.command_length > max_pdu_size_) {
    error_ = Error{ErrorCode::kInvalidArgument, "smpp_bad_frame_length",
                   "command_length " + std::to_string(header.command_length) + " outside 16.." +
                       std::to_string(max_pdu_size_)};
    return Fail(*error_);
  }
  if (rest.size() < header.command_length) {
    return std::optional<Pdu>();
  }
  auto pdu = DecodeFrame(rest.first(header.command_length));
  offset_ += header.command_length;
  if (offset_ > 4096 && offset_ * 2 > buffer_.size()) {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(offset_));
    offset_ = 0;
  }
  if (!pdu) {
    return Fail(pdu.error());
  }
  return std::optional<Pdu>(std::move(*pdu));
}

std::string CommandStatusName(std::uint32_t command_status) {
  if (const StatusInfo* s = FindStatus(command_status)) {
    return s->name;
  }
  if (command_status == status::kUnknownErr) {
    return "ESME_RUNKNOWNERR";
  }
  if (command_status >= 0x400 && command_status <= 0x4FF) {
    return "SMSC_VENDOR_" + Hex32(command_status);
  }
  return Hex32(command_status);
}

std::string DescribeCommandStatus(std::uint32_t command_status) {
  if (const StatusInfo* s = FindStatus(command_status)) {
    return std::string(s->name) + " (" + s->description + ")";
  }
  if (command_status == status::kUnknownErr) {
    return "ESME_RUNKNOWNERR (unknown error)";
  }
  if (command_status >= 0x400 && command_status <= 0x4FF) {
    return CommandStatusName(command_status) + " (SMSC vendor-specific error)";
  }
  return Hex32(command_status) + " (reserved/unknown command_status)";
}

StatusClass ClassifyStatus(std::uint32_t command_status) {
  if (const StatusInfo* s = FindStatus(command_status)) {
    return s->klass;
  }
  return StatusClass::kPermanent;
}

std::optional<ReceiptText> ParseReceiptText(std::string_view text) {
  auto field = [text](std::string_view key, bool to_end) -> std::optional<std::string> {
    std::size_t at = 0;
    while (true) {
      at = text.find(key, at);
      if (at == std::string_view::npos) {
        return std::nullopt;
      }
      // The key must start a word ("sub:" inside "submit date:" does not count).
      if (at == 0 || text[at - 1] == ' ') {
        break;
      }
      at += key.size();
    }
    const std::size_t start = at + key.size();
    if (to_end) {
      return std::string(text.substr(start));
    }
    const std::size_t end = text.find(' ', start);
    return std::string(text.substr(start, end == std::string_view::npos ? end : end - start));
  };
  ReceiptText r;
  auto id = field("id:", false);
  auto stat = field("stat:", false);
  if (!id && !stat) {
    return std::nullopt;
  }
  r.id = id.value_or("");
  r.stat = stat.value_or("");
  r.sub = field("sub:", false).value_or("");
  r.dlvrd = field("dlvrd:", false).value_or("");
  r.submit_date = field("submit date:", false).value_or("");
  r.done_date = field("done date:", false).value_or("");
  r.err = field("err:", false).value_or("");
  r.text = field("text:", true).value_or("");
  return r;
}

std::string MessageStateName(std::uint8_t state) {
  switch (state) {
    case 1:
      return "ENROUTE";
    case 2:
      return "DELIVRD";
    case 3:
      return "EXPIRED";
    case 4:
      return "DELETED";
    case 5:
      return "UNDELIV";
    case 6:
      return "ACCEPTD";
    case 7:
      return "UNKNOWN";
    case 8:
      return "REJECTD";
    default:
      return "";
  }
}

}  // namespace simexit::smpp
