// Msisdn::Parse (Kazakhstan mobile numbers in any accepted spelling).
// Properties: an accepted number is E.164 "+7" and 10 digits, and each of its
// printed forms (E.164, digits, formatted) parses back to the same number.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "simexit/domain/msisdn.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  simexit::Result<simexit::Msisdn> msisdn = simexit::Msisdn::Parse(text);
  if (!msisdn) {
    return 0;
  }
  const std::string& e164 = msisdn->e164();
  if (e164.size() != 12 || e164.compare(0, 2, "+7") != 0) {
    std::abort();
  }
  for (const std::string& form : {e164, msisdn->digits(), msisdn->Formatted()}) {
    simexit::Result<simexit::Msisdn> again = simexit::Msisdn::Parse(form);
    if (!again || !(*again == *msisdn)) {
      std::abort();
    }
  }
  return 0;
}
