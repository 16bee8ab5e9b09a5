#include "simexit/domain/refund_destination.hpp"

#include <cctype>

#include "simexit/domain/iccid.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit {
namespace {

tl::unexpected<Error> Bad(std::string message) {
  return Fail(ErrorCode::kInvalidArgument, "invalid_refund", std::move(message));
}

std::string Compact(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '-') {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

}  // namespace

Result<std::string> NormaliseRefundDestination(RefundMethod method, std::string_view destination) {
  switch (method) {
    case RefundMethod::kBankCard: {
      const std::string digits = Compact(destination);
      if (digits.size() < 13 || digits.size() > 19) {
        return Bad("card number must have 13 to 19 digits");
      }
      for (char c : digits) {
        if (c < '0' || c > '9') {
          return Bad("card number must contain digits only");
        }
      }
      if (Iccid::LuhnDigit(std::string_view(digits).substr(0, digits.size() - 1)) !=
          digits.back()) {
        return Bad("card number check digit is wrong");
      }
      return "**** " + digits.substr(digits.size() - 4);
    }
    case RefundMethod::kIban: {
      const std::string iban = Compact(destination);
      if (iban.size() < 15 || iban.size() > 34) {
        return Bad("IBAN must have 15 to 34 characters");
      }
      for (char c : iban) {
        if (!std::isalnum(static_cast<unsigned char>(c))) {
          return Bad("IBAN may contain only letters and digits");
        }
      }
      if (!std::isalpha(static_cast<unsigned char>(iban[0])) ||
          !std::isalpha(static_cast<unsigned char>(iban[1])) ||
          !std::isdigit(static_cast<unsigned char>(iban[2])) ||
          !std::isdigit(static_cast<unsigned char>(iban[3]))) {
        return Bad("IBAN must start with a country code and two check digits");
      }
      if (iban.rfind("KZ", 0) == 0 && iban.size() != 20) {
        return Bad("a Kazakhstan IBAN has 20 characters");
      }
      const std::string rearranged = iban.substr(4) + iban.substr(0, 4);
      int remainder = 0;
      for (char c : rearranged) {
        const int value = std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'A' + 10;
        remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
      }
      if (remainder != 1) {
        return Bad("IBAN check digits are wrong");
      }
      return iban;
    }
    case RefundMethod::kOtherLine: {
      Result<Msisdn> msisdn = Msisdn::Parse(destination);
      if (!msisdn) {
        return Bad("refund line: " + msisdn.error().message);
      }
      return msisdn->e164();
    }
  }
  return Bad("unknown refund method");
}

}  // namespace simexit
