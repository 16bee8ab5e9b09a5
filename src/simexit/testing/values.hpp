#pragma once
// Domain values for tests, parsed as the edge parses them: a literal that is
// not a valid value fails the test that uses it (std::invalid_argument, with
// the parser's message), so fixtures stay realistic.
//   LineRecord line;
//   line.msisdn = TestMsisdn("+77011234567");
//   line.iccid = IccidWithCheckDigit("897701000000010001");

#include <stdexcept>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit::testing {

template <typename T>
T MustParse(std::string_view text) {
  Result<T> value = T::Parse(text);
  if (!value) {
    throw std::invalid_argument("not a test value: \"" + std::string(text) +
                                "\": " + value.error().message);
  }
  return *std::move(value);
}

inline Msisdn TestMsisdn(std::string_view text) { return MustParse<Msisdn>(text); }
inline Iccid TestIccid(std::string_view text) { return MustParse<Iccid>(text); }
inline Imsi TestImsi(std::string_view text) { return MustParse<Imsi>(text); }
// The ICCID of `payload` (its 18 or 19 digits before the check digit).
inline Iccid IccidWithCheckDigit(std::string_view payload) {
  return TestIccid(std::string(payload) + Iccid::LuhnDigit(payload));
}

}  // namespace simexit::testing
