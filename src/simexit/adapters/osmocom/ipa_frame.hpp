#pragma once
// IPA framing as used by Osmocom's CTRL interface (osmo-hlr 127.0.0.1:4259).
//
// Wire layout of one frame:
//   +--------+--------+-------+---------------------+
//   | len_hi | len_lo | proto | payload (len bytes) |
//   +--------+--------+-------+---------------------+
// len is a big-endian u16 and counts the payload only (not the 3-byte header).
// A CTRL message uses proto 0xEE (IPA "OSMO") and starts its payload with the
// extension byte 0x00 (CTRL), followed by the ASCII text, so len = 1 + len(text).
// Proto 0xFE (CCM: PING/PONG/ID_*) frames are passed through so the caller can
// answer a PING; every other proto byte is a protocol error.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit::osmo {

inline constexpr std::uint8_t kIpaProtoOsmo = 0xEE;
inline constexpr std::uint8_t kIpaProtoCcm = 0xFE;
inline constexpr std::uint8_t kIpaOsmoExtCtrl = 0x00;
inline constexpr std::uint8_t kIpaCcmPing = 0x00;
inline constexpr std::uint8_t kIpaCcmPong = 0x01;
inline constexpr std::size_t kIpaHeaderSize = 3;
// The largest payload the u16 length can describe.
inline constexpr std::size_t kIpaMaxPayload = 0xFFFF;
// The largest CTRL text: the payload also holds the extension byte.
inline constexpr std::size_t kIpaMaxCtrlText = kIpaMaxPayload - 1;

// Returns the frame carrying the CTRL text `text`.
// Errors: kInvalidArgument "ipa_oversize" when text is longer than kIpaMaxCtrlText.
Result<std::string> EncodeCtrlFrame(std::string_view text);

// Returns a CCM frame (proto 0xFE) with a one-byte message type, e.g. kIpaCcmPong.
std::string EncodeCcmFrame(std::uint8_t message_type);

struct IpaFrame {
  enum class Kind {
    kCtrl,  // proto 0xEE, ext 0x00: `payload` is the CTRL text (extension byte removed)
    kCcm,   // proto 0xFE: `payload` is the CCM message (first byte = message type)
  };
  Kind kind = Kind::kCtrl;
  std::string payload;
  friend bool operator==(const IpaFrame&, const IpaFrame&) = default;
};

// Incremental decoder for a byte stream: Append() what the socket delivered,
// then call Next() until it returns std::nullopt (more bytes needed).
// After an error the stream cannot be resynchronised; the decoder stays in the
// error state (Next() keeps returning the same error) and the connection must be
// dropped. Not thread-safe.
class IpaDecoder {
 public:
  // max_payload: frames announcing a longer payload are rejected ("ipa_oversize")
  // before their body arrives. Clamped to kIpaMaxPayload.
  explicit IpaDecoder(std::size_t max_payload = kIpaMaxPayload);

  void Append(std::string_view bytes);

  // The next complete frame, or std::nullopt when the buffered bytes do not yet
  // hold one. Errors (all kInvalidArgument):
  //   "ipa_bad_proto"  proto byte is neither 0xEE nor 0xFE;
  //   "ipa_bad_ext"    proto 0xEE with an extension other than CTRL (0x00);
  //   "ipa_bad_frame"  an empty payload (no extension byte / CCM type);
  //   "ipa_oversize"   len exceeds max_payload.
  Result<std::optional<IpaFrame>> Next();

  // Bytes received but not yet returned as frames.
  std::size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  std::size_t max_payload_;
  std::string buffer_;
  std::size_t consumed_ = 0;
  std::optional<Error> error_;
};

}  // namespace simexit::osmo
