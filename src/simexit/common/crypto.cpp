#include "simexit/common/crypto.hpp"

#include <sodium.h>

#include <array>

namespace simexit {

std::string HashHex(std::string_view data, std::string_view key) {
  std::array<unsigned char, crypto_generichash_BYTES> out{};
  crypto_generichash(
      out.data(), out.size(), reinterpret_cast<const unsigned char*>(data.data()), data.size(),
      key.empty() ? nullptr : reinterpret_cast<const unsigned char*>(key.data()), key.size());
  std::string hex(out.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  hex.pop_back();
  return hex;
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> out{};
  crypto_hash_sha256(out.data(), reinterpret_cast<const unsigned char*>(data.data()), data.size());
  std::string hex(out.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), out.data(), out.size());
  hex.pop_back();
  return hex;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool HexDecode(std::string_view hex, std::string* out) {
  if (hex.size() % 2 != 0) {
    return false;
  }
  std::string bin(hex.size() / 2, '\0');
  std::size_t bin_len = 0;
  if (sodium_hex2bin(reinterpret_cast<unsigned char*>(bin.data()), bin.size(), hex.data(),
                     hex.size(), nullptr, &bin_len, nullptr) != 0 ||
      bin_len != bin.size()) {
    return false;
  }
  *out = std::move(bin);
  return true;
}

}  // namespace simexit
