#include "simexit/adapters/osmocom/ipa_frame.hpp"

#include <algorithm>

namespace simexit::osmo {

namespace {

std::string Header(std::size_t payload_size, std::uint8_t proto) {
  std::string header(kIpaHeaderSize, '\0');
  header[0] = static_cast<char>((payload_size >> 8) & 0xFF);
  header[1] = static_cast<char>(payload_size & 0xFF);
  header[2] = static_cast<char>(proto);
  return header;
}

}  // namespace

Result<std::string> EncodeCtrlFrame(std::string_view text) {
  if (text.size() > kIpaMaxCtrlText) {
    return Fail(ErrorCode::kInvalidArgument, "ipa_oversize",
                "CTRL message of " + std::to_string(text.size()) +
                    " bytes does not fit one IPA frame (max " + std::to_string(kIpaMaxCtrlText) +
                    ")");
  }
  std::string frame = Header(text.size() + 1, kIpaProtoOsmo);
  frame.push_back(static_cast<char>(kIpaOsmoExtCtrl));
  frame.append(text);
  return frame;
}

std::string EncodeCcmFrame(std::uint8_t message_type) {
  std::string frame = Header(1, kIpaProtoCcm);
  frame.push_back(static_cast<char>(message_type));
  return frame;
}

IpaDecoder::IpaDecoder(std::size_t max_payload)
    : max_payload_(std::min(max_payload, kIpaMaxPayload)) {}

void IpaDecoder::Append(std::string_view bytes) {
  // Drop what was already returned before growing the buffer.
  if (consumed_ > 0) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(bytes);
}

Result<std::optional<IpaFrame>> IpaDecoder::Next() {
  if (error_) {
    return Fail(*error_);
  }
  auto fail = [this](std::string reason, std::string message) {
    error_ = Error{ErrorCode::kInvalidArgument, std::move(reason), std::move(message)};
    return Fail(*error_);
  };
  const std::size_t available = buffer_.size() - consumed_;
  if (available < kIpaHeaderSize) {
    return std::optional<IpaFrame>{};
  }
  const auto* head = reinterpret_cast<const unsigned char*>(buffer_.data() + consumed_);
  const std::size_t len = (static_cast<std::size_t>(head[0]) << 8) | head[1];
  const std::uint8_t proto = head[2];
  if (proto != kIpaProtoOsmo && proto != kIpaProtoCcm) {
    return fail("ipa_bad_proto", "unexpected IPA proto byte " + std::to_string(proto));
  }
  if (len > max_payload_) {
    return fail("ipa_oversize", "IPA frame of " + std::to_string(len) +
                                    " bytes exceeds the limit of " + std::to_string(max_payload_));
  }
  if (len == 0) {
    return fail("ipa_bad_frame", "IPA frame with an empty payload");
  }
  if (available < kIpaHeaderSize + len) {
    return std::optional<IpaFrame>{};
  }
  std::string_view payload(buffer_.data() + consumed_ + kIpaHeaderSize, len);
  IpaFrame frame;
  if (proto == kIpaProtoOsmo) {
    const auto ext = static_cast<std::uint8_t>(payload[0]);
    if (ext != kIpaOsmoExtCtrl) {
      return fail("ipa_bad_ext", "unexpected IPA OSMO extension " + std::to_string(ext));
    }
    frame.kind = IpaFrame::Kind::kCtrl;
    frame.payload.assign(payload.substr(1));
  } else {
    frame.kind = IpaFrame::Kind::kCcm;
    frame.payload.assign(payload);
  }
  consumed_ += kIpaHeaderSize + len;
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  }
  return std::optional<IpaFrame>{std::move(frame)};
}

}  // namespace simexit::osmo
