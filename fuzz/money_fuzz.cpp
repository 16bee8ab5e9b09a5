// Money::ParseKzt (tenge amounts in JSON bodies and the CSV import).
// Properties: an accepted amount is within 1e12 KZT, and its decimal form
// parses back to the same amount.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "simexit/domain/money.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  simexit::Result<simexit::Money> money = simexit::Money::ParseKzt(text);
  if (!money) {
    return 0;
  }
  constexpr std::int64_t kMaxTiyn = std::int64_t{1'000'000'000'000} * 100;
  if (money->tiyn() > kMaxTiyn || money->tiyn() < -kMaxTiyn) {
    std::abort();
  }
  simexit::Result<simexit::Money> again = simexit::Money::ParseKzt(money->ToDecimalString());
  if (!again || *again != *money) {
    std::abort();
  }
  return 0;
}
