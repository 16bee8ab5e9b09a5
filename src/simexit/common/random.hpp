#pragma once
// Randomness as a port: codes, tokens and keys come from here, so tests can fix them.

#include <cstdint>
#include <string>

namespace simexit {

class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, upper_bound). upper_bound > 0.
  virtual std::uint32_t Uniform(std::uint32_t upper_bound) = 0;
  // `bytes` random bytes, hex-encoded (2 * bytes characters).
  virtual std::string Hex(std::size_t bytes) = 0;
};

// libsodium's CSPRNG (randombytes_*). Thread-safe.
class SodiumRandom final : public Random {
 public:
  SodiumRandom();
  std::uint32_t Uniform(std::uint32_t upper_bound) override;
  std::string Hex(std::size_t bytes) override;
};

}  // namespace simexit
