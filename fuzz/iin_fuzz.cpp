// Iin::Parse (Kazakhstan individual identification number). Properties: an
// accepted IIN is its own 12 digits, has a real birth date, its check digit
// recomputes, and it parses again to the same value.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "simexit/domain/iin.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  simexit::Iin::CheckDigit(text);
  simexit::ParseIsoDate(text);
  simexit::Result<simexit::Iin> iin = simexit::Iin::Parse(text);
  if (!iin) {
    return 0;
  }
  const std::string& digits = iin->digits();
  if (digits.size() != 12 || !iin->birth_date().IsValid() ||
      simexit::Iin::CheckDigit(std::string_view(digits).substr(0, 11)) != digits[11] - '0') {
    std::abort();
  }
  simexit::Result<simexit::Iin> again = simexit::Iin::Parse(digits);
  if (!again || !(*again == *iin)) {
    std::abort();
  }
  return 0;
}
