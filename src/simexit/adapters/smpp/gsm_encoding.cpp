#include "simexit/adapters/smpp/gsm_encoding.hpp"

#include <algorithm>
#include <array>
#include <optional>

namespace simexit::smpp {

namespace {

// GSM 03.38 default alphabet, index = septet value (0x1B is the escape).
constexpr std::array<char32_t, 128> kBasic = {
    U'@',      U'\u00A3', U'$',      U'\u00A5', U'\u00E8', U'\u00E9', U'\u00F9', U'\u00EC',
    U'\u00F2', U'\u00C7', U'\n',     U'\u00D8', U'\u00F8', U'\r',     U'\u00C5', U'\u00E5',
    U'\u0394', U'_',      U'\u03A6', U'\u0393', U'\u039B', U'\u03A9', U'\u03A0', U'\u03A8',
    U'\u03A3', U'\u0398', U'\u039E', U'\x1B',   U'\u00C6', U'\u00E6', U'\u00DF', U'\u00C9',
    U' ',      U'!',      U'"',      U'#',      U'\u00A4', U'%',      U'&',      U'\'',
    U'(',      U')',      U'*',      U'+',      U',',      U'-',      U'.',      U'/',
    U'0',      U'1',      U'2',      U'3',      U'4',      U'5',      U'6',      U'7',
    U'8',      U'9',      U':',      U';',      U'<',      U'=',      U'>',      U'?',
    U'\u00A1', U'A',      U'B',      U'C',      U'D',      U'E',      U'F',      U'G',
    U'H',      U'I',      U'J',      U'K',      U'L',      U'M',      U'N',      U'O',
    U'P',      U'Q',      U'R',      U'S',      U'T',      U'U',      U'V',      U'W',
    U'X',      U'Y',      U'Z',      U'\u00C4', U'\u00D6', U'\u00D1', U'\u00DC', U'\u00A7',
    U'\u00BF', U'a',      U'b',      U'c',      U'd',      U'e',      U'f',      U'g',
    U'h',      U'i',      U'j',      U'k',      U'l',      U'm',      U'n',      U'o',
    U'p',      U'q',      U'r',      U's',      U't',      U'u',      U'v',      U'w',
    U'x',      U'y',      U'z',      U'\u00E4', U'\u00F6', U'\u00F1', U'\u00FC', U'\u00E0',
};

struct Extension {
  std::uint8_t code;
  char32_t character;
};

constexpr std::array<Extension, 10> kExtension = {{
    {0x0A, U'\f'},
    {0x14, U'^'},
    {0x28, U'{'},
    {0x29, U'}'},
    {0x2F, U'\\'},
    {0x3C, U'['},
    {0x3D, U'~'},
    {0x3E, U']'},
    {0x40, U'|'},
    {0x65, U'\u20AC'},
}};

Error InvalidText(std::string message) {
  return Error{ErrorCode::kInvalidArgument, "invalid_text", std::move(message)};
}

// Strict UTF-8 decoding (RFC 3629).
Result<std::vector<char32_t>> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    int extra = 0;
    char32_t cp = 0;
    char32_t min = 0;
    if (lead < 0x80) {
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      extra = 1;
      cp = lead & 0x1Fu;
      min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      extra = 2;
      cp = lead & 0x0Fu;
      min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      extra = 3;
      cp = lead & 0x07u;
      min = 0x10000;
    } else {
      return Fail(InvalidText("invalid UTF-8 lead byte at offset " + std::to_string(i)));
    }
    if (extra > 0 && i + static_cast<std::size_t>(extra) >= text.size()) {
      return Fail(InvalidText("truncated UTF-8 sequence at offset " + std::to_string(i)));
    }
    for (int k = 1; k <= extra; ++k) {
      const auto cont = static_cast<std::uint8_t>(text[i + static_cast<std::size_t>(k)]);
      if ((cont & 0xC0) != 0x80) {
        return Fail(InvalidText("invalid UTF-8 continuation at offset " + std::to_string(i)));
      }
      cp = (cp << 6) | (cont & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return Fail(InvalidText("invalid UTF-8 code point at offset " + std::to_string(i)));
    }
    out.push_back(cp);
    i += static_cast<std::size_t>(extra) + 1;
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::optional<std::uint8_t> BasicCode(char32_t cp) {
  if (cp == U'\x1B') {
    return std::nullopt;
  }
  const auto* it = std::find(kBasic.begin(), kBasic.end(), cp);
  if (it == kBasic.end()) {
    return std::nullopt;
  }
  return static_cast<std::uint8_t>(it - kBasic.begin());
}

std::optional<std::uint8_t> ExtensionCode(char32_t cp) {
  for (const auto& e : kExtension) {
    if (e.character == cp) {
      return e.code;
    }
  }
  return std::nullopt;
}

std::vector<std::uint8_t> ConcatUdh(std::uint8_t reference, std::size_t total, std::size_t seq) {
  return {0x05,
          0x00,
          0x03,
          reference,
          static_cast<std::uint8_t>(total),
          static_cast<std::uint8_t>(seq)};
}

}  // namespace

Result<EncodedText> EncodeText(std::string_view utf8) {
  auto code_points = DecodeUtf8(utf8);
  if (!code_points) {
    return Fail(code_points.error());
  }
  EncodedText gsm;
  gsm.coding = DataCoding::kGsm7;
  bool fits = true;
  for (char32_t cp : *code_points) {
    if (auto basic = BasicCode(cp)) {
      gsm.units.push_back(*basic);
    } else if (auto ext = ExtensionCode(cp)) {
      gsm.units.push_back(kGsm7Escape);
      gsm.units.push_back(*ext);
    } else {
      fits = false;
      break;
    }
  }
  if (fits) {
    gsm.length_units = static_cast<int>(gsm.units.size());
    return gsm;
  }
  EncodedText ucs2;
  ucs2.coding = DataCoding::kUcs2;
  for (char32_t cp : *code_points) {
    auto push_unit = [&ucs2](char32_t unit) {
      ucs2.units.push_back(static_cast<std::uint8_t>(unit >> 8));
      ucs2.units.push_back(static_cast<std::uint8_t>(unit & 0xFF));
    };
    if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      push_unit(0xD800 + (v >> 10));
      push_unit(0xDC00 + (v & 0x3FF));
    } else {
      push_unit(cp);
    }
  }
  ucs2.length_units = static_cast<int>(ucs2.units.size() / 2);
  return ucs2;
}

std::vector<Part> SplitForSms(const EncodedText& text, std::uint8_t reference) {
  const bool gsm = text.coding == DataCoding::kGsm7;
  const int single = gsm ? kSingleGsm7Septets : kSingleUcs2Units;
  if (text.length_units <= single) {
    return {Part{{}, text.units}};
  }
  // Chunk boundaries in octets of `units`.
  std::vector<std::pair<std::size_t, std::size_t>> chunks;
  std::size_t begin = 0;
  const std::size_t size = text.units.size();
  while (begin < size) {
    std::size_t end = 0;
    if (gsm) {
      end = std::min(size, begin + static_cast<std::size_t>(kPartGsm7Septets));
      if (end < size && text.units[end - 1] == kGsm7Escape) {
        --end;  // keep the escape with its code
      }
    } else {
      end = std::min(size, begin + 2 * static_cast<std::size_t>(kPartUcs2Units));
      if (end < size && end >= 2) {
        const unsigned last =
            (static_cast<unsigned>(text.units[end - 2]) << 8) | text.units[end - 1];
        if (last >= 0xD800 && last <= 0xDBFF) {
          end -= 2;  // keep the high surrogate with its low surrogate
        }
      }
    }
    chunks.emplace_back(begin, end);
    begin = end;
  }
  std::vector<Part> parts;
  parts.reserve(chunks.size());
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto [b, e] = chunks[i];
    parts.push_back(
        Part{ConcatUdh(reference, chunks.size(), i + 1),
             std::vector<std::uint8_t>(text.units.begin() + static_cast<std::ptrdiff_t>(b),
                                       text.units.begin() + static_cast<std::ptrdiff_t>(e))});
  }
  return parts;
}

std::vector<std::uint8_t> PackSeptets(std::span<const std::uint8_t> septets, int pad_bits) {
  const std::size_t bits = static_cast<std::size_t>(pad_bits) + 7 * septets.size();
  std::vector<std::uint8_t> out((bits + 7) / 8, 0);
  std::size_t bit = static_cast<std::size_t>(pad_bits);
  for (std::uint8_t septet : septets) {
    const unsigned value = septet & 0x7Fu;
    const std::size_t byte = bit / 8;
    const unsigned shift = static_cast<unsigned>(bit % 8);
    out[byte] = static_cast<std::uint8_t>(out[byte] | ((value << shift) & 0xFFu));
    if (shift > 1) {
      out[byte + 1] = static_cast<std::uint8_t>(out[byte + 1] | (value >> (8 - shift)));
    }
    bit += 7;
  }
  return out;
}

std::vector<std::uint8_t> UnpackSeptets(std::span<const std::uint8_t> octets, std::size_t count,
                                        int pad_bits) {
  std::vector<std::uint8_t> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t bit = static_cast<std::size_t>(pad_bits) + 7 * i;
    const std::size_t byte = bit / 8;
    const unsigned shift = static_cast<unsigned>(bit % 8);
    if (byte >= octets.size()) {
      break;
    }
    unsigned value = static_cast<unsigned>(octets[byte]) >> shift;
    if (shift > 1) {
      if (byte + 1 >= octets.size()) {
        break;
      }
      value |= static_cast<unsigned>(octets[byte + 1]) << (8 - shift);
    }
    out.push_back(static_cast<std::uint8_t>(value & 0x7F));
  }
  return out;
}

std::string DecodeGsm7(std::span<const std::uint8_t> septets) {
  std::string out;
  for (std::size_t i = 0; i < septets.size(); ++i) {
    const std::uint8_t v = septets[i] & 0x7F;
    if (v != kGsm7Escape) {
      AppendUtf8(out, kBasic[v]);
      continue;
    }
    if (i + 1 >= septets.size()) {
      out.push_back(' ');
      break;
    }
    const std::uint8_t code = septets[++i] & 0x7F;
    char32_t cp = kBasic[code];
    for (const auto& e : kExtension) {
      if (e.code == code) {
        cp = e.character;
      }
    }
    AppendUtf8(out, cp);
  }
  return out;
}

Result<std::string> DecodeUcs2(std::span<const std::uint8_t> utf16be) {
  if (utf16be.size() % 2 != 0) {
    return Fail(InvalidText("UTF-16 text has an odd number of octets"));
  }
  std::string out;
  for (std::size_t i = 0; i < utf16be.size(); i += 2) {
    const char32_t unit = (static_cast<char32_t>(utf16be[i]) << 8) | utf16be[i + 1];
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      if (i + 3 >= utf16be.size()) {
        return Fail(InvalidText("unpaired high surrogate"));
      }
      const char32_t low = (static_cast<char32_t>(utf16be[i + 2]) << 8) | utf16be[i + 3];
      if (low < 0xDC00 || low > 0xDFFF) {
        return Fail(InvalidText("unpaired high surrogate"));
      }
      AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      i += 2;
    } else if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return Fail(InvalidText("unpaired low surrogate"));
    } else {
      AppendUtf8(out, unit);
    }
  }
  return out;
}

}  // namespace simexit::smpp
