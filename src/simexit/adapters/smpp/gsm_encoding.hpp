#pragma once
// Text encoding for SMS: UTF-8 -> GSM 03.38 default alphabet (7-bit) or UCS-2,
// splitting into concatenated parts, and GSM 7-bit septet packing.
//
// EncodeText(utf8): when every character is in the GSM 03.38 default alphabet or
// its extension table (^ { } \ [ ~ ] | EUR and form feed, sent as 0x1B + code),
// the result is kGsm7 with one septet value per octet (the form SMPP data_coding 0
// carries to osmo-msc, which packs them itself); otherwise kUcs2 with UTF-16BE
// octets (characters beyond the BMP, e.g. emoji, as surrogate pairs).
// length_units counts septets (escapes count 2) or UTF-16 code units.
// Errors: kInvalidArgument "invalid_text" when utf8 is not well-formed UTF-8
// (overlong forms, surrogates and code points above U+10FFFF included).
//
// SplitForSms(text, reference): one part without UDH when the text fits one SMS
// (<= 160 septets / <= 70 UTF-16 units); otherwise parts of at most 153 septets
// (an escape pair is never split) or 67 UTF-16 units (a surrogate pair is never
// split), each with the concatenation UDH 05 00 03 <reference> <total> <seq>
// (seq from 1). The caller submits those with esm_class 0x40 (UDHI) and the UDH
// in front of the payload in short_message. More than 255 parts cannot be
// numbered: the caller must reject such a text (kMaxParts).

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit::smpp {

enum class DataCoding : std::uint8_t { kGsm7 = 0x00, kUcs2 = 0x08 };

struct EncodedText {
  DataCoding coding = DataCoding::kGsm7;
  std::vector<std::uint8_t> units;  // septet values one per octet, or UTF-16BE bytes
  int length_units = 0;             // septets incl. escapes, or UTF-16 code units
};

struct Part {
  std::vector<std::uint8_t> udh;      // empty for a single-part message
  std::vector<std::uint8_t> payload;  // septet values one per octet, or UTF-16BE bytes
};

inline constexpr int kSingleGsm7Septets = 160;
inline constexpr int kPartGsm7Septets = 153;
inline constexpr int kSingleUcs2Units = 70;
inline constexpr int kPartUcs2Units = 67;
inline constexpr std::size_t kMaxParts = 255;
inline constexpr std::uint8_t kGsm7Escape = 0x1B;

Result<EncodedText> EncodeText(std::string_view utf8);

std::vector<Part> SplitForSms(const EncodedText& text, std::uint8_t reference);

// Packs septet values (low 7 bits of each octet) LSB first as in 3GPP TS 23.038
// 6.1.2.1, after `pad_bits` zero bits (0..6; used after a UDH). The result has
// ceil((pad_bits + 7 * n) / 8) octets.
std::vector<std::uint8_t> PackSeptets(std::span<const std::uint8_t> septets, int pad_bits = 0);

// Inverse of PackSeptets: reads `count` septets after `pad_bits` bits. Septets
// beyond the end of `octets` are not returned (the result may be shorter).
std::vector<std::uint8_t> UnpackSeptets(std::span<const std::uint8_t> octets, std::size_t count,
                                        int pad_bits = 0);

// GSM 03.38 septet values (one per octet) -> UTF-8. An escape followed by a code
// that is not in the extension table decodes as the basic-table character (per
// TS 23.038); a trailing lone escape as a space.
std::string DecodeGsm7(std::span<const std::uint8_t> septets);

// UTF-16BE -> UTF-8. Errors: kInvalidArgument "invalid_text" for an odd length or
// an unpaired surrogate.
Result<std::string> DecodeUcs2(std::span<const std::uint8_t> utf16be);

}  // namespace simexit::smpp
