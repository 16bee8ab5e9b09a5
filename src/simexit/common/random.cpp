#include "simexit/common/random.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace simexit {

SodiumRandom::SodiumRandom() {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium failed to initialise");
  }
}

std::uint32_t SodiumRandom::Uniform(std::uint32_t upper_bound) {
  return randombytes_uniform(upper_bound);
}

std::string SodiumRandom::Hex(std::size_t bytes) {
  std::vector<unsigned char> raw(bytes);
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), raw.data(), raw.size());
  hex.pop_back();
  return hex;
}

}  // namespace simexit
