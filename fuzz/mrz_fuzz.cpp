// Mrz::Parse (identity document machine-readable zone, from the CSV import and
// the line API). Properties checked besides "no crash": an accepted MRZ has
// real dates and upper-case fields without fillers.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "simexit/domain/mrz.hpp"

namespace {

bool HasFiller(std::string_view text) { return text.find('<') != std::string_view::npos; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  simexit::Mrz::CheckDigit(text);
  simexit::Result<simexit::Mrz> mrz = simexit::Mrz::Parse(text, 2026);
  if (!mrz) {
    return 0;
  }
  if (!mrz->birth_date.IsValid() || !mrz->expiry_date.IsValid() ||
      HasFiller(mrz->document_number) || HasFiller(mrz->surname) || HasFiller(mrz->given_names) ||
      HasFiller(mrz->document_code)) {
    std::abort();
  }
  return 0;
}
