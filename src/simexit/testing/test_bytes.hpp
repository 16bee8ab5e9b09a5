#pragma once
// Test helpers: byte vectors written as hex ("05 00 03") and strings.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace simexit::smpp::testing {

// "00 0a FF" -> {0x00, 0x0A, 0xFF}; spaces and '|' are ignored.
inline std::vector<std::uint8_t> Hex(std::string_view text) {
  std::vector<std::uint8_t> out;
  int high = -1;
  for (char c : text) {
    int v = -1;
    if (c >= '0' && c <= '9') {
      v = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      v = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      v = c - 'A' + 10;
    } else if (c == ' ' || c == '|' || c == '\n') {
      continue;
    } else {
      throw std::invalid_argument("bad hex");
    }
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  return out;
}

inline std::vector<std::uint8_t> Str(std::string_view text, bool nul = false) {
  std::vector<std::uint8_t> out(text.begin(), text.end());
  if (nul) {
    out.push_back(0);
  }
  return out;
}

inline std::vector<std::uint8_t> Cat(std::initializer_list<std::vector<std::uint8_t>> parts) {
  std::vector<std::uint8_t> out;
  for (const auto& p : parts) {
    out.insert(out.end(), p.begin(), p.end());
  }
  return out;
}

inline std::vector<std::uint8_t> Repeat(std::vector<std::uint8_t> unit, std::size_t n) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < n; ++i) {
    out.insert(out.end(), unit.begin(), unit.end());
  }
  return out;
}

}  // namespace simexit::smpp::testing
